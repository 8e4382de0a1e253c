/**
 * The live event hub's bounds over real loopback WebSockets, with small limits: a resume replays at
 * most `maxReplay` events in chunks that let the loop run, answers `resync` when it cannot be
 * exact, a slow reader is closed, and a token holds a bounded number of sockets.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { waitFor } from '../../drivers/testing/wait-for.js';
import type { StoredEvent } from '../queue/repository.js';
import { CLOSE_TOO_MANY_CONNECTIONS, CLOSE_TOO_SLOW, EventHub, type EventHubLimits } from './event-hub.js';

interface Msg {
  type: string;
  seq?: number;
  [k: string]: unknown;
}

/** An event log like the store's: contiguous seqs, oldest ones may be pruned. */
class Log {
  events: StoredEvent[] = [];
  reads = 0;
  append(n: number, pad = 0): StoredEvent[] {
    const added: StoredEvent[] = [];
    for (let i = 0; i < n; i++) {
      const seq = this.last() + 1;
      const e: StoredEvent = {
        seq,
        at: seq,
        event: { type: 'queue.changed', serviceCode: 'x'.repeat(pad || 1), waiting: seq },
      };
      this.events.push(e);
      added.push(e);
    }
    return added;
  }
  last(): number {
    return this.events.at(-1)?.seq ?? 0;
  }
  after(seq: number, limit: number): StoredEvent[] {
    this.reads++;
    return this.events.filter((e) => e.seq > seq).slice(0, limit);
  }
}

const open: { server: Server; hub: EventHub; sockets: WebSocket[] }[] = [];
afterEach(async () => {
  for (const o of open.splice(0)) {
    for (const s of o.sockets) s.terminate();
    o.hub.close();
    await new Promise<void>((r) => o.server.close(() => r()));
  }
});

