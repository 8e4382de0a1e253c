/**
 * 差评整改 over HTTP on a real hub: a 差评 from a pad opens one item in the rating's transaction, a
 * second bad rating of the case joins it, a manager takes it step by step to `closed` (illegal
 * steps 409, device tokens refused, every step audited), and a clock moved past the deadline
 * turns the item overdue and raises `rectification.alarm` once.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOfDay } from '../../common/hall-time.js';
import { ManualClock } from '../../main/time/clock.js';
import { call, demoConfig, startTestHub } from '../support/hub-client.js';

const TZ = 'Asia/Shanghai';
// Monday 2026-11-02, 10:00 in the hall: 15 working days later is Monday 2026-11-23.
const clock = new ManualClock(startOfDay('2026-11-02', TZ) + 10 * 3600_000);

let hub: Awaited<ReturnType<typeof startTestHub>>;
let staff: string;
let manager: string;
let pad: string;

async function finishCase() {
  expect((await call(hub.url, 'POST', '/tickets', hub.kiosk, { serviceCode: 'ZHZX', channel: 'kiosk' })).status).toBe(
    201,
  );
  expect((await call(hub.url, 'POST', '/windows/1/call-next', staff)).status).toBe(200);
  const f = await call(hub.url, 'POST', '/windows/1/finish', staff, { case: { taskCode: 'ZX-001', result: '1' } });
  expect(f.status).toBe(200);
  return f.body as { caseId: string };
}

const events = () => {
  const db = new Database(join(hub.dataDir, 'govhall.db'), { readonly: true });
  try {
    return (
      db.prepare("SELECT type, payload FROM events WHERE type LIKE 'rectification.%' ORDER BY seq").all() as {
        type: string;
        payload: string;
      }[]
    ).map((r) => ({ type: r.type, ...JSON.parse(r.payload) }));
  } finally {
    db.close();
  }
};

beforeAll(async () => {
  const config = demoConfig();
  // ZHZX must be open at 10:00 on the test's days; the demo hall's hours are kept.
  hub = await startTestHub({ config, clock });
  staff = (await call(hub.url, 'POST', '/staff/sessions', null, { staffNo: '8001', pin: '123456', windowNo: 1 })).body
    .token;
  manager = (await call(hub.url, 'POST', '/admin/sessions', null, { staffNo: '8001', pin: '123456' })).body.token;
  pad = hub.evaluator;
}, 60_000);
afterAll(async () => {
  await hub?.close();
});

describe('差评整改 over HTTP', () => {
  let caseId: string;
  let id: string;

  it('opens one item for a 差评 from a pad, and a good rating opens none', async () => {
    const good = await finishCase();
    expect(
      (await call(hub.url, 'POST', '/evaluations', pad, { caseId: good.caseId, level: 'satisfied', channel: 'pad' }))
        .status,
    ).toBe(201);
    caseId = (await finishCase()).caseId;
    const r = await call(hub.url, 'POST', '/evaluations', pad, {
      caseId,
      level: 'dissatisfied',
      reasons: ['R01'],
      text: '等了很久',
      channel: 'pad',
    });
    expect(r.status).toBe(201);
    const list = await call(hub.url, 'GET', '/admin/rectifications', manager);
    expect(list.status).toBe(200);
    expect(list.body).toHaveLength(1);
    const item = list.body[0];
    id = item.id;
    expect(item).toMatchObject({
      caseId,
      evaluationIds: [r.body.id],
      windowNo: 1,
      staffNo: '8001',
      level: 'dissatisfied',
      reasons: ['R01'],
      text: '等了很久',
      status: 'open',
      overdue: false,
      dueDate: '2026-11-23',
      dueAt: '2026-11-23T23:59:59.999+08:00',
    });
    expect(item.history).toHaveLength(1);
    expect(item.history[0]).toMatchObject({ from: null, to: 'open' });
  });

  it('adds a later bad rating of the same case to that item, never a second one', async () => {
    clock.advance(3600_000);
    const again = await call(hub.url, 'POST', '/evaluations', hub.kiosk, {
      caseId,
      level: 'very_dissatisfied',
      text: '回去想想更生气',
      channel: 'kiosk',
      certNo: undefined,
    });
    // A kiosk needs the applicant's proof; the pad's window rates its own cases, a follow-up included.
    expect(again.status).toBe(403);
    const follow = await call(hub.url, 'POST', '/evaluations', pad, {
      caseId,
      level: 'very_dissatisfied',
      text: '回去想想更生气',
      channel: 'pad',
    });
    expect(follow.status).toBe(201);
    const list = (await call(hub.url, 'GET', '/admin/rectifications', manager)).body;
    expect(list).toHaveLength(1);
    expect(list[0].evaluationIds).toHaveLength(2);
    expect(list[0].level).toBe('very_dissatisfied');
    expect(list[0].text).toBe('等了很久；回去想想更生气');
    expect(list[0].dueDate).toBe('2026-11-23');
    expect(events().filter((e) => e.type === 'rectification.changed')).toHaveLength(2);
  });

  it('lets only an admin session take steps, refuses illegal ones with 409, and filters by status', async () => {
    expect((await call(hub.url, 'GET', '/admin/rectifications', hub.admin)).status).toBe(403);
    expect((await call(hub.url, 'GET', '/admin/rectifications', staff)).status).toBe(403);
    const byToken = await call(hub.url, 'POST', `/admin/rectifications/${id}/transition`, hub.admin, {
      to: 'verifying',
      note: 'x',
    });
    expect(byToken.body.code).toBe('ADMIN_SESSION_REQUIRED');
    const skip = await call(hub.url, 'POST', `/admin/rectifications/${id}/transition`, manager, {
      to: 'closed',
      note: '直接办结',
    });
    expect(skip.status).toBe(409);
    expect(skip.body.code).toBe('ILLEGAL_TRANSITION');
    expect(
      (await call(hub.url, 'POST', '/admin/rectifications/RNONE/transition', manager, { to: 'verifying', note: 'x' }))
        .status,
    ).toBe(404);
    expect((await call(hub.url, 'GET', '/admin/rectifications?status=bogus', manager)).status).toBe(400);
    const step = await call(hub.url, 'POST', `/admin/rectifications/${id}/transition`, manager, {
      to: 'verifying',
      note: '调取录像核实',
    });
    expect(step.status).toBe(200);
    expect(step.body.status).toBe('verifying');
    expect((await call(hub.url, 'GET', '/admin/rectifications?status=open', manager)).body).toHaveLength(0);
    expect((await call(hub.url, 'GET', '/admin/rectifications?status=open,verifying', manager)).body).toHaveLength(1);
  });

  it('turns the item overdue when the clock passes the deadline, and raises the alarm once', async () => {
    // 2026-11-18 is three working days before the deadline: the first reminder.
    clock.set(startOfDay('2026-11-18', TZ) + 9 * 3600_000);
    hub.app.alarms.tick();
    hub.app.alarms.tick();
    expect(
      events()
        .filter((e) => e.type === 'rectification.alarm')
        .map((e) => e.kind),
    ).toEqual(['due_soon']);
    const dash = await call(hub.url, 'GET', '/admin/alarms', hub.admin);
    expect(dash.body.rectifications).toEqual({ dueSoon: 1, overdue: 0, calendarMissing: [] });

    clock.set(startOfDay('2026-11-24', TZ) + 9 * 3600_000);
    hub.app.alarms.tick();
    hub.app.alarms.tick();
    const alarms = events().filter((e) => e.type === 'rectification.alarm');
    expect(alarms.map((e) => e.kind)).toEqual(['due_soon', 'overdue']);
    expect(alarms[1]).toMatchObject({ id, caseId, dueAt: '2026-11-23T23:59:59.999+08:00' });
    // Three weeks later the manager signs in again (a console session lasts 8 hours).
    manager = (await call(hub.url, 'POST', '/admin/sessions', null, { staffNo: '8001', pin: '123456' })).body.token;
    const item = (await call(hub.url, 'GET', '/admin/rectifications', manager)).body[0];
    expect(item.overdue).toBe(true);
    expect((await call(hub.url, 'GET', '/admin/alarms', hub.admin)).body.rectifications.overdue).toBe(1);
  });

  it('is taken to closed with the call-back recorded, each step in the history and the audit', async () => {
    const step = (body: object) => call(hub.url, 'POST', `/admin/rectifications/${id}/transition`, manager, body);
    expect((await step({ to: 'rectifying', note: '窗口人员已约谈，调整叫号' })).status).toBe(200);
    expect((await step({ to: 'revisit', note: '整改完成，待回访' })).status).toBe(200);
    expect((await step({ to: 'closed', note: '电话回访' })).body.code).toBe('REVISIT_REQUIRED');
    const closed = await step({
      to: 'closed',
      note: '电话回访，群众认可',
      revisit: { contacted: true, level: 'satisfied' },
    });
    expect(closed.status).toBe(200);
    expect(closed.body).toMatchObject({
      status: 'closed',
      revisit: { contacted: true, level: 'satisfied' },
      overdue: true,
    });
    expect(closed.body.history.map((h: { to: string }) => h.to)).toEqual([
      'open',
      'open',
      'verifying',
      'rectifying',
      'revisit',
      'closed',
    ]);
    expect(closed.body.history.slice(2).every((h: { staffNo: string }) => h.staffNo === '8001')).toBe(true);
    expect((await step({ to: 'verifying', note: '再看看' })).status).toBe(409);
    const db = new Database(join(hub.dataDir, 'govhall.db'), { readonly: true });
    const audited = db
      .prepare("SELECT staff_no, subject FROM audit WHERE action = 'rectification.transition' ORDER BY id")
      .all() as { staff_no: string; subject: string }[];
    db.close();
    expect(audited).toHaveLength(4);
    expect(audited.every((a) => a.staff_no === '8001' && a.subject === caseId)).toBe(true);

    const figures = await call(hub.url, 'GET', '/admin/rectification-figures?month=2026-11', manager);
    expect(figures.status).toBe(200);
    expect(figures.body.current.total).toMatchObject({
      opened: 1,
      closed: 1,
      closedOnTime: 0,
      rectifiedRate: 1,
      onTimeRate: 0,
    });
    expect(figures.body.current.byWindow[0]).toMatchObject({ key: '1', revisitSatisfiedRate: 1 });
    expect(figures.body.previous).toMatchObject({ month: '2026-10', total: { opened: 0, rectifiedRate: null } });
  });
});
