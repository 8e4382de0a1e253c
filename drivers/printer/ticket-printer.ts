/**
 * A ticket printer on any ByteLink (serial, raw TCP 9100, /dev/usb/lpN). Each print asks
 * `DLE EOT 1/2/4` before (a printer without paper, with its cover open or offline is refused at
 * once, nothing sent) and after (paper that ran out during the print is reported). Every status
 * reply has a timeout, so a printer that never answers gives `TIMEOUT`, never a hang. Health
 * changes (ok / warning / error / offline) go to the `onStatusChange` listeners for the hub.
 *
 * Status replies carry no sequence number: a reply that comes after its query timed out would be
 * taken for the answer to the next query. So before each query the line is drained — bytes that
 * arrive are discarded until it has been quiet for a moment, and for a whole reply timeout after
 * a query went unanswered, when a late reply is most likely on its way.
 */
import type { ByteLink } from '../transport/byte-link.js';
import { type StatusQuery, statusRequest } from './escpos.js';
import {
  healthOf,
  isStatusByte,
  PrinterError,
  type PrinterErrorCode,
  type PrinterHealth,
  type PrinterStatus,
  printerMessage,
  refusalOf,
  statusFromReplies,
} from './printer-status.js';
import { layoutTicket, type PaperWidth, type TicketLayoutInput } from './ticket-layout.js';

export interface TicketPrinterOptions {
  /** Paper width, default 80 mm. */
  width?: PaperWidth;
  /** How the QR code is sent; `raster` for printers whose native QR is missing or broken. */
  qrMode?: 'native' | 'raster';
  /** Wait for one status byte, default 1000 ms; after a print three times this plus the wire time. */
  replyTimeoutMs?: number;
  /**
   * Quiet time the line must show before a status query is sent (ms, default 20); after a query
   * went unanswered, the reply timeout instead. Bytes arriving meanwhile are stale and dropped.
   */
  quietMs?: number;
  /**
   * Line speed of a serial printer, to allow for the ticket's wire time before the after-print
   * status reply can come back; taken from the link's `baudRate` when it has one (serial links do).
   */
  baudRate?: number;
  onStatusChange?: (health: PrinterHealth, previous: PrinterHealth | null) => void;
}

export interface PrintResult {
  /** Bytes sent for the ticket. */
  bytes: number;
  /** Status read after the print. */
  status: PrinterStatus;
  /** The print went out but the roll is nearly finished. */
  warning?: 'PAPER_NEAR_END';
}

/** The device service's result shape: never throws. */
export type PrintOutcome =
  | { ok: true; warning?: 'PAPER_NEAR_END' }
  | { ok: false; code: PrinterErrorCode; message: string };

export class TicketPrinter {
  private waiting: ((byte: number) => void) | null = null;
  /** Set while draining: called for every chunk that arrives (the bytes are dropped). */
  private draining: (() => void) | null = null;
  /** A query went unanswered: its reply may still be on the way. */
  private lateReplyPossible = false;
  /** Bytes dropped while draining before a query (tests and diagnostics). */
  staleBytesDropped = 0;
  private readonly stopData: () => void;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly listeners = new Set<(h: PrinterHealth, prev: PrinterHealth | null) => void>();
  private last: PrinterHealth | null = null;
  private closed = false;
  private busy = 0;

  constructor(
    private readonly link: ByteLink,
    private readonly opts: TicketPrinterOptions = {},
  ) {
    if (opts.onStatusChange) this.listeners.add(opts.onStatusChange);
    this.stopData = link.onData((chunk) => {
      if (this.draining) {
        this.staleBytesDropped += chunk.length;
        this.draining();
        return;
      }
      // Only status bytes matter; anything else (automatic status back, noise) is dropped.
      for (const b of chunk) {
        const w = this.waiting;
        if (w && isStatusByte(b)) {
          this.waiting = null;
          w(b);
        }
      }
    });
  }

  get width(): PaperWidth {
    return this.opts.width ?? 80;
  }

  /** The last health seen, null before the first status. */
  get health(): PrinterHealth | null {
    return this.last;
  }

  onStatusChange(cb: (h: PrinterHealth, prev: PrinterHealth | null) => void): () => void {
    this.listeners.add(cb);
    return () => this.listeners.delete(cb);
  }

  /** Reads the status (three DLE EOT requests). Throws PrinterError TIMEOUT when unanswered. */
  status(): Promise<PrinterStatus> {
    return this.serial(() => this.readStatus(this.timeout()));
  }

  /** Lays out and prints one ticket. Throws PrinterError (PAPER_OUT, COVER_OPEN, OFFLINE, TIMEOUT, …). */
  printTicket(ticket: TicketLayoutInput): Promise<PrintResult> {
    return this.printBytes(layoutTicket(ticket, { width: this.width, qrMode: this.opts.qrMode ?? 'native' }));
  }

  /** Like printTicket, but answers with a result object instead of throwing. */
  async tryPrintTicket(ticket: TicketLayoutInput): Promise<PrintOutcome> {
    try {
      const r = await this.printTicket(ticket);
      return r.warning ? { ok: true, warning: r.warning } : { ok: true };
    } catch (err) {
      const e =
        err instanceof PrinterError ? err : new PrinterError('WRITE_FAILED', `打印失败：${(err as Error).message}`);
      return { ok: false, code: e.code, message: e.message };
    }
  }

