/**
 * The appointment register (hub-api.md "Appointments"): booking, check-in, cancelling, no-shows,
 * closures and the merge of the provincial platform's bookings. Rules only: the clock, the store
 * and randomness are injected; every change runs in one store transaction, so a slot's capacity
 * and the one-booking-per-person rule hold however many bookings arrive at once.
 */
import { APPOINTMENT_STATUS_TEXT as STATUS_TEXT } from '../../common/appointment-terms.js';
import { checkCertNo } from '../../common/cert-number.js';
import { businessDayOf, isoInZone } from '../../common/hall-time.js';
import type { AppointmentConfig } from '../../kiosk-config/appointment-schema.js';
import type { HallConfig, QueueServiceConfig } from '../../kiosk-config/hall-config.js';
import type { Clock } from '../time/clock.js';
import { newAppointmentCode, normalizeCode } from './codes.js';
import type { AppointmentRepository } from './repository.js';
import { bookableDays, checkInWindow, dayOfSlot, slotClosed, slotsOfDay } from './slots.js';
import {
  type Appointment,
  type AppointmentApplicant,
  AppointmentError,
  type AppointmentStatus,
  type BookingSource,
  type Closure,
  type SlotView,
} from './types.js';

/** Check-in window of a platform booking for a service the hall does not offer for booking itself. */
const DEFAULT_CHECK_IN = { checkIn: { beforeMinutes: 30, afterMinutes: 15 } } as const;
/** States that hold a place in a slot. */
const HOLDS_PLACE: readonly AppointmentStatus[] = ['booked', 'checked_in', 'no_show'];

export interface BookRequest {
  serviceCode: string;
  slotStart: number;
  applicant: AppointmentApplicant;
  phone?: string | null;
}

/** An appointment as the provincial platform lists it (platform-api.md v1.1). */
export interface PlatformAppointment {
  id: string;
  code: string;
  serviceCode: string;
  slotStart: number;
  slotEnd: number;
  applicant: AppointmentApplicant;
  phone?: string | null;
  status: 'booked' | 'cancelled';
}

export interface MergeResult {
  added: number;
  updated: number;
  cancelled: number;
  /** Listed for a service the hall does not know, or with a code another booking holds. */
  skipped: { id: string; reason: string }[];
}

export interface DayReport {
  day: string;
  appointments: Appointment[];
  counts: Record<AppointmentStatus, number>;
  /** no-shows ÷ (checked in + no-shows); null before any appointment of the day was decided. */
  noShowRate: number | null;
  services: {
    serviceCode: string;
    capacity: number;
    booked: number;
    /** Places held ÷ places offered in the open slots; null when the day offers none. */
    use: number | null;
    slots: (SlotView & { checkedIn: number; noShow: number })[];
  }[];
}

export interface RegisterOptions {
  config: () => HallConfig;
  repo: AppointmentRepository;
  clock: Clock;
  newId: () => string;
  randomBytes: (n: number) => Uint8Array;
  /**
   * Called inside the transaction that checks a booking in or marks it a no-show, so a report to
   * the platform (an outbox record) is written with the change or not at all.
   */
  onDecided?: (a: Appointment, status: 'checked_in' | 'no_show', at: number) => void;
}

export class AppointmentRegister {
  constructor(private readonly o: RegisterOptions) {}

  private get tz(): string {
    return this.o.config().hall.timeZone;
  }

  today(): string {
    return businessDayOf(this.o.clock.now(), this.tz);
  }

  /** Services citizens may book, with their settings. */
  bookableServices(): (QueueServiceConfig & { appointment: AppointmentConfig })[] {
    return this.o
      .config()
      .services.filter((s): s is QueueServiceConfig & { appointment: AppointmentConfig } => !!s.appointment?.bookable);
  }

