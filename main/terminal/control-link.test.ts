/**
 * The terminal's control link against a real WebSocket server on loopback: the token travels in
 * the header, config pushes arrive, and each of the hub's three ways of saying "revoked" stops the
 * link for good. Waiting is for real sockets only; the retry delay is the shared socket's (its
 * backoff is tested with fake timers in renderer/shared).
 */
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { type WebSocket, WebSocketServer } from 'ws';
import { cleanupAfterEach } from '../../drivers/testing/cleanups.js';
import { waitFor } from '../../drivers/testing/wait-for.js';
import { ControlLink, type ControlLinkHandlers } from './control-link.js';

const cleanups = cleanupAfterEach();

async function hub(refuse = false) {
  const seen: IncomingMessage[] = [];
  const sockets: WebSocket[] = [];
  const wss = new WebSocketServer({
    port: 0,
    host: '127.0.0.1',
    verifyClient: (_info, done) => done(!refuse, 401),
  });
  wss.on('connection', (ws, req) => {
    seen.push(req);
    sockets.push(ws);
  });
  await new Promise((r) => wss.once('listening', r));
  cleanups.push(() => new Promise((r) => wss.close(r)));
  const url = `http://127.0.0.1:${(wss.address() as AddressInfo).port}`;
  return { url, seen, sockets, wss };
}

function link(hubUrl: string, minDelayMs = 20) {
  const events: string[] = [];
  const configs: unknown[] = [];
  const on: ControlLinkHandlers = {
    up: () => events.push('up'),
    down: () => events.push('down'),
    config: (v) => configs.push(v),
    revoked: () => events.push('revoked'),
  };
  const l = new ControlLink({ hubUrl, token: 'T0K3N', minDelayMs, maxDelayMs: minDelayMs * 2 }, on);
  cleanups.push(() => l.stop());
  return { l, events, configs };
}

const entry = { id: 'kiosk-1', windows: [{ role: 'kiosk', display: 'primary' }], devices: [] };

describe('terminal control link (real WebSocket on loopback)', () => {
  it('sends the token in the header, never the address, and hands on config pushes', async () => {
    const h = await hub();
    const { l, events, configs } = link(h.url);
    l.start();
    await waitFor('the link to open', () => events.includes('up'));
    expect(h.seen[0]!.headers.authorization).toBe('Bearer T0K3N');
    expect(h.seen[0]!.url).toBe('/api/v1/events');
    h.sockets[0]!.send(JSON.stringify({ type: 'terminal.config', config: { entry, hallName: 'x' } }));
    h.sockets[0]!.send('not json');
    await waitFor('the pushed config', () => configs.length === 1);
    expect(configs[0]).toMatchObject({ entry: { id: 'kiosk-1' } });
  });

  it('reconnects after a drop and says down, then up again', async () => {
    const h = await hub();
    const { l, events } = link(h.url);
    l.start();
    await waitFor('the link to open', () => h.sockets.length === 1);
    h.sockets[0]!.close(1001);
    await waitFor('a second connection', () => h.sockets.length === 2);
    await waitFor('up again', () => events.filter((e) => e === 'up').length === 2);
    expect(events).toContain('down');
    expect(events).not.toContain('revoked');
  });

  it.each([
    ['close code 4401', (ws: WebSocket) => ws.close(4401)],
    ['a terminal.revoked message', (ws: WebSocket) => ws.send(JSON.stringify({ type: 'terminal.revoked' }))],
  ])('stops for good on %s', async (_what, say) => {
    const h = await hub();
    const { l, events } = link(h.url);
    l.start();
    await waitFor('the link to open', () => h.sockets.length === 1);
    say(h.sockets[0]!);
    if (h.sockets[0]!.readyState === h.sockets[0]!.OPEN) h.sockets[0]!.close(1000);
    await waitFor('revoked', () => events.includes('revoked'));
    expect(events.filter((e) => e === 'revoked')).toHaveLength(1);
    // Stopped: a retry would come within 24 ms. A second link with ten times the delay, dropped
    // once and back, is the marker that comes after it.
    const other = link(h.url, 200);
    other.l.start();
    await waitFor('the second link', () => h.sockets.length === 2);
    h.sockets[1]!.close(1001);
    await waitFor('the second link back', () => other.events.filter((e) => e === 'up').length === 2);
    expect(h.sockets).toHaveLength(3);
  });

  it('stops for good when the hub refuses the handshake with 401', async () => {
    const h = await hub(true);
    const { l, events } = link(h.url);
    l.start();
    await waitFor('revoked', () => events.includes('revoked'));
    expect(events).not.toContain('up');
  });
});
