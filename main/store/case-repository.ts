/**
 * The local record of a finished case (办件), made when a window finishes a ticket. Evaluations and
 * the sync to the provincial platform build on it; here it is only what the hub API promises.
 */
import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import { CaseError } from '../cases/case-error.js';
import { type EvaluationLevel, isBadRating, LEVEL_NAMES, MAX_ASSESSMENTS } from '../cases/evaluation-level.js';
import type { Ticket } from '../queue/types.js';
import type { HallDatabase } from './database.js';

export interface CaseInput {
  taskCode: string;
  taskName?: string | null;
  result: string;
  caseType?: string | null;
  agent?: { name: string; certType?: string; certNo?: string } | null;
  materials?: string[] | null;
}

export interface CaseRecord {
  id: string;
  projectNo: string | null;
  ticketId: string | null;
  taskCode: string;
  taskName: string | null;
  status: 'accepted' | 'finished';
  result: string;
  caseType: string | null;
  windowNo: number | null;
  staffNo: string | null;
  acceptTime: number | null;
  finishTime: number | null;
}

export interface EvaluationInput {
  caseId: string;
  level: EvaluationLevel;
  reasons: string[];
  text: string | null;
  channel: 'pad' | 'kiosk' | 'qr';
  deviceId: string | null;
}

export interface EvaluationRecord {
  id: string;
  caseId: string;
  assessNumber: number;
  level: EvaluationLevel;
  reasons: string[];
  text: string | null;
  channel: string;
  windowNo: number | null;
  staffNo: string | null;
  createdAt: number;
}

export class CaseRepository {
  private readonly db: Database.Database;

  constructor(handle: HallDatabase) {
    this.db = handle.db;
  }

  /** Call inside the transaction that finishes the ticket. Agent ID numbers are not kept here. */
  recordFinished(ticket: Ticket, input: CaseInput, now: number): CaseRecord {
    const rec: CaseRecord = {
      id: `C${randomUUID().replaceAll('-', '').slice(0, 20).toUpperCase()}`,
      projectNo: null,
      ticketId: ticket.id,
      taskCode: input.taskCode,
      taskName: input.taskName ?? null,
      status: 'finished',
      result: input.result,
      caseType: input.caseType ?? null,
      windowNo: ticket.windowNo,
      staffNo: ticket.staffNo,
      acceptTime: ticket.startedAt ?? ticket.calledAt,
      finishTime: now,
    };
    const payload = {
      materials: input.materials ?? [],
      agentName: input.agent?.name ?? null,
      ticketNumber: ticket.number,
    };
    this.db
      .prepare(
        `INSERT INTO cases (id, ticket_id, task_code, task_name, status, result, case_type, window_no, staff_no, accept_time, finish_time, project_no, payload)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?)`,
      )
      .run(
        rec.id,
        rec.ticketId,
        rec.taskCode,
        rec.taskName,
        rec.status,
        rec.result,
        rec.caseType,
        rec.windowNo,
        rec.staffNo,
        rec.acceptTime,
        rec.finishTime,
        JSON.stringify(payload),
      );
    return rec;
  }

  /**
   * Records a rating: a first one (assessNumber 1) and at most one follow-up (2). No default level:
   * the caller must pass what the citizen chose. Call inside a transaction.
   */
  addEvaluation(input: EvaluationInput, now: number, opts: { onlyWindow?: number | null } = {}): EvaluationRecord {
    const c = this.get(input.caseId);
    if (!c) throw new CaseError('UNKNOWN_CASE', `办件不存在：${input.caseId}`, 'caseId');
    if (opts.onlyWindow != null && c.windowNo !== opts.onlyWindow) {
      throw new CaseError(
        'WRONG_WINDOW',
        `本评价器属于 ${opts.onlyWindow} 号窗口，不能评价其他窗口办结的办件`,
        'caseId',
      );
    }
    const text = input.text?.trim() || null;
    if (isBadRating(input.level) && input.reasons.length === 0 && !text) {
      throw new CaseError('REASON_REQUIRED', `「${LEVEL_NAMES[input.level]}」需要选择原因或填写说明`, 'reasons');
    }
    const n = (this.db.prepare('SELECT count(*) n FROM evaluations WHERE case_id = ?').get(c.id) as { n: number }).n;
    if (n >= MAX_ASSESSMENTS) throw new CaseError('ALREADY_EVALUATED', '该办件已有评价和一次追评，不能再评价');
    const rec: EvaluationRecord = {
      id: `E${randomUUID().replaceAll('-', '').slice(0, 20).toUpperCase()}`,
      caseId: c.id,
      assessNumber: n + 1,
      level: input.level,
      reasons: input.reasons,
      text,
      channel: input.channel,
      windowNo: c.windowNo,
      staffNo: c.staffNo,
      createdAt: now,
    };
    this.db
      .prepare(
        `INSERT INTO evaluations (id, case_id, assess_number, level, reasons, text, channel, window_no, staff_no, task_code, device_id, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        rec.id,
        rec.caseId,
        rec.assessNumber,
        rec.level,
        JSON.stringify(rec.reasons),
        rec.text,
        rec.channel,
        rec.windowNo,
        rec.staffNo,
        c.taskCode,
        input.deviceId,
        now,
      );
    return rec;
  }

  evaluationsOf(caseId: string): EvaluationRecord[] {
    return (
      this.db.prepare('SELECT * FROM evaluations WHERE case_id = ? ORDER BY assess_number').all(caseId) as Record<
        string,
        unknown
      >[]
    ).map((r) => ({
      id: r.id as string,
      caseId: r.case_id as string,
      assessNumber: r.assess_number as number,
      level: r.level as EvaluationLevel,
      reasons: JSON.parse(r.reasons as string) as string[],
      text: r.text as string | null,
      channel: r.channel as string,
      windowNo: r.window_no as number | null,
      staffNo: r.staff_no as string | null,
      createdAt: r.created_at as number,
    }));
  }

  get(id: string): CaseRecord | null {
    const r = this.db.prepare('SELECT * FROM cases WHERE id = ?').get(id) as Record<string, unknown> | undefined;
    if (!r) return null;
    return {
      id: r.id as string,
      projectNo: r.project_no as string | null,
      ticketId: r.ticket_id as string | null,
      taskCode: r.task_code as string,
      taskName: r.task_name as string | null,
      status: r.status as CaseRecord['status'],
      result: r.result as string,
      caseType: r.case_type as string | null,
      windowNo: r.window_no as number | null,
      staffNo: r.staff_no as string | null,
      acceptTime: r.accept_time as number | null,
      finishTime: r.finish_time as number | null,
    };
  }
}