  private bookable(serviceCode: string): QueueServiceConfig & { appointment: AppointmentConfig } {
    const service = this.o.config().services.find((s) => s.code === serviceCode);
    if (!service)
      throw new AppointmentError('UNKNOWN_SERVICE', `业务「${serviceCode}」不存在`, { field: 'serviceCode' });
    if (!service.appointment?.bookable) {
      throw new AppointmentError('NOT_BOOKABLE', `「${service.name}」不接受预约，请直接取号`, { field: 'serviceCode' });
    }
    return service as QueueServiceConfig & { appointment: AppointmentConfig };
  }

  /** The slots of one service and day, with places booked (closed slots say so). */
  slots(serviceCode: string, day: string): SlotView[] {
    const service = this.bookable(serviceCode);
    const cfg = service.appointment;
    if (!bookableDays(cfg, this.today()).includes(day)) {
      throw new AppointmentError(
        'INVALID_DAY',
        `只能预约今天起 ${cfg.daysAhead} 天内（${this.today()} 起）的时段：${day} 不在其中`,
        { field: 'day' },
      );
    }
    const counts = this.o.repo.countsOfDay(serviceCode, day);
    const closures = this.o.repo.closures(day);
    const calendar = this.o.config().calendar;
    const now = this.o.clock.now();
    return slotsOfDay(cfg, day, this.tz).map((s) => ({
      ...s,
      capacity: cfg.capacity,
      booked: counts.get(s.start) ?? 0,
      closed: slotClosed(s, serviceCode, day, closures, this.tz, calendar) !== null,
      passed: now >= checkInWindow(cfg, s.start, day, this.tz).closesAt,
    }));
  }

  book(req: BookRequest, source: BookingSource): Appointment {
    const service = this.bookable(req.serviceCode);
    const cfg = service.appointment;
    const now = this.o.clock.now();
    const today = this.today();
    const check = checkCertNo(req.applicant.certType, req.applicant.certNo, today);
    if (!check.ok) throw new AppointmentError('INVALID_CERT_NO', check.reason, { field: 'applicant.certNo' });
    const applicant = { ...req.applicant, certNo: check.normalized };
    const day = dayOfSlot(req.slotStart, this.tz);
    if (!bookableDays(cfg, today).includes(day)) {
      throw new AppointmentError('INVALID_DAY', `只能预约今天起 ${cfg.daysAhead} 天内的时段，请重新选择日期`, {
        field: 'slotStart',
      });
    }
    const slot = slotsOfDay(cfg, day, this.tz).find((s) => s.start === req.slotStart);
    if (!slot) {
      throw new AppointmentError(
        'NO_SUCH_SLOT',
        `${isoInZone(req.slotStart, this.tz)} 不是「${service.name}」的预约时段`,
        {
          field: 'slotStart',
        },
      );
    }
    if (slotClosed(slot, service.code, day, this.o.repo.closures(day), this.tz, this.o.config().calendar)) {
      throw new AppointmentError('SLOT_CLOSED', '该时段已停止预约（节假日或大厅安排），请选择其他时段');
    }
    const window = checkInWindow(cfg, slot.start, day, this.tz);
    if (now >= window.closesAt) {
      throw new AppointmentError('SLOT_PASSED', '该时段的签到时间已过，请选择更晚的时段，或直接取号');
    }
    return this.o.repo.transaction(() => {
      const mine = this.o.repo
        .ofPersonOnDay(day, applicant.certNo)
        .find((a) => a.serviceCode === service.code && (a.status === 'booked' || a.status === 'checked_in'));
      if (mine) {
        throw new AppointmentError(
          'ALREADY_BOOKED',
          `同一人同一业务每天只能预约一次：${day} 已有「${service.name}」的预约（预约码 ${mine.code}）；如需改时间，请先取消原预约`,
        );
      }
      if (this.o.repo.countInSlot(service.code, slot.start) >= cfg.capacity) {
        throw new AppointmentError('SLOT_FULL', '该时段已约满，请选择其他时段');
      }
      const a: Appointment = {
        id: this.o.newId(),
        code: this.freshCode(),
        serviceCode: service.code,
        day,
        slotStart: slot.start,
        slotEnd: slot.end,
        ...window,
        applicant,
        phone: req.phone ?? null,
        status: 'booked',
        source,
        platformId: null,
        bookedAt: now,
        changedAt: null,
        ticketId: null,
      };
      this.o.repo.insert(a);
      return a;
    });
  }

