/**
 * Terminals and pairing (hub-api.md v1.1) over real HTTP and WebSocket on loopback, with the hub's
 * clock injected so the ten-minute expiry is stepped over, never waited for.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { HallConfig } from '../../kiosk-config/hall-config.js';
import { type HubApp, startHubApp } from '../../main/hall/hub-app.js';
import { startLocalDevices } from '../../main/hall/local-devices.js';
import { adminPlugins } from '../../main/server/admin-plugins.js';
import { ManualClock } from '../../main/time/clock.js';
import { openJsonSocket } from '../devices/ws-client.js';
import { call, demoConfig, tempDir } from '../support/hub-client.js';

const clock = new ManualClock(Date.UTC(2026, 10, 23, 2, 0)); // a Monday, 10:00 in the hall
let app: HubApp;
let url: string;
let admin: string;
let kioskDevice: string;
let closeDevices: () => Promise<void>;

function hallWithTerminals(): HallConfig {
  const c = demoConfig();
  c.devices!.terminals.push({
    id: 'tv-2',
    windows: [{ role: 'display', display: 'primary', layout: 'landscape' }],
    devices: [],
  });
  c.devices!.terminals.push({
    id: 'pad-1',
    windows: [{ role: 'evaluator', window: 1, display: 'primary' }],
    devices: [],
  });
  return c;
}

/** Pairs a terminal the way a terminal and an admin do it; answers the terminal's token. */
async function pair(terminalId: string): Promise<string> {
  const asked = await call(url, 'POST', '/terminals/pairings', null, { terminalId });
  expect(asked.status).toBe(201);
  expect((await call(url, 'POST', '/admin/pairings/approve', admin, { code: asked.body.code })).status).toBe(200);
  const got = await call(url, 'GET', `/terminals/pairings/${asked.body.pairingId}`);
  expect(got.body.status).toBe('approved');
  return got.body.token as string;
}

beforeAll(async () => {
  const config = hallWithTerminals();
  const dataDir = tempDir('govhall-terminals-');
  const devices = await startLocalDevices({ config, mode: 'none' });
  closeDevices = devices.stop;
  app = await startHubApp({
    config,
    dataDir,
    port: 0,
    version: 'test',
    clock,
    plugins: [...devices.plugins, ...adminPlugins({ dataDir, persist: false })],
  });
  url = app.url;
  admin = await app.createToken('admin', undefined, 'a1');
  kioskDevice = await app.createToken('kiosk', undefined, 'k1');
});
afterAll(async () => {
  await app?.close();
  await closeDevices?.();
});

