/**
 * The whole hall in one process, as `govhall start` runs it: the hub with the role UIs, the admin
 * console's routes and the devices of this process (every configured device on its simulator, or
 * none for `govhall hub`). One composition, shared by the CLI and the end-to-end test, so the test
 * walks exactly the hall a newcomer starts.
 */
import { join } from 'node:path';
import { isDemoHallFile } from '../../kiosk-config/demo-hall.js';
import type { HallConfig } from '../../kiosk-config/hall-config.js';
import type { Logger } from '../log/logger.js';
import { adminPlugins } from '../server/admin-plugins.js';
import { uiPlugin } from '../server/ui-plugin.js';
import type { PlatformOverride } from '../sync/platform-settings.js';
import type { Clock } from '../time/clock.js';
import { type DemoPage, type DemoTerminals, startDemoTerminals } from './demo-terminals.js';
import { type HubApp, startHubApp } from './hub-app.js';
import { type LocalDevices, startLocalDevices } from './local-devices.js';

export interface EmbeddedHallOptions {
  config: HallConfig;
  /** The config file (the built-in demo hall's file is never written back). */
  configPath: string;
  dataDir: string;
  host?: string;
  port?: number;
  version?: string;
  logger?: Logger;
  platform?: PlatformOverride;
  clock?: Clock;
  /** `simulated`: every configured device on its in-process simulator (`govhall start`); `none`: `govhall hub`. */
  devices: 'simulated' | 'none';
}

export interface EmbeddedHall {
  app: HubApp;
  devices: LocalDevices;
  /** The role pages of the hall's terminals, each on its terminal's local origin (`govhall start` only). */
  pages: DemoPage[];
  /** Stops the hub, then the devices. */
  close(): Promise<void>;
}

export async function startEmbeddedHall(opts: EmbeddedHallOptions): Promise<EmbeddedHall> {
  const devices = await startLocalDevices({
    config: opts.config,
    ...(opts.logger ? { logger: opts.logger } : {}),
    mode: opts.devices,
  });
  let app: HubApp;
  let terminals: DemoTerminals | null = null;
  try {
    app = await startHubApp({
      config: opts.config,
      configPath: opts.configPath,
      dataDir: opts.dataDir,
      ...(opts.host !== undefined ? { host: opts.host } : {}),
      ...(opts.port !== undefined ? { port: opts.port } : {}),
      ...(opts.version !== undefined ? { version: opts.version } : {}),
      ...(opts.logger ? { logger: opts.logger } : {}),
      ...(opts.platform ? { platform: opts.platform } : {}),
      ...(opts.clock ? { clock: opts.clock } : {}),
      plugins: [
        uiPlugin({ links: () => pageLinks(terminals?.pages ?? []) }),
        ...devices.plugins,
        // The built-in demo hall's file belongs to the installation: admin changes live until restart.
        ...adminPlugins({
          dataDir: opts.dataDir,
          configPath: opts.configPath,
          persist: !isDemoHallFile(opts.configPath),
          // Recorded announcement clips, when the hall has put some there (else the displays use speech synthesis).
          clipsDir: join(opts.dataDir, 'clips'),
        }),
      ],
    });
  } catch (e) {
    await devices.stop();
    throw e;
  }
  const hub = app;
  if (opts.devices === 'simulated') {
    try {
      // The hall's own terminals, paired to the hub by itself, each on the next ports after the hub's.
      terminals = await startDemoTerminals({
        app: hub,
        dataDir: opts.dataDir,
        service: devices.service,
        firstPort: hub.port && opts.port ? hub.port + 1 : 0,
        ...(opts.clock ? { now: () => opts.clock!.now() } : {}),
      });
    } catch (e) {
      await hub.close();
      await devices.stop();
      throw e;
    }
  }
  const demo = terminals;
  return {
    app: hub,
    devices,
    pages: demo?.pages ?? [],
    close: async () => {
      await demo?.close();
      await hub.close();
      await devices.stop();
    },
  };
}

const PAGE_LABEL: Record<string, string> = {
  kiosk: '取号机 kiosk',
  counter: '窗口 counter',
  evaluator: '评价器 evaluator',
  display: '显示屏 display',
  admin: '管理后台 admin',
};

/** The start page's one-click list: each terminal's pages, labelled by role and window. */
export function pageLinks(pages: DemoPage[]): { label: string; url: string }[] {
  return pages.map((p) => ({
    label: `${p.terminalId} · ${PAGE_LABEL[p.role] ?? p.role}${p.window !== null ? ` ${p.window}` : ''}`,
    url: p.url,
  }));
}