  private freshCode(): string {
    for (;;) {
      const code = newAppointmentCode(this.o.randomBytes);
      if (!this.o.repo.byCode(code)) return code;
    }
  }

  /** The booking a code names (as typed: spaces, dashes and case do not matter), or null. */
  byCode(raw: string): Appointment | null {
    const exact = raw.trim().toUpperCase();
    const code = normalizeCode(raw);
    return (exact ? this.o.repo.byCode(exact) : null) ?? (code ? this.o.repo.byCode(code) : null);
  }

  get(id: string): Appointment | null {
    return this.o.repo.get(id);
  }

  /**
   * The booking a check-in names and may check in now, or the error that says why not. By ID
   * number, the day's booking whose window is open (else the next one to open, else the last).
   */
  forCheckIn(by: { code: string } | { certNo: string }): Appointment {
    const now = this.o.clock.now();
    if ('code' in by) {
      const a = this.byCode(by.code);
      if (!a) throw new AppointmentError('UNKNOWN_APPOINTMENT', '没有这个预约码，请核对后重新输入，或刷身份证签到');
      this.checkWindow(a, now);
      return a;
    }
    const mine = this.o.repo.ofPersonOnDay(this.today(), by.certNo.trim().toUpperCase());
    const booked = mine.filter((a) => a.status === 'booked').sort((x, y) => x.slotStart - y.slotStart);
    const open = booked.find((a) => now >= a.opensAt && now < a.closesAt);
    const pick = open ?? booked.find((a) => now < a.opensAt) ?? booked[booked.length - 1];
    if (pick) {
      this.checkWindow(pick, now);
      return pick;
    }
    const done = mine.find((a) => a.status === 'checked_in') ?? mine.find((a) => a.status === 'no_show');
    if (done) {
      this.checkWindow(done, now);
      return done;
    }
    throw new AppointmentError('UNKNOWN_APPOINTMENT', '没有查到您今天的预约；可以直接取号，或输入预约码签到');
  }

  /** Refuses a check-in of `a` at `now` unless it is booked and its window (on its own day) is open. */
  checkWindow(a: Appointment, now: number): void {
    const name = this.serviceName(a.serviceCode);
    if (a.status === 'checked_in') {
      throw new AppointmentError('ALREADY_CHECKED_IN', `该预约（${name}）已签到取号，请留意叫号；票据遗失请到咨询台`);
    }
    if (a.status === 'cancelled') throw new AppointmentError('UNKNOWN_APPOINTMENT', '该预约已取消；可以直接取号');
    if (a.status === 'no_show' || now >= a.closesAt) {
      throw new AppointmentError(
        'TOO_LATE',
        `已超过签到时间（${this.hhmm(a.closesAt)} 前签到），预约已失效；可以取普通号排队`,
      );
    }
    if (now < a.opensAt) {
      throw new AppointmentError(
        'TOO_EARLY',
        `还没到签到时间：${a.day} ${this.hhmm(a.opensAt)} 起可以签到（预约时段 ${this.hhmm(a.slotStart)}–${this.hhmm(a.slotEnd)}）`,
        { opensAt: a.opensAt },
      );
    }
  }

  /**
   * Checks the booking in for `ticketId`; to be called inside the transaction that issues the
   * ticket, so a second check-in racing this one finds it taken and nothing is issued twice.
   */
  markCheckedIn(a: Appointment, ticketId: string): void {
    const now = this.o.clock.now();
    this.checkWindow(a, now);
    if (!this.o.repo.setStatus(a.id, ['booked'], 'checked_in', now, ticketId)) {
      throw new AppointmentError('ALREADY_CHECKED_IN', '该预约已签到取号，请留意叫号');
    }
    this.o.onDecided?.(a, 'checked_in', now);
  }

