/**
 * A device service running one terminal's devices, as a terminal PC runs it, for the device suites:
 * started, recording everything it reports, and stopped after the test.
 */
import type { Cleanups } from '../../drivers/testing/cleanups.js';
import type { TerminalConfig } from '../../kiosk-config/devices-schema.js';
import type { HallConfig } from '../../kiosk-config/hall-config.js';
import type { DeviceSink } from '../../main/devices/device-family.js';
import { DeviceService, type DeviceServiceOptions } from '../../main/devices/device-service.js';
import type {
  CardData,
  DeviceState,
  DeviceStatus,
  KeyActionEvent,
  PrintResult,
  RatingKeyEvent,
  TicketPrint,
} from '../../main/devices/types.js';

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

export interface KioskStandIns {
  readonly printed: TicketPrint[];
  nextPrint: PrintResult;
  card(c: CardData): void;
}

/**
 * The hall's terminal `kiosk-1` on a device service whose card reader and printer drivers are
 * stand-ins (their byte protocols are tested in drivers/): `kiosk.card()` is a card read as the
 * reader driver reports it, `kiosk.printed` what reached the printer, and `kiosk.nextPrint` the
 * printer's answer. Everything from the service on is real; the caller stops the service.
 */
export async function startKioskStandIns(
  config: HallConfig,
): Promise<{ service: DeviceService; kiosk: KioskStandIns }> {
  let reader: DeviceSink | null = null;
  const kiosk: KioskStandIns = {
    printed: [],
    nextPrint: { ok: true },
    card: (c) => reader?.card(c),
  };
  const service = new DeviceService({
    devices: config.devices,
    terminals: ['kiosk-1'],
    simulateAll: true,
    drivers: {
      idcard: (_link, _dev, sink) => {
        reader = sink;
        sink.status('ok', null);
        return { stop: async () => {} };
      },
      printer: (_link, _dev, sink) => {
        sink.status('ok', null);
        return {
          stop: async () => {},
          print: async (t) => {
            kiosk.printed.push(t);
            return kiosk.nextPrint;
          },
        };
      },
    },
  });
  await service.start();
  return { service, kiosk };
}
