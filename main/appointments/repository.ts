/**
 * What the register needs from storage (SQLite in main/store/appointment-repository.ts). ID
 * numbers go in as typed; the store seals them and looks them up by keyed hash, as for tickets.
 */
import type { Appointment, AppointmentStatus, Closure } from './types.js';

export interface AppointmentRepository {
  /** One write transaction that takes the write lock at once, so two bookings never both count. */
  transaction<T>(fn: () => T): T;
  insert(a: Appointment): void;
  /** Replaces the booking's slot, applicant, phone and status (a platform appointment that changed). */
  replace(a: Appointment): void;
  get(id: string): Appointment | null;
  byCode(code: string): Appointment | null;
  byPlatformId(platformId: string): Appointment | null;
  /** The person's appointments of one day (all services, all states). */
  ofPersonOnDay(day: string, certNo: string): Appointment[];
  /** Bookings holding a place in the slot (booked, checked in or no-show). */
  countInSlot(serviceCode: string, slotStart: number): number;
  /** slotStart → bookings holding a place, for one service and day. */
  countsOfDay(serviceCode: string, day: string): Map<number, number>;
  /** Moves the booking to `to` when its status is one of `from`; false when it was not. */
  setStatus(
    id: string,
    from: readonly AppointmentStatus[],
    to: AppointmentStatus,
    at: number,
    ticketId?: string,
  ): boolean;
  ofDay(day: string): Appointment[];
  /** Booked appointments whose check-in window closed at or before `now`. */
  overdue(now: number): Appointment[];
  /** The earliest check-in window of a booked appointment that closes after `now`, or null. */
  nextCloseAfter(now: number): number | null;
  closures(day: string): Closure[];
  closuresFrom(day: string): Closure[];
  addClosure(c: Closure): void;
}