  /** Cancels a booking (counter, admin); the place is free again. */
  cancel(id: string): Appointment {
    return this.o.repo.transaction(() => {
      const a = this.o.repo.get(id);
      if (!a) throw new AppointmentError('UNKNOWN_APPOINTMENT', `预约不存在：${id}`);
      if (!this.o.repo.setStatus(a.id, ['booked'], 'cancelled', this.o.clock.now())) {
        throw new AppointmentError('NOT_CANCELLABLE', `该预约状态为「${STATUS_TEXT[a.status]}」，不能取消`);
      }
      return { ...a, status: 'cancelled' as const, changedAt: this.o.clock.now() };
    });
  }

  /**
   * A citizen cancels with the code and their ID number. A wrong number answers exactly like an
   * unknown code, so the page reveals nothing about someone else's booking.
   */
  cancelByCode(code: string, certNo: string): Appointment {
    const a = this.byCode(code);
    if (!a || a.applicant.certNo.toUpperCase() !== certNo.trim().toUpperCase()) {
      throw new AppointmentError('UNKNOWN_APPOINTMENT', '预约码或证件号码不对，请核对后重试');
    }
    return this.cancel(a.id);
  }

  /** Marks every booking whose check-in window has closed as a no-show; answers those marked. */
  markNoShows(): Appointment[] {
    const now = this.o.clock.now();
    return this.o.repo.transaction(() => {
      const marked: Appointment[] = [];
      for (const a of this.o.repo.overdue(now)) {
        if (!this.o.repo.setStatus(a.id, ['booked'], 'no_show', now)) continue;
        this.o.onDecided?.(a, 'no_show', now);
        marked.push({ ...a, status: 'no_show', changedAt: now });
      }
      return marked;
    });
  }

  /** The next instant a booking's window closes after `now` (for the no-show timer), or null. */
  nextWindowClose(now: number): number | null {
    return this.o.repo.nextCloseAfter(now);
  }

  addClosure(req: {
    serviceCode?: string | null;
    day: string;
    from?: string | null;
    to?: string | null;
    reason: string;
  }): {
    closure: Closure;
    affected: number;
  } {
    const serviceCode = req.serviceCode ?? null;
    if (serviceCode !== null && !this.o.config().services.some((s) => s.code === serviceCode)) {
      throw new AppointmentError('UNKNOWN_SERVICE', `业务「${serviceCode}」不存在`, { field: 'serviceCode' });
    }
    const closure: Closure = {
      id: this.o.newId(),
      serviceCode,
      day: req.day,
      from: req.from ?? null,
      to: req.to ?? null,
      reason: req.reason,
      createdAt: this.o.clock.now(),
    };
    return this.o.repo.transaction(() => {
      this.o.repo.addClosure(closure);
      // Bookings already made in the closed slots stay valid: the hall tells those citizens itself.
      const affected = this.o.repo
        .ofDay(req.day)
        .filter(
          (a) =>
            a.status === 'booked' &&
            slotClosed({ start: a.slotStart, end: a.slotEnd }, a.serviceCode, a.day, [closure], this.tz) !== null,
        ).length;
      return { closure, affected };
    });
  }

  closuresFrom(day: string): Closure[] {
    return this.o.repo.closuresFrom(day);
  }

