/**
 * Records that need others, against the platform simulator over real HTTP with a real SQLite
 * outbox: materials (PUT by hash) before the cases that name them, exactly once, through a partition
 * and a fault mix; a material the hall cannot read sets its case and the case's rating aside, and a
 * retry of the material brings all three; rectification steps after their rating; appointment
 * records; dependants never held up by a page limit.
 */
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { platformAppointment } from '../../main/platform-sim/sample-records.js';
import { enqueueRecord, evaluationRecordId } from '../../main/sync/outbox-records.js';
import type { PlatformSettings } from '../../main/sync/platform-settings.js';
import type { MaterialBytes } from '../../main/sync/relay.js';
import { SyncService } from '../../main/sync/sync-service.js';
import { systemClock } from '../../main/time/clock.js';
import { certNo, HALL, hallDb, platformSimForFile, pump, SECRET, TASK, ticket } from './sync-fixtures.js';

const sim = platformSimForFile(HALL, 23);
afterEach(() => sim.setFaults({}));

function settings(over: Partial<PlatformSettings> = {}): PlatformSettings {
  return {
    url: sim.url,
    hallCode: HALL,
    areaCode: '330106',
    secret: SECRET,
    secretFile: '(test)',
    alg: 'HMAC-SHA256',
    batchSize: 20,
    intervalMs: 20,
    requestTimeoutMs: 3000,
    backoff: { baseMs: 10, maxMs: 200 },
    alarm: { pending: 100_000, oldestSeconds: 3600 },
    catalogueRefreshMinutes: 60,
    ...over,
  };
}

/** Material files held by the "hall" in memory; `missing` hides some of them. */
function materialFiles() {
  const files = new Map<string, { bytes: Buffer; name: string }>();
  const missing = new Set<string>();
  const reads: string[] = [];
  const add = (name: string, text: string) => {
    const bytes = Buffer.from(`%PDF-1.4\n% ${text}\n%%EOF\n`);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    files.set(sha256, { bytes, name });
    return sha256;
  };
  const source: MaterialBytes = async (sha256) => {
    reads.push(sha256);
    const f = files.get(sha256);
    return f && !missing.has(sha256) ? { bytes: f.bytes, contentType: 'application/pdf', name: f.name } : null;
  };
  const bytesOf = (sha256: string) => files.get(sha256)!.bytes;
  /** The file on disk changed (damaged, overwritten) after its hash was recorded. */
  const damage = (sha256: string) => files.set(sha256, { ...files.get(sha256)!, bytes: Buffer.from('damaged') });
  return { add, source, missing, reads, bytesOf, damage };
}

function setup(over: Partial<PlatformSettings> = {}) {
  const h = hallDb();
  const m = materialFiles();
  const sync = new SyncService({
    db: h.db,
    cipher: h.cipher,
    platform: settings(over),
    alarm: { pending: 100_000, oldestSeconds: 3600 },
    timeZone: () => 'Asia/Shanghai',
    clock: systemClock,
    random: () => 0.5,
    materials: m.source,
  });
  return { ...h, m, sync, relay: sync.relay! };
}

const state = (db: ReturnType<typeof hallDb>['db'], id: string) =>
  (db.db.prepare('SELECT state, code FROM outbox WHERE id = ?').get(id) as { state: string; code: string | null })
    .state;

