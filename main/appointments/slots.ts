/**
 * Slots and windows of the appointment register, as pure functions of the config, the day and
 * the hall's time zone: which slots a day offers, whether one is closed, which days may be booked,
 * and when a booked citizen may check in (docs/appointments.md).
 */
import { addDays, createHallCalendar, isIsoDate, isoWeekday } from '../../common/hall-calendar.js';
import { businessDayOf, nextMidnight, parseTimeOfDay, startOfDay } from '../../common/hall-time.js';
import type { AppointmentConfig } from '../../kiosk-config/appointment-schema.js';
import type { CalendarConfig } from '../../kiosk-config/calendar-schema.js';
import type { Closure } from './types.js';

export interface Slot {
  start: number;
  end: number;
}

const MINUTE = 60_000;

/** The slots of `day`: each opening period of that weekday cut into whole slots, in order. */
export function slotsOfDay(cfg: AppointmentConfig, day: string, timeZone: string): Slot[] {
  if (!isIsoDate(day)) return [];
  const weekday = isoWeekday(day);
  const midnight = startOfDay(day, timeZone);
  const out: Slot[] = [];
  for (const h of cfg.hours) {
    if (!h.days.includes(weekday)) continue;
    const close = parseTimeOfDay(h.close);
    for (let m = parseTimeOfDay(h.open); m + cfg.slotMinutes <= close; m += cfg.slotMinutes) {
      out.push({ start: midnight + m * MINUTE, end: midnight + (m + cfg.slotMinutes) * MINUTE });
    }
  }
  return out.sort((a, b) => a.start - b.start).filter((s, i, all) => i === 0 || s.start !== all[i - 1]!.start);
}

/** The days that may be booked on `today`: today and the next `daysAhead`. */
export function bookableDays(cfg: AppointmentConfig, today: string): string[] {
  return Array.from({ length: cfg.daysAhead + 1 }, (_, i) => addDays(today, i));
}

/**
 * Whether a slot of `serviceCode` is closed: by a closure of the admin (the whole day, or the
 * part of it between `from` and `to`, for this service or for all), or by a holiday of the hall
 * calendar (a day off is closed for booking even when the slot hours name its weekday).
 */
export function slotClosed(
  slot: Slot,
  serviceCode: string,
  day: string,
  closures: readonly Closure[],
  timeZone: string,
  calendar?: CalendarConfig,
): Closure | 'holiday' | null {
  if (calendar && createHallCalendar(calendar).isWorkingDay(day).kind === 'holiday') return 'holiday';
  const midnight = startOfDay(day, timeZone);
  for (const c of closures) {
    if (c.day !== day || (c.serviceCode !== null && c.serviceCode !== serviceCode)) continue;
    const from = c.from === null ? midnight : midnight + parseTimeOfDay(c.from) * MINUTE;
    const to = c.to === null ? Number.POSITIVE_INFINITY : midnight + parseTimeOfDay(c.to) * MINUTE;
    if (slot.start < to && slot.end > from) return c;
  }
  return null;
}

/**
 * The check-in window of a slot: from `beforeMinutes` before its start to `afterMinutes` after,
 * cut to the slot's own business day. A ticket belongs to the day it is issued on and expires at
 * the day's rollover, so a check-in at 23:50 for a 00:10 slot would give a ticket that the
 * midnight rollover cancels; and a check-in after midnight would put a day's appointment into the
 * next day's queue. Both are refused instead (too early, too late).
 */
export function checkInWindow(
  cfg: Pick<AppointmentConfig, 'checkIn'>,
  slotStart: number,
  day: string,
  timeZone: string,
): { opensAt: number; closesAt: number } {
  const dayStart = startOfDay(day, timeZone);
  const dayEnd = nextMidnight(dayStart, timeZone);
  return {
    opensAt: Math.max(slotStart - cfg.checkIn.beforeMinutes * MINUTE, dayStart),
    closesAt: Math.min(slotStart + cfg.checkIn.afterMinutes * MINUTE, dayEnd),
  };
}

/** The business day a slot start belongs to. */
export const dayOfSlot = (slotStart: number, timeZone: string): string => businessDayOf(slotStart, timeZone);