describe('pairing', () => {
  it('a terminal asks without a token, the admin approves its code, the token is handed out once', async () => {
    const asked = await call(url, 'POST', '/terminals/pairings', null, { terminalId: 'kiosk-1', name: '一楼取号机' });
    expect(asked.status).toBe(201);
    expect(asked.body.code).toMatch(/^\d{6}$/);
    // ≥ 128 bits of base64url.
    expect(asked.body.pairingId).toMatch(/^[A-Za-z0-9_-]{22,}$/);
    expect(Date.parse(asked.body.expiresAt) - clock.now()).toBe(10 * 60_000);
    const poll = () => call(url, 'GET', `/terminals/pairings/${asked.body.pairingId}`);
    expect((await poll()).body).toEqual({ status: 'pending' });

    const wrong = asked.body.code === '000000' ? '000001' : '000000';
    const unknown = await call(url, 'POST', '/admin/pairings/approve', admin, { code: wrong });
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('UNKNOWN_CODE');
    expect((await call(url, 'POST', '/admin/pairings/approve', kioskDevice, { code: asked.body.code })).status).toBe(
      403,
    );
    expect((await call(url, 'POST', '/admin/pairings/approve', null, { code: asked.body.code })).status).toBe(401);
    const ok = await call(url, 'POST', '/admin/pairings/approve', admin, { code: asked.body.code });
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ terminalId: 'kiosk-1' });

    const first = await poll();
    expect(first.body.status).toBe('approved');
    expect(first.body.token).toMatch(/^gtt_/);
    expect((await poll()).body).toEqual({ status: 'approved' });
    // The code is spent.
    expect((await call(url, 'POST', '/admin/pairings/approve', admin, { code: asked.body.code })).status).toBe(404);
    expect((await call(url, 'GET', '/terminals/pairings/nope')).status).toBe(404);

    const token = first.body.token as string;
    const ticket = await call(url, 'POST', '/tickets', token, { serviceCode: 'ZHZX', channel: 'kiosk' });
    expect(ticket.status).toBe(201);
  });

  it('a pairing expires after ten minutes (hub clock)', async () => {
    const asked = await call(url, 'POST', '/terminals/pairings', null, { terminalId: 'counter-2' });
    clock.advance(10 * 60_000 - 1);
    expect((await call(url, 'GET', `/terminals/pairings/${asked.body.pairingId}`)).body.status).toBe('pending');
    clock.advance(1);
    expect((await call(url, 'GET', `/terminals/pairings/${asked.body.pairingId}`)).body.status).toBe('expired');
    const late = await call(url, 'POST', '/admin/pairings/approve', admin, { code: asked.body.code });
    expect(late.status).toBe(404);
    expect(late.body.code).toBe('UNKNOWN_CODE');
  });

  it('refuses a terminal the hall config does not name, and limits requests per address', async () => {
    const asked = await call(url, 'POST', '/terminals/pairings', null, { terminalId: 'nowhere-9' });
    const r = await call(url, 'POST', '/admin/pairings/approve', admin, { code: asked.body.code });
    expect(r.status).toBe(409);
    expect(r.body.code).toBe('TERMINAL_NOT_CONFIGURED');
    expect((await call(url, 'POST', '/terminals/pairings', null, { terminalId: 'bad id' })).status).toBe(400);

    clock.advance(3600_000); // a fresh bucket
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++)
      statuses.push((await call(url, 'POST', '/terminals/pairings', null, { terminalId: 'kiosk-1' })).status);
    expect(statuses.slice(0, 10).every((s) => s === 201)).toBe(true);
    expect(statuses.slice(10)).toEqual([429, 429]);
    clock.advance(3600_000);
  });

  it('pairing an id again replaces its token on approval, not before', async () => {
    const old = await pair('tv-2');
    expect((await call(url, 'GET', '/hall', old)).status).toBe(200);
    const asked = await call(url, 'POST', '/terminals/pairings', null, { terminalId: 'tv-2' });
    expect((await call(url, 'GET', '/hall', old)).status).toBe(200);
    await call(url, 'POST', '/admin/pairings/approve', admin, { code: asked.body.code });
    expect((await call(url, 'GET', '/hall', old)).status).toBe(401);
    const fresh = (await call(url, 'GET', `/terminals/pairings/${asked.body.pairingId}`)).body.token;
    expect((await call(url, 'GET', '/hall', fresh)).status).toBe(200);
  });
});

