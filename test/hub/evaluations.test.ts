/** Ratings over the hub API: no default, 差评 needs a reason, one follow-up, pads rate their own window. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startTestHub } from '../support/hub-client.js';

let hub: Awaited<ReturnType<typeof startTestHub>>;
let caseId: string;
let pad1: string;
let pad2: string;

beforeAll(async () => {
  hub = await startTestHub();
  const s = (await call(hub.url, 'POST', '/staff/sessions', null, { staffNo: '8001', pin: '123456', windowNo: 1 })).body
    .token;
  await call(hub.url, 'POST', '/tickets', hub.kiosk, { serviceCode: 'ZHZX', channel: 'kiosk' });
  await call(hub.url, 'POST', '/windows/1/call-next', s);
  caseId = (await call(hub.url, 'POST', '/windows/1/finish', s, { case: { taskCode: 'ZX-001', result: '1' } })).body
    .caseId;
  pad1 = (await call(hub.url, 'POST', '/admin/tokens', hub.admin, { role: 'evaluator', windowNo: 1 })).body.token;
  pad2 = (await call(hub.url, 'POST', '/admin/tokens', hub.admin, { role: 'evaluator', windowNo: 2 })).body.token;
});
afterAll(async () => {
  await hub.close();
});

describe('evaluations', () => {
  it('refuses a rating without a level, a 差评 without reason, another window’s pad and a display', async () => {
    expect((await call(hub.url, 'POST', '/evaluations', pad1, { caseId, channel: 'pad' })).body).toEqual({
      code: 'INVALID_INPUT',
      message: '字段 level：必填',
    });
    const bad = await call(hub.url, 'POST', '/evaluations', pad1, { caseId, level: 'dissatisfied', channel: 'pad' });
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({ code: 'REASON_REQUIRED', message: '字段 reasons：「不满意」需要选择原因或填写说明' });
    expect(
      (await call(hub.url, 'POST', '/evaluations', pad2, { caseId, level: 'satisfied', channel: 'pad' })).body.code,
    ).toBe('WRONG_WINDOW');
    expect(
      (await call(hub.url, 'POST', '/evaluations', hub.display, { caseId, level: 'satisfied', channel: 'pad' })).status,
    ).toBe(403);
    expect(
      (await call(hub.url, 'POST', '/evaluations', pad1, { caseId: 'C-NONE', level: 'satisfied', channel: 'pad' }))
        .status,
    ).toBe(404);
  });

  it('records a first rating and one follow-up, then refuses more, and shows them on the case', async () => {
    const first = await call(hub.url, 'POST', '/evaluations', pad1, {
      caseId,
      level: 'dissatisfied',
      reasons: ['R01'],
      channel: 'pad',
    });
    expect(first.status).toBe(201);
    expect(first.body.assessNumber).toBe(1);
    const follow = await call(hub.url, 'POST', '/evaluations', hub.kiosk, {
      caseId,
      level: 'basically_satisfied',
      text: '后来解决了',
      channel: 'kiosk',
    });
    expect(follow.body.assessNumber).toBe(2);
    const third = await call(hub.url, 'POST', '/evaluations', hub.kiosk, {
      caseId,
      level: 'very_satisfied',
      channel: 'kiosk',
    });
    expect(third.status).toBe(409);
    expect(third.body.code).toBe('ALREADY_EVALUATED');
    const c = (await call(hub.url, 'GET', `/cases/${caseId}`, hub.display)).body;
    expect(c.evaluations.map((e: { level: string; assessNumber: number }) => [e.assessNumber, e.level])).toEqual([
      [1, 'dissatisfied'],
      [2, 'basically_satisfied'],
    ]);
    expect(c.evaluations[0].reasons).toEqual(['R01']);
  });
});
