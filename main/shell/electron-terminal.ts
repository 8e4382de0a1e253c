/**
 * The Electron app's main process (`dist/shell/main.cjs`, bundled by scripts/build-shell.mjs from
 * `electron-entry.ts`): the same terminal core as `govhall terminal` in browser mode — pairing,
 * the local origin with its forwarding, the devices and their bridge, the hub's configuration
 * followed live — with the windows opened by `startShell` (window plan, lockdown, recovery,
 * technician unlock). What differs from browser mode is only where things live: the token in the
 * OS key store (`safeStorage`), the displays from Electron's `screen`, the single-instance lock
 * taken before any device is opened, and a nightly restart that relaunches the app.
 *
 * Arguments as `govhall terminal`: `--config FILE`, `--data DIR` (default: the app's user data
 * folder), `--port N`.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { app, BrowserWindow, screen } from 'electron';
import { formatProblem } from '../../kiosk-config/load.js';
import { loadTerminalFile } from '../../kiosk-config/terminal-file.js';
import { createLogger } from '../log/logger.js';
import { verifyAdminPin } from '../terminal/hub-api.js';
import { windowPath } from '../terminal/local-pages.js';
import type { TerminalAgent } from '../terminal/terminal-agent.js';
import { startTerminal, type TerminalApp } from '../terminal/terminal-app.js';
import { TerminalFiles } from '../terminal/terminal-files.js';
import { currentDisplays, type RunningShell, type ShellOptions, startShell } from './electron-main.js';
import { createSafeStorageTokenStore } from './electron-token-store.js';
import type { TerminalUpdatesOptions } from './electron-updates.js';
import type { HubWatch } from './hub-watch.js';
import { dataUrl, terminalFileProblemPage } from './local-pages.js';
import { secureTerminalStore } from './secure-terminal-store.js';
import { FIRST_WINDOWS, hubUsable, shellPairing, shellSettings, shellWindows } from './terminal-view.js';

/** The key-store-encrypted token, beside the browser-mode files of the data folder. */
export const SECURE_TOKEN_FILE = 'terminal.token.enc';

export interface ElectronTerminalOptions {
  /** The process arguments after the executable (unknown ones, Electron's own, are ignored). */
  argv: readonly string[];
  /** Default: `preload.cjs` beside this bundle. */
  preloadPath?: string;
  /** The role pages' build (default: the packaged `dist/renderer`). */
  uiRoot?: string;
  /** Injected for tests: the shell (its Electron side is tested on its own). */
  startShell?: (o: ShellOptions) => Promise<RunningShell | null>;
  /**
   * Starts looking for updates on the paired hub (electron-updates.ts `startTerminalUpdates`). Passed
   * in by the entry so this module never loads electron-updater itself (tests run it on a fake
   * Electron); absent = no updates.
   */
  updates?: (o: TerminalUpdatesOptions) => { stop(): void };
}

export interface ElectronTerminal {
  terminal: TerminalApp;
  shell: RunningShell;
  close(): Promise<void>;
}

export function electronTerminalArgs(argv: readonly string[]): { config?: string; data?: string; port?: number } {
  const { values } = parseArgs({
    args: [...argv],
    options: { config: { type: 'string' }, data: { type: 'string' }, port: { type: 'string' } },
    strict: false,
    allowPositionals: true,
  });
  const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
  const port = Number(str(values.port));
  return {
    ...(str(values.config) ? { config: str(values.config)! } : {}),
    ...(str(values.data) ? { data: str(values.data)! } : {}),
    ...(Number.isInteger(port) && port >= 0 && port <= 65535 ? { port } : {}),
  };
}

