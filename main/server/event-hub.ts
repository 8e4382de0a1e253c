/**
 * Live events over WebSocket. Every event is persisted with a `seq` before it is sent, so a client
 * that reconnects (even after a hub restart) sends `{ type: "resume", after }` and gets exactly what
 * it missed, in order, then live events — never a gap and never a duplicate.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import type { StoredEvent } from '../queue/repository.js';

interface Client {
  ws: WebSocket;
  /** Who connected, as `authenticate` answered. */
  who: unknown;
  /** Highest seq sent to this client; nothing at or below it is sent again. */
  lastSent: number;
  alive: boolean;
}

export interface EventHubOptions {
  /** Returns who is connecting, or null to refuse with 401. */
  authenticate(req: IncomingMessage): unknown | null;
  eventsAfter(seq: number, limit: number): StoredEvent[];
  lastSeq(): number;
  render(e: StoredEvent): string;
  pingIntervalMs?: number;
}

const REPLAY_PAGE = 500;

export class EventHub {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  private readonly clients = new Set<Client>();
  private readonly pinger: NodeJS.Timeout;

  constructor(private readonly opts: EventHubOptions) {
    this.pinger = setInterval(() => {
      for (const c of this.clients) {
        if (!c.alive) {
          c.ws.terminate();
          continue;
        }
        c.alive = false;
        c.ws.ping();
      }
    }, opts.pingIntervalMs ?? 30_000);
    this.pinger.unref();
  }

  get size(): number {
    return this.clients.size;
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const who = this.opts.authenticate(req);
    if (!who) {
      socket.end(
        'HTTP/1.1 401 Unauthorized\r\ncontent-type: application/json; charset=utf-8\r\nconnection: close\r\n\r\n{"code":"UNAUTHORIZED","message":"缺少或无效的令牌"}',
      );
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.attach(ws, who));
  }

  private attach(ws: WebSocket, who: unknown): void {
    const client: Client = { ws, who, lastSent: this.opts.lastSeq(), alive: true };
    this.clients.add(client);
    ws.on('pong', () => {
      client.alive = true;
    });
    ws.on('close', () => this.clients.delete(client));
    ws.on('error', () => this.clients.delete(client));
    ws.on('message', (data) => this.onMessage(client, data.toString()));
    ws.send(JSON.stringify({ type: 'hello', seq: client.lastSent, at: new Date().toISOString() }));
  }

  private onMessage(client: Client, text: string): void {
    let msg: { type?: unknown; after?: unknown };
    try {
      msg = JSON.parse(text);
    } catch {
      client.ws.send(JSON.stringify({ type: 'error', code: 'INVALID_JSON', message: '消息不是有效的 JSON' }));
      return;
    }
    if (msg.type === 'resume') {
      if (typeof msg.after !== 'number' || !Number.isInteger(msg.after) || msg.after < 0) {
        client.ws.send(JSON.stringify({ type: 'error', code: 'INVALID_INPUT', message: '字段 after：应为非负整数' }));
        return;
      }
      // Reads are synchronous: no live event can slip in between the replay pages.
      let after = msg.after;
      for (;;) {
        const page = this.opts.eventsAfter(after, REPLAY_PAGE);
        for (const e of page) client.ws.send(this.opts.render(e));
        if (page.length < REPLAY_PAGE) break;
        after = page[page.length - 1]!.seq;
      }
      client.lastSent = this.opts.lastSeq();
      client.ws.send(JSON.stringify({ type: 'resumed', seq: client.lastSent }));
      return;
    }
    if (msg.type === 'ping') {
      client.ws.send(JSON.stringify({ type: 'pong' }));
      return;
    }
    client.ws.send(JSON.stringify({ type: 'error', code: 'UNKNOWN_MESSAGE', message: '不认识的消息类型' }));
  }

  publish(events: StoredEvent[]): void {
    for (const e of events) {
      const text = this.opts.render(e);
      for (const c of this.clients) {
        if (e.seq > c.lastSent && c.ws.readyState === c.ws.OPEN) {
          c.ws.send(text);
          c.lastSent = e.seq;
        }
      }
    }
  }

  /**
   * Sends a message that is not a stored event (no `seq`, not replayed) to the clients `who`
   * matches — e.g. a terminal's own configuration, to that terminal only.
   */
  sendWhere(match: (who: unknown) => boolean, msg: Record<string, unknown>): number {
    const text = JSON.stringify(msg);
    let n = 0;
    for (const c of this.clients) {
      if (c.ws.readyState !== c.ws.OPEN || !match(c.who)) continue;
      c.ws.send(text);
      n++;
    }
    return n;
  }

  /** Closes the clients `who` matches (a revoked credential), with a close code and reason. */
  closeWhere(match: (who: unknown) => boolean, code = 4401, reason = 'revoked'): void {
    for (const c of [...this.clients]) {
      if (!match(c.who)) continue;
      this.clients.delete(c);
      c.ws.close(code, reason);
      // A peer that does not answer the close is cut off.
      setTimeout(() => c.ws.terminate(), 2000).unref();
    }
  }

  close(): void {
    clearInterval(this.pinger);
    for (const c of this.clients) c.ws.terminate();
    this.clients.clear();
    this.wss.close();
  }
}
