/**
 * The hall's other alarms on a real hub and an injected clock: a 承诺件 (a case accepted for a
 * 事项 the catalogue promises in N working days) is listed and alarmed as its date nears and once
 * it passes; a service whose oldest ticket waits past the threshold raises `wait.alarm` for the
 * windows that serve it, once, and clears it when the wait is over.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOfDay } from '../../common/hall-time.js';
import { ManualClock } from '../../main/time/clock.js';
import { call, demoConfig, startTestHub } from '../support/hub-client.js';

const TZ = 'Asia/Shanghai';
const TASK = '11330106MB1234567X4000112001000';
const clock = new ManualClock(startOfDay('2026-11-02', TZ) + 10 * 3600_000);
let hub: Awaited<ReturnType<typeof startTestHub>>;

const events = (type: string) => {
  const db = new Database(join(hub.dataDir, 'govhall.db'), { readonly: true });
  try {
    return (
      db.prepare('SELECT payload FROM events WHERE type = ? ORDER BY seq').all(type) as { payload: string }[]
    ).map((r) => JSON.parse(r.payload));
  } finally {
    db.close();
  }
};

beforeAll(async () => {
  hub = await startTestHub({ config: demoConfig(), clock });
  const catalogue = {
    version: 't1',
    items: [
      {
        taskCode: TASK,
        taskName: '参保登记',
        deptName: '',
        category: '',
        caseType: 2,
        promiseDays: 5,
        materials: [],
        guide: '',
      },
    ],
    evaluationReasons: [],
  };
  hub.app.sync.catalogue.store(JSON.stringify(catalogue), catalogue, null, clock.now());
}, 60_000);
afterAll(async () => {
  await hub?.close();
});

describe('承诺件', () => {
  it('lists a case near its promised date and alarms once, then once more when it is past', async () => {
    const staff = (
      await call(hub.url, 'POST', '/staff/sessions', null, { staffNo: '8001', pin: '123456', windowNo: 1 })
    ).body.token;
    const created = await call(hub.url, 'POST', '/cases', staff, { taskCode: TASK, finished: false, caseType: '2' });
    expect(created.status).toBe(201);
    const caseId = created.body.caseId as string;
    const promises = async () => (await call(hub.url, 'GET', '/admin/alarms', hub.admin)).body.promises;

    hub.app.alarms.tick();
    expect(await promises()).toEqual([]);
    expect(events('promise.alarm')).toEqual([]);

    // Accepted Monday 11-02, promised in 5 working days: Monday 11-09. Thursday leaves two.
    clock.set(startOfDay('2026-11-05', TZ) + 10 * 3600_000);
    hub.app.alarms.tick();
    hub.app.alarms.tick();
    expect(await promises()).toEqual([
      expect.objectContaining({
        caseId,
        promiseDate: '2026-11-09',
        promiseDays: 5,
        workingDaysLeft: 2,
        overdue: false,
      }),
    ]);
    clock.set(startOfDay('2026-11-10', TZ) + 10 * 3600_000);
    hub.app.alarms.tick();
    hub.app.alarms.tick();
    expect((await promises())[0]).toMatchObject({ caseId, overdue: true });
    expect(events('promise.alarm').map((e) => [e.caseId, e.kind])).toEqual([
      [caseId, 'due_soon'],
      [caseId, 'overdue'],
    ]);

    // Finished: no longer tracked.
    const done = await call(hub.url, 'POST', `/cases/${caseId}/revisions`, hub.admin, {
      finish: true,
      result: 'approved',
    });
    expect(done.body).toMatchObject({ caseId, status: 'finished' });
    expect(await promises()).toEqual([]);
  });
});

describe('long waits', () => {
  it('raises wait.alarm for the windows that serve the service, once, and clears it', async () => {
    clock.set(startOfDay('2026-11-11', TZ) + 9 * 3600_000);
    expect((await call(hub.url, 'POST', '/tickets', hub.kiosk, { serviceCode: 'ZHZX', channel: 'kiosk' })).status).toBe(
      201,
    );
    clock.advance(29 * 60_000);
    hub.app.alarms.tick();
    expect(events('wait.alarm')).toEqual([]);
    clock.advance(2 * 60_000);
    hub.app.alarms.tick();
    hub.app.alarms.tick();
    const raised = events('wait.alarm');
    expect(raised).toEqual([
      expect.objectContaining({
        level: 'alarm',
        serviceCode: 'ZHZX',
        waiting: 1,
        oldestWaitMinutes: 31,
        thresholdMinutes: 30,
        windows: [1, 2, 8],
      }),
    ]);
    expect(raised[0].message).toMatch(/建议增开窗口/);
    const staff = (
      await call(hub.url, 'POST', '/staff/sessions', null, { staffNo: '8001', pin: '123456', windowNo: 1 })
    ).body.token;
    const forCounter = await call(hub.url, 'GET', '/alarms/waits', staff);
    expect(forCounter.status).toBe(200);
    expect(forCounter.body.map((w: { serviceCode: string }) => w.serviceCode)).toEqual(['ZHZX']);
    expect((await call(hub.url, 'GET', '/alarms/waits', hub.kiosk)).status).toBe(403);

    expect((await call(hub.url, 'POST', '/windows/1/call-next', staff)).status).toBe(200);
    hub.app.alarms.tick();
    expect(events('wait.alarm').map((e) => e.level)).toEqual(['alarm', 'clear']);
    expect((await call(hub.url, 'GET', '/alarms/waits', staff)).body).toEqual([]);
  });
});
