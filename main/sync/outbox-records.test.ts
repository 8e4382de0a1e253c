/**
 * The need resolution of the outbox (main/store/outbox-needs.ts), on a real SQLite file, against a
 * plain model of the rules: random records needing earlier ones, delivered, refused, set aside and
 * retried in random order. After every step the outbox and the model agree on each record's state,
 * and the relay's head holds exactly the pending records whose needs are all delivered.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaseRepository } from '../store/case-repository.js';
import { type HallDatabase, openDatabase } from '../store/database.js';
import { transferDependants } from '../store/outbox-needs.js';
import { OutboxStore } from './outbox.js';
import { DEPENDENCY_REJECTED, enqueueRecord, evaluationRecordId, openNeeds } from './outbox-records.js';

const HALL = { hallCode: 'H', areaCode: '330106' };
let dir: string;
let db: HallDatabase;
let outbox: OutboxStore;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'govhall-needs-'));
  db = openDatabase({ dataDir: dir, appVersion: 'test' });
  db.db.pragma('foreign_keys = OFF');
  outbox = new OutboxStore(db, null);
});
afterAll(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

type State = 'pending' | 'delivered' | 'rejected';
interface ModelRecord {
  id: string;
  /** Indices of the records it needs that were not delivered when it was written. */
  needs: number[];
  state: State;
  /** 'own' = refused itself; 'dep' = set aside because of a need. */
  why: 'own' | 'dep' | null;
}

class Model {
  readonly r: ModelRecord[] = [];

  ready(): number[] {
    return this.r.flatMap((x, i) =>
      x.state === 'pending' && x.needs.every((n) => this.r[n]!.state === 'delivered') ? [i] : [],
    );
  }

  add(id: string, needs: number[]): void {
    const open = [...new Set(needs)].filter((n) => this.r[n]!.state !== 'delivered');
    const aside = open.some((n) => this.r[n]!.state === 'rejected');
    this.r.push({ id, needs: open, state: aside ? 'rejected' : 'pending', why: aside ? 'dep' : null });
  }

  dependants(i: number): number[] {
    return this.r.flatMap((x, k) => (x.needs.includes(i) ? [k] : []));
  }

  reject(i: number): void {
    this.r[i]!.state = 'rejected';
    this.r[i]!.why = 'own';
    const seen = new Set<number>();
    const walk = (k: number) => {
      for (const d of this.dependants(k)) {
        if (seen.has(d)) continue;
        seen.add(d);
        const x = this.r[d]!;
        if (x.state === 'pending') {
          x.state = 'rejected';
          x.why = 'dep';
        }
        walk(d);
      }
    };
    walk(i);
  }

  retryAll(): void {
    for (const x of this.r) {
      if (x.state === 'rejected') {
        x.state = 'pending';
        x.why = null;
      }
    }
  }

  retry(i: number): void {
    const back: number[] = [];
    const up = (k: number, seen: Set<number>) => {
      if (seen.has(k)) return;
      seen.add(k);
      const x = this.r[k]!;
      if (x.state === 'rejected') {
        x.state = 'pending';
        x.why = null;
        back.push(k);
      }
      for (const n of x.needs) up(n, seen);
    };
    up(i, new Set());
    // Fixpoint: a record set aside because of a need comes back once none of its needs is set aside.
    let frontier = back;
    while (frontier.length) {
      const next: number[] = [];
      for (const k of frontier) {
        for (const d of this.dependants(k)) {
          const x = this.r[d]!;
          if (x.state !== 'rejected' || x.why !== 'dep') continue;
          if (x.needs.some((n) => this.r[n]!.state === 'rejected')) continue;
          x.state = 'pending';
          x.why = null;
          next.push(d);
        }
      }
      frontier = next;
    }
  }
}

type Op =
  | { t: 'add'; needs: number[] }
  | { t: 'deliver' | 'refuse' | 'setAside' | 'retry'; k: number }
  | { t: 'retryAll' };

