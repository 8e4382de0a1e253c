/**
 * Live events over WebSocket. Every event is persisted with a `seq` before it is sent, so a client
 * that reconnects (even after a hub restart) sends `{ type: "resume", after }` and gets exactly what
 * it missed, in order, then live events — never a gap and never a duplicate.
 *
 * Anyone on the hall LAN with a token can connect, so every cost is bounded (docs/security.md):
 * - a resume replays at most `maxReplay` events; further behind (or after events the store has
 *   pruned, or ahead of the store) the client gets `{ type: "resync", seq }` and reloads its state;
 * - the replay goes in chunks, the next one only after the socket took the previous one, on a later
 *   turn of the event loop: a replay never blocks the hub, and a client that does not read stalls
 *   only itself;
 * - a socket whose unsent data exceeds `maxBufferedBytes` is closed (1013), not buffered forever;
 * - one credential holds at most `maxConnectionsPerKey` sockets: a new one closes its oldest (4008).
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import type { StoredEvent } from '../queue/repository.js';
import { closeRevoked } from './credential-watch.js';

/** Close code for the oldest socket of a credential that opened one too many. */
export const CLOSE_TOO_MANY_CONNECTIONS = 4008;
/** Close code ("try again later") for a client that does not read what it is sent. */
export const CLOSE_TOO_SLOW = 1013;

export interface EventHubLimits {
  /** Most events one resume replays; a client further behind gets `resync`. */
  maxReplay: number;
  /** Events read and sent per turn of the event loop while replaying. */
  replayChunk: number;
  /** Unsent bytes on one socket beyond which the client is closed. */
  maxBufferedBytes: number;
  /** Sockets one credential may hold at once. */
  maxConnectionsPerKey: number;
}

export const DEFAULT_EVENT_LIMITS: EventHubLimits = {
  maxReplay: 2000,
  replayChunk: 100,
  maxBufferedBytes: 1024 * 1024,
  maxConnectionsPerKey: 8,
};

/** Who connected: `key` names the credential (a device token's id, a staff session). */
export interface EventCaller {
  key: string;
}

interface Client {
  ws: WebSocket;
  /** Who connected, as `authenticate` answered. */
  who: EventCaller;
  key: string;
  /** Highest seq sent to this client; nothing at or below it is sent again. */
  lastSent: number;
  alive: boolean;
  /** A resume is being replayed: live events wait in the store until the replay reaches them. */
  replaying: boolean;
  /** One resume per connection: a reconnecting client sends it once, right after opening. */
  resumed: boolean;
}

export interface EventHubOptions<C extends EventCaller = EventCaller> {
  /** Returns who is connecting, or null to refuse with 401. */
  authenticate(req: IncomingMessage): C | null;
  eventsAfter(seq: number, limit: number): StoredEvent[];
  lastSeq(): number;
  render(e: StoredEvent): string;
  pingIntervalMs?: number;
  limits?: Partial<EventHubLimits>;
  /**
   * Registers an accepted socket with what `authenticate` returned; `close` is called when that
   * credential ends (revoked, signed out). Returns the function that stops watching.
   */
  watch?(who: C, close: () => void): () => void;
}

export class EventHub<C extends EventCaller = EventCaller> {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  /** In connection order: the first of a key is its oldest. */
  private readonly clients = new Set<Client>();
  private readonly pinger: NodeJS.Timeout;
  private readonly limits: EventHubLimits;

