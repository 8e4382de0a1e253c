/**
 * The Electron adapter of the shell: carries out what the pure modules decide, and nothing else.
 * Window placement comes from `window-plan.ts`, every navigation, permission, download and
 * window.open answer from `navigation-policy.ts`, keys and closing from `shortcut-policy.ts`,
 * healing from `recovery.ts`, pairing pages from `pairing-state.ts`, the nightly restart from
 * `nightly-restart.ts`. Checked against Electron's own typings; its tests run on a fake `electron`.
 *
 * The terminal process (`govhall terminal`) starts it with the terminal's configuration, reports
 * pairing and configuration pushes, and verifies the technician's PIN with the hub.
 */

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  app,
  BrowserWindow,
  type Display,
  type IpcMainInvokeEvent,
  ipcMain,
  Menu,
  net,
  powerSaveBlocker,
  screen,
  session,
  type WebContents,
} from 'electron';
import { type HubWatch, watchHub } from './hub-watch.js';
import { dataUrl, hubDownPage, pairingPageHtml, readUnlockForm, recoveringPage, unlockPage } from './local-pages.js';
import {
  mayDownload,
  mayGrantPermission,
  mayNavigate,
  ownOrigin,
  windowOpenAnswer,
  withContentSecurityPolicy,
} from './navigation-policy.js';
import { nextRestartAt, restartDue } from './nightly-restart.js';
import { type PairingState, pairingPage } from './pairing-state.js';
import { type PdfPrintDeps, printPdfBytes } from './pdf-print.js';
import { type RecoveryEffect, type RecoveryOptions, RecoveryRunner, realTimers, type Timers } from './recovery.js';
import { closeAnswer, isBlockedShortcut, isDevToolsChord, isUnlockChord } from './shortcut-policy.js';
import { type AdminVerifier, TechnicianUnlock, type UnlockResult } from './technician-unlock.js';
import { BRIDGE_CHANNELS, type PrintResult } from './types.js';
import {
  type DisplayInfo,
  diffPlans,
  type PlanChange,
  type PlannedWindow,
  planWindows,
  type WindowEntry,
  type WindowPlan,
} from './window-plan.js';

/**
 * The terminal's device bridge (main/terminal/local-bridge.ts) as the windows' preload reaches it
 * over IPC: the same messages the local origin's WebSocket carries.
 */
export interface ShellDevices {
  subscribe(listener: (m: Record<string, unknown>) => void): () => void;
  ask(msg: Record<string, unknown>): Promise<Record<string, unknown>>;
}

export interface ShellOptions {
  /** The terminal's local origin, e.g. `http://127.0.0.1:8801`: the only place windows may go. */
  origin: string;
  windows: WindowEntry[];
  /** The built preload (one CommonJS file: a sandboxed preload cannot load other files). */
  preloadPath: string;
  /** The hall's time zone (pairing expiry, nightly restart). */
  timeZone: string;
  technicianUnlock: 'admin-pin' | 'none';
  verifyAdmin: AdminVerifier;
  /** `restart.nightlyAt` of the terminal, e.g. "03:30"; none when absent. */
  nightlyAt?: string;
  /** The terminal's devices for the preload's `window.govhall` (none: the bridge has no devices). */
  devices?: ShellDevices;
  /** The caller already holds the single-instance lock (it took it before opening the devices). */
  singleInstanceHeld?: boolean;
  /** Pairing at start (default: paired, for a terminal whose token is already stored). */
  pairing?: PairingState;
  /** Whether the hub answers; default: probe `<origin>/api/v1/health` through the local server. */
  hub?: Pick<HubWatch, 'up' | 'onChange' | 'stop'>;
  /** The page each window opens; default `<origin>/<role>/`, with `?window=N` for a service window. */
  urlFor?: (w: PlannedWindow) => string;
  /** How the nightly restart restarts (default: relaunch and exit). */
  restartApp?: () => void;
  log?: (event: string, detail: Record<string, unknown>) => void;
  now?: () => number;
  timers?: Timers;
  recovery?: RecoveryOptions;
}

