/**
 * The local record of a finished case (办件), made when a window finishes a ticket. Evaluations and
 * the sync to the provincial platform build on it; here it is only what the hub API promises.
 */
import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
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
