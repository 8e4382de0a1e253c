/** QueueRepository on SQLite: ID numbers encrypted, events stored with masked personal data. */
import type Database from 'better-sqlite3';
import { maskCertNo, maskName } from '../../common/mask.js';
import type { AuditEntry, QueueRepository, StoredEvent } from '../queue/repository.js';
import type { CertType, QueueEvent, Ticket, WindowStatus } from '../queue/types.js';
import { NO_APPLICANT, sealApplicant } from './applicant-columns.js';
import { appendAudit } from './audit.js';
import type { FieldCipher } from './crypto.js';
import type { HallDatabase } from './database.js';

interface TicketRow {
  id: string;
  number: string;
  seq: number;
  service_code: string;
  issued_service_code: string;
  business_day: string;
  status: Ticket['status'];
  priority: Ticket['priority'];
  channel: Ticket['channel'];
  appointment_id: string | null;
  applicant_name: string | null;
  applicant_cert_type: string | null;
  applicant_cert_enc: string | null;
  applicant_cert_hash: string | null;
  issued_at: number;
  queued_at: number;
  queue_order: number;
  target_window_no: number | null;
  window_no: number | null;
  staff_no: string | null;
  called_at: number | null;
  started_at: number | null;
  finished_at: number | null;
  recall_count: number;
  requeued: number;
  transferred_from: string | null;
  transferred_to: string | null;
  closed_reason: Ticket['closedReason'];
  terminal_id: string | null;
  issued_by: string | null;
}

const COLUMNS = [
  'id',
  'number',
  'seq',
  'service_code',
  'issued_service_code',
  'business_day',
  'status',
  'priority',
  'channel',
  'appointment_id',
  'applicant_name',
  'applicant_cert_type',
  'applicant_cert_enc',
  'applicant_cert_hash',
  'issued_at',
  'queued_at',
  'queue_order',
  'target_window_no',
  'window_no',
  'staff_no',
  'called_at',
  'started_at',
  'finished_at',
  'recall_count',
  'requeued',
  'transferred_from',
  'transferred_to',
  'closed_reason',
  'terminal_id',
  'issued_by',
] as const;

/** Event payloads never hold a clear name or ID number: they are replayed to every display. */
export function serialiseEvent(event: QueueEvent): string {
  if (!('ticket' in event) || !event.ticket.applicant) return JSON.stringify(event);
  return JSON.stringify(event, (key, value) => {
    if (key === 'applicant' && value && typeof value === 'object') {
      const a = value as { name?: string; certNo?: string; certType?: string };
      return {
        name: a.name ? maskName(a.name) : '',
        certType: a.certType,
        certNo: a.certNo ? maskCertNo(a.certNo) : '',
      };
    }
    return value;
  });
}

export class SqliteQueueRepository implements QueueRepository {
  private readonly db: Database.Database;
  private readonly s: Record<string, Database.Statement>;
  private readonly runInTransaction: (fn: () => unknown) => unknown;

