/**
 * The appointment register on SQLite (schema version 9). ID numbers and phone numbers are sealed
 * like tickets' (AES-GCM, main/store/crypto.ts) and found by keyed hash; a write transaction takes
 * the write lock when it begins (BEGIN IMMEDIATE), so a booking's count and insert are never
 * interleaved with another process's.
 */
import type Database from 'better-sqlite3';
import type { CertType } from '../../common/cert-number.js';
import type { AppointmentRepository } from '../appointments/repository.js';
import type { Appointment, AppointmentStatus, BookingSource, Closure } from '../appointments/types.js';
import { sealApplicant } from './applicant-columns.js';
import type { FieldCipher } from './crypto.js';
import type { HallDatabase } from './database.js';

interface Row {
  id: string;
  code: string;
  service_code: string;
  day: string;
  slot_start: number;
  slot_end: number;
  opens_at: number;
  closes_at: number;
  applicant_name: string | null;
  applicant_cert_type: string | null;
  applicant_cert_enc: string | null;
  phone_enc: string | null;
  status: AppointmentStatus;
  source: BookingSource;
  platform_id: string | null;
  booked_at: number;
  changed_at: number | null;
  ticket_id: string | null;
}

const PLACE_HOLDING = "status IN ('booked', 'checked_in', 'no_show')";

export class SqliteAppointmentRepository implements AppointmentRepository {
  private readonly db: Database.Database;
  private readonly run: { immediate: (fn: () => unknown) => unknown };
  private readonly s: Record<string, Database.Statement>;

  constructor(
    handle: HallDatabase,
    private readonly cipher: FieldCipher,
  ) {
    const db = handle.db;
    this.db = db;
    this.run = db.transaction((fn: () => unknown) => fn());
    this.s = {
      insert: db.prepare(
        `INSERT INTO appointments (id, code, service_code, day, slot_start, slot_end, opens_at, closes_at,
           applicant_name, applicant_cert_type, applicant_cert_enc, applicant_cert_hash, phone_enc, status, source,
           platform_id, booked_at, changed_at, ticket_id)
         VALUES (@id, @code, @service_code, @day, @slot_start, @slot_end, @opens_at, @closes_at, @applicant_name,
           @applicant_cert_type, @applicant_cert_enc, @applicant_cert_hash, @phone_enc, @status, @source, @platform_id,
           @booked_at, @changed_at, @ticket_id)`,
      ),
      replace: db.prepare(
        `UPDATE appointments SET service_code = @service_code, day = @day, slot_start = @slot_start,
           slot_end = @slot_end, opens_at = @opens_at, closes_at = @closes_at, applicant_name = @applicant_name,
           applicant_cert_type = @applicant_cert_type, applicant_cert_enc = @applicant_cert_enc,
           applicant_cert_hash = @applicant_cert_hash, phone_enc = @phone_enc WHERE id = @id`,
      ),
      get: db.prepare('SELECT * FROM appointments WHERE id = ?'),
      byCode: db.prepare('SELECT * FROM appointments WHERE code = ?'),
      byPlatformId: db.prepare('SELECT * FROM appointments WHERE platform_id = ?'),
      ofPerson: db.prepare('SELECT * FROM appointments WHERE applicant_cert_hash = ? AND day = ?'),
      countInSlot: db.prepare(
        `SELECT count(*) n FROM appointments WHERE service_code = ? AND slot_start = ? AND ${PLACE_HOLDING}`,
      ),
      countsOfDay: db.prepare(
        `SELECT slot_start, count(*) n FROM appointments WHERE service_code = ? AND day = ? AND ${PLACE_HOLDING}
         GROUP BY slot_start`,
      ),
      setStatus: db.prepare(
        `UPDATE appointments SET status = @to, changed_at = @at, ticket_id = coalesce(@ticketId, ticket_id)
         WHERE id = @id AND status IN (SELECT value FROM json_each(@from))`,
      ),
      ofDay: db.prepare('SELECT * FROM appointments WHERE day = ? ORDER BY slot_start, booked_at'),
      overdue: db.prepare(
        "SELECT * FROM appointments WHERE status = 'booked' AND closes_at <= ? ORDER BY closes_at LIMIT 1000",
      ),
      nextClose: db.prepare("SELECT min(closes_at) t FROM appointments WHERE status = 'booked' AND closes_at > ?"),
      closures: db.prepare('SELECT * FROM appointment_closures WHERE day = ? ORDER BY created_at'),
      closuresFrom: db.prepare('SELECT * FROM appointment_closures WHERE day >= ? ORDER BY day, created_at'),
      addClosure: db.prepare(
        `INSERT INTO appointment_closures (id, service_code, day, time_from, time_to, reason, created_at)
         VALUES (@id, @serviceCode, @day, @from, @to, @reason, @createdAt)`,
      ),
      purge: db.prepare(
        `UPDATE appointments SET applicant_name = NULL, applicant_cert_enc = NULL, applicant_cert_hash = NULL,
           phone_enc = NULL WHERE day < ? AND status != 'booked' AND applicant_cert_enc IS NOT NULL`,
      ),
    };
  }

