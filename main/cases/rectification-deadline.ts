/**
 * Deadlines of 差评整改 and 承诺件 in working days of the hall calendar, and which alarms are due.
 * Pure: the instant, the time zone and the calendar are passed in.
 *
 * A deadline of N working days ends at the end of the N-th working day after the day the item was
 * opened (that day itself does not count). A year the calendar lacks never blocks anything: its
 * weekends alone count and the answer names it, so the caller raises `calendar_missing`.
 */
import { addDays, type HallCalendar, type IsoDate } from '../../common/hall-calendar.js';
import { businessDayOf, startOfDay } from '../../common/hall-time.js';

export interface Deadline {
  /** The last working day, local `YYYY-MM-DD`. */
  dueDate: IsoDate;
  /** The instant the deadline passes: the end of `dueDate` in the hall's time zone (last millisecond). */
  dueAt: number;
  /** Years the count needed but the calendar lacks (weekends alone counted), ascending. */
  missingYears: number[];
}

export function deadlineOf(openedAt: number, workingDays: number, calendar: HallCalendar, timeZone: string): Deadline {
  const opened = businessDayOf(openedAt, timeZone);
  const due = calendar.workingDayAfter(opened, workingDays);
  return { dueDate: due.date, dueAt: startOfDay(addDays(due.date, 1), timeZone) - 1, missingYears: due.missingYears };
}

/** Working days left after today until the due date (0 on the due date itself, negative once past). */
export function workingDaysLeft(now: number, dueDate: IsoDate, calendar: HallCalendar, timeZone: string): number {
  return calendar.workingDaysBetween(businessDayOf(now, timeZone), dueDate).count;
}

export type DeadlineAlarmKind = 'due_soon' | 'overdue';

/**
 * The alarm an unfinished item is owed now, keyed so each is raised once: `overdue` once the
 * deadline has passed; `due_soon:P` when at most P working days are left, for the smallest
 * reminder point P reached (points passed over in one go are not raised one by one).
 * `raised` holds the keys already raised for the item.
 */
export function dueAlarm(
  now: number,
  deadline: { dueAt: number; dueDate: IsoDate },
  remindBefore: readonly number[],
  raised: ReadonlySet<string>,
  calendar: HallCalendar,
  timeZone: string,
): { kind: DeadlineAlarmKind; key: string; left: number } | null {
  if (now > deadline.dueAt) return raised.has('overdue') ? null : { kind: 'overdue', key: 'overdue', left: -1 };
  const left = workingDaysLeft(now, deadline.dueDate, calendar, timeZone);
  const reached = [...remindBefore].filter((p) => left <= p).sort((a, b) => a - b)[0];
  if (reached === undefined) return null;
  const key = `due_soon:${reached}`;
  // A nearer point raised earlier (e.g. a config change) covers the farther ones.
  const nearer = [...raised].some((k) => k.startsWith('due_soon:') && Number(k.slice(9)) <= reached);
  return raised.has(key) || nearer ? null : { kind: 'due_soon', key, left };
}
