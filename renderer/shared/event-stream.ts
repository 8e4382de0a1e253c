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

import { ReconnectingSocket, wsUrl } from '../../common/reconnecting-socket.js';
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

export class EventStream {
  private readonly socket: ReconnectingSocket<WebSocket>;
  private handlers = new Set<Handler>();
  private stateHandlers = new Set<(s: StreamState) => void>();
  private resyncHandlers = new Set<() => void>();
  /** Events received while a resume is answered, by seq; handed on in order when it ends. */
  private held: Map<number, HubEvent> | null = null;
  private lastSeq: number | null = null;
  private _state: StreamState = 'closed';

  constructor(opts: EventStreamOptions) {
    this.socket = new ReconnectingSocket({
      url: () => wsUrl(opts.baseUrl, '/api/v1/events', { token: opts.token }),
      minDelayMs: opts.minDelayMs ?? 500,
      maxDelayMs: opts.maxDelayMs ?? 10_000,
      ...(opts.WebSocketImpl ? { WebSocketImpl: opts.WebSocketImpl } : {}),
      ...(opts.random ? { random: opts.random } : {}),
      onConnecting: () => this.setState('connecting'),
      slowDownOn: [CLOSE_TOO_MANY_CONNECTIONS],
      onOpen: (ws) => {
        this.held = null;
        this.setState('open');
        if (this.lastSeq !== null) {
          this.held = new Map();
          ws.send(JSON.stringify({ type: 'resume', after: this.lastSeq }));
        }
      },
      onMessage: (msg) => this.receive(msg),
      onDown: () => {
        this.held = null;
        this.setState('closed');
      },
    });
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

  /** Called when the hub cannot replay what was missed: reload what the screen shows. */
  onResync(h: () => void): () => void {
    this.resyncHandlers.add(h);
    return () => this.resyncHandlers.delete(h);
  }

  onState(h: (s: StreamState) => void): () => void {
    this.stateHandlers.add(h);
    return () => this.stateHandlers.delete(h);
  }

  start(): this {
    this.socket.start();
    return this;
  }

  stop(): void {
    this.socket.stop();
    this.setState('closed');
  }

  private setState(s: StreamState) {
    if (s === this._state) return;
    this._state = s;
    for (const h of this.stateHandlers) h(s);
  }

  private receive(msg: { type?: unknown; seq?: unknown }) {
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
    if (held) this.releaseAll(held);
  }

  private releaseAll(held: Map<number, HubEvent>) {
    for (const seq of [...held.keys()].sort((a, b) => a - b)) {
      const e = held.get(seq);
      if (e) this.deliver(e);
    }
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
    // Live events that came in meanwhile and are newer than the resync point still count.
    if (held) this.releaseAll(held);
  }
}
