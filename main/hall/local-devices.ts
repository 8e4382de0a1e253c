/**
 * Devices run by this process, composed for the hub: the device service, the hub plugins that
 * route its events (devices, pad endpoint) and one shared table of open rating requests.
 * `govhall start` runs every configured device on its simulator; `govhall hub` runs none itself
 * (terminals report over HTTP) but still serves the pad endpoint and the device list.
 */
import type { HallConfig } from '../../kiosk-config/hall-config.js';
import type { LinkOpener } from '../devices/device-link.js';
import { DeviceService, type DriverOverrides } from '../devices/device-service.js';
import type { Logger } from '../log/logger.js';
import { devicesPlugin } from '../server/devices-plugin.js';
import { EvaluationRequests } from '../server/evaluation-requests.js';
import type { HubPlugin } from '../server/hub-plugin.js';
import { PadPresence, padPlugin } from '../server/pad-plugin.js';

export interface LocalDevicesOptions {
  config: HallConfig;
  logger?: Logger;
  /** Run devices in this process: `simulated` (govhall start) or `real` (through `openLink`). */
  mode: 'simulated' | 'real' | 'none';
  openLink?: LinkOpener;
  /** Stand-ins for some families' drivers (tests); every other device runs its family's own. */
  drivers?: DriverOverrides;
}

export interface LocalDevices {
  service: DeviceService | null;
  plugins: HubPlugin[];
  stop(): Promise<void>;
}

export async function startLocalDevices(opts: LocalDevicesOptions): Promise<LocalDevices> {
  const requests = new EvaluationRequests();
  const pads = new PadPresence();
  let service: DeviceService | null = null;
  if (opts.mode !== 'none' && opts.config.devices?.terminals.length) {
    service = new DeviceService({
      devices: opts.config.devices,
      simulateAll: opts.mode === 'simulated',
      ...(opts.openLink ? { openLink: opts.openLink } : {}),
      ...(opts.drivers ? { drivers: opts.drivers } : {}),
      log: (level, msg, fields) => opts.logger?.[level](msg, fields),
    });
    await service.start();
  }
  const svc = service;
  return {
    service: svc,
    plugins: [devicesPlugin({ service: svc, requests, pads }), padPlugin({ requests, presence: pads })],
    stop: async () => {
      requests.detach();
      await svc?.stop();
    },
  };
}