describe('records that need others, at the platform simulator', () => {
  it('sends each material exactly once and before every case that names it, through a partition and faults', async () => {
    const { db, cases, m, sync, relay } = setup();
    // 12 distinct files; cases share some of them (the same ID card scan named by several cases).
    const hashes = Array.from({ length: 12 }, (_, i) => m.add(`材料${i}`, `scan ${i}`));
    const caseIds: string[] = [];
    sim.setFaults({ partitioned: true });
    db.db.transaction(() => {
      for (let i = 0; i < 40; i++) {
        const named = [hashes[i % 12]!, hashes[(i * 5 + 3) % 12]!];
        const c = cases.recordFinished(
          ticket(2000 + i, { name: `材${i}`, certType: 'resident', certNo: certNo(2000 + i) }),
          {
            taskCode: TASK,
            result: 'approved',
            materials: [...new Set(named)].map((sha256, k) => ({ name: `材料${k}`, sha256 })),
          },
          Date.now(),
        );
        cases.addEvaluation(
          { caseId: c.id, level: 'satisfied', reasons: [], text: null, channel: 'pad', deviceId: 'pad-1' },
          Date.now(),
        );
        caseIds.push(c.id);
      }
    })();
    const materialRows = db.db.prepare("SELECT count(*) n FROM outbox WHERE kind = 'material'").get() as { n: number };
    expect(materialRows.n).toBe(12);
    expect((await relay.step()).kind).toBe('wait');
    sim.setFaults({ errorRate: 0.2, rateLimitRate: 0.1, retryAfterSeconds: 0, dropAfterCommitRate: 0.25 });
    await pump(relay, 5000);
    sim.setFaults({});
    const faults = sim.stats().faults;
    expect(faults.droppedAfterCommit).toBeGreaterThan(0);
    expect(faults.error503 + faults.rateLimited429).toBeGreaterThan(0);

    expect(sync.status()).toMatchObject({ pending: 0, rejected: 0 });
    const held = sim.materials().filter((x) => hashes.includes(x.sha256));
    expect(held.map((x) => x.sha256).sort()).toEqual([...hashes].sort());
    // Stored once each: a resend whose first answer was lost is answered "already held".
    expect(sim.stats().materials.stored).toBeGreaterThanOrEqual(12);
    for (const h of held) expect(sim.materialBytes(h.sha256)!.equals(m.bytesOf(h.sha256))).toBe(true);
    // The simulator refuses a case naming a file it lacks: none was refused, so every file came first.
    expect(sim.stats().rejectedByCode.UNKNOWN_MATERIAL ?? 0).toBe(0);
    const got = sim.records().filter((r) => caseIds.includes(r.localCaseId));
    expect(got.filter((r) => r.kind === 'case')).toHaveLength(40);
    expect(got.filter((r) => r.kind === 'evaluation')).toHaveLength(40);
    expect(new Set(got.map((r) => r.id)).size).toBe(got.length);
  });

  it('sets a case and its rating aside when its material cannot be read, and a retry of the material brings all three', async () => {
    const { db, cases, m, sync, relay } = setup();
    const lost = m.add('委托书', 'lost scan');
    const fine = m.add('身份证', 'fine scan');
    m.missing.add(lost);
    const make = (i: number, sha256: string) =>
      db.db.transaction(() => {
        const c = cases.recordFinished(
          ticket(3000 + i, null),
          { taskCode: TASK, result: 'approved', materials: [{ name: '材料', sha256 }] },
          Date.now(),
        );
        cases.addEvaluation(
          { caseId: c.id, level: 'satisfied', reasons: [], text: null, channel: 'pad', deviceId: 'pad-1' },
          Date.now(),
        );
        return c.id;
      })();
    const bad = make(1, lost);
    const good = make(2, fine);
    await pump(relay);
    const aside = sync.outbox.rejectedPage();
    expect(aside.map((r) => [r.kind, r.code])).toEqual([
      ['material', 'MATERIAL_MISSING'],
      ['case', 'DEPENDENCY_REJECTED'],
      ['evaluation', 'DEPENDENCY_REJECTED'],
    ]);
    expect(aside[1]!.message).toMatch(/材料记录/);
    expect(aside[2]!.message).toMatch(/材料记录/);
    expect(sim.records().filter((r) => r.localCaseId === good)).toHaveLength(2);
    expect(sim.records().filter((r) => r.localCaseId === bad)).toHaveLength(0);
    expect(sync.status()).toMatchObject({ pending: 0, rejected: 3 });

    // A rating made now, while its case is set aside, is set aside at once (never sent to fail).
    db.db.transaction(() =>
      cases.addEvaluation(
        { caseId: bad, level: 'satisfied', reasons: [], text: '追评', channel: 'kiosk', deviceId: 'k1' },
        Date.now(),
      ),
    )();
    expect(sync.outbox.rejectedPage().at(-1)).toMatchObject({ kind: 'evaluation', code: 'DEPENDENCY_REJECTED' });

    // The file is found again: retrying the material alone puts its case and both ratings back.
    m.missing.delete(lost);
    expect(sync.retry([aside[0]!.id])).toBe(4);
    await pump(relay);
    expect(sync.status()).toMatchObject({ pending: 0, rejected: 0 });
    const at = sim.records().filter((r) => r.localCaseId === bad);
    expect(at.map((r) => [r.kind, r.version ?? r.assessNumber])).toEqual([
      ['case', 1],
      ['evaluation', 1],
      ['evaluation', 2],
    ]);
    expect(sim.materials().some((x) => x.sha256 === lost)).toBe(true);
  });

  it('retrying a set-aside dependant retries what it needs; a file that no longer matches its hash stays aside', async () => {
    const { db, cases, m, sync, relay } = setup();
    const sha = m.add('申请表', 'original');
    m.missing.add(sha);
    const id = db.db.transaction(
      () =>
        cases.recordFinished(
          ticket(3100, null),
          { taskCode: TASK, result: 'approved', materials: [{ name: '申请表', sha256: sha }] },
          Date.now(),
        ).id,
    )();
    await pump(relay);
    const [material, kase] = sync.outbox.rejectedPage();
    expect(kase).toMatchObject({ kind: 'case', code: 'DEPENDENCY_REJECTED' });
    m.missing.delete(sha);
    // Retrying the case retries the material it needs too.
    expect(sync.retry([kase!.id])).toBe(2);
    await pump(relay);
    expect(sim.records().filter((r) => r.localCaseId === id)).toHaveLength(1);
    expect(state(db, material!.id)).toBe('delivered');

    // A file whose bytes changed on disk is not sent under its recorded hash.
    const changed = m.add('授权书', 'to be damaged');
    m.damage(changed);
    const rec = db.db.transaction(() =>
      enqueueRecord(db, { kind: 'material', occurredAt: Date.now(), data: { sha256: changed, name: '授权书' } }),
    )();
    await pump(relay);
    expect(sync.outbox.rejectedPage().find((r) => r.id === rec)).toMatchObject({ code: 'MATERIAL_CORRUPT' });
    expect(sim.materials().some((x) => x.sha256 === changed)).toBe(false);
  });

  it('sends a rectification step after the rating it refers to, and an appointment record as it is', async () => {
    const { db, cases, sync, relay } = setup();
    platformAppointment(sim, HALL, 'P-APPT-1');
    sim.setFaults({ partitioned: true });
    const { caseId, refs } = db.db.transaction(() => {
      const c = cases.recordFinished(ticket(3200, null), { taskCode: TASK, result: 'approved' }, Date.now());
      const ev = cases.addEvaluation(
        { caseId: c.id, level: 'dissatisfied', reasons: [], text: '态度差', channel: 'pad', deviceId: 'pad-1' },
        Date.now(),
      );
      const evalRef = evaluationRecordId(db, ev.id);
      const step = (status: string, needs: string[]) =>
        enqueueRecord(db, {
          kind: 'rectification',
          caseId: c.id,
          occurredAt: Date.now(),
          data: { evaluationRef: evalRef, status, note: `整改：${status}`, at: '2026-11-23T10:00:00.000+08:00' },
          needs,
        });
      const first = step('rectifying', [evalRef]);
      // Each step needs the one before, so the platform sees them in order.
      const second = step('closed', [evalRef, first]);
      const appointment = enqueueRecord(db, {
        kind: 'appointment',
        occurredAt: Date.now(),
        data: { appointmentId: 'P-APPT-1', status: 'checked_in', at: '2026-11-23T09:00:00.000+08:00' },
      });
      return { caseId: c.id, refs: { evalRef, first, second, appointment } };
    })();
    expect((await relay.step()).kind).toBe('wait');
    sim.setFaults({ dropAfterCommitRate: 0.3 });
    await pump(relay);
    sim.setFaults({});
    expect(sync.status()).toMatchObject({ pending: 0, rejected: 0 });
    const order = sim
      .records()
      .filter((r) => r.localCaseId === caseId)
      .map((r) => [r.kind, r.id]);
    expect(order).toEqual([
      ['case', expect.any(String)],
      ['evaluation', refs.evalRef],
      ['rectification', refs.first],
      ['rectification', refs.second],
    ]);
    expect(sim.records().find((r) => r.id === refs.appointment)).toMatchObject({
      kind: 'appointment',
      data: { appointmentId: 'P-APPT-1', status: 'checked_in' },
    });
    expect(sim.stats().rejectedByCode.UNKNOWN_EVALUATION ?? 0).toBe(0);
  });

  it('never lets records that wait fill a page: with pages of 2, ready records behind 30 waiting ones go first', async () => {
    const { db, m, sync, relay } = setup({ batchSize: 2 });
    for (let i = 0; i < 30; i++) platformAppointment(sim, HALL, `W${i}`);
    for (let i = 0; i < 5; i++) platformAppointment(sim, HALL, `F${i}`);
    const sha = m.add('清单', 'slow file');
    m.missing.add(sha);
    const ids = db.db.transaction(() => {
      const material = enqueueRecord(db, {
        kind: 'material',
        occurredAt: Date.now(),
        data: { sha256: sha, name: '清单' },
      });
      const waiting = Array.from({ length: 30 }, (_, i) =>
        enqueueRecord(db, {
          kind: 'appointment',
          occurredAt: Date.now(),
          data: { appointmentId: `W${i}`, status: 'no_show', at: '2026-11-23T17:00:00.000+08:00' },
          needs: [material],
        }),
      );
      const free = Array.from({ length: 5 }, (_, i) =>
        enqueueRecord(db, {
          kind: 'appointment',
          occurredAt: Date.now(),
          data: { appointmentId: `F${i}`, status: 'checked_in', at: '2026-11-23T09:00:00.000+08:00' },
        }),
      );
      return { material, waiting, free };
    })();
    await pump(relay);
    for (const id of ids.free) expect(state(db, id)).toBe('delivered');
    expect(sync.status()).toMatchObject({ pending: 0, rejected: 31 });
    m.missing.delete(sha);
    expect(sync.retry([ids.material])).toBe(31);
    await pump(relay);
    expect(sync.status()).toMatchObject({ pending: 0, rejected: 0 });
    expect(sim.records().filter((r) => ids.waiting.includes(r.id))).toHaveLength(30);
  });
});
