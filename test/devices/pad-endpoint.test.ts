/**
 * Third-party evaluation pads over a real WebSocket on loopback (docs/pad-protocol.md). The
 * heartbeat watch is tested on a fake clock in pad-timing.test.ts; here pads answer pings only
 * when a test asks, so no test depends on a timer keeping up.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HubApp } from '../../main/hall/hub-app.js';
import { PAD_PATH } from '../../main/server/pad-plugin.js';
import { call, startPadHub } from '../support/hub-client.js';
import { openJsonSocket, pingPong, signInPad } from './ws-client.js';

let app: HubApp;
let base: string;
let kiosk: string;
let staff1: string;
let pad1: string;
let pad2: string;
let admin: string;
const wsUrl = (q = '') => `${base.replace('http', 'ws')}${PAD_PATH}${q}`;

async function finishOneCase(): Promise<{ caseId: string; evaluationRequestId: string; ratingCode: string }> {
  await call(base, 'POST', '/tickets', kiosk, { serviceCode: 'ZHZX', channel: 'kiosk' });
  expect((await call(base, 'POST', '/windows/1/call-next', staff1)).status).toBe(200);
  const r = await call(base, 'POST', '/windows/1/finish', staff1, {
    case: { taskCode: 'ZX-001', taskName: '综合咨询', result: '1' },
  });
  expect(r.status).toBe(200);
  return r.body;
}

const signedInPad = (token: string, extra: Record<string, unknown> = {}) => signInPad(wsUrl(), token, extra);

beforeAll(async () => {
  // Long enough that a pad saying hello on a loaded machine is never cut off; the quiet socket
  // below waits this long.
  app = await startPadHub({ helloTimeoutMs: 3000 });
  base = app.url;
  kiosk = await app.createToken('kiosk');
  admin = await app.createToken('admin');
  pad1 = await app.createToken('evaluator', 1, 'pad-w1');
  pad2 = await app.createToken('evaluator', 2, 'pad-w2');
  staff1 = (await call(base, 'POST', '/staff/sessions', null, { staffNo: '8001', pin: '123456', windowNo: 1 })).body
    .token;
});
afterAll(async () => {
  await app.close();
});

describe('pad WebSocket endpoint', () => {
  it('refuses a bad token, a non-evaluator token, a wrong window and silence before hello', async () => {
    const bad = await openJsonSocket(wsUrl());
    bad.send({ type: 'hello', token: 'ght_nope' });
    expect(await bad.next('error')).toMatchObject({ code: 'UNAUTHORIZED' });
    expect((await bad.closed).code).toBe(4001);

    const k = await openJsonSocket(wsUrl());
    k.send({ type: 'hello', token: kiosk });
    expect(await k.next('error')).toMatchObject({ code: 'FORBIDDEN_ROLE' });

    const w = await openJsonSocket(wsUrl());
    w.send({ type: 'hello', token: pad1, windowNo: 2 });
    expect(await w.next('error')).toMatchObject({ code: 'WRONG_WINDOW' });

    const st = await openJsonSocket(wsUrl());
    st.send({ type: 'hello', token: pad1, staffNo: '8005' });
    expect(await st.next('error')).toMatchObject({ code: 'WINDOW_NOT_ASSIGNED' });

    const quiet = await openJsonSocket(wsUrl());
    expect((await quiet.closed).code).toBe(4001);
  });

  it('signs in, pushes evaluate for its window only, records the rating and acks with assessNumber', async () => {
    const { s, welcome } = await signedInPad(pad1, { staffNo: '8001' });
    expect(welcome).toMatchObject({
      protocol: 1,
      windowNo: 1,
      windowName: '综合窗口一',
      staff: { no: '8001', name: '陈建国' },
    });
    expect(welcome.levels).toHaveLength(5);
    expect(welcome.reasons.find((r: { code: string }) => r.code === 'R104').levels).toEqual([
      'dissatisfied',
      'very_dissatisfied',
    ]);
    const other = await signedInPad(pad2);
    const listed = (await call(base, 'GET', '/devices', admin)).body.devices;
    expect(listed).toContainEqual(
      expect.objectContaining({
        deviceId: welcome.deviceId,
        kind: 'pad',
        terminal: 'pad-w1',
        windowNo: 1,
        state: 'ok',
      }),
    );
    expect(await pingPong(s)).toHaveProperty('at');

    const { caseId, evaluationRequestId } = await finishOneCase();
    const ev = await s.next('evaluate');
    expect(ev).toMatchObject({
      requestId: evaluationRequestId,
      caseId,
      windowNo: 1,
      taskName: '综合咨询',
      staff: { no: '8001' },
    });
    expect(ev.reasons.map((r: { code: string }) => r.code)).toContain('R103');

    // No default, 差评 needs a reason — the same rules as POST /evaluations.
    s.send({ type: 'rate', id: 'm1', caseId });
    expect(await s.next('error')).toMatchObject({ id: 'm1', code: 'INVALID_INPUT' });
    s.send({ type: 'rate', id: 'm2', caseId, level: 'very_dissatisfied' });
    expect(await s.next('error')).toMatchObject({ id: 'm2', code: 'REASON_REQUIRED' });
    // Another window's pad cannot rate this case.
    other.s.send({ type: 'rate', id: 'x', caseId, level: 'satisfied' });
    expect(await other.s.next('error')).toMatchObject({ id: 'x', code: 'WRONG_WINDOW' });

    s.send({ type: 'rate', id: 'm3', caseId, level: 'dissatisfied', reasons: ['R103'] });
    const rated = await s.next('rated');
    expect(rated).toMatchObject({ id: 'm3', caseId, assessNumber: 1 });
    expect(await s.next('evaluate.cancel')).toMatchObject({ caseId, reason: 'rated' });
    // Append-only: the pad cannot rate the same case again.
    s.send({ type: 'rate', id: 'm4', caseId, level: 'satisfied' });
    expect(await s.next('error')).toMatchObject({ id: 'm4', code: 'ALREADY_EVALUATED' });

    const c = await call(base, 'GET', `/cases/${caseId}`, admin);
    expect(c.body.evaluations).toEqual([
      expect.objectContaining({ level: 'dissatisfied', reasons: ['R103'], channel: 'pad', assessNumber: 1 }),
    ]);
    expect(other.s.messages.some((m) => m.type === 'evaluate')).toBe(false);
    s.close();
    other.s.close();
  });

  it('a pad that signs in late still gets the open request (its expiry: pad-timing.test.ts)', async () => {
    const { caseId } = await finishOneCase();
    const { s } = await signedInPad(pad1);
    expect(await s.next('evaluate')).toMatchObject({ caseId });
    s.send({ type: 'rate', id: 'late', caseId, level: 'satisfied' });
    expect(await s.next('rated')).toMatchObject({ id: 'late', caseId });
    expect(await s.next('evaluate.cancel')).toMatchObject({ caseId, reason: 'rated' });
    s.close();
  });

  it('a rating over POST /evaluations closes the open request at once, not as an expiry', async () => {
    const events = await openJsonSocket(`${base.replace('http', 'ws')}/api/v1/events?token=${admin}`);
    const { s } = await signedInPad(pad1);
    const { caseId, ratingCode } = await finishOneCase();
    expect(await s.next('evaluate')).toMatchObject({ caseId });
    // A kiosk's 补充评价 with the rating code handed out at 办结.
    const r = await call(base, 'POST', '/evaluations', kiosk, { caseId, level: 'satisfied', ratingCode });
    expect(r.status).toBe(201);
    // The tracker hears the published `evaluation.recorded`; the request is gone by the next message.
    expect(await s.next('evaluate.cancel')).toMatchObject({ caseId, reason: 'rated' });
    expect(await events.next('evaluation.recorded')).toMatchObject({ caseId, assessNumber: 1 });
    expect(events.messages.some((m) => m.type === 'evaluation.expired' && m.caseId === caseId)).toBe(false);
    s.close();
    events.close();
  });

  it('answers garbage with coded errors and stays up', async () => {
    const { s } = await signedInPad(pad1);
    s.ws.send('not json');
    expect(await s.next('error')).toMatchObject({ code: 'INVALID_JSON' });
    s.send({ type: 'launch-missiles' });
    expect(await s.next('error')).toMatchObject({ code: 'UNKNOWN_MESSAGE' });
    s.send({ type: 'dismiss', requestId: 'nope' });
    expect(await s.next('error')).toMatchObject({ code: 'UNKNOWN_REQUEST' });
    expect(await pingPong(s)).toBeTruthy();
    s.close();
  });

  it('sends a fresh welcome to the pads of a window when its staff sign in or out', async () => {
    const w2 = await signedInPad(pad2);
    expect(w2.welcome.staff).toBeNull();
    const w1 = await signedInPad(pad1);
    const session = await call(base, 'POST', '/staff/sessions', null, { staffNo: '8002', pin: '123456', windowNo: 2 });
    expect(session.status).toBe(201);
    expect(await w2.s.next('welcome')).toMatchObject({ windowNo: 2, staff: { no: '8002', name: '李秀英' } });
    expect((await call(base, 'DELETE', '/staff/sessions/current', session.body.token)).status).toBeLessThan(300);
    expect(await w2.s.next('welcome')).toMatchObject({ windowNo: 2, staff: null });
    // Window 1's pad heard nothing of window 2's staff: a round trip on its connection comes after
    // anything the hub sent it.
    expect(await pingPong(w1.s)).toBeTruthy();
    expect(w1.s.messages.filter((m) => m.type === 'welcome')).toHaveLength(1);
    w1.s.close();
    w2.s.close();
  });
});
