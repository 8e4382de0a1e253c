/**
 * The printer's side, for tests and by hand: on any ByteLink (a pty via serial, an in-memory pair)
 * or as a raw TCP server (`startTcpPrinterSimulator`, like a network printer's port 9100). It
 * answers `DLE EOT` from its state (paper near end, paper out, cover open, offline, or silent —
 * or late: `replyDelayMs` holds every status reply back, as a busy or flow-controlled printer does),
 * decodes everything it receives with the ESC/POS decoder, and collects tickets (split at cuts).
 * Without paper, with the cover open or offline it answers status but prints nothing.
 */
import { createServer, type Server, type Socket } from 'node:net';
import type { ByteLink } from '../transport/byte-link.js';
import { type DecodedItem, EscPosDecoder, renderDecoded } from './escpos-decoder.js';
import { type PrinterStatus, statusReply } from './printer-status.js';

export interface PrinterSimState {
  paperNearEnd: boolean;
  paperOut: boolean;
  coverOpen: boolean;
  /** Offline for another reason (error light). */
  offline: boolean;
  /** Answers nothing at all: a printer switched off or on the wrong baud rate. */
  silent: boolean;
  /**
   * Fault: each status reply leaves this long after its query (0 = at once). The reply tells the
   * state at the time of the query, so a reply late past the host's timeout is a stale answer.
   */
  replyDelayMs: number;
}

export interface PrintedTicket {
  items: DecodedItem[];
  /** Text lines in order. */
  lines: string[];
  qrPayloads: string[];
  barcodes: string[];
  images: number;
  cut: boolean;
}

export class PrinterSimulator {
  readonly state: PrinterSimState;
  /** Tickets printed (completed by a cut). */
  readonly tickets: PrintedTicket[] = [];
  /** Everything decoded, in order, including status requests. */
  readonly items: DecodedItem[] = [];
  /** Bytes received while unable to print (no paper, cover open, offline): dropped. */
  droppedBytes = 0;
  private current: DecodedItem[] = [];
  private readonly ticketListeners = new Set<(t: PrintedTicket) => void>();
  private readonly detach = new Set<() => void>();
  private readonly lateReplies = new Set<ReturnType<typeof setTimeout>>();

  constructor(link?: ByteLink, state: Partial<PrinterSimState> = {}) {
    this.state = {
      paperNearEnd: false,
      paperOut: false,
      coverOpen: false,
      offline: false,
      silent: false,
      replyDelayMs: 0,
      ...state,
    };
    if (link) this.attach(link);
  }

  /** The status as the printer reports it. */
  status(): PrinterStatus {
    const s = this.state;
    return {
      online: !(s.offline || s.paperOut || s.coverOpen),
      coverOpen: s.coverOpen,
      paperNearEnd: s.paperNearEnd || s.paperOut,
      paperOut: s.paperOut,
    };
  }

  set(state: Partial<PrinterSimState>): void {
    Object.assign(this.state, state);
  }

  onTicket(cb: (t: PrintedTicket) => void): () => void {
    this.ticketListeners.add(cb);
    return () => this.ticketListeners.delete(cb);
  }

  /** Serves one more connection (each has its own decoder; state and tickets are shared). */
  attach(link: ByteLink): () => void {
    const decoder = new EscPosDecoder();
    const stop = link.onData((chunk) => {
      const canPrint = this.status().online;
      const items = decoder.push(chunk);
      for (const it of items) {
        if (it.type === 'status-request') {
          this.items.push(it);
          if (!this.state.silent) this.answer(link, Uint8Array.of(statusReply(it.n, this.status())));
          continue;
        }
        if (!canPrint || this.state.silent) {
          this.droppedBytes += it.type === 'unknown' ? it.bytes.length : 1;
          continue;
        }
        this.items.push(it);
        this.current.push(it);
        if (it.type === 'cut') this.finishTicket(true);
      }
    });
    const off = () => {
      stop();
      this.detach.delete(off);
    };
    this.detach.add(off);
    return off;
  }

  private answer(link: ByteLink, reply: Uint8Array): void {
    const delay = this.state.replyDelayMs;
    if (delay <= 0) {
      link.write(reply).catch(() => undefined);
      return;
    }
    const t = setTimeout(() => {
      this.lateReplies.delete(t);
      link.write(reply).catch(() => undefined);
    }, delay);
    this.lateReplies.add(t);
  }

  /** Ends the ticket in progress (e.g. the host went away before cutting). */
  flush(): PrintedTicket | null {
    return this.current.length ? this.finishTicket(false) : null;
  }

  private finishTicket(cut: boolean): PrintedTicket {
    const items = this.current;
    this.current = [];
    const t: PrintedTicket = {
      items,
      lines: items.flatMap((i) => (i.type === 'text' ? [i.text] : [])),
      qrPayloads: items.flatMap((i) => (i.type === 'qr' ? [i.payload] : [])),
      barcodes: items.flatMap((i) => (i.type === 'barcode' ? [i.data] : [])),
      images: items.filter((i) => i.type === 'raster').length,
      cut,
    };
    this.tickets.push(t);
    for (const l of this.ticketListeners) {
      try {
        l(t);
      } catch {
        // a listener's problem, not the printer's
      }
    }
    return t;
  }

  close(): void {
    for (const off of [...this.detach]) off();
    for (const t of this.lateReplies) clearTimeout(t);
    this.lateReplies.clear();
  }
}

/** A ticket in readable form (what the `sim printer` command prints). */
export function renderTicket(t: PrintedTicket, columns = 48): string {
  return renderDecoded(t.items, columns);
}

/** Wraps a TCP socket as a ByteLink. */
export function socketLink(socket: Socket): ByteLink {
  return {
    write: (data) =>
      new Promise<void>((resolve, reject) => {
        if (socket.destroyed) return reject(new Error('连接已关闭'));
        socket.write(data, (err) => (err ? reject(err) : resolve()));
      }),
    onData: (l) => {
      const h = (b: Buffer) => l(new Uint8Array(b.buffer, b.byteOffset, b.length));
      socket.on('data', h);
      return () => socket.off('data', h);
    },
    close: async () => {
      socket.destroy();
    },
  };
}

export interface TcpPrinterSimulator {
  readonly sim: PrinterSimulator;
  readonly host: string;
  readonly port: number;
  close(): Promise<void>;
}

/** A network printer on `host:port` (port 0 = any free port; read `port` afterwards). */
export async function startTcpPrinterSimulator(
  opts: { port?: number; host?: string; state?: Partial<PrinterSimState> } = {},
): Promise<TcpPrinterSimulator> {
  const sim = new PrinterSimulator(undefined, opts.state);
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    const off = sim.attach(socketLink(socket));
    socket.on('close', () => {
      off();
      sockets.delete(socket);
    });
  });
  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 9100, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : (opts.port ?? 9100);
  return {
    sim,
    host,
    port,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
      sim.close();
    },
  };
}
