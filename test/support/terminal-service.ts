/**
 * A device service running one terminal's devices, as a terminal PC runs it, for the device suites:
 * started, recording everything it reports, and stopped after the test.
 */
import type { Cleanups } from '../../drivers/testing/cleanups.js';
import type { TerminalConfig } from '../../kiosk-config/devices-schema.js';
import { DeviceService, type DeviceServiceOptions } from '../../main/devices/device-service.js';
import type { DeviceState, DeviceStatus, KeyActionEvent, RatingKeyEvent } from '../../main/devices/types.js';

export async function startTerminalService(
  cleanups: Cleanups,
  terminal: TerminalConfig,
  opts: Omit<DeviceServiceOptions, 'devices'> = {},
) {
  const service = new DeviceService({ devices: { terminals: [terminal] }, ...opts });
  const statuses: DeviceStatus[] = [];
  const keys: KeyActionEvent[] = [];
  const ratings: RatingKeyEvent[] = [];
  service.on('status', (s) => statuses.push(s));
  service.on('key', (k) => keys.push(k));
  service.on('rating', (r) => ratings.push(r));
  await service.start();
  cleanups.push(() => service.stop());
  /** The current state of a device (the first one when no id is given). */
  const state = (deviceId?: string): DeviceState | undefined =>
    (deviceId ? service.statuses().find((s) => s.deviceId === deviceId) : service.statuses()[0])?.state;
  return { service, statuses, keys, ratings, state };
}