export interface RunningShell {
  /** The terminal's entry changed its lockdown or the hall its zone: applies from now on. */
  setSettings(settings: Pick<ShellOptions, 'technicianUnlock' | 'timeZone'>): void;
  /** The configuration was pushed (`terminal.config`): new entries open, removed ones close. */
  applyWindows(entries: WindowEntry[]): void;
  setPairing(state: PairingState): void;
  /** Same as submitting the PIN prompt. */
  unlock(credentials: { staffNo: string; pin: string }): Promise<UnlockResult>;
  readonly plan: WindowPlan;
  /** The windows by plan key. */
  windowFor(key: string): BrowserWindow | undefined;
  quit(): void;
}

interface OpenWindow {
  plan: PlannedWindow;
  win: BrowserWindow;
  runner: RecoveryRunner | null;
}

const defaultLog = (event: string, detail: Record<string, unknown>) =>
  console.error(JSON.stringify({ at: 'shell', event, ...detail }));

/** Reads the displays as the window plan sees them. */
export function currentDisplays(): DisplayInfo[] {
  const primary = screen.getPrimaryDisplay().id;
  return screen.getAllDisplays().map((d: Display) => ({
    id: d.id,
    bounds: { ...d.bounds },
    primary: d.id === primary,
    label: d.label,
    scaleFactor: d.scaleFactor,
  }));
}

/**
 * Starts the shell. Resolves null when another instance already runs on this PC (this one quits):
 * two shells would fight over the same screens and devices.
 */