const op: fc.Arbitrary<Op> = fc.oneof(
  { arbitrary: fc.record({ t: fc.constant('add' as const), needs: fc.array(fc.nat(), { maxLength: 3 }) }), weight: 4 },
  { arbitrary: fc.record({ t: fc.constant('deliver' as const), k: fc.nat() }), weight: 3 },
  { arbitrary: fc.record({ t: fc.constant('refuse' as const), k: fc.nat() }), weight: 1 },
  { arbitrary: fc.record({ t: fc.constant('setAside' as const), k: fc.nat() }), weight: 1 },
  { arbitrary: fc.record({ t: fc.constant('retry' as const), k: fc.nat() }), weight: 1 },
  { arbitrary: fc.constant({ t: 'retryAll' as const }), weight: 1 },
);

function headIds(): string[] {
  return outbox.head(10_000, 1 << 30, HALL, 'Asia/Shanghai', 0).records.map((r) => r.id);
}

function check(m: Model): void {
  const rows = db.db.prepare('SELECT id, state, code, waiting FROM outbox ORDER BY seq').all() as {
    id: string;
    state: State;
    code: string | null;
    waiting: number;
  }[];
  expect(rows.map((r) => r.state)).toEqual(m.r.map((x) => x.state));
  rows.forEach((row, i) => {
    const x = m.r[i]!;
    if (x.why === 'dep') expect(row.code).toBe(DEPENDENCY_REJECTED);
    if (x.why === 'own') expect(row.code).toBe('REFUSED');
    expect(row.waiting).toBe(x.needs.filter((n) => m.r[n]!.state !== 'delivered').length);
  });
  expect(headIds()).toEqual(m.ready().map((i) => m.r[i]!.id));
}

