/**
 * The embedded hall's terminals (`govhall start`, docs/terminal.md「演示」): every terminal of the
 * hall config runs inside the hub's process, paired to the hub by the hub itself, each on its own
 * local origin on 127.0.0.1 — the same local origin a real terminal serves (main/terminal): its
 * role pages without any token, the calls forwarded with its token, the device bridge from the
 * hub's own simulated devices. A terminal's token is kept in the data folder (0600) and used again
 * on the next start, so restarting the demo does not mint new tokens; being on 127.0.0.1 only, the
 * pages (the admin console among them) open with one click on this PC and from nowhere else.
 */
import { join } from 'node:path';
import { terminalWindows } from '../../kiosk-config/devices-schema.js';
import type { HallConfig } from '../../kiosk-config/hall-config.js';
import type { DeviceService } from '../devices/device-service.js';
import { terminalView } from '../server/terminal-plugin.js';
import { hubCardReads } from '../terminal/card-read-registry.js';
import { terminalHubApi } from '../terminal/hub-api.js';
import { createHubProxy } from '../terminal/hub-proxy.js';
import { localBridge, type TerminalDeviceSource } from '../terminal/local-bridge.js';
import { type LocalOrigin, startLocalOrigin } from '../terminal/local-origin.js';
import { windowPath } from '../terminal/local-pages.js';
import { TerminalFiles } from '../terminal/terminal-files.js';
import type { TerminalConfigView, TerminalState } from '../terminal/terminal-types.js';
import type { HubApp } from './hub-app.js';

export interface DemoPage {
  terminalId: string;
  role: string;
  window: number | null;
  url: string;
}

export interface DemoTerminals {
  pages: DemoPage[];
  close(): Promise<void>;
}

export interface DemoTerminalsOptions {
  app: Pick<HubApp, 'url' | 'port' | 'engine' | 'terminals'>;
  dataDir: string;
  /** The hub's device service (simulated devices of every terminal), or null. */
  service: DeviceService | null;
  /** First local port (the terminals take the next ones in config order); 0: any free port. */
  firstPort: number;
  now?: () => number;
}

/** One terminal's devices out of the hub's device service. */
function devicesOf(service: DeviceService | null, terminalId: string): TerminalDeviceSource {
  return {
    statuses: () => service?.statuses(terminalId) ?? [],
    service,
    on: (type, cb) =>
      service
        ? service.on(type, (e) => {
            if (e.terminal === terminalId) cb(e as never);
          })
        : () => {},
  };
}

async function listen(start: (port: number) => Promise<LocalOrigin>, port: number): Promise<LocalOrigin> {
  try {
    return await start(port);
  } catch (e) {
    // A port in use (another program, an earlier demo) is no reason not to start: any free one.
    if (port !== 0 && (e as NodeJS.ErrnoException).code === 'EADDRINUSE') return start(0);
    throw e;
  }
}

export async function startDemoTerminals(o: DemoTerminalsOptions): Promise<DemoTerminals> {
  const now = o.now ?? Date.now;
  const hubUrl = o.app.url.replace('://0.0.0.0:', '://127.0.0.1:').replace('://[::]:', '://127.0.0.1:');
  const config = (): HallConfig => o.app.engine.config;
  const origins: LocalOrigin[] = [];
  const closers: (() => void)[] = [];
  const pages: DemoPage[] = [];
  const entries = (config().devices?.terminals ?? []).filter((t) => terminalWindows(t).length > 0);
  try {
    for (const [i, entry] of entries.entries()) {
      const id = entry.id;
      const files = new TerminalFiles(join(o.dataDir, 'demo-terminals', id));
      let token = files.token(id);
      if (!token || !o.app.terminals.isCurrent(id, token)) {
        token = o.app.terminals.pair(id, entry.name ?? null, now());
        files.saveToken(id, token);
      }
      const current = token;
      const view = (): TerminalConfigView | null => {
        const e = config().devices?.terminals.find((t) => t.id === id);
        return e ? (terminalView(config(), e) as unknown as TerminalConfigView) : null;
      };
      const state = (): TerminalState => {
        const v = view();
        return v
          ? { kind: 'running', config: v, hubReachable: true }
          : { kind: 'waiting', problem: `大厅配置中已没有终端「${id}」` };
      };
      const bridge = localBridge({
        devices: devicesOf(o.service, id),
        hubUrl,
        config: view,
        cardReads: hubCardReads(terminalHubApi(hubUrl), () => current),
      });
      closers.push(() => bridge.close());
      const origin = await listen(
        (port) =>
          startLocalOrigin({
            terminalId: id,
            hubUrl,
            name: entry.name ?? null,
            port,
            state,
            proxy: createHubProxy({ hubUrl, token: () => current, unauthorized: () => {} }),
            bridge,
          }),
        o.firstPort ? o.firstPort + i : 0,
      );
      origins.push(origin);
      for (const w of terminalWindows(entry))
        pages.push({
          terminalId: id,
          role: w.role,
          window: w.window ?? null,
          url: `${origin.url}${windowPath({ terminalId: id }, w)}`,
        });
    }
  } catch (e) {
    for (const c of closers) c();
    await Promise.all(origins.map((x) => x.close()));
    throw e;
  }
  return {
    pages,
    close: async () => {
      for (const c of closers) c();
      await Promise.all(origins.map((x) => x.close()));
    },
  };
}