  /** The day's list, no-show rate and slot use per bookable service. */
  report(day: string): DayReport {
    const appointments = this.o.repo.ofDay(day).sort((a, b) => a.slotStart - b.slotStart);
    const counts = { booked: 0, checked_in: 0, cancelled: 0, no_show: 0 } as Record<AppointmentStatus, number>;
    for (const a of appointments) counts[a.status]++;
    const decided = counts.checked_in + counts.no_show;
    const closures = this.o.repo.closures(day);
    const calendar = this.o.config().calendar;
    const services = this.bookableServices().map((s) => {
      const mine = appointments.filter((a) => a.serviceCode === s.code);
      const slots = slotsOfDay(s.appointment, day, this.tz).map((slot) => {
        const inSlot = mine.filter((a) => a.slotStart === slot.start);
        return {
          ...slot,
          capacity: s.appointment.capacity,
          booked: inSlot.filter((a) => HOLDS_PLACE.includes(a.status)).length,
          checkedIn: inSlot.filter((a) => a.status === 'checked_in').length,
          noShow: inSlot.filter((a) => a.status === 'no_show').length,
          closed: slotClosed(slot, s.code, day, closures, this.tz, calendar) !== null,
          passed: this.o.clock.now() >= checkInWindow(s.appointment, slot.start, day, this.tz).closesAt,
        };
      });
      const open = slots.filter((x) => !x.closed);
      const capacity = open.reduce((n, x) => n + x.capacity, 0);
      const booked = slots.reduce((n, x) => n + x.booked, 0);
      return { serviceCode: s.code, capacity, booked, use: capacity ? booked / capacity : null, slots };
    });
    return { day, appointments, counts, noShowRate: decided ? counts.no_show / decided : null, services };
  }

  /**
   * Merges the platform's list (its `id` is the key): new bookings are added, changed ones
   * updated, cancelled ones cancelled here while still booked. What the hall already decided
   * (checked in, no-show) stays. The platform keeps its own quota, so capacity does not refuse
   * its bookings; they do take places from the hall's.
   */
  mergePlatform(items: readonly PlatformAppointment[]): MergeResult {
    const result: MergeResult = { added: 0, updated: 0, cancelled: 0, skipped: [] };
    const services = this.o.config().services;
    const now = this.o.clock.now();
    this.o.repo.transaction(() => {
      for (const p of items) {
        const service =
          services.find((s) => s.code === p.serviceCode) ?? services.find((s) => s.taskCodes.includes(p.serviceCode));
        if (!service) {
          result.skipped.push({ id: p.id, reason: `大厅没有业务或事项「${p.serviceCode}」` });
          continue;
        }
        const existing = this.o.repo.byPlatformId(p.id);
        const day = dayOfSlot(p.slotStart, this.tz);
        // What the platform says of the booking, as a new one is written and a known one is updated.
        const said = {
          serviceCode: service.code,
          day,
          slotStart: p.slotStart,
          slotEnd: p.slotEnd,
          ...checkInWindow(service.appointment ?? DEFAULT_CHECK_IN, p.slotStart, day, this.tz),
          applicant: { ...p.applicant, certNo: p.applicant.certNo.trim().toUpperCase() },
          phone: p.phone ?? null,
        };
        if (!existing) {
          if (p.status !== 'booked') continue;
          const code = p.code.trim().toUpperCase();
          if (this.o.repo.byCode(code)) {
            result.skipped.push({ id: p.id, reason: `预约码 ${code} 已被另一预约使用` });
            continue;
          }
          this.o.repo.insert({
            id: this.o.newId(),
            code,
            ...said,
            status: 'booked',
            source: 'platform',
            platformId: p.id,
            bookedAt: now,
            changedAt: null,
            ticketId: null,
          });
          result.added++;
          continue;
        }
        if (existing.status !== 'booked') continue;
        if (p.status === 'cancelled') {
          this.o.repo.setStatus(existing.id, ['booked'], 'cancelled', now);
          result.cancelled++;
          continue;
        }
        const next: Appointment = { ...existing, ...said };
        if (
          next.slotStart !== existing.slotStart ||
          next.serviceCode !== existing.serviceCode ||
          next.phone !== existing.phone ||
          JSON.stringify(next.applicant) !== JSON.stringify(existing.applicant)
        ) {
          this.o.repo.replace(next);
          result.updated++;
        }
      }
    });
    return result;
  }

  private serviceName(code: string): string {
    return this.o.config().services.find((s) => s.code === code)?.name ?? code;
  }

  private hhmm(ms: number): string {
    return isoInZone(ms, this.tz).slice(11, 16);
  }
}