describe('a paired terminal', () => {
  it('acts in the roles of its hall config entry, each with its window', async () => {
    const counter = await pair('counter-1');
    const tv = await pair('tv-2');
    // counter-1 is window 1's counter: it may read the queue, not issue a kiosk ticket.
    expect((await call(url, 'GET', '/queue', counter)).status).toBe(200);
    const refused = await call(url, 'POST', '/evaluations', tv, {
      caseId: 'x',
      level: 'satisfied',
      channel: 'pad',
    });
    expect(refused.status).toBe(403);
    expect(refused.body.message).toContain('tv-2');
    expect((await call(url, 'GET', '/queue', tv)).status).toBe(403);
    expect((await call(url, 'GET', '/hall', tv)).status).toBe(200);
  });

  it('reads its own config entry, and a device token may not', async () => {
    const kiosk = await pair('kiosk-1');
    const r = await call(url, 'GET', '/terminals/me/config', kiosk);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      terminalId: 'kiosk-1',
      windows: [{ role: 'kiosk', display: 'primary' }],
      hall: { name: expect.any(String) },
      entry: { id: 'kiosk-1', devices: expect.arrayContaining([expect.objectContaining({ id: 'kiosk-1-printer' })]) },
    });
    const device = await call(url, 'GET', '/terminals/me/config', kioskDevice);
    expect(device.status).toBe(403);
    expect(device.body.code).toBe('TERMINAL_TOKEN_REQUIRED');
  });

  it('is told of a change to its entry, and only it', async () => {
    const kiosk = await pair('kiosk-1');
    const counter = await pair('counter-1');
    const wsUrl = `${url.replace('http', 'ws')}/api/v1/events`;
    const mine = await openJsonSocket(`${wsUrl}?token=${kiosk}`);
    const other = await openJsonSocket(`${wsUrl}?token=${counter}`);
    const view = (await call(url, 'GET', '/admin/config', admin)).body;
    const devices = structuredClone(view.devices);
    const printer = devices.terminals
      .find((t: { id: string }) => t.id === 'kiosk-1')
      .devices.find((d: { id: string }) => d.id === 'kiosk-1-printer');
    printer.width = 58;
    const changed = await call(url, 'PUT', '/admin/config', admin, { expectedVersion: view.version, devices });
    expect(changed.body.problems ?? []).toEqual([]);
    const pushed = await mine.next('terminal.config');
    expect(pushed.config.terminalId).toBe('kiosk-1');
    expect(pushed.config.entry.devices.find((d: { id: string }) => d.id === 'kiosk-1-printer').width).toBe(58);
    await other.next('config.changed');
    expect(other.messages.some((m) => m.type === 'terminal.config')).toBe(false);
    mine.close();
    other.close();
  });

  it('reports what it can see and its own devices only; the admin lists it', async () => {
    const kiosk = await pair('kiosk-1');
    const inventory = {
      serialPorts: [{ path: '/dev/ttyUSB0', manufacturer: 'WCH' }],
      hid: [{ vendorId: 0x1a86, productId: 0xe026 }],
      cameras: [{ label: 'Gaopaiyi S500' }],
      displays: [{ id: 1, label: 'DELL', primary: true, width: 1080, height: 1920 }],
    };
    expect((await call(url, 'PUT', '/terminals/me/inventory', kiosk, inventory)).status).toBe(204);
    expect((await call(url, 'PUT', '/terminals/me/inventory', kiosk, { serialPorts: [] })).status).toBe(400);

    const own = await call(url, 'POST', '/devices/status', kiosk, { deviceId: 'kiosk-1-printer', state: 'ok' });
    expect(own.status).toBe(204);
    const foreign = await call(url, 'POST', '/devices/status', kiosk, { deviceId: 'w1-led', state: 'ok' });
    expect(foreign.status).toBe(403);
    expect(foreign.body.code).toBe('FOREIGN_DEVICE');

    const list = await call(url, 'GET', '/admin/terminals', admin);
    expect(list.status).toBe(200);
    const k = list.body.find((t: { terminalId: string }) => t.terminalId === 'kiosk-1');
    expect(k).toMatchObject({
      roles: ['kiosk'],
      configured: true,
      paired: true,
      address: expect.stringMatching(/127\.0\.0\.1/),
      lastSeenAt: expect.any(String),
      inventory,
    });
    expect(k.devices).toEqual(
      expect.arrayContaining([{ deviceId: 'kiosk-1-printer', kind: 'printer', state: 'ok', detail: null }]),
    );
    expect((await call(url, 'GET', '/admin/terminals', kiosk)).status).toBe(403);
  });

  it('signs its evaluator page in to the pad endpoint with the token in the header, until revoked', async () => {
    const pad = await pair('pad-1');
    const ws = new WebSocket(`${url.replace('http', 'ws')}/api/v1/pads`, {
      headers: { authorization: `Bearer ${pad}` },
    });
    const messages: { type: string }[] = [];
    const welcome = new Promise<void>((resolve) =>
      ws.on('message', (d) => {
        messages.push(JSON.parse(d.toString()));
        if (messages.some((m) => m.type === 'welcome')) resolve();
      }),
    );
    const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
    ws.on('open', () => ws.send(JSON.stringify({ type: 'hello', protocol: 1, windowNo: 1 })));
    await welcome;
    expect((await call(url, 'DELETE', '/admin/terminals/pad-1', admin)).status).toBe(204);
    expect(await closed).toBeGreaterThanOrEqual(4000);
  });

  it('is revoked by the admin: its token stops working and its sockets close', async () => {
    const tv = await pair('tv-2');
    const ws = await openJsonSocket(`${url.replace('http', 'ws')}/api/v1/events?token=${tv}`);
    expect((await call(url, 'DELETE', '/admin/terminals/tv-2', admin)).status).toBe(204);
    await ws.next('terminal.revoked');
    expect((await ws.closed).code).toBe(4401);
    expect((await call(url, 'GET', '/hall', tv)).status).toBe(401);
    expect((await call(url, 'DELETE', '/admin/terminals/tv-2', admin)).status).toBe(404);
    const list = await call(url, 'GET', '/admin/terminals', admin);
    expect(list.body.find((t: { terminalId: string }) => t.terminalId === 'tv-2').paired).toBe(false);
  });
});
