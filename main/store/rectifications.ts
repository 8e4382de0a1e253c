/**
 * 差评整改 items in SQLite (schema version 8): the items, the ratings each holds, the history of
 * its steps, the alarms already raised, and the queue of alarms for the hall's webhook. Every write
 * runs inside the caller's transaction — an item opens (or a rating joins it) in the transaction of
 * the rating itself, so a 差评 is never stored without its item.
 */
import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import { EVALUATION_LEVELS, type EvaluationLevel } from '../../common/evaluation.js';
import {
  type AcceptedTransition,
  RectificationError,
  type RectificationStatus,
  type Revisit,
} from '../cases/rectification.js';
import type { Deadline } from '../cases/rectification-deadline.js';
import type { HallDatabase } from './database.js';

export interface RectificationEvaluation {
  id: string;
  assessNumber: number;
  level: EvaluationLevel;
  reasons: string[];
  text: string | null;
  createdAt: number;
}

export interface RectificationStep {
  at: number;
  from: RectificationStatus | null;
  to: RectificationStatus;
  staffNo: string | null;
  note: string;
  revisit: Revisit | null;
}

export interface RectificationItem {
  id: string;
  caseId: string;
  windowNo: number | null;
  staffNo: string | null;
  taskCode: string | null;
  serviceCode: string | null;
  status: RectificationStatus;
  openedAt: number;
  dueDate: string;
  dueAt: number;
  calendarMissing: number[];
  finishedAt: number | null;
  revisit: Revisit | null;
  /** Alarm keys already raised for this item. */
  alarms: string[];
  evaluations: RectificationEvaluation[];
  history: RectificationStep[];
}

/** A bad rating as it is recorded (main/store/case-repository.ts). */
export interface BadRating {
  id: string;
  caseId: string;
  windowNo: number | null;
  staffNo: string | null;
}

const worst = (levels: EvaluationLevel[]): EvaluationLevel =>
  levels.reduce((w, l) => (EVALUATION_LEVELS.indexOf(l) > EVALUATION_LEVELS.indexOf(w) ? l : w), 'very_satisfied');

/** The contract's `level`, `reasons` and `text` of an item: the worst level, every reason and text. */
export function ratingSummary(item: Pick<RectificationItem, 'evaluations'>): {
  level: EvaluationLevel;
  reasons: string[];
  text: string | null;
} {
  const reasons = [...new Set(item.evaluations.flatMap((e) => e.reasons))];
  const texts = item.evaluations.map((e) => e.text).filter((t): t is string => !!t);
  return { level: worst(item.evaluations.map((e) => e.level)), reasons, text: texts.length ? texts.join('；') : null };
}

export class RectificationStore {
  private readonly db: Database.Database;

  constructor(handle: HallDatabase | { db: Database.Database }) {
    this.db = handle.db;
  }

  /**
   * A bad rating: opens the case's item, or joins the one it has (whatever its state — a case has
   * one item, never a second). Call inside the rating's transaction. `deadline` is used only when
   * an item is opened.
   */
  openOrJoin(rating: BadRating, now: number, deadline: () => Deadline): { item: RectificationItem; opened: boolean } {
    const existing = this.db.prepare('SELECT id FROM rectifications WHERE case_id = ?').get(rating.caseId) as
      | { id: string }
      | undefined;
    if (existing) {
      this.db
        .prepare(
          'INSERT OR IGNORE INTO rectification_evaluations (evaluation_id, rectification_id, added_at) VALUES (?, ?, ?)',
        )
        .run(rating.id, existing.id, now);
      const item = this.get(existing.id)!;
      this.db
        .prepare(
          `INSERT INTO rectification_history (rectification_id, at, from_status, to_status, staff_no, note) VALUES (?, ?, ?, ?, NULL, ?)`,
        )
        .run(existing.id, now, item.status, item.status, '同一办件又收到差评，已并入本条整改');
      this.db.prepare('UPDATE rectifications SET updated_at = ? WHERE id = ?').run(now, existing.id);
      return { item: this.get(existing.id)!, opened: false };
    }
    const d = deadline();
    const c = this.db
      .prepare(
        'SELECT c.task_code, t.service_code FROM cases c LEFT JOIN tickets t ON t.id = c.ticket_id WHERE c.id = ?',
      )
      .get(rating.caseId) as { task_code: string | null; service_code: string | null } | undefined;
    const id = `R${randomUUID().replaceAll('-', '').slice(0, 20).toUpperCase()}`;
    this.db
      .prepare(
        `INSERT INTO rectifications (id, case_id, window_no, staff_no, task_code, service_code, status, opened_at, due_date, due_at,
           calendar_missing, alarms, updated_at) VALUES (?, ?, ?, ?, ?, ?, 'open', ?, ?, ?, ?, '[]', ?)`,
      )
      .run(
        id,
        rating.caseId,
        rating.windowNo,
        rating.staffNo,
        c?.task_code ?? null,
        c?.service_code ?? null,
        now,
        d.dueDate,
        d.dueAt,
        JSON.stringify(d.missingYears),
        now,
      );
    this.db
      .prepare('INSERT INTO rectification_evaluations (evaluation_id, rectification_id, added_at) VALUES (?, ?, ?)')
      .run(rating.id, id, now);
    this.db
      .prepare(
        `INSERT INTO rectification_history (rectification_id, at, from_status, to_status, staff_no, note) VALUES (?, ?, NULL, 'open', NULL, ?)`,
      )
      .run(id, now, '收到差评，自动登记整改');
    return { item: this.get(id)!, opened: true };
  }