  constructor(private readonly opts: EventHubOptions<C>) {
    this.limits = { ...DEFAULT_EVENT_LIMITS, ...opts.limits };
    this.pinger = setInterval(() => {
      for (const c of this.clients) {
        if (!c.alive) {
          this.clients.delete(c);
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

  private attach(ws: WebSocket, who: C): void {
    const { key } = who;
    // The newest socket wins: a terminal that reconnects after a drop must not be locked out by its
    // own half-open old socket; the one closed is told why.
    const same = [...this.clients].filter((c) => c.key === key);
    for (const old of same.slice(0, Math.max(0, same.length - this.limits.maxConnectionsPerKey + 1))) {
      this.drop(old, CLOSE_TOO_MANY_CONNECTIONS, '同一令牌的连接过多，已关闭最早的连接');
    }
    const client: Client = {
      ws,
      who,
      key,
      lastSent: this.opts.lastSeq(),
      alive: true,
      replaying: false,
      resumed: false,
    };
    this.clients.add(client);
    // A revoked token gets nothing more: out of the fan-out at once, then closed.
    const unwatch = this.opts.watch?.(who, () => {
      this.clients.delete(client);
      closeRevoked(ws);
    });
    ws.once('close', () => unwatch?.());
    ws.on('pong', () => {
      client.alive = true;
    });
    ws.on('close', () => this.clients.delete(client));
    ws.on('error', () => this.clients.delete(client));
    ws.on('message', (data) => this.onMessage(client, data.toString()));
    this.send(client, JSON.stringify({ type: 'hello', seq: client.lastSent, at: new Date().toISOString() }));
  }

  /** Closes a client with a reason; a socket that cannot even take the close frame is cut after 5 s. */
  private drop(c: Client, code: number, reason: string): void {
    this.clients.delete(c);
    c.replaying = false;
    const cut = setTimeout(() => c.ws.terminate(), 5000);
    cut.unref();
    c.ws.once('close', () => clearTimeout(cut));
    c.ws.close(code, reason);
  }

  /** Sends one message; false (and the client closed) when it no longer reads fast enough. */
  private send(c: Client, text: string, sent?: (err?: Error) => void): boolean {
    if (c.ws.readyState !== c.ws.OPEN) return false;
    c.ws.send(text, sent);
    if (c.ws.bufferedAmount > this.limits.maxBufferedBytes) {
      this.drop(c, CLOSE_TOO_SLOW, '接收太慢，连接已关闭，请重新连接');
      return false;
    }
    return true;
  }

  private onMessage(client: Client, text: string): void {
    let msg: { type?: unknown; after?: unknown };
    try {
      msg = JSON.parse(text);
    } catch {
      this.send(client, JSON.stringify({ type: 'error', code: 'INVALID_JSON', message: '消息不是有效的 JSON' }));
      return;
    }
    if (msg.type === 'resume') {
      if (typeof msg.after !== 'number' || !Number.isInteger(msg.after) || msg.after < 0) {
        this.send(
          client,
          JSON.stringify({ type: 'error', code: 'INVALID_INPUT', message: '字段 after：应为非负整数' }),
        );
        return;
      }
      if (client.resumed) {
        this.send(
          client,
          JSON.stringify({ type: 'error', code: 'ALREADY_RESUMED', message: '每个连接只能续传一次，请重新连接' }),
        );
        return;
      }
      client.resumed = true;
      this.replay(client, msg.after);
      return;
    }
    if (msg.type === 'ping') {
      this.send(client, JSON.stringify({ type: 'pong' }));
      return;
    }
    this.send(client, JSON.stringify({ type: 'error', code: 'UNKNOWN_MESSAGE', message: '不认识的消息类型' }));
  }

  /** Tells the client to reload its state and follow live events from now. */
  private resync(c: Client): void {
    c.replaying = false;
    c.lastSent = this.opts.lastSeq();
    this.send(c, JSON.stringify({ type: 'resync', seq: c.lastSent, at: new Date().toISOString() }));
  }

  private replay(c: Client, after: number): void {
    const { maxReplay, replayChunk } = this.limits;
    const last = this.opts.lastSeq();
    // Ahead of the store (another database, a restore) or too far behind: a reload is cheaper and exact.
    if (after > last || last - after > maxReplay) {
      this.resync(c);
      return;
    }
    c.replaying = true;
    let cursor = after;
    let sent = 0;
    const step = () => {
      if (!this.clients.has(c) || !c.replaying) return;
      const page = this.opts.eventsAfter(cursor, replayChunk);
      // Seqs have no holes: a first event beyond `after + 1` means what followed `after` was pruned.
      if (cursor === after && (page.length === 0 ? this.opts.lastSeq() > after : page[0]!.seq > after + 1))
        return this.resync(c);
      // Live events keep coming while a replay runs; it never chases them for ever.
      if (sent + page.length > maxReplay) return this.resync(c);
      const more = page.length === replayChunk;
      for (let i = 0; i < page.length; i++) {
        const e = page[i]!;
        // The next chunk goes once the socket has taken this one, on a later turn of the loop.
        const next = more && i === page.length - 1 ? () => setImmediate(step) : undefined;
        if (!this.send(c, this.opts.render(e), next)) return;
        cursor = e.seq;
        sent++;
      }
      if (more) return;
      // Caught up, in the same turn as the last read: every later event is published to it live.
      c.replaying = false;
      c.lastSent = Math.max(c.lastSent, cursor);
      this.send(c, JSON.stringify({ type: 'resumed', seq: c.lastSent }));
    };
    step();
  }

  publish(events: StoredEvent[]): void {
    for (const e of events) {
      const text = this.opts.render(e);
      for (const c of [...this.clients]) {
        if (c.replaying || e.seq <= c.lastSent) continue;
        if (this.send(c, text)) c.lastSent = e.seq;
      }
    }
  }

  /**
   * Sends a message that is not a stored event (no `seq`, not replayed) to the clients `who`
   * matches — e.g. a terminal's own configuration, to that terminal only.
   */
  sendWhere(match: (who: C) => boolean, msg: Record<string, unknown>): number {
    const text = JSON.stringify(msg);
    let n = 0;
    for (const c of this.clients) {
      if (!match(c.who as C)) continue;
      if (this.send(c, text)) n++;
    }
    return n;
  }

  /** Closes the clients `who` matches (a revoked credential), with a close code and reason. */
  closeWhere(match: (who: C) => boolean, code = 4401, reason = 'revoked'): void {
    for (const c of [...this.clients]) {
      if (!match(c.who as C)) continue;
      this.drop(c, code, reason);
    }
  }

  close(): void {
    clearInterval(this.pinger);
    for (const c of this.clients) c.ws.terminate();
    this.clients.clear();
    this.wss.close();
  }
}
