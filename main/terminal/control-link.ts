/**
 * The terminal's own line to its hub: the live-event WebSocket with the terminal's token in the
 * header (never in the address). Through it the terminal hears a change of its configuration
 * (`terminal.config`) and that it was revoked (`terminal.revoked`, close code 4401, or a 401 when
 * reconnecting); its opening and closing tell whether the hub is reachable. It reconnects with a
 * capped, jittered backoff until stopped.
 */
import WebSocket from 'ws';
import { parseConfig } from './hub-api.js';
import type { TerminalConfigView } from './terminal-types.js';

export interface ControlLinkHandlers {
  up(): void;
  down(): void;
  config(view: TerminalConfigView): void;
  revoked(): void;
}

export interface ControlLinkOptions {
  hubUrl: string;
  token: string;
  minDelayMs?: number;
  maxDelayMs?: number;
  random?: () => number;
  /** Injected for tests. */
  WebSocketImpl?: typeof WebSocket;
}

/** Close code the hub uses when a terminal's token is revoked or replaced. */
export const REVOKED_CLOSE = 4401;

export class ControlLink {
  private ws: WebSocket | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private attempt = 0;
  private stopped = true;
  private isUp = false;

  constructor(
    private readonly o: ControlLinkOptions,
    private readonly on: ControlLinkHandlers,
  ) {}

  start(): void {
    this.stopped = false;
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const ws = this.ws;
    this.ws = null;
    ws?.removeAllListeners();
    ws?.on('error', () => {});
    ws?.terminate();
  }

  private connect(): void {
    if (this.stopped) return;
    const WS = this.o.WebSocketImpl ?? WebSocket;
    const url = `${this.o.hubUrl.replace(/^http/, 'ws').replace(/\/+$/, '')}/api/v1/events`;
    const ws = new WS(url, { headers: { authorization: `Bearer ${this.o.token}` }, handshakeTimeout: 10_000 });
    this.ws = ws;
    let revoked = false;
    ws.on('open', () => {
      if (this.ws !== ws) return;
      this.attempt = 0;
      this.setUp(true);
    });
    ws.on('unexpected-response', (_req, res) => {
      if (this.ws !== ws) return;
      revoked = res.statusCode === 401;
      res.resume();
      ws.terminate();
    });
    ws.on('message', (data) => {
      if (this.ws !== ws) return;
      let msg: { type?: unknown; config?: unknown };
      try {
        msg = JSON.parse(data.toString());
      } catch {
        return;
      }
      if (msg.type === 'terminal.revoked') revoked = true;
      else if (msg.type === 'terminal.config') {
        try {
          this.on.config(parseConfig(msg.config));
        } catch {
          // A push the terminal cannot read is ignored; the next (re)connect fetches the config again.
        }
      }
    });
    ws.on('error', () => {});
    ws.on('close', (code) => {
      if (this.ws !== ws) return;
      this.ws = null;
      this.setUp(false);
      if (revoked || code === REVOKED_CLOSE) {
        this.stopped = true;
        this.on.revoked();
        return;
      }
      this.retry();
    });
  }

  private setUp(up: boolean): void {
    if (up === this.isUp) return;
    this.isUp = up;
    if (up) this.on.up();
    else this.on.down();
  }

  private retry(): void {
    if (this.stopped) return;
    const min = this.o.minDelayMs ?? 1000;
    const max = this.o.maxDelayMs ?? 15_000;
    const base = Math.min(max, min * 2 ** Math.min(this.attempt, 20));
    const delay = Math.round(base * (0.8 + 0.4 * (this.o.random ?? Math.random)()));
    this.attempt++;
    // A hub that never answered is down too (the first attempt failing says so).
    this.on.down();
    this.timer = setTimeout(() => {
      this.timer = null;
      this.connect();
    }, delay);
  }
}
