/**
 * A ByteLink over a serial port (serialport 13, 8N1 by default). Opening and every later failure are
 * reported as `TransportError`s naming the port. The link also notices when its port goes away:
 * a USB-serial adapter pulled out or a socat pty that was closed often produces no read error on
 * Linux, so the link checks every `watchIntervalMs` that the path still exists and still leads to
 * the same device, and closes itself (reason `PORT_CLOSED`) when it does not.
 */
import { realpathSync } from 'node:fs';
import { SerialPort } from 'serialport';
import type { ByteLink } from './byte-link.js';
import { LinkListeners } from './link-listeners.js';
import { type TransportError, toTransportError, transportError } from './transport-error.js';

export { TransportError, type TransportErrorCode } from './transport-error.js';

export interface SerialLinkOptions {
  /** `/dev/ttyUSB0`, `/dev/serial/by-id/…`, `COM3`, or a socat pty link. */
  path: string;
  /** Default 115200. */
  baudRate?: number;
  dataBits?: 5 | 6 | 7 | 8;
  stopBits?: 1 | 1.5 | 2;
  parity?: 'none' | 'even' | 'odd' | 'mark' | 'space';
  /** How often to check that the port still exists (ms); 0 turns the check off. Default 500. */
  watchIntervalMs?: number;
}

export interface SerialLink extends ByteLink {
  readonly path: string;
  readonly baudRate: number;
  readonly isOpen: boolean;
  /** Called once when the link closes: `null` when closed by `close()`, else why it was lost. */
  onClose(listener: (reason: TransportError | null) => void): () => void;
}

export interface SerialPortListing {
  path: string;
  manufacturer?: string;
  serialNumber?: string;
  vendorId?: string;
  productId?: string;
  pnpId?: string;
}

/** The serial ports the OS knows (for `govhall devices`); never throws. */
export async function listSerialPorts(): Promise<SerialPortListing[]> {
  try {
    return (await SerialPort.list()).map((p) => ({
      path: p.path,
      manufacturer: p.manufacturer,
      serialNumber: p.serialNumber,
      vendorId: p.vendorId,
      productId: p.productId,
      pnpId: p.pnpId,
    }));
  } catch {
    return [];
  }
}

function identity(path: string): string | null {
  try {
    return realpathSync(path);
  } catch {
    return null;
  }
}

export async function openSerialLink(opts: SerialLinkOptions): Promise<SerialLink> {
  const { path } = opts;
  const baudRate = opts.baudRate ?? 115200;
  if (!path) throw transportError('PORT_NOT_FOUND', '(空)');
  const port = new SerialPort({
    path,
    baudRate,
    dataBits: opts.dataBits ?? 8,
    stopBits: opts.stopBits ?? 1,
    parity: opts.parity ?? 'none',
    autoOpen: false,
    lock: true,
  });
  await new Promise<void>((resolve, reject) =>
    port.open((err) => (err ? reject(toTransportError(err, path)) : resolve())),
  );
  const target = identity(path);

  const events = new LinkListeners();
  let watch: ReturnType<typeof setInterval> | undefined;

  const finish = (reason: TransportError | null) => {
    if (events.finish(reason) && watch) clearInterval(watch);
  };

  // own copy: Node may reuse a pooled buffer
  port.on('data', (chunk: Buffer) => events.emit(Uint8Array.from(chunk)));
  // Without an 'error' listener a failed read would crash the process.
  port.on('error', (err) => {
    events.lastError = toTransportError(err, path);
  });
  port.on('close', (err?: Error & { disconnected?: boolean }) => {
    finish(err || events.lastError ? transportError('PORT_CLOSED', path) : null);
  });

  const lose = (reason: TransportError) => {
    if (events.closed) return;
    finish(reason);
    if (port.isOpen) port.close(() => undefined);
  };

  const interval = opts.watchIntervalMs ?? 500;
  if (interval > 0 && target) {
    watch = setInterval(() => {
      if (identity(path) !== target) lose(transportError('PORT_CLOSED', path));
    }, interval);
    watch.unref?.();
  }

  return {
    path,
    baudRate,
    get isOpen() {
      return !events.closed && port.isOpen;
    },
    write(data) {
      if (events.closed || !port.isOpen) return Promise.reject(transportError('PORT_CLOSED', path));
      return new Promise<void>((resolve, reject) => {
        port.write(Buffer.from(data.buffer, data.byteOffset, data.byteLength), (err) => {
          if (!err) return resolve();
          const e = toTransportError(err, path);
          const reason = e.code === 'IO' ? transportError('PORT_CLOSED', path) : e;
          lose(reason);
          reject(reason);
        });
      });
    },
    onData: events.onData,
    onClose: events.onClose,
    close() {
      if (events.closed) return Promise.resolve();
      finish(null);
      events.clearData();
      return new Promise<void>((resolve) => {
        if (!port.isOpen) return resolve();
        port.close(() => resolve());
      });
    },
  };
}
