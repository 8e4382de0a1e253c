/**
 * The live event feed (`/api/v1/events?token=`). It remembers the last `seq` and, after any drop,
 * reconnects with a capped, jittered backoff and asks the hub to `resume` after that seq, so a
 * display or pad never misses a call and never signs itself out. It keeps trying forever.
 */
import type { HubEvent, HubEventOf, HubEventType } from './api-types.js';
import { ReconnectingSocket, wsUrl } from './reconnecting-socket.js';

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

export class EventStream {
  private readonly socket: ReconnectingSocket;
  private handlers = new Set<Handler>();
  private stateHandlers = new Set<(s: StreamState) => void>();
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
      onOpen: (ws) => {
        this.setState('open');
        if (this.lastSeq !== null) ws.send(JSON.stringify({ type: 'resume', after: this.lastSeq }));
      },
      onMessage: (msg) => this.receive(msg),
      onDown: () => this.setState('closed'),
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
    if (msg.type === 'hello' || msg.type === 'resumed' || msg.type === 'pong') {
      // The first hello tells where "now" is; later hellos must not skip what a resume will replay.
      if (this.lastSeq === null && typeof msg.seq === 'number') this.lastSeq = msg.seq;
      return;
    }
    if (typeof msg.seq === 'number') {
      if (this.lastSeq !== null && msg.seq <= this.lastSeq) return; // already seen (resume overlap)
      this.lastSeq = msg.seq;
    }
    for (const h of this.handlers) {
      try {
        h(msg as HubEvent);
      } catch (e) {
        console.error('事件处理失败', e);
      }
    }
  }
}
