/**
 * The platform's appointment register as the simulator keeps it (platform-api.md v1.1
 * `GET /api/v1/appointments`): bookings per hall, listed per China calendar day with an ETag of
 * the list's content, so a hall that asks again with `If-None-Match` gets 304 until it changes.
 * Tests (and testers, through `POST /sim/appointments`) add and cancel bookings.
 */
import { createHash } from 'node:crypto';
import { dayChina, isIsoWithOffset, isoChina } from './china-time.js';

export interface SimAppointment {
  id: string;
  code: string;
  serviceCode: string;
  slotStart: string;
  slotEnd: string;
  applicant: { name: string; certType: string; certNo: string };
  phone?: string;
  status: 'booked' | 'cancelled';
}

/** What a test or tester adds; times may be ISO strings or ms, id and code are made up when absent. */
export interface NewSimAppointment {
  hallCode: string;
  id?: string;
  code?: string;
  serviceCode: string;
  slotStart: string | number;
  slotEnd: string | number;
  applicant: { name: string; certType: string; certNo: string };
  phone?: string;
}

export class SimAppointments {
  private readonly byHall = new Map<string, Map<string, SimAppointment>>();
  private serial = 0;

  add(a: NewSimAppointment): SimAppointment {
    const iso = (t: string | number, what: string) => {
      if (typeof t === 'number') return isoChina(t);
      if (!isIsoWithOffset(t)) throw new Error(`${what} 应为带时区偏移的 ISO 8601 时间`);
      return t;
    };
    this.serial++;
    const appt: SimAppointment = {
      id: a.id ?? `PA${String(this.serial).padStart(6, '0')}`,
      code: a.code ?? `P${String(this.serial).padStart(7, '0')}`,
      serviceCode: a.serviceCode,
      slotStart: iso(a.slotStart, 'slotStart'),
      slotEnd: iso(a.slotEnd, 'slotEnd'),
      applicant: { ...a.applicant },
      ...(a.phone ? { phone: a.phone } : {}),
      status: 'booked',
    };
    const hall = this.byHall.get(a.hallCode) ?? new Map<string, SimAppointment>();
    this.byHall.set(a.hallCode, hall);
    hall.set(appt.id, appt);
    return structuredClone(appt);
  }

  cancel(hallCode: string, id: string): boolean {
    const a = this.byHall.get(hallCode)?.get(id);
    if (!a) return false;
    a.status = 'cancelled';
    return true;
  }

  has(hallCode: string, id: string): boolean {
    return this.byHall.get(hallCode)?.has(id) ?? false;
  }

  all(): (SimAppointment & { hallCode: string })[] {
    return [...this.byHall].flatMap(([hallCode, m]) =>
      [...m.values()].map((a) => ({ hallCode, ...structuredClone(a) })),
    );
  }

  /** The day's list and its ETag (a hash of the list, so any change gives a new one). */
  list(hallCode: string, day: string): { body: { appointments: SimAppointment[] }; etag: string } {
    const appointments = [...(this.byHall.get(hallCode)?.values() ?? [])]
      .filter((a) => dayChina(Date.parse(a.slotStart)) === day)
      .sort((x, y) => Date.parse(x.slotStart) - Date.parse(y.slotStart) || x.id.localeCompare(y.id));
    const body = { appointments: structuredClone(appointments) };
    const etag = `"${createHash('sha256').update(JSON.stringify(body)).digest('hex').slice(0, 24)}"`;
    return { body, etag };
  }
}
