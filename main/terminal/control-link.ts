/**
 * The terminal's own line to its hub: the live-event WebSocket with the terminal's token in the
 * header (never in the address). Through it the terminal hears a change of its configuration
 * (`terminal.config`) and that it was revoked (`terminal.revoked`, close code 4401, or a 401 when
 * reconnecting); its opening and closing tell whether the hub is reachable. Reconnecting with a
 * capped, jittered backoff is the pages' own socket (`common/reconnecting-socket.ts`) on a `ws`
 * socket that carries the header.
 */
import WebSocket from 'ws';
import { ReconnectingSocket, type SocketConstructor, wsUrl } from '../../common/reconnecting-socket.js';
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
}

/** Close code the hub uses when a terminal's token is revoked or replaced. */
export const REVOKED_CLOSE = 4401;

/**
 * A `ws` socket with the token in its header. A handshake the hub refuses with 401 is remembered
 * (the terminal was revoked while away); closing drops the connection at once, so a stopped
 * terminal does not wait for a hub that no longer answers.
 */
function tokenSocket(token: string): SocketConstructor<WebSocket & { refused: boolean }> {
  return class TokenSocket extends WebSocket {
    refused = false;
    constructor(url: string) {
      super(url, { headers: { authorization: `Bearer ${token}` }, handshakeTimeout: 10_000 });
      this.on('unexpected-response', (_req, res) => {
        this.refused = res.statusCode === 401;
        res.resume();
        this.terminate();
      });
    }
    override close(): void {
      this.terminate();
    }
  };
}

export class ControlLink {
  private readonly socket: ReconnectingSocket<WebSocket & { refused: boolean }>;
  private isUp = false;

  constructor(o: ControlLinkOptions, on: ControlLinkHandlers) {
    let revoked = false;
    this.socket = new ReconnectingSocket({
      url: () => wsUrl(o.hubUrl.replace(/\/+$/, ''), '/api/v1/events'),
      minDelayMs: o.minDelayMs ?? 1000,
      maxDelayMs: o.maxDelayMs ?? 15_000,
      WebSocketImpl: tokenSocket(o.token),
      ...(o.random ? { random: o.random } : {}),
      onConnecting: () => {
        revoked = false;
      },
      onOpen: () => this.setUp(true, on),
      onMessage: (msg) => {
        if (msg.type === 'terminal.revoked') revoked = true;
        else if (msg.type === 'terminal.config') {
          try {
            on.config(parseConfig(msg.config));
          } catch {
            // A push the terminal cannot read is ignored; the next (re)connect fetches the config again.
          }
        }
      },
      onClose: (code, ws) => {
        this.setUp(false, on);
        if (revoked || code === REVOKED_CLOSE || ws.refused) {
          this.socket.stop();
          on.revoked();
        }
      },
      // A hub that never answered is down too (the first attempt failing says so).
      onDown: () => on.down(),
    });
  }

  start(): void {
    this.socket.start();
  }

  stop(): void {
    this.socket.stop();
  }

  private setUp(up: boolean, on: ControlLinkHandlers): void {
    if (up === this.isUp) return;
    this.isUp = up;
    if (up) on.up();
    else on.down();
  }
}