  constructor(
    handle: HallDatabase,
    private readonly cipher: FieldCipher,
  ) {
    this.db = handle.db;
    const db = this.db;
    this.runInTransaction = db.transaction((fn: () => unknown) => fn());
    this.s = {
      getMeta: db.prepare('SELECT value FROM meta WHERE key = ?'),
      setMeta: db.prepare(
        'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
      ),
      nextSeq: db.prepare(
        `INSERT INTO service_counters (business_day, service_code, last_seq) VALUES (?, ?, 1)
         ON CONFLICT(business_day, service_code) DO UPDATE SET last_seq = last_seq + 1 RETURNING last_seq`,
      ),
      lastSeq: db.prepare('SELECT last_seq FROM service_counters WHERE business_day = ? AND service_code = ?'),
      insert: db.prepare(
        `INSERT INTO tickets (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map((c) => `@${c}`).join(', ')})`,
      ),
      update: db.prepare(
        `UPDATE tickets SET ${COLUMNS.filter((c) => c !== 'id' && !c.startsWith('applicant_'))
          .map((c) => `${c} = @${c}`)
          .join(', ')} WHERE id = @id`,
      ),
      get: db.prepare('SELECT * FROM tickets WHERE id = ?'),
      // Active tickets can only belong to the current business day or, before a pending rollover,
      // to a later one than the last rolled day: the day index finds them without an index of its own.
      active: db.prepare(
        `SELECT * FROM tickets WHERE business_day >= coalesce((SELECT value FROM meta WHERE key = 'businessDay'), '')
           AND status IN ('waiting', 'called', 'serving')`,
      ),
      ofDay: db.prepare('SELECT * FROM tickets WHERE business_day = ?'),
      recent: db.prepare(
        "SELECT * FROM tickets WHERE service_code = ? AND status = 'done' ORDER BY finished_at DESC LIMIT ?",
      ),
      byHash: db.prepare('SELECT * FROM tickets WHERE applicant_cert_hash = ? ORDER BY issued_at DESC LIMIT 50'),
      windows: db.prepare('SELECT * FROM windows'),
      saveWindow: db.prepare(
        `INSERT INTO windows (no, state, staff_no, current_ticket_id, pause_reason, normal_since_priority, updated_at)
         VALUES (@no, @state, @staffNo, @currentTicketId, @pauseReason, @normalSincePriority, @updatedAt)
         ON CONFLICT(no) DO UPDATE SET state = excluded.state, staff_no = excluded.staff_no,
           current_ticket_id = excluded.current_ticket_id, pause_reason = excluded.pause_reason,
           normal_since_priority = excluded.normal_since_priority, updated_at = excluded.updated_at`,
      ),
      event: db.prepare('INSERT INTO events (at, type, payload) VALUES (?, ?, ?)'),
      after: db.prepare('SELECT seq, at, payload FROM events WHERE seq > ? ORDER BY seq LIMIT ?'),
      lastEvent: db.prepare('SELECT coalesce(max(seq), 0) AS seq FROM events'),
    };
  }

  transaction<T>(fn: () => T): T {
    // One wrapper for all commands; better-sqlite3 turns a nested call into a savepoint.
    return this.runInTransaction(fn) as T;
  }

  getMeta(key: string): string | null {
    return (this.s.getMeta!.get(key) as { value: string } | undefined)?.value ?? null;
  }
  setMeta(key: string, value: string): void {
    this.s.setMeta!.run(key, value);
  }
  nextSeq(day: string, service: string): number {
    return (this.s.nextSeq!.get(day, service) as { last_seq: number }).last_seq;
  }
  lastSeq(day: string, service: string): number {
    return (this.s.lastSeq!.get(day, service) as { last_seq: number } | undefined)?.last_seq ?? 0;
  }

  insertTicket(t: Ticket): void {
    this.s.insert!.run(this.toRow(t));
  }
  updateTicket(t: Ticket): void {
    // Applicant columns are written once at issue and only ever cleared by the purge.
    const { applicant_name, applicant_cert_type, applicant_cert_enc, applicant_cert_hash, ...rest } = this.toRow(
      t,
      false,
    );
    this.s.update!.run(rest);
  }
  getTicket(id: string): Ticket | null {
    const r = this.s.get!.get(id) as TicketRow | undefined;
    return r ? this.fromRow(r) : null;
  }
  listActiveTickets(): Ticket[] {
    return (this.s.active!.all() as TicketRow[]).map((r) => this.fromRow(r));
  }
  listTicketsOfDay(day: string): Ticket[] {
    return (this.s.ofDay!.all(day) as TicketRow[]).map((r) => this.fromRow(r));
  }
  recentFinished(service: string, limit: number): Ticket[] {
    return (this.s.recent!.all(service, limit) as TicketRow[]).map((r) => this.fromRow(r));
  }
  /** Tickets of one applicant, found by the keyed hash of the ID number (kiosk lookups). */
  findTicketsByCertNo(certNo: string): Ticket[] {
    return (this.s.byHash!.all(this.cipher.lookupHash(certNo)) as TicketRow[]).map((r) => this.fromRow(r));
  }

