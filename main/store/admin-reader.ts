/**
 * Read-only queries for the admin reports: ratings (satisfaction distribution, the 差评 list) and
 * the audit trail of configuration changes.
 * Runs on its own read connection beside the hub's writer (WAL lets readers in while it writes).
 */
import Database from 'better-sqlite3';
import { type EvaluationRecord, evaluationFromRow } from './case-repository.js';

/** A rating with the name of its case's service, for the 好差评 reports. */
export interface EvaluationReportRow extends EvaluationRecord {
  taskCode: string | null;
  taskName: string | null;
}

export interface AuditReportRow {
  id: number;
  at: number;
  actorRole: string;
  terminalId: string | null;
  staffNo: string | null;
  action: string;
  subject: string | null;
  result: string;
  detail: unknown;
  /** The client's network address (schema 3 on; null before and for the hub's own work). */
  address: string | null;
}

export class AdminReader {
  private readonly db: Database.Database;
  private readonly between: Database.Statement;
  private readonly audit: Database.Statement;

  /** Opens `path` (govhall.db) read-only; the hub must have created it. */
  constructor(path: string) {
    this.db = new Database(path, { readonly: true, fileMustExist: true });
    this.db.pragma('busy_timeout = 5000');
    this.between = this.db.prepare(
      `SELECT e.id, e.case_id, e.assess_number, e.level, e.reasons, e.text, e.channel, e.window_no, e.staff_no,
              e.task_code, c.task_name, e.created_at
         FROM evaluations e LEFT JOIN cases c ON c.id = e.case_id
        WHERE e.created_at >= ? AND e.created_at < ?
        ORDER BY e.created_at DESC, e.id DESC`,
    );
    this.audit = this.db.prepare(
      `SELECT id, at, actor_role, terminal_id, staff_no, action, subject, result, detail, address
         FROM audit WHERE action LIKE ? ESCAPE '\\' ORDER BY id DESC LIMIT ?`,
    );
  }

  /** Newest audit rows whose action starts with `prefix` (e.g. "config."). */
  auditTrail(prefix: string, limit: number): AuditReportRow[] {
    const like = `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    return (this.audit.all(like, limit) as Record<string, unknown>[]).map((r) => ({
      id: r.id as number,
      at: r.at as number,
      actorRole: r.actor_role as string,
      terminalId: (r.terminal_id as string | null) ?? null,
      staffNo: (r.staff_no as string | null) ?? null,
      action: r.action as string,
      subject: (r.subject as string | null) ?? null,
      result: r.result as string,
      detail: r.detail ? (JSON.parse(r.detail as string) as unknown) : null,
      address: (r.address as string | null) ?? null,
    }));
  }

  /** Ratings with `from <= createdAt < to` (epoch ms), newest first. */
  list(from: number, to: number): EvaluationReportRow[] {
    return (this.between.all(from, to) as Record<string, unknown>[]).map((r) => ({
      ...evaluationFromRow(r),
      taskCode: (r.task_code as string | null) ?? null,
      taskName: (r.task_name as string | null) ?? null,
    }));
  }

  close(): void {
    this.db.close();
  }
}
