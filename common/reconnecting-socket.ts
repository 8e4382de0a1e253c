/**
 * A WebSocket that comes back: after a drop, or when it cannot be opened, it reconnects with a
 * capped, jittered backoff, for ever, until stopped. The pages' event stream, browser device bridge
 * and evaluator pad link use it, and so does the terminal's control link to its hub
 * (`main/terminal/control-link.ts`); they differ only in what they say on the socket. The socket
 * constructor and the timers are injected: the browser's `WebSocket`, a `ws` socket carrying the
 * terminal's token in a header, or a test's fake.
 */

/** Bivariant like a method, so both the DOM's and `ws`'s handler types fit. */
type Handler<E> = { bivarianceHack(ev: E): void }['bivarianceHack'];

/** What is used of a WebSocket: the browser's and the `ws` package's both have it. */
export interface SocketLike {
  readonly readyState: number;
  send(text: string): void;
  close(): void;
  onopen: Handler<unknown> | null;
  onmessage: Handler<{ data: unknown }> | null;
  onclose: Handler<{ code?: number }> | null;
  onerror: Handler<unknown> | null;
}

export type SocketConstructor<S extends SocketLike> = new (url: string) => S;

export interface SocketTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** `readyState` of an open socket (the same number in every WebSocket implementation). */
const OPEN = 1;

const realTimers: SocketTimers = {
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (h) => globalThis.clearTimeout(h as ReturnType<typeof setTimeout>),
};

export interface ReconnectingSocketOptions<S extends SocketLike = SocketLike> {
  /** The `ws:`/`wss:` address, asked for again on every attempt. */
  url: () => string;
  /** First retry delay and the cap (ms). */
  minDelayMs: number;
  maxDelayMs: number;
  /**
   * Whether an opened socket starts the backoff over (default). False where opening is not yet
   * success — the pad link waits for the hub's `welcome` and calls `resetBackoff()` then.
   */
  resetOnOpen?: boolean;
  /** The socket constructor; the global `WebSocket` when not given. */
  WebSocketImpl?: SocketConstructor<S>;
  timers?: SocketTimers;
  random?: () => number;
  /** An attempt starts. */
  onConnecting?: () => void;
  onOpen?: (ws: S) => void;
  /** Each message that is a JSON object; anything else is dropped. */
  onMessage: (msg: Record<string, unknown>, ws: S) => void;
  /**
   * The socket closed (code when known), before a retry is scheduled; calling `stop()` here ends
   * the retries (the terminal does so when the hub says its token was revoked).
   */
  onClose?: (code: number | undefined, ws: S) => void;
  /** The socket closed or could not be opened, and a retry is scheduled (never after `stop()`). */
  onDown?: () => void;
  /**
   * Close codes after which to wait the longest before trying again (e.g. the hub's "too many
   * sockets for this token"), so two clients on one token do not take turns closing each other.
   */
  slowDownOn?: readonly number[];
}

/** Delay before retry number `attempt` (0-based): doubling from min to max, with ±20 % jitter. */
export function backoffDelay(attempt: number, minMs: number, maxMs: number, random: () => number): number {
  const base = Math.min(maxMs, minMs * 2 ** Math.min(attempt, 20));
  return Math.round(base * (0.8 + 0.4 * random()));
}

/** The WebSocket address of a hub path (http → ws, https → wss); empty parameters are left out. */
export function wsUrl(baseUrl: string, path: string, params: Record<string, string | null | undefined> = {}): string {
  const u = new URL(`${baseUrl}${path}`);
  u.protocol = u.protocol === 'https:' ? 'wss:' : 'ws:';
  for (const [k, v] of Object.entries(params)) if (v) u.searchParams.set(k, v);
  return u.toString();
}

export class ReconnectingSocket<S extends SocketLike = SocketLike> {
  private ws: S | null = null;
  private attempt = 0;
  private timer: unknown = null;
  private stopped = true;
  private readonly WS: SocketConstructor<S>;
  private readonly timers: SocketTimers;

  constructor(private readonly o: ReconnectingSocketOptions<S>) {
    this.WS = o.WebSocketImpl ?? (globalThis as unknown as { WebSocket: SocketConstructor<S> }).WebSocket;
    this.timers = o.timers ?? realTimers;
  }

  get isOpen(): boolean {
    return this.ws !== null && this.ws.readyState === OPEN;
  }

  start(): void {
    this.stopped = false;
    this.connect();
  }

  /** Closes the socket and stops retrying; nothing is reported after this. */
  stop(): void {
    this.stopped = true;
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
    const ws = this.ws;
    this.ws = null;
    ws?.close();
  }

  /** Sends on the open socket; false when there is none. */
  send(text: string): boolean {
    if (!this.ws || !this.isOpen) return false;
    this.ws.send(text);
    return true;
  }

  resetBackoff(): void {
    this.attempt = 0;
  }

  private connect() {
    if (this.stopped) return;
    this.o.onConnecting?.();
    let ws: S;
    try {
      ws = new this.WS(this.o.url());
    } catch {
      this.retry();
      return;
    }
    this.ws = ws;
    // A socket replaced or stopped says nothing more: a late close must not start a second one.
    ws.onopen = () => {
      if (this.ws !== ws) return;
      if (this.o.resetOnOpen ?? true) this.attempt = 0;
      this.o.onOpen?.(ws);
    };
    ws.onmessage = (m) => {
      if (this.ws !== ws) return;
      let msg: unknown;
      try {
        msg = JSON.parse(String(m.data));
      } catch {
        return;
      }
      if (msg && typeof msg === 'object' && !Array.isArray(msg)) this.o.onMessage(msg as Record<string, unknown>, ws);
    };
    ws.onclose = (e?: { code?: number }) => {
      if (this.ws !== ws) return;
      this.ws = null;
      this.o.onClose?.(e?.code, ws);
      if (e?.code !== undefined && this.o.slowDownOn?.includes(e.code)) this.attempt = Math.max(this.attempt, 30);
      this.retry();
    };
    ws.onerror = () => {
      // onclose follows; retrying is done there.
    };
  }

  private retry() {
    if (this.stopped) return;
    this.o.onDown?.();
    const delay = backoffDelay(this.attempt++, this.o.minDelayMs, this.o.maxDelayMs, this.o.random ?? Math.random);
    this.timer = this.timers.setTimeout(() => {
      this.timer = null;
      this.connect();
    }, delay);
  }
}
