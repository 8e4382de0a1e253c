/**
 * The outbox relay against the platform simulator over real HTTP, with a real SQLite outbox:
 * exactly once and in order per case through partitions and a fault mix, rejections set aside
 * while the rest flows, a wrong clock corrected from serverTime, a wrong secret shown as lastError,
 * and the catalogue kept through an outage.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../../drivers/testing/wait-for.js';
import { backoffDelay, parseRetryAfter, retryDelay } from '../../main/sync/backoff.js';
import { DEPENDENCY_REJECTED } from '../../main/sync/outbox.js';
import type { PlatformSettings } from '../../main/sync/platform-settings.js';
import type { StepResult } from '../../main/sync/relay.js';
import { type SyncAlarm, SyncService } from '../../main/sync/sync-service.js';
import { type Clock, systemClock } from '../../main/time/clock.js';
import {
  certNo,
  checkExactlyOnceInOrder,
  HALL,
  hallDb,
  makeRecords,
  platformSimForFile,
  pump,
  SECRET,
  TASK,
  ticket,
} from './sync-fixtures.js';

const sim = platformSimForFile(HALL, 7);
afterEach(() => sim.setFaults({}));

function settings(over: Partial<PlatformSettings> = {}): PlatformSettings {
  return {
    url: sim.url,
    hallCode: HALL,
    areaCode: '330106',
    secret: SECRET,
    secretFile: '(test)',
    alg: 'HMAC-SM3',
    batchSize: 100,
    intervalMs: 20,
    requestTimeoutMs: 3000,
    backoff: { baseMs: 10, maxMs: 200 },
    alarm: { pending: 100, oldestSeconds: 3600 },
    catalogueRefreshMinutes: 60,
    ...over,
  };
}

function setup(over: Partial<PlatformSettings> = {}, alarms: SyncAlarm[] = [], clock: Clock = systemClock) {
  const h = hallDb();
  const sync = new SyncService({
    db: h.db,
    cipher: h.cipher,
    platform: settings(over),
    alarm: { pending: 100, oldestSeconds: 3600 },
    timeZone: () => 'Asia/Shanghai',
    clock,
    random: () => 0.999,
  });
  sync.onAlarm = (a) => alarms.push(a);
  return { ...h, sync, relay: sync.relay! };
}

describe('backoff', () => {
  it('is capped exponential with full jitter, and never shorter than Retry-After', () => {
    const policy = { baseMs: 100, maxMs: 1000 };
    expect(backoffDelay(0, policy, () => 0.999)).toBe(99);
    expect(backoffDelay(3, policy, () => 0.5)).toBe(400);
    expect(backoffDelay(20, policy, () => 0.999)).toBe(999);
    expect(backoffDelay(5, policy, () => 0)).toBe(0);
    expect(retryDelay(0, policy, () => 0, 2000)).toBe(2000);
    expect(parseRetryAfter('3', 0)).toBe(3000);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4000)).toBe(6000);
    expect(parseRetryAfter('soon', 0)).toBeNull();
  });
});

describe('relay against the simulator', () => {
  it('delivers thousands of records made while the platform was down exactly once, in order per case', async () => {
    const alarms: SyncAlarm[] = [];
    const { db, cases, sync, relay } = setup({ batchSize: 200 }, alarms);
    sim.setFaults({ partitioned: true });
    const ids = makeRecords(cases, db, 1000);
    const pendingBefore = sync.status().pending;
    expect(pendingBefore).toBe(1000 * 2 + Math.ceil(1000 / 3));
    sync.checkAlarm(true);
    expect(alarms.map((a) => a.level)).toEqual(['alarm']);
    const down = await relay.step();
    expect(down.kind).toBe('wait');
    expect(sync.status()).toMatchObject({ pending: pendingBefore, lastError: expect.stringMatching(/断开|连接/) });

    sim.setFaults({});
    await pump(relay);
    sync.checkAlarm(true);
    expect(alarms.map((a) => a.level)).toEqual(['alarm', 'clear']);
    const st = sync.status();
    expect(st).toMatchObject({ pending: 0, rejected: 0, lastError: null });
    expect(st.lastSuccessAt).not.toBeNull();
    const at = sim.records().filter((r) => ids.includes(r.localCaseId));
    checkExactlyOnceInOrder(db, at);
    // The 办件编号 comes back and is kept on the case; the platform keeps the highest version.
    const c = cases.get(ids[0]!)!;
    expect(c.projectNo).toMatch(/\S+/);
    expect(c.syncedVersion).toBe(2);
    // Delivered rows keep no personal data.
    expect(
      (
        db.db.prepare("SELECT count(*) n FROM outbox WHERE data IS NOT NULL AND state = 'delivered'").get() as {
          n: number;
        }
      ).n,
    ).toBe(0);
  });

  it('stays exactly once through latency, 503, 429 with Retry-After and answers lost after commit', async () => {
    const { db, cases, relay } = setup({ batchSize: 50, alg: 'HMAC-SHA256' });
    const ids = makeRecords(cases, db, 300);
    sim.setFaults({
      latencyMs: 2,
      errorRate: 0.2,
      rateLimitRate: 0.15,
      retryAfterSeconds: 2,
      dropAfterCommitRate: 0.25,
    });
    const before = sim.stats();
    const steps = await pump(relay);
    const waits = steps.filter((s): s is Extract<StepResult, { kind: 'wait' }> => s.kind === 'wait');
    const stats = sim.stats();
    // Every 429/503 carried Retry-After: 2, so no wait after one was shorter — and there were such
    // waits to check (at most one per refusal the simulator counted in this run).
    const refused = waits.filter((x) => /HTTP (429|503)/.test(x.reason));
    const refusals =
      stats.faults.rateLimited429 - before.faults.rateLimited429 + (stats.faults.error503 - before.faults.error503);
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.length).toBeLessThanOrEqual(refusals);
    expect(refused.map((w) => w.ms).filter((ms) => ms < 2000)).toEqual([]);
    expect(waits.some((w) => /断开|中断/.test(w.reason))).toBe(true);
    expect(stats.faults.droppedAfterCommit - before.faults.droppedAfterCommit).toBeGreaterThan(0);
    expect(stats.duplicate - before.duplicate).toBeGreaterThan(0);
    checkExactlyOnceInOrder(
      db,
      sim.records().filter((r) => ids.includes(r.localCaseId)),
    );
  });

  it('sets rejected records aside with their codes and keeps the rest flowing', async () => {
    const { db, cases, sync, relay } = setup();
    const now = Date.now();
    const good = makeRecords(cases, db, 5, 500);
    // A case with a wrong check digit, and its rating: INVALID_CERT_NO, and the rating (which needs
    // the case) set aside without being sent.
    const bad = certNo(77).slice(0, 17) + (certNo(77).endsWith('0') ? '1' : '0');
    const badCase = cases.recordFinished(
      ticket(900, { name: '李四', certType: 'resident', certNo: bad }, now),
      { taskCode: TASK, result: 'approved' },
      now,
    );
    cases.addEvaluation(
      { caseId: badCase.id, level: 'satisfied', reasons: [], text: null, channel: 'pad', deviceId: 'pad-1' },
      now,
    );
    // A 差评 without reason written by an older hall version (the hub itself refuses one): REASON_REQUIRED.
    const okCase = cases.recordFinished(ticket(901, null, now), { taskCode: TASK, result: 'approved' }, now);
    const row = db.db.prepare("SELECT data FROM outbox WHERE kind = 'case' AND case_id = ?").get(okCase.id) as {
      data: string;
    };
    expect(JSON.parse(row.data).applicant.certType).toBe('990');
    const ev = cases.addEvaluation(
      { caseId: okCase.id, level: 'very_dissatisfied', reasons: [], text: '慢', channel: 'pad', deviceId: 'pad-1' },
      now,
    );
    const evRow = db.db
      .prepare('SELECT id, data FROM outbox WHERE kind = ? AND case_id = ?')
      .get('evaluation', okCase.id) as {
      id: string;
      data: string;
    };
    const d = JSON.parse(evRow.data);
    d.text = '';
    db.db.prepare('UPDATE outbox SET data = ? WHERE id = ?').run(JSON.stringify(d), evRow.id);
    expect(ev.assessNumber).toBe(1);
    makeRecords(cases, db, 5, 600);

    await pump(relay);
    const rejected = sync.outbox.rejectedPage();
    expect(rejected.map((r) => [r.kind, r.code])).toEqual([
      ['case', 'INVALID_CERT_NO'],
      ['evaluation', DEPENDENCY_REJECTED],
      ['evaluation', 'REASON_REQUIRED'],
    ]);
    expect(rejected[0]!.message).toMatch(/身份证/);
    expect(sync.status()).toMatchObject({ pending: 0, rejected: 3 });
    expect(sim.records().filter((r) => good.includes(r.localCaseId))).toHaveLength(5 * 2 + 2);

    // A follow-up rating of the rejected case made later is set aside here, not sent to fail forever.
    cases.addEvaluation(
      { caseId: badCase.id, level: 'satisfied', reasons: [], text: '追评', channel: 'kiosk', deviceId: 'k1' },
      Date.now(),
    );
    await pump(relay);
    const later = sync.outbox.rejectedPage().at(-1)!;
    expect(later).toMatchObject({ kind: 'evaluation', caseId: badCase.id, code: DEPENDENCY_REJECTED });
    expect(sync.status().pending).toBe(0);

    // Retry puts them back in line with the same ids; the platform still refuses them.
    const before = sim.stats().rejected;
    expect(sync.retry()).toBe(4);
    await pump(relay);
    expect(sync.status()).toMatchObject({ pending: 0, rejected: 4 });
    expect(sim.stats().rejected).toBeGreaterThan(before);
  });

  it.each([
    ['the hall clock 1 h fast', -3600_000, 3600_000],
    ['the hall clock 1 h slow', 3600_000, -3600_000],
    ['the platform clock 1 h ahead', 3600_000, 0],
  ])('recovers through serverTime with %s', async (_name, off, hallOff) => {
    const { db, cases, sync, relay } = setup({}, [], { now: () => Date.now() + hallOff });
    // `off` is what the hall must learn: platform time − hall time.
    sim.setFaults(hallOff === 0 ? { clockOffsetMs: off } : {});
    const ids = makeRecords(cases, db, 20, 700);
    await pump(relay);
    expect(sync.status()).toMatchObject({ pending: 0, rejected: 0 });
    expect(Math.abs(sync.status().clockOffsetMs - off)).toBeLessThan(5000);
    expect(sync.outbox.getState('clockOffsetMs')).not.toBeNull();
    checkExactlyOnceInOrder(
      db,
      sim.records().filter((r) => ids.includes(r.localCaseId)),
    );
    expect(sim.stats().refusedAuth.CLOCK_SKEW).toBeGreaterThan(0);
  });

  it('corrects again when a learnt offset goes stale (the hall clock is fixed later)', async () => {
    let hallOff = 3600_000;
    const { db, cases, sync, relay } = setup({}, [], { now: () => Date.now() + hallOff });
    const first = makeRecords(cases, db, 5, 720);
    await pump(relay);
    expect(Math.abs(sync.status().clockOffsetMs + 3600_000)).toBeLessThan(5000);
    // NTP fixes the hall PC: the saved −1 h offset is now wrong by itself.
    hallOff = 0;
    const skewsBefore = sim.stats().refusedAuth.CLOCK_SKEW ?? 0;
    const second = makeRecords(cases, db, 5, 730);
    const steps = await pump(relay);
    expect(steps.some((s) => s.kind === 'wait' && s.ms > 0)).toBe(false);
    expect(sync.status()).toMatchObject({ pending: 0, rejected: 0, lastError: null });
    expect(Math.abs(sync.status().clockOffsetMs)).toBeLessThan(5000);
    expect((sim.stats().refusedAuth.CLOCK_SKEW ?? 0) - skewsBefore).toBe(1);
    checkExactlyOnceInOrder(
      db,
      sim.records().filter((r) => [...first, ...second].includes(r.localCaseId)),
    );
  });

  it('shows a wrong secret as lastError and sends nothing', async () => {
    const { db, cases, sync, relay } = setup({ secret: 'not-the-secret' });
    makeRecords(cases, db, 3, 800);
    const r = await relay.step();
    expect(r.kind).toBe('wait');
    const st = sync.status();
    expect(st.lastError).toMatch(/BAD_SIGNATURE/);
    expect(st.pending).toBe(3 * 2 + 1);
    expect(st.failures).toBe(1);
    // The error is kept in the database, for `govhall sync status` too.
    expect(sync.outbox.getState('lastError')).toMatch(/BAD_SIGNATURE/);
  });

  it('pulls the catalogue with ETag and keeps the last good copy through an outage', async () => {
    const { sync } = setup();
    expect(await sync.pullCatalogue()).toBe('updated');
    expect(await sync.pullCatalogue()).toBe('unchanged');
    sim.setFaults({ partitioned: true });
    const r = await sync.pullCatalogue();
    expect(typeof r === 'object' && r.error).toMatch(/事项目录/);
    const cached = sync.catalogue.get()!;
    expect(cached.catalogue.items.some((i) => i.taskCode === TASK)).toBe(true);
    expect(cached.catalogue.evaluationReasons.length).toBeGreaterThan(0);
  });

  it('pulls the catalogue at start and again every catalogueRefreshMinutes', async () => {
    // 6 ms instead of minutes: the schema's minimum is a minute, the timer is the same.
    const { sync } = setup({ catalogueRefreshMinutes: 0.0001 });
    const before = sim.catalog();
    try {
      sync.start();
      await waitFor('the catalogue at start', () => sync.catalogue.get()?.catalogue.version === before.version);
      sim.setCatalog({ ...before, version: `${before.version}-refreshed` });
      await waitFor(
        'the refreshed catalogue',
        () => sync.catalogue.get()?.catalogue.version === `${before.version}-refreshed`,
      );
    } finally {
      await sync.stop();
      sim.setCatalog(before);
    }
  });

  it('keeps a clock offset learnt by the catalogue pull at start, for status and the next start', async () => {
    const { sync } = setup({}, [], { now: () => Date.now() - 600_000 });
    expect(await sync.pullCatalogue()).toBe('updated');
    expect(Math.abs(Number(sync.outbox.getState('clockOffsetMs')) - 600_000)).toBeLessThan(5000);
  });

  it('moves reason codes the platform does not know into the text once the catalogue is known', async () => {
    const { db, cases, sync, relay } = setup();
    const now = Date.now();
    const c1 = cases.recordFinished(ticket(950, null, now), { taskCode: TASK, result: 'approved' }, now);
    const c2 = cases.recordFinished(ticket(951, null, now), { taskCode: TASK, result: 'approved' }, now);
    const rate = (caseId: string) =>
      cases.addEvaluation(
        { caseId, level: 'dissatisfied', reasons: ['L01', 'R103'], text: null, channel: 'pad', deviceId: 'p' },
        now,
      );
    // Without a catalogue the codes go as they are, and the platform refuses the unknown one.
    rate(c1.id);
    await pump(relay);
    expect(sync.outbox.rejectedPage().map((r) => r.code)).toEqual(['SCHEMA']);
    expect(await sync.pullCatalogue()).toBe('updated');
    rate(c2.id);
    await pump(relay);
    expect(sync.status()).toMatchObject({ pending: 0, rejected: 1 });
    const got = sim.records().find((r) => r.localCaseId === c2.id && r.kind === 'evaluation')!;
    expect(got.data).toMatchObject({ reasons: ['R103'], text: '（原因代码 L01）', satisfaction: 2 });
    expect(db.db.prepare("SELECT count(*) n FROM outbox WHERE state = 'delivered'").get()).toEqual({ n: 3 });
  });

  it('builds every case and evaluation field of the contract, with the contract codes', () => {
    const { db, cases, sync } = setup();
    const at = Date.UTC(2026, 10, 23, 2, 0, 0); // 10:00 in Beijing
    db.db.transaction(() => {
      const c = cases.recordFinished(
        ticket(7, { name: '张三', certType: 'resident', certNo: certNo(7) }, at),
        { taskCode: TASK, taskName: '参保登记', result: '不予许可', caseType: '承诺件', materials: ['居民身份证'] },
        at,
      );
      cases.addEvaluation(
        { caseId: c.id, level: 'very_satisfied', reasons: [], text: null, channel: 'pad', deviceId: 'pad-1' },
        at,
      );
    })();
    const hall = { hallCode: HALL, areaCode: '330106' };
    const page = sync.outbox.head(10, 1 << 20, hall, 'Asia/Shanghai', at);
    // The rating needs its case: it is ready only once the case is delivered.
    expect(page.records.map((r) => r.kind)).toEqual(['case']);
    sync.outbox.applyResults(page.records, [{ id: page.records[0]!.id, status: 'accepted' }], at);
    const kase = JSON.parse(page.json[0]!);
    const rating = JSON.parse(sync.outbox.head(10, 1 << 20, hall, 'Asia/Shanghai', at).json[0]!);
    expect(kase.data).toEqual({
      localCaseId: expect.stringMatching(/^C/),
      version: 1,
      projectNo: null,
      taskCode: TASK,
      taskName: '参保登记',
      applicant: { name: '张三', certType: '111', certNo: certNo(7) },
      applyTime: '2026-11-23T09:50:00.000+08:00',
      acceptTime: '2026-11-23T09:55:10.000+08:00',
      finishTime: '2026-11-23T10:00:00.000+08:00',
      status: 'finished',
      result: 'rejected',
      caseType: 2,
      handleForm: 1,
      hall: { hallCode: HALL, areaCode: '330106', windowNo: 1, staffNo: '8001' },
      // Waited from queueing to the call (5 min), served from the start to the finish (4 min 50 s).
      ticket: { number: 'A007', waitSeconds: 300, serveSeconds: 290 },
      materials: [{ name: '居民身份证', copies: 1, pages: null, sha256: null }],
    });
    expect(rating.data).toEqual({
      evaluationId: expect.stringMatching(/^E/),
      localCaseId: kase.data.localCaseId,
      projectNo: null,
      taskCode: TASK,
      satisfaction: 5,
      reasons: [],
      text: '',
      channel: 4,
      assessNumber: 1,
      assessTime: '2026-11-23T10:00:00.000+08:00',
      hall: { hallCode: HALL, windowNo: 1, staffNo: '8001', deviceId: 'pad-1' },
      userProp: 1,
    });
    expect(rating.seq).toBeGreaterThan(kase.seq);
  });

  it('reads the outbox in bounded pages', () => {
    const { db, cases, sync } = setup();
    makeRecords(cases, db, 50, 100);
    const page = sync.outbox.head(10, 1 << 20, { hallCode: HALL, areaCode: '330106' }, 'Asia/Shanghai', Date.now());
    expect(page.records).toHaveLength(10);
    const first = page.records[0]!;
    expect(first.kind).toBe('case');
    const sent = JSON.parse(page.json[0]!);
    expect(sent).toMatchObject({
      id: first.id,
      kind: 'case',
      seq: first.seq,
      occurredAt: expect.stringMatching(/\+08:00$/),
    });
    // Filled at send time: hall identity and the clear ID number from its sealed copy.
    expect(sent.data).toMatchObject({
      hall: { hallCode: HALL, areaCode: '330106' },
      applicant: { certNo: certNo(100) },
    });
    expect(db.db.prepare('SELECT data FROM outbox WHERE id = ?').get(first.id)).not.toMatchObject({
      data: expect.stringContaining(certNo(100)),
    });
  });
});
