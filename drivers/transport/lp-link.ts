/**
 * A ByteLink over the Linux USB printer class device (`/dev/usb/lpN`, kernel driver usblp): a
 * character device we open read-write and non-blocking.
 *
 * Limits (docs/devices.md, 小票打印机):
 * - Writes go through libuv's thread pool; a non-blocking fd answers EAGAIN when the printer's
 *   buffer is full, so we retry with a short pause until `writeTimeoutMs`.
 * - Reading works only on bidirectional printers (USB printer protocol 2); usblp has nothing to
 *   read on unidirectional ones, so `DLE EOT` goes unanswered and the printer reports TIMEOUT.
 *   There is no interrupt: after each write we poll the fd for `readWindowMs` (status replies come
 *   right after a `DLE EOT`), and stay idle otherwise. Bytes the printer sends on its own later
 *   (automatic status back) are read at the next write.
 * - The 1284 status of `LPGETSTATUS` needs an ioctl that Node cannot make without a native addon;
 *   we rely on ESC/POS `DLE EOT` instead.
 * - Unplugging shows as ENODEV/EIO on the next read or write: the link closes with PORT_CLOSED
 *   and the reconnecting link reopens it when the device node comes back.
 */
import { constants, promises as fs } from 'node:fs';
import type { ByteLink } from './byte-link.js';
import { LinkListeners } from './link-listeners.js';
import { type TransportError, toTransportError, transportError } from './transport-error.js';

export interface LpLinkOptions {
  /** `/dev/usb/lp0` (any character device works, e.g. a pty in tests). */
  path: string;
  /** Poll for replies this long after each write (ms, default 2000). */
  readWindowMs?: number;
  /** Poll interval inside the window (ms, default 15). */
  pollMs?: number;
  /** Give up a write the printer does not take within this time (ms, default 10000). */
  writeTimeoutMs?: number;
}

export interface LpLink extends ByteLink {
  readonly path: string;
  readonly isOpen: boolean;
  onClose(listener: (reason: TransportError | null) => void): () => void;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const isAgain = (e: unknown) => {
  const c = (e as { code?: string }).code;
  return c === 'EAGAIN' || c === 'EWOULDBLOCK';
};

export async function openLpLink(opts: LpLinkOptions): Promise<LpLink> {
  const { path } = opts;
  const readWindow = opts.readWindowMs ?? 2000;
  const pollMs = opts.pollMs ?? 15;
  const writeTimeout = opts.writeTimeoutMs ?? 10_000;
  let fh: fs.FileHandle;
  try {
    fh = await fs.open(path, constants.O_RDWR | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch (err) {
    throw toTransportError(err, path);
  }
  // A plain file would swallow the ticket and never answer a status query: refuse it by name.
  if (!(await fh.stat()).isCharacterDevice()) {
    await fh.close();
    throw transportError('NOT_A_PORT', path);
  }

  const events = new LinkListeners();
  let readUntil = 0;
  let poller: ReturnType<typeof setTimeout> | null = null;
  let readable = true;
  const buf = Buffer.alloc(4096);

  const finish = (reason: TransportError | null) => {
    if (!events.finish(reason)) return;
    if (poller) clearTimeout(poller);
    poller = null;
    fh.close().catch(() => undefined);
  };
  const lose = (err: unknown) => {
    const e = toTransportError(err, path);
    finish(e.code === 'IO' ? transportError('PORT_CLOSED', path) : e);
  };

  const readOnce = async (): Promise<boolean> => {
    try {
      const { bytesRead } = await fh.read(buf, 0, buf.length, null);
      if (bytesRead > 0) {
        events.emit(Uint8Array.from(buf.subarray(0, bytesRead)));
        return true;
      }
      return false;
    } catch (err) {
      if (isAgain(err)) return false;
      const code = (err as { code?: string }).code;
      // A unidirectional printer: nothing will ever be readable; stop trying, keep writing.
      if (code === 'EINVAL' || code === 'EOPNOTSUPP') {
        readable = false;
        return false;
      }
      lose(err);
      return false;
    }
  };

  const poll = () => {
    poller = null;
    if (events.closed || !readable) return;
    void readOnce().then((got) => {
      if (events.closed || !readable) return;
      if (got || Date.now() < readUntil) poller = setTimeout(poll, got ? 0 : pollMs);
    });
  };
  const openWindow = () => {
    readUntil = Date.now() + readWindow;
    if (!poller && readable && !events.closed) poller = setTimeout(poll, 0);
  };

  let writing: Promise<void> = Promise.resolve();
  const writeAll = async (data: Uint8Array) => {
    let at = 0;
    const deadline = Date.now() + writeTimeout;
    while (at < data.length) {
      if (events.closed) throw transportError('PORT_CLOSED', path);
      try {
        const { bytesWritten } = await fh.write(data, at, data.length - at, null);
        at += bytesWritten;
        if (bytesWritten > 0) continue;
      } catch (err) {
        if (!isAgain(err)) {
          lose(err);
          throw events.lastError ?? transportError('PORT_CLOSED', path);
        }
      }
      if (Date.now() > deadline) throw transportError('TIMEOUT', path, '打印机不接收数据（缓冲区满或脱机）');
      await sleep(10);
    }
  };

  return {
    path,
    get isOpen() {
      return !events.closed;
    },
    write(data) {
      if (events.closed) return Promise.reject(transportError('PORT_CLOSED', path));
      const next = writing.then(() => writeAll(data));
      writing = next.catch(() => undefined);
      return next.then(openWindow);
    },
    onData: events.onData,
    onClose: events.onClose,
    async close() {
      events.clearData();
      finish(null);
    },
  };
}
