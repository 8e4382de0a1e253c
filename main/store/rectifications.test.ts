import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../test/support/hub-client.js';
import { checkTransition, RectificationError } from '../cases/rectification.js';
import { type HallDatabase, openDatabase } from './database.js';
import { RectificationStore } from './rectifications.js';

const open: HallDatabase[] = [];
afterEach(() => {
  for (const db of open.splice(0)) db.close();
});

function storeWithCase() {
  const db = openDatabase({ dataDir: tempDir(), appVersion: 'test' });
  open.push(db);
  db.db
    .prepare(
      `INSERT INTO cases (id, task_code, status, result, window_no, staff_no, payload) VALUES ('C1', 'T1', 'finished', 'approved', 3, '8003', '{}')`,
    )
    .run();
  const rate = db.db.prepare(
    `INSERT INTO evaluations (id, case_id, assess_number, level, reasons, text, channel, window_no, staff_no, created_at)
     VALUES (?, 'C1', ?, ?, ?, ?, 'pad', 3, '8003', ?)`,
  );
  rate.run('E1', 1, 'dissatisfied', '["R101"]', '慢', 10);
  rate.run('E2', 2, 'very_dissatisfied', '[]', '更慢', 20);
  return { db, store: new RectificationStore(db) };
}

const deadline = () => ({ dueDate: '2026-11-23', dueAt: 5000, missingYears: [] });

describe('rectification store', () => {
  it('keeps one item per case: a later bad rating joins it, with a history row', () => {
    const { store } = storeWithCase();
    const first = store.openOrJoin({ id: 'E1', caseId: 'C1', windowNo: 3, staffNo: '8003' }, 10, deadline);
    expect(first.opened).toBe(true);
    const second = store.openOrJoin({ id: 'E2', caseId: 'C1', windowNo: 3, staffNo: '8003' }, 20, () => {
      throw new Error('a joining rating computes no deadline');
    });
    expect(second.opened).toBe(false);
    expect(second.item.id).toBe(first.item.id);
    expect(second.item.evaluations.map((e) => e.id)).toEqual(['E1', 'E2']);
    expect(second.item.history.map((h) => [h.from, h.to])).toEqual([
      [null, 'open'],
      ['open', 'open'],
    ]);
    expect(store.list()).toHaveLength(1);
  });

  it('refuses a step taken from a state the item has already left (two managers at once)', () => {
    const { store } = storeWithCase();
    const { item } = store.openOrJoin({ id: 'E1', caseId: 'C1', windowNo: 3, staffNo: '8003' }, 10, deadline);
    const step = checkTransition('open', { to: 'verifying', note: '核实' });
    store.applyStep(item.id, step, '8001', 30);
    expect(() => store.applyStep(item.id, step, '8002', 31)).toThrow(RectificationError);
    expect(store.get(item.id)?.history.filter((h) => h.to === 'verifying')).toHaveLength(1);
  });

  it('raises each alarm key once', () => {
    const { store } = storeWithCase();
    const { item } = store.openOrJoin({ id: 'E1', caseId: 'C1', windowNo: 3, staffNo: '8003' }, 10, deadline);
    expect(store.markAlarm(item.id, 'overdue')).toBe(true);
    expect(store.markAlarm(item.id, 'overdue')).toBe(false);
    expect(store.raiseOnce('promise:C1:overdue', 1)).toBe(true);
    expect(store.raiseOnce('promise:C1:overdue', 2)).toBe(false);
  });
});
