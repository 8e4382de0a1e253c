/**
 * The live event feed (`/api/v1/events?token=`). It remembers the last `seq` and, after any drop,
 * reconnects with a capped, jittered backoff and asks the hub to `resume` after that seq, so a
 * display or pad never misses a call and never signs itself out. It keeps trying forever.
 *
 * While a resume is answered, events are held and handed on in seq order once the hub says
 * `resumed`: a live event that overtakes the replay never hides the older ones. When the hub
 * cannot replay exactly (too far behind, events pruned) it answers `resync`: every `onResync`
 * handler reloads the state its screen shows (`GET /hall` …), then events follow from that seq.
 */
import type { HubEvent, HubEventOf, HubEventType } from './api-types.js';

export type StreamState = 'connecting' | 'open' | 'closed';

export interface EventStreamOptions {
  baseUrl: string;
  token: string | null;
  /** First retry delay and the cap (ms). */
  minDelayMs?: number;
  maxDelayMs?: number;
  /** Injected for tests. */
  WebSocketImpl?: typeof WebSocket;
  random?: () => number;
}

type Handler = (e: HubEvent) => void;

/** The hub's close code when this token opened too many sockets: wait the longest before trying again. */
const CLOSE_TOO_MANY_CONNECTIONS = 4008;

/** Delay before retry number `attempt` (0-based): doubling from min to max, with ±20 % jitter. */
export function backoffDelay(attempt: number, minMs: number, maxMs: number, random: () => number): number {
  const base = Math.min(maxMs, minMs * 2 ** Math.min(attempt, 20));
  return Math.round(base * (0.8 + 0.4 * random()));
}

export class EventStream {
  private ws: WebSocket | null = null;
  private handlers = new Set<Handler>();
  private stateHandlers = new Set<(s: StreamState) => void>();
  private resyncHandlers = new Set<() => void>();
  /** Events received while a resume is answered, by seq; handed on in order when it ends. */
  private held: Map<number, HubEvent> | null = null;
  private lastSeq: number | null = null;
  private attempt = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private stopped = false;
  private _state: StreamState = 'closed';
  private readonly opts: Required<Omit<EventStreamOptions, 'WebSocketImpl'>> & { WebSocketImpl: typeof WebSocket };

  constructor(opts: EventStreamOptions) {
    this.opts = {
      minDelayMs: 500,
      maxDelayMs: 10_000,
      random: Math.random,
      WebSocketImpl: opts.WebSocketImpl ?? WebSocket,
      ...opts,
    } as EventStream['opts'];
  }

  get state(): StreamState {
    return this._state;
  }
  get seq(): number | null {
    return this.lastSeq;
  }

  /** Every event; returns an unsubscribe function. */
  onEvent(h: Handler): () => void {
    this.handlers.add(h);
    return () => this.handlers.delete(h);
  }

  /** Events of one type. */
  on<T extends HubEventType>(type: T, h: (e: HubEventOf<T>) => void): () => void {
    return this.onEvent((e) => {
      if (e.type === type) h(e as HubEventOf<T>);
    });
  }

  onState(h: (s: StreamState) => void): () => void {
    this.stateHandlers.add(h);
    return () => this.stateHandlers.delete(h);
  }

  /** The hub could not replay what was missed: reload the state you show. */
  onResync(h: () => void): () => void {
    this.resyncHandlers.add(h);
    return () => this.resyncHandlers.delete(h);
  }

  start(): this {
    this.stopped = false;
    this.connect();
    return this;
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.ws?.close();
    this.ws = null;
    this.setState('closed');
  }

  private setState(s: StreamState) {
    if (s === this._state) return;
    this._state = s;
    for (const h of this.stateHandlers) h(s);
  }

  private url(): string {
    const u = new URL(`${this.opts.baseUrl}/api/v1/events`);
    u.protocol = u.protocol === 'https:' ? 'wss:' : 'ws:';
    if (this.opts.token) u.searchParams.set('token', this.opts.token);
    return u.toString();
  }

  private connect() {
    if (this.stopped) return;
    this.setState('connecting');
    let ws: WebSocket;
    try {
      ws = new this.opts.WebSocketImpl(this.url());
    } catch {
      this.retry();
      return;
    }
    this.ws = ws;
    this.held = null;
    ws.onopen = () => {
      this.attempt = 0;
      this.setState('open');
      if (this.lastSeq !== null) {
        this.held = new Map();
        ws.send(JSON.stringify({ type: 'resume', after: this.lastSeq }));
      }
    };
    ws.onmessage = (m) => {
      let msg: { type?: unknown; seq?: unknown; code?: unknown };
      try {
        msg = JSON.parse(String(m.data));
      } catch {
        return;
      }
      if (typeof msg.type !== 'string') return;
      if (msg.type === 'hello' || msg.type === 'pong') {
        // The first hello tells where "now" is; later hellos must not skip what a resume will replay.
        if (this.lastSeq === null && typeof msg.seq === 'number') this.lastSeq = msg.seq;
        return;
      }
      if (msg.type === 'resumed' || (msg.type === 'error' && this.held)) {
        this.release();
        return;
      }
      if (msg.type === 'resync') {
        this.resync(typeof msg.seq === 'number' ? msg.seq : null);
        return;
      }
      if (this.held && typeof msg.seq === 'number') {
        this.held.set(msg.seq, msg as HubEvent);
        return;
      }
      this.deliver(msg as HubEvent);
    };
    ws.onclose = (e?: { code?: number }) => {
      if (this.ws === ws) this.ws = null;
      this.held = null;
      // Too many sockets on this token (another tab, a copied token): do not take turns closing each other.
      if (e?.code === CLOSE_TOO_MANY_CONNECTIONS) this.attempt = Math.max(this.attempt, 30);
      this.retry();
    };
    ws.onerror = () => {
      // onclose follows; retrying is done there.
    };
  }

  /** One event to the handlers, once, in seq order (an older or repeated seq is dropped). */
  private deliver(msg: HubEvent) {
    const seq = (msg as { seq?: unknown }).seq;
    if (typeof seq === 'number') {
      if (this.lastSeq !== null && seq <= this.lastSeq) return; // already seen (resume overlap)
      this.lastSeq = seq;
    }
    for (const h of this.handlers) {
      try {
        h(msg);
      } catch (e) {
        console.error('事件处理失败', e);
      }
    }
  }

  /** The resume is answered: what was held goes on in seq order. */
  private release() {
    const held = this.held;
    this.held = null;
    if (!held) return;
    for (const seq of [...held.keys()].sort((a, b) => a - b)) this.deliver(held.get(seq)!);
  }

  /** The hub cannot replay exactly: screens reload, then only events after `seq` count. */
  private resync(seq: number | null) {
    const held = this.held;
    this.held = null;
    if (seq !== null) this.lastSeq = seq;
    for (const h of this.resyncHandlers) {
      try {
        h();
      } catch (e) {
        console.error('重新加载失败', e);
      }
    }
    if (held) for (const s of [...held.keys()].sort((a, b) => a - b)) this.deliver(held.get(s)!);
  }

  private retry() {
    if (this.stopped) return;
    this.setState('closed');
    const delay = backoffDelay(this.attempt++, this.opts.minDelayMs, this.opts.maxDelayMs, this.opts.random);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.connect();
    }, delay);
  }
}
