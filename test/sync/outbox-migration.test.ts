/**
 * Schema version 6 rebuilds the outbox (every record kind, case_id optional, the needs relation) on
 * a database written by version 5: rows, seqs, states and the AUTOINCREMENT high-water mark kept,
 * indexes back, and the ratings that waited on seq order now wait on their case by `needs`.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../main/store/database.js';
import { MIGRATIONS } from '../../main/store/migrations.js';
import { OutboxStore } from '../../main/sync/outbox.js';
import { DEPENDENCY_REJECTED, enqueueRecord, evaluationRecordId, openNeeds } from '../../main/sync/outbox-records.js';
import { removeTempDirs, syncTempDir } from './sync-fixtures.js';

afterAll(() => removeTempDirs());

interface Row {
  seq: number;
  id: string;
  kind: string;
  case_id: string | null;
  state: string;
  code: string | null;
}

describe('outbox schema version 6', () => {
  it('keeps pending, delivered and set-aside rows and gives waiting ratings their case as a need', () => {
    const data = join(syncTempDir('govhall-mig6-'), 'data');
    mkdirSync(data, { recursive: true });
    const raw = new Database(join(data, 'govhall.db'));
    raw.exec(
      'CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL, app_version TEXT NOT NULL)',
    );
    for (const m of MIGRATIONS.filter((m) => m.version <= 5)) m.up(raw);
    raw.pragma('user_version = 5');
    const kase = raw.prepare(
      "INSERT INTO cases (id, task_code, status, result, payload, synced_version) VALUES (?, 'T', 'finished', 'approved', '{}', ?)",
    );
    kase.run('A', null); // v1 pending, its rating pending
    kase.run('B', null); // v1 refused, one rating set aside (old code), one still pending
    kase.run('C', 1); // v1 delivered, its rating pending
    kase.run('D', null); // v1 and v2 pending, its rating between them
    const out = raw.prepare(
      `INSERT INTO outbox (id, kind, case_id, version, occurred_at, data, state, created_at, code, message)
       VALUES (?, ?, ?, ?, 1, ?, ?, 1, ?, ?)`,
    );
    const ev = (id: string, caseId: string) => JSON.stringify({ evaluationId: id, localCaseId: caseId });
    out.run('a1', 'case', 'A', 1, '{}', 'pending', null, null);
    out.run('a-e', 'evaluation', 'A', 1, ev('EA', 'A'), 'pending', null, null);
    out.run('b1', 'case', 'B', 1, '{}', 'rejected', 'INVALID_CERT_NO', '身份证号码无效');
    out.run('b-e1', 'evaluation', 'B', 1, ev('EB1', 'B'), 'rejected', 'CASE_REJECTED', '所属办件被拒收');
    out.run('b-e2', 'evaluation', 'B', 2, ev('EB2', 'B'), 'pending', null, null);
    out.run('c1', 'case', 'C', 1, null, 'delivered', null, null);
    out.run('c-e', 'evaluation', 'C', 1, ev('EC', 'C'), 'pending', null, null);
    out.run('d1', 'case', 'D', 1, '{}', 'pending', null, null);
    out.run('d-e', 'evaluation', 'D', 1, ev('ED', 'D'), 'pending', null, null);
    out.run('d2', 'case', 'D', 2, '{}', 'pending', null, null);
    out.run('gone', 'case', 'C', 2, null, 'delivered', null, null);
    // The newest row was pruned: its seq must never come back.
    raw.prepare("DELETE FROM outbox WHERE id = 'gone'").run();
    const before = raw.prepare('SELECT seq, id, kind, case_id, state, code FROM outbox ORDER BY seq').all() as Row[];
    raw.close();

    const db = openDatabase({ dataDir: data, appVersion: 'test' });
    try {
      expect(db.db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.at(-1)!.version);
      const after = db.db.prepare('SELECT seq, id, kind, case_id, state, code FROM outbox ORDER BY seq').all() as Row[];
      // Same rows, same seqs; the old code becomes the mechanism's, and the pending rating of the
      // refused case is set aside now rather than sent to be refused.
      expect(after).toEqual(
        before.map((r) =>
          r.id === 'b-e1'
            ? { ...r, code: DEPENDENCY_REJECTED }
            : r.id === 'b-e2'
              ? { ...r, state: 'rejected', code: DEPENDENCY_REJECTED }
              : r,
        ),
      );
      const needs = (id: string) => openNeeds(db, id).map((n) => n.id);
      expect(needs('a-e')).toEqual(['a1']);
      expect(needs('b-e1')).toEqual(['b1']);
      expect(needs('c-e')).toEqual([]);
      expect(needs('d-e')).toEqual(['d2']);
      const indexes = (
        db.db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'outbox'").all() as {
          name: string;
        }[]
      ).map((r) => r.name);
      expect(indexes).toEqual(
        expect.arrayContaining(['outbox_pending', 'outbox_rejected', 'outbox_case', 'outbox_ready', 'outbox_ref']),
      );
      // The relay's head: the case records and the rating of the accepted case; not the waiting ratings.
      const head = new OutboxStore(db, null).head(50, 1 << 20, { hallCode: 'H', areaCode: '1' }, 'Asia/Shanghai', 0);
      expect(head.records.map((r) => r.id)).toEqual(['a1', 'c-e', 'd1', 'd2']);
      // Ratings written before the upgrade are found by their evaluation id while their row is kept.
      expect(evaluationRecordId(db, 'EA')).toBe('a-e');
      // New kinds, without a case; seqs continue after the pruned high-water mark.
      const id = db.db.transaction(() =>
        enqueueRecord(db, {
          kind: 'appointment',
          occurredAt: 2,
          data: { appointmentId: 'X', status: 'no_show', at: '2026-11-23T17:00:00.000+08:00' },
        }),
      )();
      const row = db.db.prepare('SELECT seq, case_id FROM outbox WHERE id = ?').get(id) as {
        seq: number;
        case_id: string | null;
      };
      expect(row).toEqual({ seq: before.at(-1)!.seq + 2, case_id: null });
      // Retrying the refused case brings its ratings back with it.
      const store = new OutboxStore(db, null);
      expect(store.retry(['b1'])).toBe(3);
    } finally {
      db.close();
    }
  });
});
