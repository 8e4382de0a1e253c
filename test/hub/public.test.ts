/**
 * The citizen's phone over HTTP (hub-api.md v1.1): the ticket code is answered once and nowhere
 * else (not in events, other answers or the database file), the public routes follow a ticket and
 * take 扫码评价 with the pads' rules, are limited per address (429 + Retry-After), and the second
 * listener serves only them and the phone pages.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { gb11643CheckChar } from '../../common/cert-number.js';
import { waitFor } from '../../drivers/testing/wait-for.js';
import { type HubApp, startHubApp } from '../../main/hall/hub-app.js';
import { ManualClock } from '../../main/time/clock.js';
import { call, demoConfig, signInStaff, tempDir } from '../support/hub-client.js';

const withCheck = (s: string) => s + gb11643CheckChar(s);
const APPLICANT = withCheck('33010619900101001');

function configWith(pub: Record<string, unknown>) {
  const c = demoConfig();
  return {
    ...c,
    public: { baseUrl: 'http://10.8.0.2:8890', rateLimit: { perMinute: 600, burst: 600 }, ratingDays: 7, ...pub },
  };
}

describe('the citizen’s phone', () => {
  let app: HubApp;
  let dataDir: string;
  let kiosk: string;
  let staff: string;
  const clock = new ManualClock(Date.parse('2026-12-04T09:00:00+08:00'));
  const seen: string[] = [];
  let socket: WebSocket;

  beforeAll(async () => {
    dataDir = tempDir();
    app = await startHubApp({
      config: configWith({ listen: { host: '127.0.0.1', port: 8890 } }),
      dataDir,
      port: 0,
      publicPort: 0,
      version: 'test',
      clock,
    });
    kiosk = await app.createToken('kiosk', undefined, 'k1');
    const display = await app.createToken('display', undefined, 'd1');
    staff = await signInStaff(app.url, '8001', 1);
    socket = new WebSocket(`${app.url.replace('http', 'ws')}/api/v1/events?token=${display}`);
    socket.on('message', (m) => seen.push(m.toString()));
    await new Promise((r) => socket.once('open', r));
  });
  afterAll(async () => {
    socket.close();
    await app.close();
  });

  const issue = async () => {
    const r = await call(app.url, 'POST', '/tickets', kiosk, {
      serviceCode: 'ZHZX',
      channel: 'kiosk',
      applicant: { name: '李小明', certType: 'resident', certNo: APPLICANT },
    });
    expect(r.status).toBe(201);
    return r.body as { id: string; number: string; ticketCode: string };
  };

  it('answers the ticket code only in the 201 of the issue: not in events, other answers or the database', async () => {
    const a = await issue();
    const b = await issue();
    expect(a.ticketCode).toMatch(/^[0-9A-HJKMNP-TV-Z]{24}$/); // 120 bits
    expect(a.ticketCode).not.toBe(b.ticketCode);
    expect(a.ticketCode).not.toContain(a.id);
    await waitFor('the issue events', () => seen.some((m) => m.includes(b.number)));
    const answers = [
      await call(app.url, 'GET', `/tickets/${a.id}`, kiosk),
      await call(app.url, 'GET', '/hall', kiosk),
      await call(app.url, 'GET', '/queue', staff),
      await call(app.url, 'POST', '/windows/1/call-next', staff),
      await call(app.url, 'GET', '/windows/1', kiosk),
    ];
    for (const r of answers) expect(r.status).toBe(200);
    await waitFor('the call event', () => seen.some((m) => m.includes('ticket.called')));
    const everything = [...answers.map((r) => JSON.stringify(r.body)), ...seen].join('\n');
    for (const code of [a.ticketCode, b.ticketCode]) {
      expect(everything).not.toContain(code);
      // Kept only as a hash: the database file (and its WAL) never holds the code itself.
      for (const f of ['hall.db', 'hall.db-wal']) {
        let bytes = '';
        try {
          bytes = readFileSync(join(dataDir, f)).toString('latin1');
        } catch {
          continue;
        }
        expect(bytes).not.toContain(code);
      }
    }
    await call(app.url, 'POST', '/windows/1/finish', staff, { case: { taskCode: 'ZX-001', result: '1' } });
  });

  it('follows a ticket by its code: number, service, people ahead, then the window that calls it; no person', async () => {
    await issue(); // someone ahead
    const mine = await issue();
    const r = await call(app.url, 'GET', `/public/tickets/${mine.ticketCode}`);
    expect(r.status).toBe(200);
    // The same people ahead and wait as the staff see for that ticket.
    const staffView = (await call(app.url, 'GET', `/tickets/${mine.id}`, kiosk)).body;
    expect(r.body).toMatchObject({
      number: mine.number,
      serviceName: '综合咨询',
      status: 'waiting',
      ahead: staffView.ahead,
      estimatedWaitSeconds: staffView.estimatedWaitSeconds,
      windowNo: null,
    });
    expect(staffView.ahead).toBeGreaterThan(0);
    const before = staffView.ahead as number;
    expect(Object.keys(r.body).sort()).toEqual(
      [
        'ahead',
        'businessDay',
        'calledAt',
        'estimatedWaitSeconds',
        'number',
        'recallCount',
        'serviceName',
        'status',
        'windowNo',
      ].sort(),
    );
    expect(JSON.stringify(r.body)).not.toMatch(/李|\d{17}[\dX]|"id"/);
    // Case and separators do not matter (a code read aloud or typed); a wrong one is 404.
    expect((await call(app.url, 'GET', `/public/tickets/${mine.ticketCode.toLowerCase()}`)).status).toBe(200);
    expect((await call(app.url, 'GET', `/public/tickets/${mine.id}`)).status).toBe(404);
    expect((await call(app.url, 'GET', '/public/tickets/0000000000000000000000000')).body.code).toBe(
      'UNKNOWN_TICKET_CODE',
    );
    // Window 1 serves the ones before, then calls this one.
    for (let i = 0; i < before; i++) {
      await call(app.url, 'POST', '/windows/1/call-next', staff);
      await call(app.url, 'POST', '/windows/1/finish', staff, { case: { taskCode: 'ZX-001', result: '1' } });
    }
    await call(app.url, 'POST', '/windows/1/call-next', staff);
    const called = await call(app.url, 'GET', `/public/tickets/${mine.ticketCode}`);
    expect(called.body).toMatchObject({ status: 'called', windowNo: 1, recallCount: 0 });
    await call(app.url, 'POST', '/windows/1/finish', staff, { case: { taskCode: 'ZX-001', result: '1' } });
    expect((await call(app.url, 'GET', `/public/tickets/${mine.ticketCode}`)).body.status).toBe('done');
  });

  it('takes 扫码评价 with the pads’ rules: 差评 needs a reason, a first rating and one follow-up, channel qr', async () => {
    await issue();
    await call(app.url, 'POST', '/windows/1/call-next', staff);
    const f = (await call(app.url, 'POST', '/windows/1/finish', staff, { case: { taskCode: 'ZX-001', result: '1' } }))
      .body as { caseId: string; ratingCode: string };
    const info = await call(app.url, 'GET', `/public/ratings/${f.ratingCode}`);
    expect(info.status).toBe(200);
    expect(info.body).toMatchObject({ windowNo: 1, assessments: 0, canRate: true });
    expect(info.body.reasons.length).toBeGreaterThan(0);
    const rate = (body: Record<string, unknown>) => call(app.url, 'POST', '/public/evaluations', null, body);
    const bad = await rate({ ratingCode: f.ratingCode, level: 'dissatisfied' });
    expect([bad.status, bad.body.code]).toEqual([400, 'REASON_REQUIRED']);
    expect((await rate({ ratingCode: f.ratingCode })).body.message).toBe('字段 level：必填');
    const first = await rate({ ratingCode: f.ratingCode, level: 'dissatisfied', reasons: ['R103'] });
    expect([first.status, first.body.assessNumber]).toEqual([201, 1]);
    const second = await rate({ ratingCode: f.ratingCode, level: 'satisfied' });
    expect([second.status, second.body.assessNumber]).toEqual([201, 2]);
    const third = await rate({ ratingCode: f.ratingCode, level: 'satisfied' });
    expect([third.status, third.body.code]).toEqual([409, 'ALREADY_EVALUATED']);
    const c = await call(app.url, 'GET', `/cases/${f.caseId}`, kiosk);
    expect(c.body.evaluations.map((e: { channel: string }) => e.channel)).toEqual(['qr', 'qr']);
    // A channel or case id in the body is not the phone's to choose.
    expect((await rate({ ratingCode: f.ratingCode, level: 'satisfied', channel: 'pad' })).status).toBe(400);
    const unknown = await rate({ ratingCode: 'ABCDEFGHJKMNPQRSTVWXYZ01', level: 'satisfied' });
    expect([unknown.status, unknown.body.code]).toEqual([404, 'UNKNOWN_RATING_CODE']);
  });

  it('serves on the public listener only the public routes and the phone pages; no staff API, no socket', async () => {
    const pub = app.publicUrl as string;
    expect(pub).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const t = await issue();
    expect((await call(pub, 'GET', `/public/tickets/${t.ticketCode}`)).status).toBe(200);
    for (const [method, path, token] of [
      ['GET', '/health', null],
      ['GET', '/hall', kiosk],
      ['POST', '/tickets', kiosk],
      ['POST', '/staff/sessions', null],
      ['POST', '/terminals/pairings', null],
      ['GET', '/openapi.json', null],
      ['GET', '/admin/tokens', null],
    ] as const) {
      const r = await call(pub, method, path, token, method === 'POST' ? {} : undefined);
      expect([path, r.status, r.body.code]).toEqual([path, 404, 'NOT_FOUND']);
    }
    for (const path of ['/', '/kiosk/', '/admin/', '/assets/x.js', '/p/assets/../../kiosk/index.html']) {
      expect([path, (await fetch(`${pub}${path}`)).status]).toEqual([path, 404]);
    }
    // The pages themselves answer (200, or 503 when the renderer build is missing): never 404.
    for (const path of [`/t/${t.ticketCode}`, '/r/ABCDEFGHJKMNPQRSTVWXYZ01', '/book'])
      expect([200, 503]).toContain((await fetch(`${pub}${path}`)).status);
    const ws = new WebSocket(`${pub.replace('http', 'ws')}/api/v1/events?token=${kiosk}`);
    const outcome = await new Promise<string>((resolve) => {
      ws.once('open', () => resolve('open'));
      ws.once('error', () => resolve('refused'));
    });
    expect(outcome).toBe('refused');
  });
  it('gives the rating code to the pad of that window only, until the case is rated', async () => {
    const pad1 = await app.createToken('evaluator', 1, 'pad1');
    const pad2 = await app.createToken('evaluator', 2, 'pad2');
    await issue();
    await call(app.url, 'POST', '/windows/1/call-next', staff);
    const f = (await call(app.url, 'POST', '/windows/1/finish', staff, { case: { taskCode: 'ZX-001', result: '1' } }))
      .body as { caseId: string; ratingCode: string };
    expect((await call(app.url, 'GET', '/windows/1/rating-code', pad1)).body).toEqual({
      caseId: f.caseId,
      ratingCode: f.ratingCode,
    });
    expect((await call(app.url, 'GET', '/windows/1/rating-code', pad2)).status).toBe(403);
    expect((await call(app.url, 'GET', '/windows/1/rating-code', kiosk)).status).toBe(403);
    expect((await call(app.url, 'GET', '/windows/1/rating-code')).status).toBe(401);
    await call(app.url, 'POST', '/public/evaluations', null, { ratingCode: f.ratingCode, level: 'satisfied' });
    const after = await call(app.url, 'GET', '/windows/1/rating-code', pad1);
    expect([after.status, after.body.code]).toEqual([404, 'NO_OPEN_RATING']);
  });

  it('refuses a rating code after the evaluation period of the config (public.ratingDays)', async () => {
    await issue();
    await call(app.url, 'POST', '/windows/1/call-next', staff);
    const f = (await call(app.url, 'POST', '/windows/1/finish', staff, { case: { taskCode: 'ZX-001', result: '1' } }))
      .body as { ratingCode: string };
    clock.advance(6 * 86_400_000);
    expect((await call(app.url, 'GET', `/public/ratings/${f.ratingCode}`)).status).toBe(200);
    clock.advance(2 * 86_400_000);
    const late = await call(app.url, 'POST', '/public/evaluations', null, {
      ratingCode: f.ratingCode,
      level: 'satisfied',
    });
    expect([late.status, late.body.code]).toEqual([404, 'UNKNOWN_RATING_CODE']);
  });
});

describe('the public side’s limit per address', () => {
  it('answers 429 with Retry-After and a Chinese message beyond the burst, and lets the staff API be', async () => {
    const clock = new ManualClock(Date.parse('2026-12-04T09:00:00+08:00'));
    const app = await startHubApp({
      config: configWith({ rateLimit: { perMinute: 6, burst: 3 } }),
      dataDir: tempDir(),
      port: 0,
      version: 'test',
      clock,
    });
    try {
      expect(app.publicUrl).toBeNull();
      const kiosk = await app.createToken('kiosk', undefined, 'k1');
      const codes = [];
      for (let i = 0; i < 4; i++)
        codes.push((await call(app.url, 'GET', '/public/tickets/NOPE0000000000000000')).status);
      expect(codes).toEqual([404, 404, 404, 429]);
      const r = await call(app.url, 'GET', '/public/tickets/NOPE0000000000000000');
      expect(r.body).toEqual({ code: 'RATE_LIMITED', message: '请求过于频繁，请 10 秒后再试' });
      expect(r.headers.get('retry-after')).toBe('10');
      // Pages count too; the staff API has its own limit per credential.
      expect((await fetch(`${app.url}/book`)).status).toBe(429);
      expect((await call(app.url, 'GET', '/hall', kiosk)).status).toBe(200);
      clock.advance(10_000);
      expect((await call(app.url, 'GET', '/public/tickets/NOPE0000000000000000')).status).toBe(404);
    } finally {
      await app.close();
    }
  });
});
