/**
 * The hub attacked the way anyone on the hall LAN — or a web page open in a kiosk's browser —
 * could (docs/security.md), over real HTTP and WebSockets against a real hub on loopback. A second
 * source address is 127.0.0.2 (all of 127/8 is loopback on Linux).
 */
import { request } from 'node:http';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { gb11643CheckChar } from '../../common/cert-number.js';
import { waitFor } from '../../drivers/testing/wait-for.js';
import type { HallConfig } from '../../kiosk-config/hall-config.js';
import type { DeviceService } from '../../main/devices/device-service.js';
import { type HubApp, type HubAppOptions, startHubApp } from '../../main/hall/hub-app.js';
import type { Logger } from '../../main/log/logger.js';
import { CLOSE_REVOKED } from '../../main/server/credential-watch.js';
import { devicesPlugin } from '../../main/server/devices-plugin.js';
import { PAD_PATH, padPlugin } from '../../main/server/pad-plugin.js';
import { ManualClock } from '../../main/time/clock.js';
import { call, demoConfig, tempDir } from '../support/hub-client.js';
import { type KioskStandIns, startKioskStandIns } from '../support/terminal-service.js';

const CERT = `33010619800101001${gb11643CheckChar('33010619800101001')}`;
const OTHER = `33010619900101001${gb11643CheckChar('33010619900101001')}`;

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: any;
}

