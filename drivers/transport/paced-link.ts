/**
 * Wraps a ByteLink so its writes leave like a real UART's: at `bitsPerByte` (10 for 8N1: start,
 * 8 data, stop) per byte at `baudRate`, in pieces, with the time each piece would take on the wire
 * before the next one goes out. A pty carries bytes instantly, so simulators use this to behave
 * like a real reader at 115200 baud. With `pieceSize` alone (no baud rate) writes are only split
 * into small pieces with a short gap, to exercise parsers on split frames over a real tty.
 */
import type { ByteLink } from './byte-link.js';

export interface PacingOptions {
  /** Bits per second; 0 or absent = no pacing. */
  baudRate?: number;
  /** 10 for 8N1. */
  bitsPerByte?: number;
  /** Bytes per write to the inner link (default 32 when pacing, else the whole write). */
  pieceSize?: number;
  /** Gap between pieces when not pacing by baud rate (ms, default 2). */
  pieceGapMs?: number;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Wire time of `bytes` at `baudRate` (ms). */
export const wireTimeMs = (bytes: number, baudRate: number, bitsPerByte = 10) =>
  (bytes * bitsPerByte * 1000) / baudRate;

export function pacedLink(inner: ByteLink, opts: PacingOptions): ByteLink {
  const bits = opts.bitsPerByte ?? 10;
  let queue: Promise<void> = Promise.resolve();
  // When the wire is free again (performance.now() ms): consecutive writes queue behind each other.
  let freeAt = 0;
  const send = async (data: Uint8Array) => {
    const baud = opts.baudRate ?? 0;
    const size = Math.max(1, opts.pieceSize ?? (baud > 0 ? 32 : data.length));
    // A UART sends a write back to back from its FIFO: the schedule is fixed when the write starts,
    // so a timer that fires late is caught up on, not added to the next piece.
    if (baud > 0) freeAt = Math.max(performance.now(), freeAt);
    for (let at = 0; at < data.length; at += size) {
      const piece = data.subarray(at, at + size);
      if (baud > 0) {
        freeAt += wireTimeMs(piece.length, baud, bits);
        // The piece is on the wire once its last bit is sent: deliver it then.
        const wait = freeAt - performance.now();
        if (wait > 0.05) await sleep(wait);
      } else if (at > 0) {
        await sleep(opts.pieceGapMs ?? 2);
      }
      await inner.write(piece);
    }
  };
  const link: ByteLink = {
    write(data) {
      const copy = Uint8Array.from(data);
      const next = queue.then(() => send(copy));
      queue = next.catch(() => undefined);
      return next;
    },
    onData: (l) => inner.onData(l),
    close: () => inner.close(),
  };
  if (inner.onClose) link.onClose = (l) => inner.onClose!(l);
  return link;
}