  /** Prints prepared ESC/POS bytes with the same status checks before and after. */
  printBytes(bytes: Uint8Array): Promise<PrintResult> {
    return this.serial(async () => {
      const before = await this.readStatus(this.timeout());
      const refusal = refusalOf(before);
      if (refusal) throw new PrinterError(refusal, printerMessage(refusal), before);
      try {
        await this.link.write(bytes);
      } catch (err) {
        this.report(null);
        throw new PrinterError('WRITE_FAILED', `向打印机发送数据失败：${(err as Error).message}`, before);
      }
      let after: PrinterStatus;
      try {
        after = await this.readStatus(this.timeout() * 3 + this.wireMs(bytes.length));
      } catch (err) {
        if (err instanceof PrinterError && err.code === 'TIMEOUT')
          throw new PrinterError('TIMEOUT', '打印后打印机无应答，票可能没有打出', before);
        throw err;
      }
      const failed = refusalOf(after);
      if (failed === 'PAPER_OUT')
        throw new PrinterError('PAPER_OUT', '打印中缺纸，这张票可能不完整，请换纸后重打', after);
      if (failed) throw new PrinterError(failed, `${printerMessage(failed)}（打印刚结束时）`, after);
      return after.paperNearEnd
        ? { bytes: bytes.length, status: after, warning: 'PAPER_NEAR_END' }
        : { bytes: bytes.length, status: after };
    });
  }

  /**
   * Asks for the status every `ms` while idle, so a paper change or an opened cover reaches the hub
   * without a print. Returns the stop function.
   */
  startPolling(ms: number): () => void {
    const timer = setInterval(() => {
      if (this.busy === 0 && !this.closed) this.status().catch(() => undefined);
    }, ms);
    timer.unref?.();
    return () => clearInterval(timer);
  }

  close(): void {
    this.closed = true;
    this.stopData();
    this.waiting = null;
    this.draining?.();
  }

  /** How long `n` bytes take on a serial line (10 bits a byte with 8N1); 0 when not serial. */
  private wireMs(n: number): number {
    const baud = this.opts.baudRate ?? (this.link as { baudRate?: unknown }).baudRate;
    return typeof baud === 'number' && baud > 0 ? Math.ceil((n * 10 * 1000) / baud) : 0;
  }

  private timeout(): number {
    return this.opts.replyTimeoutMs ?? 1000;
  }

  /** Runs one operation at a time, in call order. */
  private serial<T>(op: () => Promise<T>): Promise<T> {
    this.busy++;
    const run = () => (this.closed ? Promise.reject(new PrinterError('CLOSED')) : op());
    const next = this.queue.then(run, run).finally(() => this.busy--);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async readStatus(ms: number): Promise<PrinterStatus> {
    try {
      const printer = await this.ask(1, ms);
      const cause = await this.ask(2, ms);
      const paper = await this.ask(4, ms);
      const s = statusFromReplies(printer, cause, paper);
      this.report(s);
      return s;
    } catch (err) {
      this.report(null);
      throw err;
    }
  }

  /**
   * Resolves once no byte has arrived for the quiet time, dropping whatever came meanwhile. A line
   * that never goes quiet (a chattering device) is given up on after a bound, and the query goes out.
   */
  private drain(): Promise<void> {
    const quiet = this.lateReplyPossible ? Math.max(this.timeout(), this.quietMs()) : this.quietMs();
    this.lateReplyPossible = false;
    if (quiet <= 0 || this.closed) return Promise.resolve();
    return new Promise<void>((resolve) => {
      let timer: ReturnType<typeof setTimeout>;
      const finish = () => {
        clearTimeout(timer);
        clearTimeout(bound);
        this.draining = null;
        resolve();
      };
      const bound = setTimeout(finish, quiet + 2 * this.timeout());
      this.draining = () => {
        clearTimeout(timer);
        timer = this.closed ? setTimeout(finish, 0) : setTimeout(finish, quiet);
      };
      timer = setTimeout(finish, quiet);
    });
  }

  private quietMs(): number {
    return this.opts.quietMs ?? 20;
  }

  private async ask(n: StatusQuery, ms: number): Promise<number> {
    await this.drain();
    if (this.closed) throw new PrinterError('CLOSED');
    return new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting = null;
        this.lateReplyPossible = true;
        reject(
          new PrinterError(
            'TIMEOUT',
            `打印机在 ${ms} 毫秒内没有回答状态查询（DLE EOT ${n}）：请检查连线、电源、端口和波特率`,
          ),
        );
      }, ms);
      this.waiting = (b) => {
        clearTimeout(timer);
        resolve(b);
      };
      this.link.write(statusRequest(n)).catch((err: Error) => {
        clearTimeout(timer);
        this.waiting = null;
        reject(new PrinterError('WRITE_FAILED', `无法向打印机发送状态查询：${err.message}`));
      });
    });
  }

  private report(status: PrinterStatus | null): void {
    const h = healthOf(status);
    const prev = this.last;
    if (prev && prev.state === h.state && prev.detail === h.detail) {
      this.last = h;
      return;
    }
    this.last = h;
    for (const l of this.listeners) {
      try {
        l(h, prev);
      } catch {
        // A listener's failure is its own business; the printer carries on.
      }
    }
  }
}