  transaction<T>(fn: () => T): T {
    // Nested inside another transaction (a check-in inside the ticket's), better-sqlite3 makes it a savepoint.
    return (this.db.inTransaction ? fn() : this.run.immediate(fn)) as T;
  }

  private toRow(a: Appointment): Row & { applicant_cert_hash: string } {
    return {
      id: a.id,
      code: a.code,
      service_code: a.serviceCode,
      day: a.day,
      slot_start: a.slotStart,
      slot_end: a.slotEnd,
      opens_at: a.opensAt,
      closes_at: a.closesAt,
      ...sealApplicant(this.cipher, a.applicant),
      phone_enc: a.phone ? this.cipher.encrypt(a.phone) : null,
      status: a.status,
      source: a.source,
      platform_id: a.platformId,
      booked_at: a.bookedAt,
      changed_at: a.changedAt,
      ticket_id: a.ticketId,
    };
  }

  private fromRow(r: Row): Appointment {
    return {
      id: r.id,
      code: r.code,
      serviceCode: r.service_code,
      day: r.day,
      slotStart: r.slot_start,
      slotEnd: r.slot_end,
      opensAt: r.opens_at,
      closesAt: r.closes_at,
      // Purged after the retention period: the booking stays for the statistics, without the person.
      applicant: {
        name: r.applicant_name ?? '',
        certType: (r.applicant_cert_type ?? 'other') as CertType,
        certNo: r.applicant_cert_enc ? this.cipher.decrypt(r.applicant_cert_enc) : '',
      },
      phone: r.phone_enc ? this.cipher.decrypt(r.phone_enc) : null,
      status: r.status,
      source: r.source,
      platformId: r.platform_id,
      bookedAt: r.booked_at,
      changedAt: r.changed_at,
      ticketId: r.ticket_id,
    };
  }

  private one(stmt: string, ...args: unknown[]): Appointment | null {
    const r = this.s[stmt]!.get(...args) as Row | undefined;
    return r ? this.fromRow(r) : null;
  }
  private all(stmt: string, ...args: unknown[]): Appointment[] {
    return (this.s[stmt]!.all(...args) as Row[]).map((r) => this.fromRow(r));
  }

  insert(a: Appointment): void {
    this.s.insert!.run(this.toRow(a));
  }
  replace(a: Appointment): void {
    this.s.replace!.run(this.toRow(a));
  }
  get(id: string): Appointment | null {
    return this.one('get', id);
  }
  byCode(code: string): Appointment | null {
    return this.one('byCode', code);
  }
  byPlatformId(platformId: string): Appointment | null {
    return this.one('byPlatformId', platformId);
  }
  ofPersonOnDay(day: string, certNo: string): Appointment[] {
    return this.all('ofPerson', this.cipher.lookupHash(certNo), day);
  }
  countInSlot(serviceCode: string, slotStart: number): number {
    return (this.s.countInSlot!.get(serviceCode, slotStart) as { n: number }).n;
  }
  countsOfDay(serviceCode: string, day: string): Map<number, number> {
    const rows = this.s.countsOfDay!.all(serviceCode, day) as { slot_start: number; n: number }[];
    return new Map(rows.map((r) => [r.slot_start, r.n]));
  }
  setStatus(
    id: string,
    from: readonly AppointmentStatus[],
    to: AppointmentStatus,
    at: number,
    ticketId?: string,
  ): boolean {
    return this.s.setStatus!.run({ id, from: JSON.stringify(from), to, at, ticketId: ticketId ?? null }).changes === 1;
  }
  ofDay(day: string): Appointment[] {
    return this.all('ofDay', day);
  }
  overdue(now: number): Appointment[] {
    return this.all('overdue', now);
  }
  nextCloseAfter(now: number): number | null {
    return (this.s.nextClose!.get(now) as { t: number | null }).t;
  }
  closures(day: string): Closure[] {
    return (this.s.closures!.all(day) as Record<string, unknown>[]).map(closureOf);
  }
  closuresFrom(day: string): Closure[] {
    return (this.s.closuresFrom!.all(day) as Record<string, unknown>[]).map(closureOf);
  }
  addClosure(c: Closure): void {
    this.s.addClosure!.run(c);
  }
  /** Removes the person from bookings of days before `beforeDay` that are decided (privacy.purgeAfterDays). */
  purgeApplicantData(beforeDay: string): number {
    return this.s.purge!.run(beforeDay).changes;
  }
}

function closureOf(r: Record<string, unknown>): Closure {
  return {
    id: r.id as string,
    serviceCode: (r.service_code as string | null) ?? null,
    day: r.day as string,
    from: (r.time_from as string | null) ?? null,
    to: (r.time_to as string | null) ?? null,
    reason: r.reason as string,
    createdAt: r.created_at as number,
  };
}