describe('need resolution of the outbox', () => {
  it('agrees with the model through any sequence of writes, answers and retries', () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 60 }), (ops) => {
        db.db.exec('DELETE FROM outbox; DELETE FROM outbox_needs;');
        const m = new Model();
        for (const o of ops) {
          if (o.t === 'add') {
            const needs = m.r.length ? o.needs.map((n) => n % m.r.length) : [];
            const id = db.db.transaction(() =>
              enqueueRecord(db, {
                kind: 'appointment',
                occurredAt: 1,
                data: { appointmentId: `A${m.r.length}` },
                needs: needs.map((n) => m.r[n]!.id),
              }),
            )();
            m.add(id, needs);
          } else if (o.t === 'retryAll') {
            outbox.retry();
            m.retryAll();
          } else if (o.t === 'retry') {
            if (!m.r.length) continue;
            const i = o.k % m.r.length;
            outbox.retry([m.r[i]!.id]);
            m.retry(i);
          } else {
            const ready = m.ready();
            if (!ready.length) continue;
            const i = ready[o.k % ready.length]!;
            const page = outbox.head(10_000, 1 << 30, HALL, 'Asia/Shanghai', 0);
            const rec = page.records.find((r) => r.id === m.r[i]!.id)!;
            if (o.t === 'setAside') outbox.setAside(rec.id, 'REFUSED', '测试', 2);
            else {
              const status = o.t === 'deliver' ? 'accepted' : 'rejected';
              outbox.applyResults([rec], [{ id: rec.id, status, code: 'REFUSED' }], 2);
            }
            if (o.t === 'deliver') m.r[i]!.state = 'delivered';
            else m.reject(i);
          }
          check(m);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('finds the head in pages without scanning what waits (100 000 records, 99 990 of them waiting)', () => {
    db.db.exec('DELETE FROM outbox; DELETE FROM outbox_needs;');
    db.db.transaction(() => {
      const root = enqueueRecord(db, { kind: 'appointment', occurredAt: 1, data: { appointmentId: 'root' } });
      const ins = db.db.prepare(
        "INSERT INTO outbox (id, kind, version, occurred_at, data, created_at, waiting) VALUES (?, 'appointment', 1, 1, '{}', 1, 1)",
      );
      const need = db.db.prepare('INSERT INTO outbox_needs (record_seq, needs_seq) VALUES (?, ?)');
      const rootSeq = (db.db.prepare('SELECT seq FROM outbox WHERE id = ?').get(root) as { seq: number }).seq;
      for (let i = 0; i < 99_990; i++) need.run(ins.run(`w${i}`).lastInsertRowid, rootSeq);
      for (let i = 0; i < 9; i++)
        enqueueRecord(db, { kind: 'appointment', occurredAt: 1, data: { appointmentId: `f${i}` } });
    })();
    // The query plan reads the ready index only: its cost does not depend on the waiting records.
    const plan = db.db
      .prepare(
        `EXPLAIN QUERY PLAN SELECT o.seq FROM outbox o INDEXED BY outbox_ready LEFT JOIN cases c ON c.id = o.case_id
         WHERE o.state = 'pending' AND o.waiting = 0 AND o.seq > 0 ORDER BY o.seq LIMIT 5`,
      )
      .all() as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' | ')).toMatch(/USING (COVERING )?INDEX outbox_ready/);
    expect(headIds()).toHaveLength(10);
    const page = outbox.head(5, 1 << 30, HALL, 'Asia/Shanghai', 0);
    expect(page.records).toHaveLength(5);
    // Delivering the root releases all its dependants in one statement over the needed-by index.
    outbox.applyResults([page.records[0]!], [{ id: page.records[0]!.id, status: 'accepted' }], 3);
    expect(outbox.head(100_000, 1 << 30, HALL, 'Asia/Shanghai', 0).records).toHaveLength(99_999);
    expect(db.db.prepare('SELECT count(*) n FROM outbox_needs').get()).toEqual({ n: 0 });
  });

  it('lets a newer case version stand in for earlier ones that ratings wait for', () => {
    db.db.exec('DELETE FROM outbox; DELETE FROM outbox_needs; DELETE FROM evaluations; DELETE FROM cases;');
    const cases = new CaseRepository(db);
    const { c, ev } = db.db.transaction(() => {
      const c = cases.createCase(
        {
          taskCode: '11330106MB1234567X4000112001000',
          result: 'approved',
          windowNo: 1,
          staffNo: '8001',
          finished: true,
        },
        1000,
      );
      const ev = cases.addEvaluation(
        { caseId: c.id, level: 'satisfied', reasons: [], text: null, channel: 'pad', deviceId: 'p' },
        1001,
      );
      return { c, ev };
    })();
    const rating = evaluationRecordId(db, ev.id);
    const [v1] = openNeeds(db, rating);
    expect(v1).toMatchObject({ kind: 'case', state: 'pending' });
    // Version 1 is refused: the rating is set aside with it …
    const first = outbox.head(10, 1 << 30, HALL, 'Asia/Shanghai', 0);
    outbox.applyResults(first.records, [{ id: v1!.id, status: 'rejected', code: 'INVALID_CERT_NO' }], 1002);
    expect(outbox.rejectedPage().map((r) => [r.kind, r.code])).toEqual([
      ['case', 'INVALID_CERT_NO'],
      ['evaluation', DEPENDENCY_REJECTED],
    ]);
    // … and a corrected version 2 takes it back in line, now waiting for version 2.
    db.db.transaction(() => cases.reviseCase(c.id, { result: 'approved' }, 1003))();
    expect(openNeeds(db, rating)).toEqual([expect.objectContaining({ kind: 'case', state: 'pending' })]);
    expect(openNeeds(db, rating)[0]!.id).not.toBe(v1!.id);
    expect(outbox.rejectedPage().map((r) => r.kind)).toEqual(['case']);
    const v2 = outbox.head(10, 1 << 30, HALL, 'Asia/Shanghai', 0);
    expect(v2.records.map((r) => r.kind)).toEqual(['case']);
    outbox.applyResults(v2.records, [{ id: v2.records[0]!.id, status: 'accepted', projectNo: 'P1' }], 1004);
    expect(outbox.head(10, 1 << 30, HALL, 'Asia/Shanghai', 0).records.map((r) => r.id)).toEqual([rating]);
    // A transfer to a delivered record satisfies the need outright.
    expect(() => transferDependants(db, [v1!.id], 'nope', 1005)).toThrow();
  });
});