export async function startShell(options: ShellOptions): Promise<RunningShell | null> {
  const origin = ownOrigin(options.origin);
  const log = options.log ?? defaultLog;
  const now = options.now ?? (() => Date.now());
  const timers = options.timers ?? realTimers;
  const urlFor =
    options.urlFor ??
    ((w: PlannedWindow) => `${origin}/${w.role}/${w.windowNo === null ? '' : `?window=${w.windowNo}`}`);

  if (!options.singleInstanceHeld && !app.requestSingleInstanceLock()) {
    log('second-instance-refused', {});
    app.quit();
    return null;
  }
  // Every renderer sandboxed, also any the pages might somehow create.
  app.enableSandbox();
  await app.whenReady();

  // No application menu: it carries the default reload, devtools, zoom and close accelerators.
  Menu.setApplicationMenu(null);
  powerSaveBlocker.start('prevent-display-sleep');

  const settings = { technicianUnlock: options.technicianUnlock, timeZone: options.timeZone };
  const unlock = new TechnicianUnlock({
    verify: options.verifyAdmin,
    clock: { now },
    // Read at every attempt: the hall config can change it while the shell runs.
    get mode() {
      return settings.technicianUnlock;
    },
  });
  const open = new Map<string, OpenWindow>();
  let entries = options.windows;
  let plan = planWindows(entries, currentDisplays());
  let pairing: PairingState = options.pairing ?? { status: 'paired' };
  let closing = false;
  let prompt: BrowserWindow | null = null;
  let lockTimer: unknown = null;

  const reportProblems = (p: WindowPlan) => {
    for (const problem of p.problems) log('window-plan', { ...problem });
  };
  reportProblems(plan);

  // --- one policy for every web contents and the session -------------------------------------
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_wc, permission, callback, details) => {
    const mediaTypes = 'mediaTypes' in details ? details.mediaTypes : undefined;
    const granted = mayGrantPermission({ permission, requestingUrl: details.requestingUrl, mediaTypes }, origin);
    if (!granted) log('permission-refused', { permission, url: details.requestingUrl });
    callback(granted);
  });
  ses.setPermissionCheckHandler((_wc, permission, requestingOrigin) =>
    mayGrantPermission({ permission, requestingUrl: requestingOrigin }, origin),
  );
  ses.setDevicePermissionHandler(() => false);
  ses.on('will-download', (event, item) => {
    if (!mayDownload()) {
      event.preventDefault();
      log('download-refused', { url: item.getURL() });
    }
  });
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: withContentSecurityPolicy(details.responseHeaders ?? {}, details.resourceType) });
  });

  app.on('web-contents-created', (_e, wc) => harden(wc));
  function harden(wc: WebContents) {
    wc.setWindowOpenHandler(({ url }) => {
      log('window-open-refused', { url });
      return windowOpenAnswer();
    });
    wc.on('will-navigate', (event) => {
      if (!mayNavigate(event.url, origin)) event.preventDefault();
    });
    wc.on('will-frame-navigate', (event) => {
      if (!mayNavigate(event.url, origin)) event.preventDefault();
    });
    wc.on('will-redirect', (event) => {
      if (!mayNavigate(event.url, origin)) event.preventDefault();
    });
    wc.on('will-attach-webview', (event) => event.preventDefault());
  }

  // The bridge's `printPdf()`: a hub document printed with Electron's print API (pdf-print.ts),
  // only for this terminal's own pages.
  const pdfPrint: PdfPrintDeps = {
    openWindow: (title) => {
      const win = new BrowserWindow({
        show: false,
        title,
        webPreferences: { plugins: true, sandbox: true, contextIsolation: true, nodeIntegration: false },
      });
      return {
        loadFile: (path) => win.loadFile(path),
        print: (done) => win.webContents.print({ silent: false, printBackground: true }, done),
        destroy: () => win.destroy(),
      };
    },
    writeTemp: (bytes) => {
      const file = join(mkdtempSync(join(tmpdir(), 'govhall-print-')), 'document.pdf');
      writeFileSync(file, bytes, { mode: 0o600 });
      return file;
    },
    remove: (path) => rmSync(join(path, '..'), { recursive: true, force: true }),
  };
  ipcMain.handle(BRIDGE_CHANNELS.printPdf, (event: IpcMainInvokeEvent, bytes: unknown, title: unknown) => {
    const own = [...open.values()].some((o) => o.win.webContents.id === event.sender.id);
    if (!own || !mayNavigate(event.senderFrame?.url ?? '', origin))
      return { ok: false, code: 'ERROR', message: '打印失败：该页面不属于本终端' };
    return printPdfBytes(bytes, title, pdfPrint);
  });

  // The bridge's `config()`: the page learns its role and window, never a token (the local server
  // adds the terminal's credentials when it forwards the page's calls).
  const ownPage = (event: IpcMainInvokeEvent) => {
    const w = [...open.values()].find((o) => o.win.webContents.id === event.sender.id);
    return w && mayNavigate(event.senderFrame?.url ?? '', origin) ? w : null;
  };
  ipcMain.handle(BRIDGE_CHANNELS.config, (event: IpcMainInvokeEvent) => {
    const w = ownPage(event);
    if (!w) return { hubUrl: null, token: null, role: null, windowNo: null };
    return { hubUrl: null, token: null, role: w.plan.role, windowNo: w.plan.windowNo };
  });

  // The devices: asked only by the shell's own pages, heard only by windows showing one (a card
  // read is personal data; a pairing or recovery page gets nothing).
  const devices = options.devices;
  ipcMain.handle(BRIDGE_CHANNELS.print, async (event: IpcMainInvokeEvent, ticket: unknown) => {
    if (!devices || !ownPage(event))
      return { ok: false, code: 'NO_PRINTER', message: '本终端没有可用的打印机' } satisfies PrintResult;
    return (await devices.ask({ type: 'print', id: 'ipc', ticket })).result;
  });
  ipcMain.handle(BRIDGE_CHANNELS.getDeviceStatus, async (event: IpcMainInvokeEvent) => {
    if (!devices || !ownPage(event)) return [];
    return (await devices.ask({ type: 'status', id: 'ipc' })).devices;
  });
  ipcMain.handle(BRIDGE_CHANNELS.inventory, async (event: IpcMainInvokeEvent, inventory: unknown) => {
    if (!devices || !ownPage(event) || !inventory || typeof inventory !== 'object') return false;
    return (await devices.ask({ ...(inventory as object), type: 'inventory' })).ok === true;
  });
  const offDevices = devices?.subscribe((m) => {
    const { type, ...rest } = m;
    const sent: [string, unknown] | null =
      type === 'card'
        ? [BRIDGE_CHANNELS.card, m.card]
        : type === 'card.removed'
          ? [BRIDGE_CHANNELS.cardRemoved, undefined]
          : type === 'device.status'
            ? [BRIDGE_CHANNELS.deviceStatus, rest]
            : null;
    if (!sent) return;
    for (const o of open.values())
      if (!o.win.isDestroyed() && mayNavigate(o.win.webContents.getURL(), origin)) o.win.webContents.send(...sent);
  });

  // --- the hub ---------------------------------------------------------------------------------
  const hub =
    options.hub ??
    watchHub({
      timers,
      probe: async () => {
        const res = await net.fetch(`${origin}/api/v1/health`, { signal: AbortSignal.timeout(5_000) });
        return res.ok;
      },
    });
  hub.onChange((up) => {
    log(up ? 'hub-up' : 'hub-down', {});
    for (const o of open.values()) o.runner?.send({ type: up ? 'hub-up' : 'hub-down' });
  });

  // --- windows ---------------------------------------------------------------------------------
  const showPage = (o: OpenWindow, html: string) => {
    o.win.loadURL(dataUrl(html)).catch(() => {});
  };

  const perform = (o: OpenWindow) => (effect: Exclude<RecoveryEffect, { kind: 'set-timer' | 'clear-timer' }>) => {
    log('recovery', {
      window: o.plan.key,
      effect: effect.kind,
      ...(effect.kind === 'show-local-page' ? { page: effect.page } : {}),
    });
    if (effect.kind === 'load') o.win.loadURL(effect.url).catch(() => {});
    else if (effect.kind === 'kill-renderer') o.win.webContents.forcefullyCrashRenderer();
    else showPage(o, effect.page === 'recovering' ? recoveringPage() : hubDownPage(o.plan.role));
  };

  /** What a window shows for the current pairing: its role page (with recovery) or a pairing page. */
  const showContent = (o: OpenWindow) => {
    const p = pairingPage(pairing);
    if (p.kind === 'role-pages') {
      if (o.runner) return;
      o.runner = new RecoveryRunner(urlFor(o.plan), {
        now,
        timers,
        perform: perform(o),
        ...(options.recovery ? { options: options.recovery } : {}),
      });
      if (!hub.up) o.runner.send({ type: 'hub-down' });
      return;
    }
    o.runner?.dispose();
    o.runner = null;
    const first = plan.windows.find((w) => w.placement !== null)?.key ?? plan.windows[0]?.key;
    showPage(o, pairingPageHtml(p, o.plan.key === first, settings.timeZone));
  };

  const place = (o: OpenWindow, w: PlannedWindow) => {
    o.plan = w;
    const { win } = o;
    if (!w.placement) {
      win.hide();
      return;
    }
    // Leave kiosk and full screen first: both pin the window to the display it is on.
    win.setKiosk(false);
    win.setFullScreen(false);
    win.setBounds(w.placement.bounds);
    win.setAlwaysOnTop(w.alwaysOnTop);
    if (w.fullscreen) win.setFullScreen(true);
    if (w.kiosk) win.setKiosk(true);
    win.webContents.setZoomFactor(w.zoomFactor);
    win.show();
  };

  const openWindow = (w: PlannedWindow) => {
    const bounds = w.placement?.bounds;
    const win = new BrowserWindow({
      show: false,
      ...(bounds ?? {}),
      frame: w.frame,
      autoHideMenuBar: true,
      skipTaskbar: w.role === 'evaluator',
      backgroundColor: '#0f2a44',
      title: `govhall ${w.key}`,
      webPreferences: {
        preload: options.preloadPath,
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        nodeIntegrationInSubFrames: false,
        nodeIntegrationInWorker: false,
        webSecurity: true,
        allowRunningInsecureContent: false,
        webviewTag: false,
        navigateOnDragDrop: false,
        spellcheck: false,
        safeDialogs: true,
        // The hall TV and a waiting evaluator must keep their page alive while hidden or covered.
        backgroundThrottling: false,
        zoomFactor: w.zoomFactor,
      },
    });
    const o: OpenWindow = { plan: w, win, runner: null };
    open.set(w.key, o);
    const wc = win.webContents;
    if (w.citizenFacing) wc.setVisualZoomLevelLimits(1, 1).catch(() => {});

    win.on('close', (event) => {
      const answer = closeAnswer({
        citizenFacing: o.plan.citizenFacing,
        unlocked: unlock.isUnlocked(),
        shellClosing: closing,
      });
      if (answer === 'allow') return;
      event.preventDefault();
      if (answer === 'minimize') win.minimize();
    });
    wc.on('before-input-event', (event, input) => {
      if (isUnlockChord(input)) {
        event.preventDefault();
        openPrompt(win, null);
      } else if (unlock.isUnlocked() && isDevToolsChord(input)) {
        event.preventDefault();
        wc.toggleDevTools();
      } else if (isBlockedShortcut(input, { citizenFacing: o.plan.citizenFacing, unlocked: unlock.isUnlocked() })) {
        event.preventDefault();
      }
    });
    wc.on('devtools-opened', () => {
      if (!unlock.isUnlocked()) wc.closeDevTools();
    });
    wc.on('render-process-gone', (_e, details) => {
      log('renderer-gone', { window: o.plan.key, reason: details.reason, exitCode: details.exitCode });
      o.runner?.send({ type: 'crashed' });
    });
    wc.on('unresponsive', () => o.runner?.send({ type: 'unresponsive' }));
    wc.on('responsive', () => o.runner?.send({ type: 'responsive' }));
    wc.on('did-fail-load', (_e, errorCode, errorDescription, validatedURL, isMainFrame) => {
      // -3 (ERR_ABORTED) is a navigation replaced by another one, not a failure.
      if (!isMainFrame || errorCode === -3 || !mayNavigate(validatedURL, origin)) return;
      log('load-failed', { window: o.plan.key, errorCode, errorDescription });
      o.runner?.send({ type: 'load-failed' });
    });
    wc.on('did-finish-load', () => {
      if (mayNavigate(wc.getURL(), origin)) o.runner?.send({ type: 'loaded' });
    });
    wc.on('did-navigate', (_e, url) => {
      if (mayNavigate(url, origin)) o.runner?.send({ type: 'navigated', url });
    });
    wc.on('did-navigate-in-page', (_e, url, isMainFrame) => {
      if (isMainFrame && mayNavigate(url, origin)) o.runner?.send({ type: 'navigated', url });
    });

    place(o, w);
    showContent(o);
  };

  const closeWindow = (key: string) => {
    const o = open.get(key);
    if (!o) return;
    o.runner?.dispose();
    open.delete(key);
    o.win.destroy();
  };

  const apply = (changes: PlanChange[]) => {
    for (const c of changes) {
      log('window-change', { kind: c.kind, window: 'key' in c ? c.key : c.window.key });
      if (c.kind === 'open') openWindow(c.window);
      else if (c.kind === 'close') closeWindow(c.key);
      else if (c.kind === 'hide') {
        const o = open.get(c.key);
        if (o) place(o, { ...o.plan, placement: null });
      } else {
        const o = open.get(c.window.key);
        if (o) place(o, c.window);
      }
    }
  };

  const replan = (nextEntries = entries) => {
    entries = nextEntries;
    const next = planWindows(entries, currentDisplays());
    reportProblems(next);
    const changes = diffPlans(plan, next);
    plan = next;
    apply(changes);
  };

  // --- the technician's PIN prompt --------------------------------------------------------------
  function openPrompt(parent: BrowserWindow, message: string | null) {
    if (prompt && !prompt.isDestroyed()) {
      prompt.loadURL(dataUrl(unlockPage(message))).catch(() => {});
      prompt.focus();
      return;
    }
    const win = new BrowserWindow({
      parent,
      modal: true,
      width: 520,
      height: 460,
      resizable: false,
      minimizable: false,
      alwaysOnTop: true,
      title: '技术员解锁',
      webPreferences: { contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true },
    });
    prompt = win;
    win.on('closed', () => {
      prompt = null;
    });
    // The form's GET is read here and never sent: the PIN goes to the hub through the verifier only.
    // Electron emits will-navigate before will-frame-navigate, and every listener of it runs, so the
    // form is read although the shell's own-origin policy cancels the navigation as well.
    win.webContents.on('will-navigate', (event) => {
      const form = readUnlockForm(event.url);
      if (!form) return;
      event.preventDefault();
      void submit(form).then((r) => {
        if (r.ok) win.close();
        else if (!win.isDestroyed()) win.loadURL(dataUrl(unlockPage(r.message))).catch(() => {});
      });
    });
    win.loadURL(dataUrl(unlockPage(message))).catch(() => {});
  }

  const lockAgain = () => {
    lockTimer = null;
    unlock.lock();
    for (const o of open.values()) o.win.webContents.closeDevTools();
    log('technician-locked', {});
  };

  async function submit(credentials: { staffNo: string; pin: string }): Promise<UnlockResult> {
    const r = await unlock.unlock(credentials);
    // Only the outcome is logged, never the PIN.
    log('technician-unlock', {
      ok: r.ok,
      staffNo: credentials.staffNo,
      ...(r.ok ? { until: r.until } : { code: r.code }),
    });
    if (r.ok) {
      if (lockTimer !== null) timers.clearTimeout(lockTimer);
      lockTimer = timers.setTimeout(lockAgain, Math.max(0, r.until - now()));
    }
    return r;
  }

  // --- displays, single instance, nightly restart ----------------------------------------------
  screen.on('display-added', () => replan());
  screen.on('display-removed', () => replan());
  screen.on('display-metrics-changed', () => replan());

  app.on('second-instance', () => {
    const first = [...open.values()].find((o) => o.plan.placement !== null);
    if (first) first.win.focus();
  });
  // Windows come and go with displays and configuration; the shell itself only ends on purpose
  // (restart, quit) or when an unlocked technician closes the last window.
  app.on('window-all-closed', () => {
    if (unlock.isUnlocked() || closing) app.quit();
  });

  const quit = () => {
    closing = true;
    offDevices?.();
    hub.stop();
    for (const o of open.values()) o.runner?.dispose();
    app.quit();
  };

  if (options.nightlyAt) {
    const at = nextRestartAt(now(), options.nightlyAt, options.timeZone);
    log('nightly-restart-planned', { at });
    const restart =
      options.restartApp ??
      (() => {
        app.relaunch();
        app.exit(0);
      });
    // Checked in steps of at most ten minutes: a PC that slept past the time restarts on waking.
    const check = () => {
      if (restartDue(now(), at)) {
        log('nightly-restart', {});
        closing = true;
        hub.stop();
        restart();
      } else timers.setTimeout(check, Math.min(at - now(), 10 * 60_000));
    };
    timers.setTimeout(check, Math.min(at - now(), 10 * 60_000));
  }

  for (const w of plan.windows) openWindow(w);

  return {
    setSettings(next) {
      Object.assign(settings, next);
    },
    applyWindows: (next) => replan(next),
    setPairing(state) {
      pairing = state;
      log('pairing', { status: state.status });
      for (const o of open.values()) showContent(o);
    },
    unlock: submit,
    get plan() {
      return plan;
    },
    windowFor: (key) => open.get(key)?.win,
    quit,
  };
}
