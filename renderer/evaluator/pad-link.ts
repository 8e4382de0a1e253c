/**
 * The evaluator's link to the hub's pad endpoint (`/api/v1/pads`, docs/pad-protocol.md), the same
 * protocol third-party pads use. Through it the pad learns its window's staff and the hub's reason
 * codes, reports itself online (device health), and tells the hub when a citizen left a request
 * unanswered (`dismiss` → recorded as not evaluated). Ratings still go over `POST /evaluations`.
 * A hub without the endpoint simply never answers `welcome`; the screen then works from events.
 */

import { ReconnectingSocket, wsUrl } from '../../common/reconnecting-socket.js';
import type { EvaluationLevel } from '../shared/api-types.js';
import type { EvaluationReason } from '../shared/catalogue.js';

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
  private readonly socket: ReconnectingSocket<WebSocket>;
  private heartbeat: ReturnType<typeof setInterval> | null = null;
  private welcomed = false;

  constructor(
    private readonly opts: {
      baseUrl: string;
      token: string | null;
      windowNo: number | null;
      /** Set when a terminal serves this page: it signs the link in with its own credentials. */
      terminalId?: string | null;
    },
    private readonly on: PadLinkHandlers,
    WS: typeof WebSocket = WebSocket,
  ) {
    this.socket = new ReconnectingSocket({
      url: () => wsUrl(opts.baseUrl, '/api/v1/pads'),
      minDelayMs: 1000,
      maxDelayMs: 30_000,
      // Open is not yet accepted: the backoff starts over with the hub's welcome.
      resetOnOpen: false,
      WebSocketImpl: WS,
      onOpen: (ws) => ws.send(JSON.stringify(this.hello())),
      onMessage: (msg) => this.receive(msg),
      onDown: () => {
        this.stopHeartbeat();
        if (this.welcomed) this.on.down();
        this.welcomed = false;
      },
    });
  }

  get ready(): boolean {
    return this.welcomed && this.socket.isOpen;
  }

  /**
   * Connects, unless there is nothing to sign in with: no token, and no terminal serving the page
   * (whose local origin adds its own credentials to the link).
   */
  start(): this {
    if (this.opts.token || this.opts.terminalId) this.socket.start();
    return this;
  }

  stop(): void {
    this.stopHeartbeat();
    this.socket.stop();
  }

  /** Tells the hub the citizen did not rate; false when the link is down. */
  dismiss(requestId: string): boolean {
    if (!this.ready) return false;
    return this.socket.send(JSON.stringify({ type: 'dismiss', requestId }));
  }

  private hello() {
    return {
      type: 'hello',
      ...(this.opts.token ? { token: this.opts.token } : {}),
      protocol: 1,
      ...(this.opts.windowNo !== null ? { windowNo: this.opts.windowNo } : {}),
      vendor: 'govhall',
      model: 'evaluator-web',
    };
  }

  private receive(msg: Record<string, unknown>) {
    // welcome comes once after hello and again whenever the window's staff change (sign-in or
    // sign-out): each one replaces what the last said.
    if (msg.type === 'welcome') {
      this.welcomed = true;
      this.socket.resetBackoff();
      const w = msg as unknown as PadWelcome;
      this.stopHeartbeat();
      this.heartbeat = setInterval(
        () => this.socket.send('{"type":"ping"}'),
        Math.max(5, w.heartbeatSeconds || 15) * 1000 * 0.8,
      );
      this.on.welcome(w);
    } else if (msg.type === 'evaluate') this.on.evaluate(msg as unknown as PadEvaluate);
    else if (msg.type === 'evaluate.cancel') this.on.cancel(msg as unknown as PadCancel);
  }

  private stopHeartbeat() {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
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
