/**
 * The appointment register's words (hub-api.md "Appointments"): an appointment, its states, a
 * closure of slots, and the typed error each refused rule raises.
 */
import type { AppointmentStatus } from '../../common/appointment-terms.js';
import type { CertType } from '../../common/cert-number.js';

export type { AppointmentStatus } from '../../common/appointment-terms.js';

/** Who made the booking: a device of the hall, a citizen's phone, or the provincial platform. */
export const BOOKING_SOURCES = ['kiosk', 'counter', 'admin', 'public', 'platform'] as const;
export type BookingSource = (typeof BOOKING_SOURCES)[number];

export interface AppointmentApplicant {
  name: string;
  certType: CertType;
  certNo: string;
}

export interface Appointment {
  id: string;
  /** 8 characters of an unambiguous alphabet, what the citizen types at the kiosk. */
  code: string;
  serviceCode: string;
  /** The hall's business day of the slot, YYYY-MM-DD. */
  day: string;
  slotStart: number;
  slotEnd: number;
  /** Check-in window, fixed when booked: [opensAt, closesAt). */
  opensAt: number;
  closesAt: number;
  applicant: AppointmentApplicant;
  phone: string | null;
  status: AppointmentStatus;
  source: BookingSource;
  /** The platform's id of an appointment booked there (the merge key); null for the hall's own. */
  platformId: string | null;
  bookedAt: number;
  /** When the status last changed (checked in, cancelled, marked no-show). */
  changedAt: number | null;
  ticketId: string | null;
}

/** Slots closed by the admin (a holiday, a training afternoon); `from`/`to` HH:MM, absent = whole day. */
export interface Closure {
  id: string;
  serviceCode: string | null;
  day: string;
  from: string | null;
  to: string | null;
  reason: string;
  createdAt: number;
}

export interface SlotView {
  start: number;
  end: number;
  capacity: number;
  booked: number;
  /** Closed by the admin or the hall calendar (not offered, whatever the count). */
  closed: boolean;
  /** Its check-in window has closed: too late to book. */
  passed: boolean;
}

export type AppointmentErrorCode =
  | 'UNKNOWN_SERVICE'
  | 'NOT_BOOKABLE'
  | 'INVALID_DAY'
  | 'NO_SUCH_SLOT'
  | 'SLOT_CLOSED'
  | 'SLOT_PASSED'
  | 'SLOT_FULL'
  | 'ALREADY_BOOKED'
  | 'INVALID_CERT_NO'
  | 'UNKNOWN_APPOINTMENT'
  | 'TOO_EARLY'
  | 'TOO_LATE'
  | 'ALREADY_CHECKED_IN'
  | 'NOT_CANCELLABLE';

export class AppointmentError extends Error {
  constructor(
    readonly code: AppointmentErrorCode,
    message: string,
    /** Extra fields of the answer, e.g. `opensAt` of TOO_EARLY (ms; the hub writes it as ISO). */
    readonly extra: { opensAt?: number; field?: string } = {},
  ) {
    super(message);
    this.name = 'AppointmentError';
  }
}

/** Status of each error at the HTTP edge (hub-api.md). */
export const APPOINTMENT_ERROR_STATUS: Record<AppointmentErrorCode, 400 | 404 | 409> = {
  UNKNOWN_SERVICE: 400,
  NOT_BOOKABLE: 409,
  INVALID_DAY: 400,
  NO_SUCH_SLOT: 400,
  SLOT_CLOSED: 409,
  SLOT_PASSED: 409,
  SLOT_FULL: 409,
  ALREADY_BOOKED: 409,
  INVALID_CERT_NO: 400,
  UNKNOWN_APPOINTMENT: 404,
  TOO_EARLY: 409,
  TOO_LATE: 409,
  ALREADY_CHECKED_IN: 409,
  NOT_CANCELLABLE: 409,
};
