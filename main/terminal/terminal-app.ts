/**
 * One terminal, composed (`govhall terminal`, docs/terminal.md): its state (pairing, running,
 * offline), its local origin (pages, device bridge, forwarding to the hub), the devices of its hall
 * config entry, and — in browser mode — the system Chromium showing its windows.
 */

import { ActivityBoard } from '../../common/activity.js';
import type { TerminalFile } from '../../kiosk-config/terminal-file.js';
import type { LinkOpener } from '../devices/device-link.js';
import { createLinkOpener } from '../devices/open-link.js';
import { BrowserSupervisor } from './browser/browser-supervisor.js';
import { hubCardReads } from './card-read-registry.js';
import { ControlLink } from './control-link.js';
import { type Inventory, type TerminalHubApi, terminalHubApi } from './hub-api.js';
import { createHubProxy } from './hub-proxy.js';
import { localBridge, type PageInventory } from './local-bridge.js';
import { type LocalOrigin, startLocalOrigin } from './local-origin.js';
import { destination, PAIRING_PATH, windowPath } from './local-pages.js';
import { NightlyRestart } from './nightly-restart.js';
import { TerminalAgent, type TerminalStore } from './terminal-agent.js';
import { localInventory, TerminalDevices } from './terminal-devices.js';
import { TerminalFiles } from './terminal-files.js';
import type { TerminalState } from './terminal-types.js';

export interface TerminalAppOptions {
  terminal: TerminalFile;
  dataDir: string;
  /** Local origin port (default: any free port). */
  port?: number;
  /** The role pages' build (default `dist/renderer`). */
  uiRoot?: string;
  /** Browser mode: the system Chromium to run. */
  browser?: string;
  /** More browser flags (tests: `--headless --no-sandbox --disable-gpu`). */
  browserArgs?: readonly string[];
  openLink?: LinkOpener;
  api?: TerminalHubApi;
  /** Where the token and the last configuration are kept (default: 0600 files in `dataDir`; Electron: its key store). */
  store?: TerminalStore;
  /** The nightly restart without a browser to restart (Electron: relaunch the app). */
  restart?: () => void;
  /** What else this PC can see, added to the inventory (Electron: its displays). */
  moreInventory?: () => Promise<Partial<Pick<Inventory, 'displays' | 'cameras'>>>;
  log?: (level: 'info' | 'warn' | 'error', msg: string, fields?: Record<string, unknown>) => void;
}

export interface TerminalApp {
  agent: TerminalAgent;
  origin: LocalOrigin;
  /** The device bridge of its pages (the Electron shell hands it to its windows over IPC). */
  bridge: Pick<ReturnType<typeof localBridge>, 'subscribe' | 'ask'>;
  devices: TerminalDevices;
  browser: BrowserSupervisor | null;
  /** Whether a citizen is mid-flow at this terminal, as its pages report it (the updater waits for idle). */
  activity: ActivityBoard;
  /** The local paths the windows show now. */
  windows(): string[];
  /** What this PC sees may have changed (a display plugged in): report it again if it did. */
  refreshInventory(): void;
  close(): Promise<void>;
}

/** Where each window belongs in a state: one per role page, or the pairing / waiting page. */
export function windowsFor(state: TerminalState): string[] {
  if (state.kind !== 'running') return [destination(state, null)];
  const pages = state.config.windows.map((w) => destination(state, windowPath(state.config, w)));
  return pages.length ? pages : [destination(state, null)];
}

