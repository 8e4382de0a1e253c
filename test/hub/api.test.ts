/** Every core endpoint of hub-api.md with its error codes, over real HTTP against a real hub. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gb11643CheckChar } from '../../common/cert-number.js';
import { call, demoConfig, startTestHub } from '../support/hub-client.js';

const withCheck = (s: string) => s + gb11643CheckChar(s);
const ELDER = withCheck('33010619500315002'); // born 1950-03-15, female
const YOUNG = withCheck('33010619900101001');

let hub: Awaited<ReturnType<typeof startTestHub>>;
const signIn = async (staffNo: string, windowNo: number, pin = '123456') =>
  call(hub.url, 'POST', '/staff/sessions', null, { staffNo, pin, windowNo });

beforeAll(async () => {
  hub = await startTestHub();
});
afterAll(async () => {
  await hub.close();
});

describe('hub API core', () => {
  it('answers health without a token and the hall with one', async () => {
    const h = await call(hub.url, 'GET', '/health');
    expect(h.status).toBe(200);
    expect(h.body).toMatchObject({ status: 'ok', version: 'test' });
    expect(h.body.businessDay).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect((await call(hub.url, 'GET', '/hall')).status).toBe(401);
    expect((await call(hub.url, 'GET', '/hall', 'ght_wrong')).body.code).toBe('UNAUTHORIZED');
    const hall = await call(hub.url, 'GET', '/hall', hub.display);
    expect(hall.body).toMatchObject({ hallCode: 'DEMO-HALL-01', name: '演示市民服务中心' });
    expect(hall.body.services[0]).toMatchObject({ code: 'SBYB', name: '社保医保', prefix: 'A', open: true });
    expect(hall.body.windows).toHaveLength(8);
    expect(hall.body.windows[0]).toMatchObject({
      no: 1,
      state: 'closed',
      current: null,
      services: ['SBYB', 'HJ', 'GJJ', 'ZHZX'],
    });
  });

  it('issues tickets with ahead and estimated wait, and sets elderly priority from the ID number', async () => {
    const a = await call(hub.url, 'POST', '/tickets', hub.kiosk, { serviceCode: 'ZHZX', channel: 'kiosk' });
    expect(a.status).toBe(201);
    expect(a.body).toMatchObject({ number: 'F001', serviceCode: 'ZHZX', status: 'waiting', priority: null, ahead: 0 });
    expect(a.body.issuedAt).toMatch(/\+08:00$/);
    const b = await call(hub.url, 'POST', '/tickets', hub.kiosk, { serviceCode: 'ZHZX', channel: 'kiosk' });
    expect(b.body).toMatchObject({ number: 'F002', ahead: 1, estimatedWaitSeconds: 180 });
    const old = await call(hub.url, 'POST', '/tickets', hub.kiosk, {
      serviceCode: 'SBYB',
      channel: 'kiosk',
      applicant: { name: '王秀兰', certType: 'resident', certNo: ELDER },
    });
    expect(old.status).toBe(201);
    expect(old.body.priority).toBe('elderly');
    expect(old.body.applicant).toEqual({
      name: '王*兰',
      certType: 'resident',
      certNo: `${ELDER.slice(0, 4)}**********${ELDER.slice(-4)}`,
    });
    const got = await call(hub.url, 'GET', `/tickets/${old.body.id}`, hub.display);
    expect(got.body.applicant.certNo).not.toBe(ELDER);
    expect((await call(hub.url, 'GET', '/tickets/nope', hub.display)).status).toBe(404);
  });

  it("accepts the platform's certificate codes as aliases of certType", async () => {
    const t = await call(hub.url, 'POST', '/tickets', hub.kiosk, {
      serviceCode: 'SBYB',
      channel: 'kiosk',
      applicant: { name: '李小明', certType: '111', certNo: YOUNG },
    });
    expect(t.status).toBe(201);
    expect(t.body.applicant).toMatchObject({ certType: 'resident' });
    // Leave the queue as the window tests below expect it.
    expect((await call(hub.url, 'POST', `/tickets/${t.body.id}/cancel`, hub.admin)).status).toBe(200);
  });

  it('validates input and names the field', async () => {
    const bad = await call(hub.url, 'POST', '/tickets', hub.kiosk, {
      serviceCode: 'SBYB',
      channel: 'kiosk',
      applicant: { name: '张三', certType: 'resident', certNo: '110105194912310021' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({ code: 'INVALID_CERT_NO', message: '字段 applicant.certNo：证件号码校验码不正确' });
    const noChannel = await call(hub.url, 'POST', '/tickets', hub.kiosk, { serviceCode: 'SBYB' });
    expect(noChannel.body).toEqual({ code: 'INVALID_INPUT', message: '字段 channel：必填' });
    // A value outside an enum names the allowed values (it used to read "必填").
    const passport = await call(hub.url, 'POST', '/tickets', hub.kiosk, {
      serviceCode: 'SBYB',
      channel: 'kiosk',
      applicant: { name: '张三', certType: 'passport', certNo: 'E12345678' },
    });
    expect(passport.status).toBe(400);
    expect(passport.body.message).toBe(
      '字段 applicant.certType：证件类型应为 resident、hk_mo_tw、foreign_2017、foreign_2023、other、111、553、990 之一',
    );
    const wrongType = await call(hub.url, 'POST', '/tickets', hub.kiosk, { serviceCode: 7, channel: 'kiosk' });
    expect(wrongType.body.message).toBe('字段 serviceCode：类型不对，应为文字');
    const unknown = await call(hub.url, 'POST', '/tickets', hub.kiosk, { serviceCode: 'NOPE', channel: 'kiosk' });
    expect(unknown.body.code).toBe('UNKNOWN_SERVICE');
    const anonymous = await call(hub.url, 'POST', '/tickets', hub.kiosk, { serviceCode: 'SBYB', channel: 'kiosk' });
    expect(anonymous.status).toBe(400);
    expect(anonymous.body.code).toBe('ANONYMOUS_NOT_ALLOWED');
    const json = await call(hub.url, 'POST', '/tickets', hub.kiosk, '{"serviceCode":');
    expect(json.body.code).toBe('INVALID_JSON');
    const big = await call(hub.url, 'POST', '/tickets', hub.kiosk, {
      serviceCode: 'x'.repeat(70 * 1024),
      channel: 'kiosk',
    });
    expect(big.status).toBe(413);
    expect(big.body.code).toBe('BODY_TOO_LARGE');
    expect((await call(hub.url, 'GET', '/nowhere', hub.kiosk)).status).toBe(404);
  });

  it('refuses ticket issue to a display token', async () => {
    const r = await call(hub.url, 'POST', '/tickets', hub.display, { serviceCode: 'ZHZX', channel: 'kiosk' });
    expect(r.status).toBe(403);
    expect(r.body.code).toBe('FORBIDDEN_ROLE');
  });

  it('signs staff in only at their windows and locks after five wrong PINs', async () => {
    expect((await signIn('8003', 4)).body.code).toBe('WINDOW_NOT_ASSIGNED');
    const wrong = await signIn('8009', 7, '000000');
    expect(wrong.status).toBe(401);
    expect(wrong.body.code).toBe('BAD_CREDENTIALS');
    expect((await signIn('9999', 7)).body.code).toBe('BAD_CREDENTIALS');
    for (let i = 0; i < 3; i++) await signIn('8009', 7, '000000');
    const locked = await signIn('8009', 7, '000000');
    expect(locked.status).toBe(429);
    expect(locked.body.code).toBe('PIN_LOCKED');
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    // Even the right PIN is refused while locked.
    expect((await signIn('8009', 7)).body.code).toBe('PIN_LOCKED');
    const ok = await signIn('8003', 3);
    expect(ok.status).toBe(201);
    expect(ok.body.staff).toMatchObject({ no: '8003', name: '王志强' });
    expect(ok.body.token).toMatch(/^ghs_/);
  });

  it('runs a window through call, recall, skip with requeue, call, transfer, pause, start and finish', async () => {
    const s3 = (await signIn('8004', 3)).body.token as string;
    const s4 = (await signIn('8005', 4)).body.token as string;
    // window 3 serves SBYB only
    const t1 = (
      await call(hub.url, 'POST', '/tickets', hub.kiosk, {
        serviceCode: 'SBYB',
        channel: 'kiosk',
        applicant: { name: '李小明', certType: 'resident', certNo: YOUNG },
      })
    ).body;
    await call(hub.url, 'POST', '/tickets', hub.kiosk, {
      serviceCode: 'SBYB',
      channel: 'kiosk',
      applicant: { name: '赵六', certType: 'resident', certNo: YOUNG },
    });

    expect((await call(hub.url, 'POST', '/windows/4/call-next', s3)).body.code).toBe('WRONG_WINDOW');
    expect((await call(hub.url, 'POST', '/windows/3/call-next', hub.admin)).body.code).toBe('STAFF_SESSION_REQUIRED');

    const c1 = await call(hub.url, 'POST', '/windows/3/call-next', s3);
    expect(c1.status).toBe(200);
    // The elderly ticket from the previous test goes first, unmasked for the serving window.
    expect(c1.body.priority).toBe('elderly');
    expect(c1.body.applicant.certNo).toBe(ELDER);
    // Another window sees the same ticket masked.
    expect((await call(hub.url, 'GET', `/tickets/${c1.body.id}`, s4)).body.applicant.certNo).not.toBe(ELDER);
    expect((await call(hub.url, 'POST', '/windows/3/recall', s3)).body.recallCount).toBe(1);
    const skipped = await call(hub.url, 'POST', '/windows/3/skip', s3, { requeue: true });
    expect(skipped.body).toMatchObject({ status: 'waiting', requeued: true });
    const c2 = await call(hub.url, 'POST', '/windows/3/call-next', s3);
    expect(c2.body.id).toBe(t1.id);
    expect(c2.body.applicant.name).toBe('李小明');
    const tr = await call(hub.url, 'POST', '/windows/3/transfer', s3, { toWindowNo: 4, position: 'front' });
    expect(tr.body).toMatchObject({ number: t1.number, status: 'waiting', targetWindowNo: 4, transferredFrom: t1.id });
    expect((await call(hub.url, 'POST', '/windows/3/transfer', s3, { position: 'front' })).body.code).toBe(
      'INVALID_INPUT',
    );
    expect((await call(hub.url, 'POST', '/windows/3/pause', s3, {})).body).toEqual({
      code: 'INVALID_INPUT',
      message: '字段 reason：必填',
    });
    expect((await call(hub.url, 'POST', '/windows/3/pause', s3, { reason: '系统维护' })).body.state).toBe('paused');
    expect((await call(hub.url, 'POST', '/windows/3/call-next', s3)).body.code).toBe('WINDOW_PAUSED');
    expect((await call(hub.url, 'POST', '/windows/3/resume', s3)).body.state).toBe('idle');

    const c4 = await call(hub.url, 'POST', '/windows/4/call-next', s4);
    expect(c4.body.transferredFrom).toBe(t1.id);
    expect((await call(hub.url, 'POST', '/windows/4/start', s4)).body.status).toBe('serving');
    const fin = await call(hub.url, 'POST', '/windows/4/finish', s4, {
      case: { taskCode: '11330106MB1234567X4000112001000', result: '1', caseType: '1' },
    });
    expect(fin.status).toBe(200);
    expect(fin.body.caseId).toMatch(/^C/);
    expect(fin.body.evaluationRequestId).toMatch(/^ER/);
    const kase = await call(hub.url, 'GET', `/cases/${fin.body.caseId}`, hub.display);
    expect(kase.body).toMatchObject({
      id: fin.body.caseId,
      taskCode: '11330106MB1234567X4000112001000',
      status: 'finished',
      windowNo: 4,
      staffNo: '8005',
      evaluations: [],
    });
    expect(
      (await call(hub.url, 'POST', '/windows/4/finish', s4, { case: { taskCode: 'x', result: '1' } })).body.code,
    ).toBe('NO_CURRENT_TICKET');
    expect((await call(hub.url, 'POST', '/windows/4/finish', s4, {})).body.message).toBe('字段 case：必填');

    // call a given ticket; nobody left → 204
    const waiting = (await call(hub.url, 'GET', '/queue?serviceCode=SBYB', s3)).body as { id: string }[];
    expect(waiting).toHaveLength(2); // the requeued elderly ticket and 赵六
    for (const w of waiting) {
      expect((await call(hub.url, 'POST', '/windows/3/call', s3, { ticketId: w.id })).body.status).toBe('called');
      await call(hub.url, 'POST', '/windows/3/skip', s3, {});
    }
    expect((await call(hub.url, 'POST', '/windows/3/call-next', s3)).status).toBe(204);
    // Signing out closes the window; the session stops working.
    expect((await call(hub.url, 'DELETE', '/staff/sessions/current', s3)).status).toBe(204);
    expect((await call(hub.url, 'POST', '/windows/3/call-next', s3)).status).toBe(401);
  });

  it('gives statistics and token management to admins only, and a 501 for what is not built yet', async () => {
    const st = await call(hub.url, 'GET', '/stats', hub.admin);
    expect(st.body.total.issued).toBeGreaterThan(0);
    expect((await call(hub.url, 'GET', '/stats', hub.kiosk)).status).toBe(403);
    expect((await call(hub.url, 'GET', '/stats?day=2026-13', hub.admin)).body.code).toBe('INVALID_INPUT');
    const created = await call(hub.url, 'POST', '/admin/tokens', hub.admin, { role: 'display', name: '二楼屏' });
    expect(created.status).toBe(201);
    expect((await call(hub.url, 'GET', '/hall', created.body.token)).status).toBe(200);
    expect((await call(hub.url, 'DELETE', `/admin/tokens/${created.body.id}`, hub.admin)).status).toBe(204);
    expect((await call(hub.url, 'GET', '/hall', created.body.token)).status).toBe(401);
    expect((await call(hub.url, 'POST', '/admin/tokens', hub.admin, { role: 'evaluator' })).body.message).toMatch(
      /windowNo/,
    );
    const sync = await call(hub.url, 'GET', '/sync/status', hub.admin);
    expect(sync.status).toBe(200);
    expect(sync.body).toMatchObject({ configured: false, rejected: 0, lastError: null });
  });

  it('serves an OpenAPI document listing the core paths', async () => {
    const doc = (await call(hub.url, 'GET', '/openapi.json')).body;
    expect(doc.openapi).toBe('3.1.0');
    for (const p of [
      '/health',
      '/hall',
      '/tickets',
      '/tickets/{id}',
      '/windows/{no}/call-next',
      '/windows/{no}/finish',
      '/staff/sessions',
      '/cases/{id}',
      '/evaluations',
      '/sync/status',
      '/events',
    ]) {
      expect(doc.paths[p]).toBeDefined();
    }
    expect(
      doc.paths['/tickets'].post.requestBody.content['application/json'].schema.properties.serviceCode,
    ).toBeDefined();
  });
});

describe('hub API with a restricted hall', () => {
  it('answers SERVICE_CLOSED outside hours and DAILY_LIMIT_REACHED at the cap', async () => {
    const cfg = demoConfig();
    cfg.services[0]!.hours = [{ days: [1], open: '00:00', close: '00:01' }];
    cfg.services[1]!.dailyCap = 2;
    cfg.services[0]!.hours = [];
    const h = await startTestHub({ config: cfg });
    try {
      const closed = await call(h.url, 'POST', '/tickets', h.counter, { serviceCode: 'SBYB', channel: 'staff' });
      expect(closed.status).toBe(409);
      expect(closed.body.code).toBe('SERVICE_CLOSED');
      for (let i = 0; i < 2; i++)
        expect(
          (await call(h.url, 'POST', '/tickets', h.counter, { serviceCode: 'BDCDJ', channel: 'staff' })).status,
        ).toBe(201);
      const cap = await call(h.url, 'POST', '/tickets', h.counter, { serviceCode: 'BDCDJ', channel: 'staff' });
      expect(cap.status).toBe(409);
      expect(cap.body.code).toBe('DAILY_LIMIT_REACHED');
    } finally {
      await h.close();
    }
  });
});