/** One HTTP request with full control of headers and of the source address. */
function raw(
  base: string,
  method: string,
  path: string,
  opts: { headers?: Record<string, string>; body?: string; from?: string } = {},
): Promise<Raw> {
  const u = new URL(`${base}${path}`);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: u.hostname,
        port: u.port,
        path: u.pathname + u.search,
        method,
        headers: {
          ...(opts.body !== undefined ? { 'content-length': Buffer.byteLength(opts.body) } : {}),
          ...opts.headers,
        },
        ...(opts.from ? { localAddress: opts.from } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown = text;
          try {
            body = text ? JSON.parse(text) : null;
          } catch {
            // not JSON: keep the text
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
        });
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

const json = { 'content-type': 'application/json' };
const signIn = (base: string, staffNo: string, pin: string, windowNo: number, from?: string) =>
  raw(base, 'POST', '/api/v1/staff/sessions', {
    headers: json,
    body: JSON.stringify({ staffNo, pin, windowNo }),
    ...(from ? { from } : {}),
  });

interface TestHub {
  app: HubApp;
  url: string;
  dataDir: string;
  admin: string;
  kiosk: string;
  logs: { level: string; msg: string }[];
  close(): Promise<void>;
}

async function startHub(opts: Partial<HubAppOptions> & { config?: HallConfig } = {}): Promise<TestHub> {
  const dataDir = tempDir('govhall-sec-');
  const logs: { level: string; msg: string }[] = [];
  const logger: Logger = {
    debug: (msg) => logs.push({ level: 'debug', msg }),
    info: (msg) => logs.push({ level: 'info', msg }),
    warn: (msg) => logs.push({ level: 'warn', msg }),
    error: (msg) => logs.push({ level: 'error', msg }),
  };
  const app = await startHubApp({
    config: demoConfig(),
    dataDir,
    port: 0,
    version: 'test',
    logger,
    ...opts,
  });
  return {
    app,
    url: app.url,
    dataDir,
    admin: await app.createToken('admin', undefined, 'a1'),
    kiosk: await app.createToken('kiosk', undefined, 'k1'),
    logs,
    close: () => app.close(),
  };
}

/** The hub's audit rows, read beside it (WAL lets a second reader in). */
function auditRows(dataDir: string, action: string): { address: string | null; subject: string; detail: any }[] {
  const db = new Database(join(dataDir, 'govhall.db'), { readonly: true });
  try {
    return (
      db.prepare('SELECT address, subject, detail FROM audit WHERE action = ? ORDER BY id').all(action) as {
        address: string | null;
        subject: string;
        detail: string | null;
      }[]
    ).map((r) => ({ ...r, detail: r.detail ? JSON.parse(r.detail) : null }));
  } finally {
    db.close();
  }
}

/** A WebSocket and how it ended. */
function socket(url: string, headers: Record<string, string> = {}) {
  const ws = new WebSocket(url, { headers });
  const opened = new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
  opened.catch(() => {});
  const ended: { code: number | null } = { code: null };
  ws.on('close', (code) => {
    ended.code = code;
  });
  const messages: any[] = [];
  ws.on('message', (m) => messages.push(JSON.parse(String(m))));
  return { ws, opened, ended, messages };
}

describe('requests the hub refuses before any handler', () => {
  let hub: TestHub;
  beforeAll(async () => {
    const config = demoConfig();
    hub = await startHub({
      config: { ...config, hub: { allowedOrigins: ['http://portal.hall.example'] } },
      plugins: [devicesPlugin()],
    });
  });
  afterAll(async () => {
    await hub.close();
  });

  it('answers a broken escape in the path with 400 INVALID_PATH, without an error log', async () => {
    const r = await raw(hub.url, 'GET', '/api/v1/tickets/%E0%A4%A');
    expect(r.status).toBe(400);
    expect(r.body.code).toBe('INVALID_PATH');
    expect(r.body.message).toMatch(/[\u4e00-\u9fff]/);
    expect((await raw(hub.url, 'POST', '/api/v1/windows/%ZZ/call-next')).body.code).toBe('INVALID_PATH');
    expect(hub.logs.filter((l) => l.level === 'error')).toEqual([]);
  });

  it('takes a body only when it says it is JSON (415), on every route that reads one', async () => {
    const body = JSON.stringify({ staffNo: '8001', pin: '123456', windowNo: 1 });
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const r = await raw(hub.url, 'POST', '/api/v1/staff/sessions', { headers: { 'content-type': type }, body });
      expect(r.status, type).toBe(415);
      expect(r.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
      expect(r.body.message).toContain('application/json');
    }
    expect((await raw(hub.url, 'POST', '/api/v1/staff/sessions', { body })).status).toBe(415);
    const auth = { authorization: `Bearer ${hub.kiosk}` };
    const ticket = JSON.stringify({ serviceCode: 'ZHZX', channel: 'kiosk' });
    expect(
      (
        await raw(hub.url, 'POST', '/api/v1/tickets', {
          headers: { ...auth, 'content-type': 'text/plain' },
          body: ticket,
        })
      ).status,
    ).toBe(415);
    // A plugin route outside the route table reads its body the same way.
    const status = JSON.stringify({ deviceId: 'kiosk-1-printer', state: 'ok' });
    expect(
      (
        await raw(hub.url, 'POST', '/api/v1/devices/status', {
          headers: { ...auth, 'content-type': 'text/plain' },
          body: status,
        })
      ).status,
    ).toBe(415);
    const ok = await raw(hub.url, 'POST', '/api/v1/tickets', {
      headers: { ...auth, 'content-type': 'application/json; charset=utf-8' },
      body: ticket,
    });
    expect(ok.status).toBe(201);
  });

  it('answers browsers only on the hub’s own pages and the listed origins', async () => {
    const self = hub.url; // http://127.0.0.1:PORT, as the hub's pages send it
    const body = JSON.stringify({ staffNo: '8001', pin: '000000', windowNo: 1 });
    const foreign = await raw(hub.url, 'POST', '/api/v1/staff/sessions', {
      headers: { ...json, origin: 'http://evil.example' },
      body,
    });
    expect(foreign.status).toBe(403);
    expect(foreign.body).toMatchObject({ code: 'ORIGIN_NOT_ALLOWED' });
    expect(foreign.body.message).toContain('hub.allowedOrigins');
    expect(foreign.headers['access-control-allow-origin']).toBeUndefined();
    // The preflight a foreign page's fetch sends first gets no permission either.
    const preflight = await raw(hub.url, 'OPTIONS', '/api/v1/staff/sessions', {
      headers: { origin: 'http://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBe(403);
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    expect(
      (await raw(hub.url, 'GET', '/api/v1/health', { headers: { origin: 'null' } })).status,
      'a file or sandboxed page',
    ).toBe(403);
    for (const origin of [self, 'http://portal.hall.example']) {
      const r = await raw(hub.url, 'OPTIONS', '/api/v1/staff/sessions', {
        headers: { origin, 'access-control-request-method': 'POST' },
      });
      expect(r.status, origin).toBe(204);
      expect(r.headers['access-control-allow-origin']).toBe(origin);
      expect(r.headers.vary).toBe('origin');
    }
    // No `Origin` (a terminal process, a script): nothing to judge, no CORS headers.
    const plain = await raw(hub.url, 'GET', '/api/v1/health');
    expect(plain.status).toBe(200);
    expect(plain.headers['access-control-allow-origin']).toBeUndefined();
    // A WebSocket handshake from a foreign page is refused too.
    const ws = `${hub.url.replace('http', 'ws')}/api/v1/events?token=${hub.kiosk}`;
    await expect(socket(ws, { origin: 'http://evil.example' }).opened).rejects.toThrow(/403/);
    const own = socket(ws, { origin: self });
    await own.opened;
    own.ws.close();
  });
});

describe('staff and admin sign-in', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startHub();
  });
  afterAll(async () => {
    await hub.close();
  });

  it('locks a staff number for the address that failed, not for another address', async () => {
    for (let i = 0; i < 4; i++) expect((await signIn(hub.url, '8005', '000000', 4)).status).toBe(401);
    const locked = await signIn(hub.url, '8005', '000000', 4);
    expect(locked.status).toBe(429);
    expect(locked.body.code).toBe('PIN_LOCKED');
    expect((await signIn(hub.url, '8005', '123456', 4)).body.code).toBe('PIN_LOCKED');
    // The staff member at another terminal is not locked out by someone else's guesses.
    const elsewhere = await signIn(hub.url, '8005', '123456', 4, '127.0.0.2');
    expect(elsewhere.status).toBe(201);
    // The audit says where each came from; five failures in a minute are at most two rows.
    const refused = auditRows(hub.dataDir, 'staff.sign-in');
    expect(refused.length).toBeGreaterThanOrEqual(1);
    expect(refused.length).toBeLessThanOrEqual(2);
    expect(refused.every((r) => r.address === '127.0.0.1')).toBe(true);
    expect(auditRows(hub.dataDir, 'window.open').map((r) => r.address)).toEqual(['127.0.0.2']);
  });

  it('signs a manager in to the admin console; the session is the admin role, not a window', async () => {
    const notManager = await call(hub.url, 'POST', '/admin/sessions', null, { staffNo: '8002', pin: '123456' });
    expect(notManager.status).toBe(403);
    expect(notManager.body.code).toBe('NOT_A_MANAGER');
    expect((await call(hub.url, 'POST', '/admin/sessions', null, { staffNo: '8001', pin: '111111' })).status).toBe(401);
    const s = await call(hub.url, 'POST', '/admin/sessions', null, { staffNo: '8001', pin: '123456' });
    expect(s.status).toBe(201);
    expect(s.body).toMatchObject({ staff: { no: '8001', name: '陈建国', role: 'manager' } });
    expect(s.body.expiresAt).toMatch(/\+08:00$/);
    const token = s.body.token as string;
    expect(token).toMatch(/^gha_/);
    expect((await call(hub.url, 'GET', '/admin/tokens', token)).status).toBe(200);
    expect((await call(hub.url, 'GET', '/stats', token)).status).toBe(200);
    const win = await call(hub.url, 'POST', '/windows/1/call-next', token);
    expect(win.status).toBe(403);
    expect(win.body.code).toBe('STAFF_SESSION_REQUIRED');
    expect((await call(hub.url, 'DELETE', '/staff/sessions/current', token)).status).toBe(403);
    const feed = socket(`${hub.url.replace('http', 'ws')}/api/v1/events?token=${token}`);
    await feed.opened;
    // Signing out ends the session and its live connection.
    expect((await call(hub.url, 'DELETE', '/admin/sessions/current', token)).status).toBe(204);
    expect((await call(hub.url, 'GET', '/admin/tokens', token)).status).toBe(401);
    await waitFor('the feed closed', () => feed.ended.code !== null);
    expect(feed.ended.code).toBe(CLOSE_REVOKED);
    expect(auditRows(hub.dataDir, 'admin.sign-in').map((r) => r.subject)).toEqual(['8002', '8001']);
    // A device token cannot "sign out" as a console session.
    expect((await call(hub.url, 'DELETE', '/admin/sessions/current', hub.admin)).body.code).toBe(
      'ADMIN_SESSION_REQUIRED',
    );
  });
});

describe('an address that keeps failing', () => {
  it('is slowed, then blocked for growing periods, and the admin is alarmed', async () => {
    const clock = new ManualClock(Date.UTC(2026, 10, 23, 1, 0));
    const hub = await startHub({
      clock,
      signInLimits: { slowAfter: 2, blockAfter: 4, againAfterBlock: 1, firstBlockMs: 60_000 },
    });
    try {
      const feed = socket(`${hub.url.replace('http', 'ws')}/api/v1/events?token=${hub.admin}`);
      await feed.opened;
      // Different (made-up) staff numbers: the contract's per-staff lock never comes into it.
      expect((await signIn(hub.url, '7001', '000000', 1)).status).toBe(401);
      expect((await signIn(hub.url, '7002', '000000', 1)).status).toBe(401);
      const slow = await signIn(hub.url, '7003', '000000', 1);
      expect(slow.status).toBe(429);
      expect(slow.body.code).toBe('SIGN_IN_TOO_FAST');
      expect(Number(slow.headers['retry-after'])).toBe(1);
      clock.advance(1000);
      expect((await signIn(hub.url, '7003', '000000', 1)).status).toBe(401);
      clock.advance(2000);
      expect((await signIn(hub.url, '7004', '000000', 1)).status).toBe(401);
      // Blocked now — even the right PIN of a real staff member from this address.
      const blocked = await signIn(hub.url, '8001', '123456', 1);
      expect(blocked.status).toBe(429);
      expect(blocked.body.code).toBe('SIGN_IN_BLOCKED');
      expect(Number(blocked.headers['retry-after'])).toBe(60);
      // Other addresses carry on.
      expect((await signIn(hub.url, '8001', '123456', 1, '127.0.0.2')).status).toBe(201);
      await waitFor('the security alarm', () => feed.messages.some((m) => m.type === 'security.alarm'));
      const alarm = feed.messages.find((m) => m.type === 'security.alarm');
      expect(alarm).toMatchObject({ kind: 'sign_in_blocked', address: '127.0.0.1', failures: 4 });
      expect(alarm.blockedUntil).toMatch(/\+08:00$/);
      expect(alarm.message).toContain('127.0.0.1');
      clock.advance(60_000);
      expect((await signIn(hub.url, '7005', '000000', 1)).status).toBe(401);
      // The next block is twice as long.
      expect(Number((await signIn(hub.url, '8001', '123456', 1)).headers['retry-after'])).toBe(120);
      const alarms = auditRows(hub.dataDir, 'security.alarm');
      expect(alarms.map((a) => [a.address, a.detail.kind, a.detail.blocks])).toEqual([
        ['127.0.0.1', 'sign_in_blocked', 1],
        ['127.0.0.1', 'sign_in_blocked', 2],
      ]);
      feed.ws.close();
    } finally {
      await hub.close();
    }
  });
});

describe('sockets of a revoked token or an ended session', () => {
  let hub: TestHub;
  let service: DeviceService;
  let kiosk: KioskStandIns;
  beforeAll(async () => {
    const config = demoConfig();
    ({ service, kiosk } = await startKioskStandIns(config));
    hub = await startHub({ config, plugins: [devicesPlugin({ service }), padPlugin()] });
  });
  afterAll(async () => {
    await hub?.close();
    await service?.stop();
  });

  const tokenId = async (name: string) =>
    ((await call(hub.url, 'GET', '/admin/tokens', hub.admin)).body as { id: string; name: string }[]).find(
      (t) => t.name === name,
    )!.id;
  const ws = (path: string) => `${hub.url.replace('http', 'ws')}/api/v1${path}`;

  it('closes the events, bridge and pad sockets of a token the admin revokes', async () => {
    const kiosk = await hub.app.createToken('kiosk', undefined, 'revoke-me');
    const pad = await hub.app.createToken('evaluator', 3, 'pad-revoke-me');
    // The hub's device bridge opens only with the terminal's own paired token.
    const terminal = hub.app.terminals.pair('kiosk-1', null, Date.now());
    const events = socket(ws(`/events?token=${kiosk}`));
    const bridge = socket(ws(`/devices/bridge?token=${terminal}&terminal=kiosk-1`));
    const padWs = socket(ws(PAD_PATH.replace('/api/v1', '')));
    const keep = socket(ws(`/events?token=${hub.kiosk}`));
    await Promise.all([events.opened, bridge.opened, padWs.opened, keep.opened]);
    padWs.ws.send(JSON.stringify({ type: 'hello', token: pad }));
    await waitFor('the pad welcome', () => padWs.messages.some((m) => m.type === 'welcome'));

    expect((await call(hub.url, 'DELETE', `/admin/tokens/${await tokenId('revoke-me')}`, hub.admin)).status).toBe(204);
    expect((await call(hub.url, 'DELETE', `/admin/tokens/${await tokenId('pad-revoke-me')}`, hub.admin)).status).toBe(
      204,
    );
    expect((await call(hub.url, 'DELETE', '/admin/terminals/kiosk-1', hub.admin)).status).toBe(204);
    await waitFor('all three sockets closed', () => [events, bridge, padWs].every((s) => s.ended.code !== null));
    // A revoked terminal's sockets close with the terminal's own code (its agent goes back to pairing).
    expect([events, bridge, padWs].map((s) => s.ended.code)).toEqual([CLOSE_REVOKED, 4401, CLOSE_REVOKED]);
    expect(padWs.messages.at(-1)).toMatchObject({ type: 'error', code: 'UNAUTHORIZED' });
    // Another token's socket is untouched.
    expect(keep.ws.readyState).toBe(WebSocket.OPEN);
    keep.ws.close();
  });

  it('closes a window session’s socket when its staff member signs out, or signs in again elsewhere', async () => {
    const first = await call(hub.url, 'POST', '/staff/sessions', null, { staffNo: '8003', pin: '123456', windowNo: 3 });
    const a = socket(ws(`/events?token=${first.body.token}`));
    await a.opened;
    // A new sign-in at the window ends the earlier session there, and its socket with it.
    const second = await call(hub.url, 'POST', '/staff/sessions', null, {
      staffNo: '8004',
      pin: '123456',
      windowNo: 3,
    });
    await waitFor('the first session socket closed', () => a.ended.code !== null);
    expect(a.ended.code).toBe(CLOSE_REVOKED);
    const b = socket(ws(`/events?token=${second.body.token}`));
    await b.opened;
    expect((await call(hub.url, 'DELETE', '/staff/sessions/current', second.body.token)).status).toBe(204);
    await waitFor('the second session socket closed', () => b.ended.code !== null);
    expect(b.ended.code).toBe(CLOSE_REVOKED);
  });

  it('closes a socket whose token was revoked by another process (the CLI)', async () => {
    const display = await hub.app.createToken('display', undefined, 'cli-revoked');
    const s = socket(ws(`/events?token=${display}`));
    await s.opened;
    const db = new Database(join(hub.dataDir, 'govhall.db'));
    try {
      db.prepare('UPDATE device_tokens SET revoked_at = ? WHERE name = ?').run(Date.now(), 'cli-revoked');
    } finally {
      db.close();
    }
    // Nobody tells the hub: its periodic check (every 0.5 s) finds it. Bounded wait, no timing assert.
    await waitFor('the revoked socket closed', () => s.ended.code !== null);
    expect(s.ended.code).toBe(CLOSE_REVOKED);
  });

  it('relays a card with a read id that only its own token can use to look cases up, and audits the read', async () => {
    // A case of CERT's, finished at window 1.
    const staff = (
      await call(hub.url, 'POST', '/staff/sessions', null, { staffNo: '8001', pin: '123456', windowNo: 1 })
    ).body.token as string;
    const t = await call(hub.url, 'POST', '/tickets', hub.kiosk, {
      serviceCode: 'ZHZX',
      channel: 'kiosk',
      applicant: { name: '李明', certType: 'resident', certNo: CERT },
    });
    expect((await call(hub.url, 'POST', '/windows/1/call-next', staff)).body.id).toBe(t.body.id);
    // The window sees the applicant in clear: on record once, however often the screen refreshes.
    for (let i = 0; i < 3; i++)
      expect((await call(hub.url, 'GET', `/tickets/${t.body.id}`, staff)).body.applicant.certNo).toBe(CERT);
    expect(auditRows(hub.dataDir, 'ticket.reveal').map((r) => [r.subject, r.address])).toEqual([
      [t.body.id, '127.0.0.1'],
    ]);
    const fin = await call(hub.url, 'POST', '/windows/1/finish', staff, {
      case: { taskCode: '11330106MB1234567X4000112001000', taskName: '社保参保登记', result: '1' },
    });
    const caseId = fin.body.caseId as string;

    const kiosk2 = await hub.app.createToken('kiosk', undefined, 'k2');
    const terminal = hub.app.terminals.pair('kiosk-1', null, Date.now());
    const bridge = socket(ws(`/devices/bridge?token=${terminal}&terminal=kiosk-1`));
    await bridge.opened;
    // The hub takes the bridge client on in the background: present the card every 200 ms until it is relayed.
    let polls = 0;
    await waitFor('the card relayed to the bridge', () => {
      if (bridge.messages.some((m) => m.type === 'card')) return true;
      if (polls++ % 20 === 0)
        kiosk.card({ name: '李明', gender: '男', birthDate: '1980-01-01', certNo: CERT, certType: 'resident' });
      return false;
    });
    const card = bridge.messages.find((m) => m.type === 'card')!.card;
    expect(card.readId).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(auditRows(hub.dataDir, 'card.read')[0]).toMatchObject({ subject: 'kiosk-1', address: '127.0.0.1' });

    const byCard = await call(hub.url, 'POST', '/cases/lookup', terminal, { cardRead: card.readId });
    expect(byCard.status).toBe(200);
    expect(byCard.body.cases.map((c: any) => c.id)).toEqual([caseId]);
    // Another kiosk's token cannot use this read, and a made-up id is nothing.
    expect((await call(hub.url, 'POST', '/cases/lookup', kiosk2, { cardRead: card.readId })).body.code).toBe(
      'UNKNOWN_CARD_READ',
    );
    expect((await call(hub.url, 'POST', '/cases/lookup', terminal, { cardRead: 'x'.repeat(22) })).status).toBe(404);

    // A typed number alone lists nothing on a kiosk; with the receipt's case code it does.
    const typed = await call(hub.url, 'POST', '/cases/lookup', hub.kiosk, { certNo: CERT });
    expect(typed.status).toBe(403);
    expect(typed.body.code).toBe('RECEIPT_CODE_REQUIRED');
    expect(
      (await call(hub.url, 'POST', '/cases/lookup', hub.kiosk, { certNo: CERT, caseId })).body.cases.map(
        (c: any) => c.id,
      ),
    ).toEqual([caseId]);
    // Someone else's number with this receipt, or this number with a wrong code: the same empty answer.
    expect((await call(hub.url, 'POST', '/cases/lookup', hub.kiosk, { certNo: OTHER, caseId })).body.cases).toEqual([]);
    expect(
      (await call(hub.url, 'POST', '/cases/lookup', hub.kiosk, { certNo: CERT, caseId: 'nope' })).body.cases,
    ).toEqual([]);
    // Staff may look a number up on its own.
    expect((await call(hub.url, 'POST', '/cases/lookup', staff, { certNo: CERT })).body.cases).toHaveLength(1);
    expect(auditRows(hub.dataDir, 'case.lookup').map((r) => r.detail.by)).toEqual([
      'card',
      'certNo+code',
      'certNo+code',
      'certNo+code',
      'certNo',
    ]);
    bridge.ws.close();
  });
});