  /** Stores one accepted step and its history row; call inside a transaction. */
  applyStep(id: string, step: AcceptedTransition, staffNo: string | null, now: number): RectificationItem {
    const finished = step.to === 'closed' || step.to === 'invalid';
    const r = this.db
      .prepare(
        `UPDATE rectifications SET status = ?, updated_at = ?,
           finished_at = CASE WHEN ? THEN ? ELSE finished_at END,
           revisit_contacted = COALESCE(?, revisit_contacted), revisit_level = COALESCE(?, revisit_level)
         WHERE id = ? AND status = ?`,
      )
      .run(
        step.to,
        now,
        finished ? 1 : 0,
        now,
        step.revisit ? (step.revisit.contacted ? 1 : 0) : null,
        step.revisit?.level ?? null,
        id,
        step.from,
      );
    if (r.changes !== 1)
      throw new RectificationError('ILLEGAL_TRANSITION', `整改 ${id} 的状态已被他人修改，请刷新后重试`, 'to');
    this.db
      .prepare(
        `INSERT INTO rectification_history (rectification_id, at, from_status, to_status, staff_no, note, revisit) VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(id, now, step.from, step.to, staffNo, step.note, step.revisit ? JSON.stringify(step.revisit) : null);
    return this.get(id)!;
  }

  /**
   * The calendar now has the years an item's deadline was counted without: the deadline is counted
   * again and the history says so. Call inside a transaction.
   */
  recountDeadline(id: string, d: Deadline, now: number): void {
    this.db
      .prepare('UPDATE rectifications SET due_date = ?, due_at = ?, calendar_missing = ?, updated_at = ? WHERE id = ?')
      .run(d.dueDate, d.dueAt, JSON.stringify(d.missingYears), now, id);
    const item = this.db.prepare('SELECT status FROM rectifications WHERE id = ?').get(id) as { status: string };
    this.db
      .prepare(
        `INSERT INTO rectification_history (rectification_id, at, from_status, to_status, staff_no, note) VALUES (?, ?, ?, ?, NULL, ?)`,
      )
      .run(id, now, item.status, item.status, `大厅日历已补上，整改期限按节假日重新计算为 ${d.dueDate}`);
  }

  /** Records that an alarm of the item was raised; false when it already was. */
  markAlarm(id: string, key: string): boolean {
    const item = this.db.prepare('SELECT alarms FROM rectifications WHERE id = ?').get(id) as
      | { alarms: string }
      | undefined;
    if (!item) return false;
    const keys = JSON.parse(item.alarms) as string[];
    if (keys.includes(key)) return false;
    this.db.prepare('UPDATE rectifications SET alarms = ? WHERE id = ?').run(JSON.stringify([...keys, key]), id);
    return true;
  }

  /** An alarm not tied to an item (承诺件), raised once per key; false when it already was. */
  raiseOnce(key: string, now: number): boolean {
    return this.db.prepare('INSERT OR IGNORE INTO raised_alarms (key, at) VALUES (?, ?)').run(key, now).changes === 1;
  }

  get(id: string): RectificationItem | null {
    const r = this.db.prepare('SELECT * FROM rectifications WHERE id = ?').get(id) as
      | Record<string, unknown>
      | undefined;
    return r ? this.fromRow(r) : null;
  }

  byCase(caseId: string): RectificationItem | null {
    const r = this.db.prepare('SELECT * FROM rectifications WHERE case_id = ?').get(caseId) as
      | Record<string, unknown>
      | undefined;
    return r ? this.fromRow(r) : null;
  }

  /** Items by due date (earliest first), optionally of some statuses only. */
  list(statuses?: readonly RectificationStatus[]): RectificationItem[] {
    const rows = (
      statuses?.length
        ? this.db
            .prepare(
              `SELECT * FROM rectifications WHERE status IN (${statuses.map(() => '?').join(',')}) ORDER BY due_at, opened_at`,
            )
            .all(...statuses)
        : this.db.prepare('SELECT * FROM rectifications ORDER BY due_at, opened_at').all()
    ) as Record<string, unknown>[];
    return rows.map((r) => this.fromRow(r));
  }

  /** Items opened in [from, to) — what the monthly figures count. */
  openedBetween(from: number, to: number): RectificationItem[] {
    return (
      this.db
        .prepare('SELECT * FROM rectifications WHERE opened_at >= ? AND opened_at < ? ORDER BY opened_at')
        .all(from, to) as Record<string, unknown>[]
    ).map((r) => this.fromRow(r));
  }

  /** Cases not yet finished (受理 or 办理中): the 承诺件 among them are tracked against their date. */
  openCases(): {
    id: string;
    taskCode: string;
    taskName: string | null;
    windowNo: number | null;
    staffNo: string | null;
    acceptTime: number | null;
  }[] {
    return (
      this.db
        .prepare(
          `SELECT id, task_code, task_name, window_no, staff_no, accept_time FROM cases
           WHERE status IN ('accepted', 'in_progress') ORDER BY accept_time`,
        )
        .all() as Record<string, unknown>[]
    ).map((r) => ({
      id: r.id as string,
      taskCode: r.task_code as string,
      taskName: (r.task_name as string | null) ?? null,
      windowNo: (r.window_no as number | null) ?? null,
      staffNo: (r.staff_no as string | null) ?? null,
      acceptTime: (r.accept_time as number | null) ?? null,
    }));
  }

  private fromRow(r: Record<string, unknown>): RectificationItem {
    const id = r.id as string;
    const evaluations = (
      this.db
        .prepare(
          `SELECT e.* FROM rectification_evaluations re JOIN evaluations e ON e.id = re.evaluation_id
           WHERE re.rectification_id = ? ORDER BY e.assess_number`,
        )
        .all(id) as Record<string, unknown>[]
    ).map((e) => ({
      id: e.id as string,
      assessNumber: e.assess_number as number,
      level: e.level as EvaluationLevel,
      reasons: JSON.parse((e.reasons as string) || '[]') as string[],
      text: (e.text as string | null) ?? null,
      createdAt: e.created_at as number,
    }));
    const history = (
      this.db.prepare('SELECT * FROM rectification_history WHERE rectification_id = ? ORDER BY seq').all(id) as Record<
        string,
        unknown
      >[]
    ).map((h) => ({
      at: h.at as number,
      from: (h.from_status as RectificationStatus | null) ?? null,
      to: h.to_status as RectificationStatus,
      staffNo: (h.staff_no as string | null) ?? null,
      note: h.note as string,
      revisit: h.revisit ? (JSON.parse(h.revisit as string) as Revisit) : null,
    }));
    const contacted = r.revisit_contacted as number | null;
    return {
      id,
      caseId: r.case_id as string,
      windowNo: (r.window_no as number | null) ?? null,
      staffNo: (r.staff_no as string | null) ?? null,
      taskCode: (r.task_code as string | null) ?? null,
      serviceCode: (r.service_code as string | null) ?? null,
      status: r.status as RectificationStatus,
      openedAt: r.opened_at as number,
      dueDate: r.due_date as string,
      dueAt: r.due_at as number,
      calendarMissing: JSON.parse(r.calendar_missing as string) as number[],
      finishedAt: (r.finished_at as number | null) ?? null,
      revisit:
        contacted === null
          ? null
          : contacted
            ? { contacted: true, level: (r.revisit_level as EvaluationLevel | null) ?? undefined }
            : { contacted: false },
      alarms: JSON.parse(r.alarms as string) as string[],
      evaluations,
      history,
    };
  }
}