  getWindows(): WindowStatus[] {
    return (this.s.windows!.all() as Record<string, unknown>[]).map((r) => ({
      no: r.no as number,
      state: r.state as WindowStatus['state'],
      staffNo: r.staff_no as string | null,
      currentTicketId: r.current_ticket_id as string | null,
      pauseReason: r.pause_reason as string | null,
      normalSincePriority: r.normal_since_priority as number,
      updatedAt: r.updated_at as number,
    }));
  }
  saveWindow(w: WindowStatus): void {
    this.s.saveWindow!.run(w);
  }

  appendAudit(entry: AuditEntry): void {
    appendAudit(this.db, entry);
  }
  appendEvent(at: number, event: QueueEvent): number {
    return Number(this.s.event!.run(at, event.type, serialiseEvent(event)).lastInsertRowid);
  }
  lastEventSeq(): number {
    return (this.s.lastEvent!.get() as { seq: number }).seq;
  }
  eventsAfter(seq: number, limit: number): StoredEvent[] {
    return (this.s.after!.all(seq, limit) as { seq: number; at: number; payload: string }[]).map((r) => ({
      seq: r.seq,
      at: r.at,
      event: JSON.parse(r.payload) as QueueEvent,
    }));
  }

  private toRow(t: Ticket, withApplicant = true): TicketRow {
    const a = withApplicant ? t.applicant : null;
    return {
      id: t.id,
      number: t.number,
      seq: t.seq,
      service_code: t.serviceCode,
      issued_service_code: t.issuedServiceCode,
      business_day: t.businessDay,
      status: t.status,
      priority: t.priority,
      channel: t.channel,
      appointment_id: t.appointmentId,
      ...(a ? sealApplicant(this.cipher, a) : NO_APPLICANT),
      issued_at: t.issuedAt,
      queued_at: t.queuedAt,
      queue_order: t.queueOrder,
      target_window_no: t.targetWindowNo,
      window_no: t.windowNo,
      staff_no: t.staffNo,
      called_at: t.calledAt,
      started_at: t.startedAt,
      finished_at: t.finishedAt,
      recall_count: t.recallCount,
      requeued: t.requeued ? 1 : 0,
      transferred_from: t.transferredFrom,
      transferred_to: t.transferredTo,
      closed_reason: t.closedReason,
      terminal_id: t.terminalId,
      issued_by: t.issuedBy,
    };
  }

  private fromRow(r: TicketRow): Ticket {
    return {
      id: r.id,
      number: r.number,
      seq: r.seq,
      serviceCode: r.service_code,
      issuedServiceCode: r.issued_service_code,
      businessDay: r.business_day,
      status: r.status,
      priority: r.priority,
      channel: r.channel,
      appointmentId: r.appointment_id,
      applicant:
        r.applicant_cert_enc !== null
          ? {
              name: r.applicant_name ?? '',
              certType: (r.applicant_cert_type ?? 'other') as CertType,
              certNo: this.cipher.decrypt(r.applicant_cert_enc),
            }
          : null,
      issuedAt: r.issued_at,
      queuedAt: r.queued_at,
      queueOrder: r.queue_order,
      targetWindowNo: r.target_window_no,
      windowNo: r.window_no,
      staffNo: r.staff_no,
      calledAt: r.called_at,
      startedAt: r.started_at,
      finishedAt: r.finished_at,
      recallCount: r.recall_count,
      requeued: r.requeued === 1,
      transferredFrom: r.transferred_from,
      transferredTo: r.transferred_to,
      closedReason: r.closed_reason,
      terminalId: r.terminal_id,
      issuedBy: r.issued_by ?? null,
    };
  }
}
