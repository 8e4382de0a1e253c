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
import { ControlLink } from './control-link.js';
import { type TerminalHubApi, terminalHubApi } from './hub-api.js';
import { createHubProxy } from './hub-proxy.js';
import { localBridge } from './local-bridge.js';
import { type LocalOrigin, startLocalOrigin } from './local-origin.js';
import { destination, PAIRING_PATH, windowPath } from './local-pages.js';
import { NightlyRestart } from './nightly-restart.js';
import { TerminalAgent } from './terminal-agent.js';
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
  log?: (level: 'info' | 'warn' | 'error', msg: string, fields?: Record<string, unknown>) => void;
}

export interface TerminalApp {
  agent: TerminalAgent;
  origin: LocalOrigin;
  devices: TerminalDevices;
  browser: BrowserSupervisor | null;
  /** Whether a citizen is mid-flow at this terminal, as its pages report it (the updater waits for idle). */
  activity: ActivityBoard;
  /** The local paths the windows show now. */
  windows(): string[];
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
    store: files,
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
  const bridge = localBridge({ devices, hubUrl: terminal.hub, config });
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

  // The entry's nightly restart: a fresh browser at that time of the hall's clock (browser mode).
  const nightly = new NightlyRestart(() => browser?.restartNow());

  // What the hub is told this PC can see: once per token, when the hub is first reached.
  let inventoryFor: string | null = null;
  const reportInventory = (token: string) => {
    if (inventoryFor === token) return;
    inventoryFor = token;
    void localInventory()
      .then((inv) => api.inventory(token, inv))
      .catch((e: Error) => {
        inventoryFor = null;
        log?.('warn', '无法向中枢报告本机设备', { error: e.message });
      });
  };

  agent.onState((s) => {
    if (s.kind === 'running') {
      void devices.apply(s.config.entry, agent.token);
      if (browser) nightly.arm(s.config.entry.restart?.nightlyAt ?? null, s.config.hall.timeZone);
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
    devices,
    browser,
    activity,
    windows: () => windowsFor(agent.state),
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
