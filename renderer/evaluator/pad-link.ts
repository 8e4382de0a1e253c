/**
 * The evaluator's link to the hub's pad endpoint (`/api/v1/pads`, docs/pad-protocol.md), the same
 * protocol third-party pads use. Through it the pad learns its window's staff and the hub's reason
 * codes, reports itself online (device health), and tells the hub when a citizen left a request
 * unanswered (`dismiss` → recorded as not evaluated). Ratings still go over `POST /evaluations`.
 * A hub without the endpoint simply never answers `welcome`; the screen then works from events.
 */
import type { EvaluationLevel } from '../shared/api-types.js';
import type { EvaluationReason } from '../shared/catalogue.js';
import { backoffDelay } from '../shared/event-stream.js';

export interface PadWelcome {
  windowNo: number;
  windowName?: string;
  staff: { no: string; name: string } | null;
  heartbeatSeconds: number;
  evaluateTimeoutSeconds: number;
  reasons: { code: string; text: string; levels: EvaluationLevel[] }[];
}

export interface PadEvaluate {
  requestId: string;
  caseId: string;
  windowNo: number;
  staff: { no: string; name: string } | null;
  taskName?: string | null;
}

export interface PadCancel {
  requestId: string;
  caseId: string;
  reason: 'rated' | 'timeout' | 'dismissed' | 'replaced';
}

export interface PadLinkHandlers {
  welcome(w: PadWelcome): void;
  evaluate(e: PadEvaluate): void;
  cancel(c: PadCancel): void;
  /** Lost the link (the screen keeps working from events). */
  down(): void;
}

export class PadLink {
  private ws: WebSocket | null = null;
  private attempt = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private heartbeat: ReturnType<typeof setInterval> | null = null;
  private stopped = false;
  private welcomed = false;

  constructor(
    private readonly opts: { baseUrl: string; token: string | null; windowNo: number | null },
    private readonly on: PadLinkHandlers,
    private readonly WS: typeof WebSocket = WebSocket,
  ) {}

  get ready(): boolean {
    return this.welcomed && this.ws?.readyState === this.WS.OPEN;
  }

  start(): this {
    this.connect();
    return this;
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.ws?.close();
  }

  /** Tells the hub the citizen did not rate; false when the link is down. */
  dismiss(requestId: string): boolean {
    if (!this.ready) return false;
    this.ws?.send(JSON.stringify({ type: 'dismiss', requestId }));
    return true;
  }

  private connect() {
    if (this.stopped || !this.opts.token) return;
    const u = new URL(`${this.opts.baseUrl}/api/v1/pads`);
    u.protocol = u.protocol === 'https:' ? 'wss:' : 'ws:';
    let ws: WebSocket;
    try {
      ws = new this.WS(u.toString());
    } catch {
      return this.retry();
    }
    this.ws = ws;
    ws.onopen = () => {
      ws.send(
        JSON.stringify({
          type: 'hello',
          token: this.opts.token,
          protocol: 1,
          ...(this.opts.windowNo !== null ? { windowNo: this.opts.windowNo } : {}),
          vendor: 'govhall',
          model: 'evaluator-web',
        }),
      );
    };
    ws.onmessage = (m) => {
      let msg: Record<string, unknown>;
      try {
        msg = JSON.parse(String(m.data));
      } catch {
        return;
      }
      // welcome comes once after hello and again whenever the window's staff change (sign-in or
      // sign-out): each one replaces what the last said.
      if (msg.type === 'welcome') {
        this.welcomed = true;
        this.attempt = 0;
        const w = msg as unknown as PadWelcome;
        if (this.heartbeat) clearInterval(this.heartbeat);
        this.heartbeat = setInterval(
          () => ws.readyState === this.WS.OPEN && ws.send('{"type":"ping"}'),
          Math.max(5, w.heartbeatSeconds || 15) * 1000 * 0.8,
        );
        this.on.welcome(w);
      } else if (msg.type === 'evaluate') this.on.evaluate(msg as unknown as PadEvaluate);
      else if (msg.type === 'evaluate.cancel') this.on.cancel(msg as unknown as PadCancel);
    };
    ws.onclose = () => {
      if (this.ws !== ws) return;
      this.ws = null;
      if (this.heartbeat) clearInterval(this.heartbeat);
      if (this.welcomed) this.on.down();
      this.welcomed = false;
      this.retry();
    };
  }

  private retry() {
    if (this.stopped) return;
    this.timer = setTimeout(() => this.connect(), backoffDelay(this.attempt++, 1000, 30_000, Math.random));
  }
}

/** The hub's reason list in the shape the rating form filters (platform levels 1 = 非常不满意, 2 = 不满意). */
export function reasonsFromWelcome(w: PadWelcome): EvaluationReason[] {
  return w.reasons.map((r) => ({
    code: r.code,
    text: r.text,
    forLevels: [
      ...(r.levels.includes('very_dissatisfied') ? [1] : []),
      ...(r.levels.includes('dissatisfied') ? [2] : []),
    ],
  }));
}