async function start(limits: Partial<EventHubLimits>, log = new Log(), onRead?: () => void) {
  const hub = new EventHub({
    // The token is the credential's key here: the hub's own auth maps tokens to keys the same way.
    authenticate: (req) => {
      const token = new URL(req.url ?? '/', 'http://hub').searchParams.get('token');
      return token ? { key: token } : null;
    },
    eventsAfter: (seq, limit) => {
      onRead?.();
      return log.after(seq, limit);
    },
    lastSeq: () => log.last(),
    render: (e) => JSON.stringify({ type: e.event.type, seq: e.seq, ...(e.event as object) }),
    limits,
  });
  const server = createServer();
  server.on('upgrade', (req, socket, head) => hub.handleUpgrade(req, socket, head));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const entry = { server, hub, sockets: [] as WebSocket[] };
  open.push(entry);
  const port = (server.address() as AddressInfo).port;
  const connect = async (token = 't1') => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/events?token=${token}`);
    entry.sockets.push(ws);
    const msgs: Msg[] = [];
    const closed = new Promise<{ code: number; reason: string }>((resolve) =>
      ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
    );
    ws.on('message', (d) => msgs.push(JSON.parse(d.toString())));
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    const until = (pred: () => boolean, what: string) => waitFor(what, pred);
    await until(() => msgs.some((m) => m.type === 'hello'), 'hello');
    return { ws, msgs, closed, until, events: () => msgs.filter((m) => m.type === 'queue.changed') };
  };
  return { hub, log, connect };
}

describe('event hub bounds', () => {
  it('replays in chunks, letting the loop run between them, then follows live events without gap or duplicate', async () => {
    const order: string[] = [];
    let ticking = true;
    const tick = () => {
      if (!ticking) return;
      order.push('tick');
      setImmediate(tick);
    };
    const { log, hub, connect } = await start({ replayChunk: 10, maxReplay: 500 }, new Log(), () => order.push('read'));
    log.append(95);
    const c = await connect();
    let live = false;
    c.ws.on('message', (d) => {
      // Events that happen during the replay: stored, then published (the client must get each once).
      if (!live && JSON.parse(d.toString()).type === 'queue.changed') {
        live = true;
        hub.publish(log.append(5));
      }
    });
    setImmediate(tick);
    order.length = 0;
    c.ws.send(JSON.stringify({ type: 'resume', after: 0 }));
    await c.until(() => c.msgs.some((m) => m.type === 'resumed'), 'resumed');
    ticking = false;
    expect(c.events().map((m) => m.seq)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    expect(c.msgs.find((m) => m.type === 'resumed')!.seq).toBe(100);
    // Eleven reads of ten, and other work ran between them: the replay never held the loop.
    const reads = order.map((x, i) => (x === 'read' ? i : -1)).filter((i) => i >= 0);
    expect(reads.length).toBe(11);
    for (let k = 1; k < reads.length; k++) expect(order.slice(reads[k - 1]!, reads[k]!)).toContain('tick');
    hub.publish(log.append(1));
    await c.until(() => c.events().length === 101, 'a live event');
    expect(c.events().at(-1)!.seq).toBe(101);
  });

  it('answers resync instead of replaying too much, what was pruned, or from ahead of the log', async () => {
    const { log, hub, connect } = await start({ replayChunk: 10, maxReplay: 50 });
    log.append(80);
    for (const after of [0, 29, 81, 1_000_000]) {
      const c = await connect(`t-${after}`);
      c.ws.send(JSON.stringify({ type: 'resume', after }));
      await c.until(() => c.msgs.some((m) => m.type === 'resync'), `resync after ${after}`);
      expect(c.msgs.find((m) => m.type === 'resync')!.seq).toBe(80);
      expect(c.events()).toEqual([]);
    }
    // Within the cap it replays; after the oldest events are pruned, the same resume cannot be exact.
    const near = await connect('near');
    near.ws.send(JSON.stringify({ type: 'resume', after: 40 }));
    await near.until(() => near.msgs.some((m) => m.type === 'resumed'), 'resumed');
    expect(near.events().map((m) => m.seq)).toEqual(Array.from({ length: 40 }, (_, i) => 41 + i));
    log.events = log.events.filter((e) => e.seq > 60);
    const pruned = await connect('pruned');
    pruned.ws.send(JSON.stringify({ type: 'resume', after: 40 }));
    await pruned.until(() => pruned.msgs.some((m) => m.type === 'resync'), 'resync after pruning');
    // After a resync, live events follow from its seq; one resume per connection.
    hub.publish(log.append(1));
    await pruned.until(() => pruned.events().length === 1, 'live event');
    expect(pruned.events()[0]!.seq).toBe(81);
    pruned.ws.send(JSON.stringify({ type: 'resume', after: 70 }));
    await pruned.until(() => pruned.msgs.some((m) => m.code === 'ALREADY_RESUMED'), 'refusal');
  });

  it('stops a replay that keeps chasing live events at the cap', async () => {
    const log = new Log();
    let flooding = false;
    // A flood: ten new events (stored and published) before every chunk the replay reads.
    const { hub, connect } = await start({ replayChunk: 10, maxReplay: 30 }, log, () => {
      if (flooding) hub.publish(log.append(10));
    });
    log.append(25);
    const c = await connect();
    flooding = true;
    c.ws.send(JSON.stringify({ type: 'resume', after: 0 }));
    await c.until(() => c.msgs.some((m) => m.type === 'resync' || m.type === 'resumed'), 'the end of the replay');
    flooding = false;
    const end = c.msgs.find((m) => m.type === 'resync' || m.type === 'resumed')!;
    expect(end.type).toBe('resync');
    expect(end.seq).toBe(log.last());
    expect(c.events().map((m) => m.seq)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    hub.publish(log.append(1));
    await c.until(() => c.events().length === 31, 'a live event after the resync');
    expect(c.events().at(-1)!.seq).toBe(log.last());
  });

  it('closes a client that does not read, instead of buffering for it', async () => {
    const { log, hub, connect } = await start({ maxBufferedBytes: 64 * 1024 });
    const slow = await connect('slow');
    const fast = await connect('fast');
    // The slow client stops reading: the kernel buffers fill, then the hub's own buffer.
    (slow.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    expect(hub.size).toBe(2);
    for (let i = 0; i < 4000 && hub.size === 2; i++) {
      hub.publish(log.append(4, 16 * 1024));
      await new Promise((r) => setImmediate(r));
    }
    expect(hub.size).toBe(1);
    (slow.ws as unknown as { _socket: { resume(): void } })._socket.resume();
    const why = await slow.closed;
    expect(why.code).toBe(CLOSE_TOO_SLOW);
    // The reader that keeps up is still served.
    hub.publish(log.append(1));
    await fast.until(() => fast.events().at(-1)?.seq === log.last(), 'the last event');
  });

  it('keeps at most N sockets per credential, closing the oldest with a reason', async () => {
    const { hub, connect } = await start({ maxConnectionsPerKey: 2 });
    const a = await connect('k');
    const b = await connect('k');
    const other = await connect('other');
    const c = await connect('k');
    const why = await a.closed;
    expect(why.code).toBe(CLOSE_TOO_MANY_CONNECTIONS);
    expect(why.reason).toMatch(/连接过多/);
    expect(hub.size).toBe(3);
    for (const s of [b, c, other]) expect(s.ws.readyState).toBe(WebSocket.OPEN);
  });
});