export async function startTerminal(o: TerminalAppOptions): Promise<TerminalApp> {
  const { terminal } = o;
  const log = o.log;
  const files = new TerminalFiles(o.dataDir);
  const api = o.api ?? terminalHubApi(terminal.hub);
  const agent = new TerminalAgent({
    terminal,
    store: o.store ?? files,
    api,
    control: (token, on) => new ControlLink({ hubUrl: terminal.hub, token }, on),
    ...(log ? { log } : {}),
  });
  const devices = new TerminalDevices({
    hubUrl: terminal.hub,
    openLink: o.openLink ?? createLinkOpener(),
    ...(log ? { log } : {}),
  });
  const config = () => (agent.state.kind === 'running' ? agent.state.config : null);
  const bridge = localBridge({
    devices,
    hubUrl: terminal.hub,
    config,
    pageInventory: (inv) => {
      seenByPages = inv;
      if (agent.token && agent.state.kind === 'running' && agent.state.hubReachable) reportInventory(agent.token);
    },
    cardReads: hubCardReads(api, () => agent.token, log),
  });
  const proxy = createHubProxy({
    hubUrl: terminal.hub,
    token: () => agent.token,
    unauthorized: () => agent.unauthorized(),
  });
  const activity = new ActivityBoard({ now: () => Date.now() });
  const origin = await startLocalOrigin({
    terminalId: terminal.id,
    hubUrl: terminal.hub,
    ...(o.port !== undefined ? { port: o.port } : {}),
    ...(o.uiRoot ? { uiRoot: o.uiRoot } : {}),
    state: () => agent.state,
    proxy,
    bridge,
    activity,
  });

  const browser = o.browser
    ? new BrowserSupervisor({
        executable: o.browser,
        origin: origin.url,
        profileDir: files.browserProfile(),
        windows: () => windowsFor(agent.state),
        ...(o.browserArgs ? { extraArgs: o.browserArgs } : {}),
        ...(log ? { log } : {}),
      })
    : null;

  // The entry's nightly restart: a fresh browser (or app) at that time of the hall's clock.
  const restart = browser ? () => browser.restartNow() : o.restart;
  const nightly = new NightlyRestart(() => restart?.());

  // What the hub is told this PC can see: its ports and HID devices, the cameras (and, in browser
  // mode, displays) its pages report, Electron's displays. Sent when the hub is first reached with a
  // token and again whenever it changed.
  let seenByPages: PageInventory | null = null;
  let lastSent: string | null = null;
  const reportInventory = (token: string) => {
    const more: Promise<Partial<Pick<Inventory, 'displays' | 'cameras'>>> = o.moreInventory?.() ?? Promise.resolve({});
    void Promise.all([localInventory(), more])
      .then(([inv, more]) => {
        const full: Inventory = {
          ...inv,
          cameras: more.cameras ?? seenByPages?.cameras ?? [],
          displays: more.displays?.length ? more.displays : (seenByPages?.displays ?? []),
        };
        const key = `${token}\n${JSON.stringify(full)}`;
        if (key === lastSent) return;
        lastSent = key;
        return api.inventory(token, full).catch((e: Error) => {
          lastSent = null;
          throw e;
        });
      })
      .catch((e: Error) => log?.('warn', '无法向中枢报告本机设备', { error: e.message }));
  };

  agent.onState((s) => {
    if (s.kind === 'running') {
      void devices.apply(s.config.entry, agent.token);
      if (restart) nightly.arm(s.config.entry.restart?.nightlyAt ?? null, s.config.hall.timeZone);
      if (s.hubReachable && agent.token) reportInventory(agent.token);
    } else if (s.kind === 'pairing') {
      // Revoked or never paired: nothing of the devices stays open to a page.
      bridge.closeAll();
      void devices.apply(null, null);
    }
    browser?.follow();
  });
  agent.start();
  browser?.start();
  log?.('info', '终端已启动', {
    terminalId: terminal.id,
    hub: terminal.hub,
    local: origin.url,
    pairing: `${origin.url}${PAIRING_PATH}`,
  });

  return {
    agent,
    origin,
    bridge,
    devices,
    browser,
    activity,
    windows: () => windowsFor(agent.state),
    refreshInventory: () => {
      const s = agent.state;
      if (agent.token && s.kind === 'running' && s.hubReachable) reportInventory(agent.token);
    },
    close: async () => {
      nightly.stop();
      agent.stop();
      await browser?.stop();
      bridge.close();
      await origin.close();
      await devices.stop();
    },
  };
}
