/**
 * Opens the configured transport of a real device, wrapped in the reconnecting link: a device
 * that is unplugged goes offline and is picked up again when it comes back (or when it is plugged
 * in only after start), without restarting anything.
 */

import type { ByteLink } from '../../drivers/transport/byte-link.js';
import { type HidBackend, openHidLink } from '../../drivers/transport/hid-link.js';
import { openLpLink } from '../../drivers/transport/lp-link.js';
import { createReconnectingLink, type ReconnectingLink } from '../../drivers/transport/reconnecting-link.js';
import { openSerialLink } from '../../drivers/transport/serial-link.js';
import { openTcpLink } from '../../drivers/transport/tcp-link.js';
import type { DeviceKind } from '../../kiosk-config/devices-schema.js';
import type { DeviceLink, LinkOpener } from './device-link.js';

/** Baud rate when the config gives none: SAM_V readers default to 115200, the rest to 9600. */
export const DEFAULT_BAUD: Record<DeviceKind, number> = {
  idcard: 115200,
  printer: 9600,
  keypad: 9600,
  evalkeypad: 9600,
  ledstrip: 9600,
};

export interface LinkOpenerOptions {
  /** HID backend (tests pass a recorded one); default node-hid, loaded lazily. */
  hidBackend?: HidBackend;
  /** Reconnect backoff (tests shorten it). */
  initialDelayMs?: number;
  maxDelayMs?: number;
}

export function toDeviceLink(r: ReconnectingLink): DeviceLink {
  return {
    write: (d) => r.write(d),
    onData: (l) => r.onData(l),
    close: () => r.close(),
    get connected() {
      return r.state === 'online';
    },
    onState: (cb) =>
      r.onState((c) =>
        cb({
          connected: c.state === 'online',
          detail:
            c.state === 'online' ? null : (c.reason?.message ?? (c.state === 'connecting' ? '正在连接' : '未连接')),
        }),
      ),
  };
}

export function createLinkOpener(opts: LinkOpenerOptions = {}): LinkOpener {
  return async (t, info) => {
    let open: () => Promise<ByteLink>;
    let port: string;
    switch (t.type) {
      case 'serial':
        port = t.path;
        open = () => openSerialLink({ path: t.path, baudRate: t.baud ?? DEFAULT_BAUD[info.kind] });
        break;
      case 'hid':
        port = `HID ${t.vendorId.toString(16).padStart(4, '0')}:${t.productId.toString(16).padStart(4, '0')}`;
        open = () =>
          openHidLink({
            vendorId: t.vendorId,
            productId: t.productId,
            ...(t.path ? { path: t.path } : {}),
            ...(opts.hidBackend ? { backend: opts.hidBackend } : {}),
          });
        break;
      case 'tcp':
        port = `${t.host}:${t.port}`;
        open = () => openTcpLink({ host: t.host, port: t.port });
        break;
      case 'lp':
        port = t.path;
        open = () => openLpLink({ path: t.path });
        break;
      case 'simulated':
        throw new Error('模拟设备由设备服务自己创建');
    }
    const r = createReconnectingLink({
      open,
      port,
      ...(opts.initialDelayMs !== undefined ? { initialDelayMs: opts.initialDelayMs } : {}),
      ...(opts.maxDelayMs !== undefined ? { maxDelayMs: opts.maxDelayMs } : {}),
    });
    return toDeviceLink(r);
  };
}
