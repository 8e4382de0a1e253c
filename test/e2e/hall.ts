/**
 * The hall of the end-to-end test, started exactly as `govhall start` starts it: the same
 * composition (`startEmbeddedHall`: hub + role UIs + devices on their simulators + admin routes)
 * with the built-in demo hall, a temp data dir and port 0, and the role addresses `govhall start`
 * prints (`roleUrls`: each page on its terminal's local origin, no tokens). The simulators on the far end of the devices' links are
 * handed out typed: the kiosk's ID card reader and printer, window 1's LED strip.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { CardReaderSimulator } from '../../drivers/idcard/card-reader-simulator.js';
import type { LedStripSimulator } from '../../drivers/ledstrip/led-simulator.js';
import type { PrinterSimulator } from '../../drivers/printer/printer-simulator.js';
import { DEMO_HALL_PATH } from '../../kiosk-config/demo-hall.js';
import type { HallConfig } from '../../kiosk-config/hall-config.js';
import { loadHallConfigFile } from '../../kiosk-config/load.js';
import { roleUrls } from '../../main/cli/ui-urls.js';
import { type EmbeddedHall, startEmbeddedHall } from '../../main/hall/embedded-hall.js';
import { createLogger } from '../../main/log/logger.js';
import { tempDir } from '../support/hub-client.js';
import { ensureRendererBuilt } from '../ui/support.js';

export interface E2eHall {
  hall: EmbeddedHall;
  config: HallConfig;
  url: string;
  dataDir: string;
  /** The addresses `govhall start` prints: `kiosk`, `display`, `admin`, `counter:N`, `evaluator:N` (no tokens in them). */
  urls: Map<string, string>;
  /** An admin device token, for API checks beside the screens. */
  adminToken: string;
  /** The simulator on the far end of a simulated device's link (null when that device is not running). */
  simulator<T>(deviceId: string): T | null;
  reader(): CardReaderSimulator;
  printer(): PrinterSimulator;
  led(deviceId: string): LedStripSimulator | null;
  /** Stops the hub and the devices and removes the temp data dir. */
  close(): Promise<void>;
}

export async function startE2eHall(): Promise<E2eHall> {
  await ensureRendererBuilt();
  const loaded = loadHallConfigFile(DEMO_HALL_PATH);
  if (!loaded.ok) throw new Error('演示大厅配置无法读取 / demo hall broken');
  const config = loaded.config;
  const dataDir = tempDir('govhall-e2e-');
  const hall = await startEmbeddedHall({
    config,
    configPath: DEMO_HALL_PATH,
    dataDir,
    host: '127.0.0.1',
    port: 0,
    version: 'e2e',
    // Same file logger as `govhall start`, kept inside the temp data dir (nothing on the test's stderr).
    logger: createLogger({ dir: join(dataDir, 'logs'), stream: new Writable({ write: (_c, _e, done) => done() }) }),
    devices: 'simulated',
  });
  const urls = new Map<string, string>();
  for (const u of roleUrls(hall.pages)) {
    const w = new URL(u.url).searchParams.get('window');
    urls.set(w ? `${u.role}:${w}` : u.role, u.url);
  }
  const service = hall.devices.service;
  const simulator = <T>(id: string): T | null => (service?.simulated(id)?.sim as T | undefined) ?? null;
  const need = <T>(id: string): T => {
    const s = simulator<T>(id);
    if (!s) throw new Error(`设备 ${id} 没有在模拟器上运行 / device ${id} is not simulated in this hall`);
    return s;
  };
  return {
    hall,
    config,
    url: hall.app.url,
    dataDir,
    urls,
    adminToken: await hall.app.createToken('admin', undefined, 'e2e checks'),
    simulator,
    reader: () => need<CardReaderSimulator>('kiosk-1-idcard'),
    printer: () => need<PrinterSimulator>('kiosk-1-printer'),
    led: (id) => simulator<LedStripSimulator>(id),
    close: async () => {
      await hall.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
