/**
 * Opens the configured transport of a real device, wrapped in the reconnecting link: a device
 * that is unplugged goes offline and is picked up again when it comes back (or when it is plugged
 * in only after start), without restarting anything.
 */

import type { ByteLink } from '../../drivers/transport/byte-link.js';
import { type HidBackend, openHidLink } from '../../drivers/transport/hid-link.js';
import { openLpLink } from '../../drivers/transport/lp-link.js';
import { createReconnectingLink } from '../../drivers/transport/reconnecting-link.js';
import { openSerialLink } from '../../drivers/transport/serial-link.js';
import { openTcpLink } from '../../drivers/transport/tcp-link.js';
import type { LinkOpener } from './device-link.js';

export interface LinkOpenerOptions {
  /** HID backend (tests pass a recorded one); default node-hid, loaded lazily. */
  hidBackend?: HidBackend;
  /** Reconnect backoff (tests shorten it). */
  initialDelayMs?: number;
  maxDelayMs?: number;
}

export function createLinkOpener(opts: LinkOpenerOptions = {}): LinkOpener {
  return async (t, info) => {
    let open: () => Promise<ByteLink>;
    let port: string;
    switch (t.type) {
      case 'serial':
        port = t.path;
        open = () => openSerialLink({ path: t.path, baudRate: t.baud ?? info.defaultBaud });
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
    return createReconnectingLink({
      open,
      port,
      ...(opts.initialDelayMs !== undefined ? { initialDelayMs: opts.initialDelayMs } : {}),
      ...(opts.maxDelayMs !== undefined ? { maxDelayMs: opts.maxDelayMs } : {}),
    });
  };
}
