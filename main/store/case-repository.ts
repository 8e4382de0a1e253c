/**
 * The local record of a case (办件) and its ratings. Every change that must reach the provincial
 * platform also writes an outbox record in the SAME transaction (the caller's): a case version or
 * an evaluation is either stored together with its outbox record or not at all, so nothing is lost
 * between the hall's database and the relay (main/sync/relay.ts).
 *
 * ID numbers never lie in clear: the case keeps the applicant's number AES-GCM sealed plus a keyed
 * hash for kiosk lookups, and the outbox record carries the numbers sealed, put back at send time.
 */
import { createHash, randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import { checkCertNo } from '../../common/cert-number.js';
import { type EvaluationLevel, isBadRating, LEVEL_NAMES, MAX_ASSESSMENTS } from '../../common/evaluation.js';
import { isoInZone } from '../../common/hall-time.js';
import { CaseError } from '../cases/case-error.js';
import { caseData, evaluationData, type MaterialInput, platformCertType } from '../cases/platform-record.js';
import type { CertType, Ticket } from '../queue/types.js';
import { appendAudit } from './audit.js';
import type { FieldCipher } from './crypto.js';
import type { HallDatabase } from './database.js';
import { DEPENDENCY_REJECTED, enqueueRecord, setAsideRecord, transferDependants } from './outbox-needs.js';

export interface CaseRepositoryOptions {
  /** Seals ID numbers; without it (some unit tests) no number is kept at all. */
  cipher?: FieldCipher;
  /** The hall's time zone for the ISO times of platform records. */
  timeZone?: () => string;
}

/** Certificate numbers of a case, sealed together (applicant `a`, agent `g`). */
interface SealedNumbers {
  a?: string;
  g?: string;
}

export interface CaseInput {
  taskCode: string;
  taskName?: string | null;
  result: string;
  caseType?: string | null;
  agent?: { name: string; certType?: string; certNo?: string } | null;
  materials?: MaterialInput[] | null;
}

/** The contract's case statuses; a case ends as finished (办结), returned (退件) or withdrawn (撤回). */
export type CaseStatus = 'accepted' | 'in_progress' | 'finished' | 'returned' | 'withdrawn';
export const CLOSED_CASE_STATUSES: readonly CaseStatus[] = ['finished', 'returned', 'withdrawn'];

export interface CaseRecord {
  id: string;
  /** 办件编号 from the platform once a version of the case was accepted; null before. */
  projectNo: string | null;
  /** Increases with each change; every version is its own platform record. */
  version: number;
  /** Highest version the platform has accepted; null while none has. */
  syncedVersion: number | null;
  ticketId: string | null;
  taskCode: string;
  taskName: string | null;
  status: CaseStatus;
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
  private readonly cipher: FieldCipher | null;
  private readonly tz: () => string;

  constructor(handle: HallDatabase, opts: CaseRepositoryOptions = {}) {
    this.db = handle.db;
    this.cipher = opts.cipher ?? null;
    this.tz = opts.timeZone ?? (() => 'Asia/Shanghai');
  }

  private iso(ms: number | null): string | null {
    return ms === null ? null : isoInZone(ms, this.tz());
  }

  private seal(n: SealedNumbers): string | null {
    if (!this.cipher || (!n.a && !n.g)) return null;
    return this.cipher.encrypt(JSON.stringify(n));
  }

  /**
   * Call inside the transaction that finishes the ticket: stores the case (version 1) and its
   * outbox record. The agent's ID number is kept only sealed, for the platform.
   */
  recordFinished(ticket: Ticket, input: CaseInput, now: number): CaseRecord {
    const acceptTime = ticket.startedAt ?? ticket.calledAt ?? now;
    return this.insertCase(
      {
        ticketId: ticket.id,
        finished: true,
        windowNo: ticket.windowNo,
        staffNo: ticket.staffNo,
        acceptTime: ticket.startedAt ?? ticket.calledAt,
      },
      input,
      ticket.applicant ?? null,
      {
        ticketNumber: ticket.number,
        applyTime: ticket.issuedAt,
        waitSeconds: Math.max(0, Math.round(((ticket.calledAt ?? acceptTime) - ticket.queuedAt) / 1000)),
        serveSeconds: Math.max(0, Math.round((now - acceptTime) / 1000)),
      },
      now,
    );
  }

  /**
   * A case taken by staff without a ticket (an appointment handled off-queue, a walk-in at the
   * back office). `finished` false makes it an accepted case that a later revision finishes.
   * Call inside a transaction; the applicant's number must already be validated.
   */
  createCase(
    input: CaseInput & {
      applicant?: { name: string; certType: CertType; certNo: string } | null;
      finished: boolean;
      windowNo: number | null;
      staffNo: string | null;
    },
    now: number,
  ): CaseRecord {
    return this.insertCase(
      { ticketId: null, finished: input.finished, windowNo: input.windowNo, staffNo: input.staffNo, acceptTime: now },
      input,
      input.applicant ?? null,
      { ticketNumber: null, applyTime: now },
      now,
    );
  }

  /** Version 1 of a case, with or without a ticket, and its outbox record. */
  private insertCase(
    at: {
      ticketId: string | null;
      finished: boolean;
      windowNo: number | null;
      staffNo: string | null;
      acceptTime: number | null;
    },
    input: CaseInput,
    applicant: { name: string; certType: string; certNo: string } | null,
    ticketPart: Pick<CasePayload, 'ticketNumber' | 'applyTime' | 'waitSeconds' | 'serveSeconds'>,
    now: number,
  ): CaseRecord {
    const rec: CaseRecord = {
      id: `C${randomUUID().replaceAll('-', '').slice(0, 20).toUpperCase()}`,
      projectNo: null,
      version: 1,
      syncedVersion: null,
      ticketId: at.ticketId,
      taskCode: input.taskCode,
      taskName: input.taskName ?? null,
      status: at.finished ? 'finished' : 'accepted',
      result: input.result,
      caseType: input.caseType ?? null,
      windowNo: at.windowNo,
      staffNo: at.staffNo,
      acceptTime: at.acceptTime,
      finishTime: at.finished ? now : null,
    };
    const payload: CasePayload = {
      materials: input.materials ?? [],
      agentName: input.agent?.name ?? null,
      agentCertType: input.agent?.certType ?? null,
      ...ticketPart,
      sealed: this.seal({ a: applicant?.certNo, g: this.agentCertNo(input.agent, now) }),
    };
    this.db
      .prepare(
        `INSERT INTO cases (id, ticket_id, task_code, task_name, status, result, case_type, window_no, staff_no, accept_time,
           finish_time, project_no, payload, version, applicant_name, applicant_cert_type, applicant_cert_enc, applicant_cert_hash, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, 1, ?, ?, ?, ?, ?)`,
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
        applicant?.name ?? null,
        applicant?.certType ?? null,
        applicant && this.cipher ? this.cipher.encrypt(applicant.certNo) : null,
        applicant && this.cipher ? this.cipher.lookupHash(applicant.certNo) : null,
        now,
      );
    this.enqueueCase(rec, payload, applicant ? { name: applicant.name, certType: applicant.certType } : null, now);
    return rec;
  }

  /**
   * The agent's (代办人) number, normalised. A 居民身份证 (platform code 111) must pass GB 11643
   * here, at the window, rather than come back from the platform as INVALID_CERT_NO days later.
   */
  private agentCertNo(agent: CaseInput['agent'], now: number): string | undefined {
    const no = agent?.certNo?.trim().toUpperCase() || undefined;
    if (!agent || platformCertType(agent.certType ?? 'other') !== '111') return no;
    if (!no) throw new CaseError('INVALID_CERT_NO', '代办人证件为居民身份证时必须填写证件号码', 'agent.certNo');
    const check = checkCertNo('resident', no, isoInZone(now, this.tz()).slice(0, 10));
    if (!check.ok) throw new CaseError('INVALID_CERT_NO', check.reason, 'agent.certNo');
    return check.normalized;
  }

  private enqueueCase(
    rec: CaseRecord,
    p: CasePayload,
    applicant: { name: string; certType: string } | null,
    now: number,
  ): void {
    const data = caseData({
      localCaseId: rec.id,
      version: rec.version,
      taskCode: rec.taskCode,
      taskName: rec.taskName,
      applicant,
      agent: p.agentName ? { name: p.agentName, certType: p.agentCertType } : null,
      applyTime: this.iso(p.applyTime ?? rec.acceptTime ?? now)!,
      acceptTime: this.iso(rec.acceptTime ?? now)!,
      // The moment a case ended (办结, 退件 or 撤回); null while it is open.
      finishTime: CLOSED_CASE_STATUSES.includes(rec.status) ? this.iso(rec.finishTime ?? now) : null,
      status: rec.status,
      result: rec.status === 'finished' ? rec.result : null,
      caseType: rec.caseType,
      windowNo: rec.windowNo,
      staffNo: rec.staffNo,
      ticket: p.ticketNumber
        ? { number: p.ticketNumber, waitSeconds: p.waitSeconds ?? 0, serveSeconds: p.serveSeconds ?? 0 }
        : null,
      materials: p.materials,
    });
    // The files the case names by hash go to the platform first (it refuses the case otherwise).
    const needs: string[] = [];
    for (const m of data.materials as { name: string; sha256: string | null }[]) {
      if (!m.sha256) continue;
      // One material record per file, however many cases name it (enqueueRecord finds it).
      needs.push(
        enqueueRecord(this.db, { kind: 'material', occurredAt: now, data: { sha256: m.sha256, name: m.name } }),
      );
    }
    const earlier =
      rec.version > 1 && rec.syncedVersion === null
        ? (
            this.db
              .prepare(
                "SELECT id FROM outbox WHERE case_id = ? AND kind = 'case' AND state != 'delivered' ORDER BY seq",
              )
              .all(rec.id) as { id: string }[]
          ).map((r) => r.id)
        : [];
    const id = enqueueRecord(this.db, {
      kind: 'case',
      caseId: rec.id,
      version: rec.version,
      occurredAt: now,
      data,
      sealed: p.sealed ?? null,
      needs,
    });
    // Until the platform knows the case, its newest version is what its ratings wait for: a
    // corrected version lets them go even when an earlier one was refused.
    if (earlier.length) transferDependants(this.db, earlier, id, now);
  }

  /**
   * A change to a case (corrected result, materials, task name): a new version, and a new outbox
   * record behind the earlier ones of the same case. Call inside a transaction.
   */
  reviseCase(
    id: string,
    change: {
      result?: string;
      taskName?: string | null;
      caseType?: string | null;
      materials?: MaterialInput[];
      /** Finishes an open case (办结) now. */
      finish?: boolean;
      /** Moves an open case on: 办理中, or ends it as 退件 / 撤回 (now). */
      status?: 'in_progress' | 'returned' | 'withdrawn';
    },
    now: number,
  ): CaseRecord {
    const row = this.db.prepare('SELECT * FROM cases WHERE id = ?').get(id) as Record<string, unknown> | undefined;
    if (!row) throw new CaseError('UNKNOWN_CASE', `办件不存在：${id}`, 'caseId');
    const cur = this.fromRow(row);
    const p = JSON.parse(row.payload as string) as CasePayload;
    const next: CaseRecord = {
      ...cur,
      version: cur.version + 1,
      result: change.result ?? cur.result,
      taskName: change.taskName !== undefined ? change.taskName : cur.taskName,
      caseType: change.caseType !== undefined ? change.caseType : cur.caseType,
      ...(change.status && !CLOSED_CASE_STATUSES.includes(cur.status)
        ? { status: change.status, finishTime: change.status === 'in_progress' ? null : now }
        : {}),
      ...(change.finish && !CLOSED_CASE_STATUSES.includes(cur.status)
        ? { status: 'finished' as const, finishTime: now }
        : {}),
    };
    const payload: CasePayload = { ...p, materials: change.materials ?? p.materials };
    this.db
      .prepare(
        'UPDATE cases SET version = ?, result = ?, task_name = ?, case_type = ?, payload = ?, status = ?, finish_time = ? WHERE id = ?',
      )
      .run(
        next.version,
        next.result,
        next.taskName,
        next.caseType,
        JSON.stringify(payload),
        next.status,
        next.finishTime,
        id,
      );
    const applicant =
      row.applicant_name !== null || row.applicant_cert_type !== null
        ? {
            name: (row.applicant_name as string | null) ?? '',
            certType: (row.applicant_cert_type as string) ?? 'other',
          }
        : null;
    this.enqueueCase(next, payload, applicant, now);
    return next;
  }

  /**
   * Stores the case's 扫码评价 code as its SHA-256 (the code is random, ≥ 96 bits: a plain hash
   * cannot be reversed). Call inside the transaction that records the case.
   */
  attachRatingCode(caseId: string, code: string): void {
    this.db.prepare('UPDATE cases SET rating_code_hash = ? WHERE id = ?').run(ratingCodeHash(code), caseId);
  }

  /** The case whose 扫码评价 code is `code`, or null. */
  caseOfRatingCode(code: string): CaseRecord | null {
    const r = this.db.prepare('SELECT * FROM cases WHERE rating_code_hash = ?').get(ratingCodeHash(code)) as
      | Record<string, unknown>
      | undefined;
    return r ? this.fromRow(r) : null;
  }

  /** Whether `code` is the rating code of case `caseId`. */
  hasRatingCode(caseId: string, code: string): boolean {
    const r = this.db.prepare('SELECT rating_code_hash h FROM cases WHERE id = ?').get(caseId) as
      | { h: string | null }
      | undefined;
    return !!r?.h && r.h === ratingCodeHash(code);
  }

  /**
   * Whether `certNo` is the ID number of the case's applicant, by the keyed hash (the number is
   * never decrypted for this). False for a case without an applicant or after the retention purge.
   */
  isApplicant(caseId: string, certNo: string): boolean {
    if (!this.cipher) return false;
    const r = this.db.prepare('SELECT applicant_cert_hash h FROM cases WHERE id = ?').get(caseId) as
      | { h: string | null }
      | undefined;
    return !!r?.h && r.h === this.cipher.lookupHash(certNo.trim().toUpperCase());
  }

  /** Cases of one applicant, by the keyed hash of the ID number (kiosk 办件查询); newest first. */
  findByCertNo(certNo: string, limit = 20): CaseRecord[] {
    if (!this.cipher) return [];
    return (
      this.db
        .prepare('SELECT * FROM cases WHERE applicant_cert_hash = ? ORDER BY created_at DESC, rowid DESC LIMIT ?')
        .all(this.cipher.lookupHash(certNo), limit) as Record<string, unknown>[]
    ).map((r) => this.fromRow(r));
  }

  /**
   * Retention (privacy.purgeAfterDays, as for tickets): applicant name and ID numbers of cases
   * made before `olderThan` whose every version the platform has accepted are removed; the
   * platform has them. Unsynced cases keep them until they are delivered. Returns cases purged.
   */
  purgeApplicantData(olderThan: number, now: number): number {
    return this.db.transaction(() => {
      const rows = this.db
        .prepare(
          `SELECT id, payload FROM cases WHERE created_at < ? AND synced_version IS NOT NULL AND synced_version >= version
             AND (applicant_name IS NOT NULL OR applicant_cert_enc IS NOT NULL OR payload LIKE '%"sealed":"%')`,
        )
        .all(olderThan) as { id: string; payload: string }[];
      const upd = this.db.prepare(
        `UPDATE cases SET applicant_name = NULL, applicant_cert_type = NULL, applicant_cert_enc = NULL,
           applicant_cert_hash = NULL, payload = ? WHERE id = ?`,
      );
      for (const r of rows) {
        const p = JSON.parse(r.payload) as CasePayload;
        upd.run(JSON.stringify({ ...p, sealed: null, agentName: null }), r.id);
      }
      if (rows.length) {
        appendAudit(this.db, {
          at: now,
          actor: { role: 'system', terminalId: null, staffNo: null },
          action: 'privacy.purge-cases',
          subject: null,
          result: 'ok',
          detail: { cases: rows.length },
        });
      }
      return rows.length;
    })();
  }

  /** The applicant's name (for masked display); null for anonymous tickets. */
  applicantName(id: string): string | null {
    const r = this.db.prepare('SELECT applicant_name n FROM cases WHERE id = ?').get(id) as
      | { n: string | null }
      | undefined;
    return r?.n ?? null;
  }

  /** The materials and ticket number recorded with the case's latest version, for its printed documents. */
  recordedDetails(id: string): { materials: MaterialInput[]; ticketNumber: string | null } | null {
    const r = this.db.prepare('SELECT payload FROM cases WHERE id = ?').get(id) as { payload: string } | undefined;
    if (!r) return null;
    const p = JSON.parse(r.payload) as CasePayload;
    return { materials: p.materials ?? [], ticketNumber: p.ticketNumber ?? null };
  }

  findByProjectNo(projectNo: string): CaseRecord | null {
    const r = this.db.prepare('SELECT * FROM cases WHERE project_no = ?').get(projectNo) as
      | Record<string, unknown>
      | undefined;
    return r ? this.fromRow(r) : null;
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
    // A rating needs its case on the platform: the case's newest record not yet delivered, unless a
    // version was accepted already. A case without any record (older than the outbox) cannot get
    // there, so its rating is set aside at once rather than sent to be refused.
    const caseRecord =
      c.syncedVersion === null
        ? (this.db
            .prepare(
              "SELECT id FROM outbox WHERE case_id = ? AND kind = 'case' AND state != 'delivered' ORDER BY seq DESC LIMIT 1",
            )
            .get(c.id) as { id: string } | undefined)
        : undefined;
    const outboxId = enqueueRecord(this.db, {
      kind: 'evaluation',
      caseId: c.id,
      version: rec.assessNumber,
      occurredAt: now,
      ref: rec.id,
      needs: caseRecord ? [caseRecord.id] : [],
      data: evaluationData({
        evaluationId: rec.id,
        localCaseId: c.id,
        taskCode: c.taskCode,
        level: rec.level,
        reasons: rec.reasons,
        text: rec.text,
        channel: rec.channel,
        assessNumber: rec.assessNumber,
        assessTime: this.iso(now)!,
        windowNo: rec.windowNo,
        staffNo: rec.staffNo,
        deviceId: input.deviceId,
      }),
    });
    if (c.syncedVersion === null && !caseRecord) {
      setAsideRecord(
        this.db,
        outboxId,
        DEPENDENCY_REJECTED,
        `办件 ${c.id} 没有可上报的办件记录（早于发件箱的办件），评价不上报`,
        now,
      );
    }
    return rec;
  }

  evaluationsOf(caseId: string): EvaluationRecord[] {
    return (
      this.db.prepare('SELECT * FROM evaluations WHERE case_id = ? ORDER BY assess_number').all(caseId) as Record<
        string,
        unknown
      >[]
    ).map(evaluationFromRow);
  }

  get(id: string): CaseRecord | null {
    const r = this.db.prepare('SELECT * FROM cases WHERE id = ?').get(id) as Record<string, unknown> | undefined;
    return r ? this.fromRow(r) : null;
  }

  private fromRow(r: Record<string, unknown>): CaseRecord {
    return {
      id: r.id as string,
      projectNo: r.project_no as string | null,
      version: (r.version as number | null) ?? 1,
      syncedVersion: r.synced_version as number | null,
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

const ratingCodeHash = (code: string) => createHash('sha256').update(code.trim().toUpperCase()).digest('hex');

/** An `evaluations` row (snake_case columns) as the hall's record; also used by the admin reports. */
export function evaluationFromRow(r: Record<string, unknown>): EvaluationRecord {
  return {
    id: r.id as string,
    caseId: r.case_id as string,
    assessNumber: r.assess_number as number,
    level: r.level as EvaluationLevel,
    reasons: JSON.parse((r.reasons as string) || '[]') as string[],
    text: (r.text as string | null) ?? null,
    channel: r.channel as string,
    windowNo: (r.window_no as number | null) ?? null,
    staffNo: (r.staff_no as string | null) ?? null,
    createdAt: r.created_at as number,
  };
}

/** What a case keeps beside its columns, to build later versions of its platform record. */
interface CasePayload {
  materials: MaterialInput[];
  agentName: string | null;
  agentCertType?: string | null;
  ticketNumber: string | null;
  applyTime?: number;
  waitSeconds?: number;
  serveSeconds?: number;
  /** Sealed ID numbers (applicant, agent) for the platform; null without a cipher. */
  sealed?: string | null;
}