/** The agent's view of the hub as the shell's recovery follows it. */
function agentHubWatch(agent: TerminalAgent): Pick<HubWatch, 'up' | 'onChange' | 'stop'> {
  let up = hubUsable(agent.state);
  const listeners = new Set<(up: boolean) => void>();
  const off = agent.onState((s) => {
    if (hubUsable(s) === up) return;
    up = !up;
    for (const l of [...listeners]) l(up);
  });
  return {
    get up() {
      return up;
    },
    onChange: (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    stop: off,
  };
}

/** The displays as the admin's editor lists them. */
export function displayInventory() {
  return currentDisplays().map((d) => ({
    id: d.id,
    ...(d.label ? { label: d.label.slice(0, 120) } : {}),
    primary: d.primary,
    width: d.bounds.width,
    height: d.bounds.height,
  }));
}

const relaunch = () => {
  app.relaunch();
  app.exit(0);
};

/** Runs the terminal; null when another instance runs on this PC or the terminal file is wrong. */
export async function runElectronTerminal(o: ElectronTerminalOptions): Promise<ElectronTerminal | null> {
  // Before anything is opened: two terminals on one PC would fight over its screens and serial ports.
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return null;
  }
  const args = electronTerminalArgs(o.argv);
  const dataDir = args.data ?? join(app.getPath('userData'), 'terminal');
  const logger = createLogger({ dir: join(dataDir, 'logs') });
  const log = (level: 'info' | 'warn' | 'error', msg: string, fields?: Record<string, unknown>) =>
    logger[level](msg, fields);
  // safeStorage and windows need a ready app.
  await app.whenReady();

  const loaded = loadTerminalFile(args.config ?? join(dataDir, 'terminal.yaml'));
  if (!loaded.ok) {
    const problems = loaded.problems.map(formatProblem);
    log('error', '终端配置文件有误，未启动', { problems });
    const win = new BrowserWindow({
      fullscreen: true,
      webPreferences: { contextIsolation: true, sandbox: true, nodeIntegration: false },
    });
    win.loadURL(dataUrl(terminalFileProblemPage(problems))).catch(() => {});
    return null;
  }
  const { terminal: file } = loaded;
  const files = new TerminalFiles(dataDir);
  const store = await secureTerminalStore(
    file.id,
    createSafeStorageTokenStore(join(dataDir, SECURE_TOKEN_FILE)),
    files,
    log,
  );
  const terminal = await startTerminal({
    terminal: file,
    dataDir,
    store,
    ...(args.port !== undefined ? { port: args.port } : {}),
    ...(o.uiRoot ? { uiRoot: o.uiRoot } : {}),
    restart: relaunch,
    moreInventory: async () => ({ displays: displayInventory() }),
    log,
  });

  const state = terminal.agent.state;
  const hub = agentHubWatch(terminal.agent);
  const shell = await (o.startShell ?? startShell)({
    origin: terminal.origin.url,
    windows: shellWindows(state) ?? [...FIRST_WINDOWS],
    preloadPath: o.preloadPath ?? fileURLToPath(new URL('./preload.cjs', import.meta.url)),
    ...shellSettings(state.kind === 'running' ? state.config : null),
    verifyAdmin: (c) => verifyAdminPin(file.hub, c),
    pairing: shellPairing(state),
    hub,
    urlFor: (w) =>
      `${terminal.origin.url}${windowPath({ terminalId: file.id }, { role: w.role, ...(w.windowNo !== null ? { window: w.windowNo } : {}) })}`,
    devices: terminal.bridge,
    singleInstanceHeld: true,
    log: (event, detail) => logger.info(`外壳 / shell: ${event}`, detail),
  });
  if (!shell) {
    await terminal.close();
    return null;
  }

  const offState = terminal.agent.onState((s) => {
    if (s.kind === 'running') shell.setSettings(shellSettings(s.config));
    shell.setPairing(shellPairing(s));
    const windows = shellWindows(s);
    if (windows) shell.applyWindows(windows);
  });

  // The admin's editor lists the displays as they are now.
  const displaysChanged = () => terminal.refreshInventory();
  screen.on('display-added', displaysChanged);
  screen.on('display-removed', displaysChanged);

  // Checks wait for a token (none while unpaired) and install only while no citizen is mid-flow.
  const updates =
    o.updates?.({ hubUrl: file.hub, token: async () => terminal.agent.token, activity: terminal.activity }) ?? null;

  let closed: Promise<void> | null = null;
  const close = () => {
    closed ??= (async () => {
      updates?.stop();
      offState();
      screen.removeListener('display-added', displaysChanged);
      screen.removeListener('display-removed', displaysChanged);
      hub.stop();
      await terminal.close();
    })();
    return closed;
  };
  app.on('before-quit', () => void close());
  log('info', '终端已启动（Electron）', { terminalId: file.id, hub: file.hub, local: terminal.origin.url });
  return { terminal, shell, close };
}
