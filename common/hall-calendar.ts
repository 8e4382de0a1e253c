/**
 * The hall's working-day calendar: weekends, the public holidays and the make-up working days
 * (调休) the State Council announces each year, as dated lists per year from the hall config.
 *
 * Dates are `YYYY-MM-DD` strings of the hall's local calendar; there are no time zones in here, so
 * callers turn an instant into the hall's local date first (main/time/hall-time.ts). A year the
 * config does not list never makes a question fail: weekends alone count for it and every answer
 * names the missing years, so the caller can raise a `calendar_missing` alarm (hub-api.md, 差评整改).
 *
 * Pure and browser-safe: no Node APIs, no imports.
 */

/** A local calendar date, `YYYY-MM-DD`. */
export type IsoDate = string;

/** One year of the national (or local) holiday arrangement. */
export interface CalendarYear {
  /** Days off, weekends inside a holiday included. */
  holidays: readonly IsoDate[];
  /** Weekend days that are working days (调休上班). */
  makeUpWorkdays: readonly IsoDate[];
}

/** Years keyed by their four digits, e.g. `{ "2026": { holidays: [...], makeUpWorkdays: [...] } }`. */
export type CalendarYears = Readonly<Record<string, CalendarYear>>;

export type DayKind = 'workday' | 'weekend' | 'holiday' | 'make-up-workday';

export interface DayAnswer {
  working: boolean;
  kind: DayKind;
  /** Years the answer needed but the calendar lacks (weekends alone counted for them), ascending. */
  missingYears: number[];
}

export interface DateAnswer {
  date: IsoDate;
  missingYears: number[];
}

export interface CountAnswer {
  count: number;
  missingYears: number[];
}

export interface HallCalendar {
  /** Whether the calendar lists this year (a listed year may have no holidays at all). */
  hasYear(year: number): boolean;
  isWorkingDay(date: IsoDate): DayAnswer;
  /**
   * The n-th working day after `date` (`date` itself not counted; n = 0 answers `date`). This is
   * how a deadline of "N working days" is found: its end is the end of the answered day.
   */
  workingDayAfter(date: IsoDate, n: number): DateAnswer;
  /**
   * Working days in (from, to]: `from` not counted, `to` counted — so that
   * `workingDaysBetween(d, workingDayAfter(d, n).date).count === n`. Negative when `to` is before `from`.
   */
  workingDaysBetween(from: IsoDate, to: IsoDate): CountAnswer;
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

/** Whether `s` is a `YYYY-MM-DD` date that exists (no 2026-02-30). */
export function isIsoDate(s: unknown): s is IsoDate {
  if (typeof s !== 'string') return false;
  const m = DATE_RE.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12 || d < 1) return false;
  return d <= daysInMonth(y, mo);
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Days since 1970-01-01; Date.UTC is plain arithmetic here, no time zone is involved. */
function toDayNumber(date: IsoDate): number {
  if (!isIsoDate(date)) throw new RangeError(`日期应为 YYYY-MM-DD 格式的有效日期，收到「${String(date)}」`);
  return Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / DAY_MS;
}

function fromDayNumber(day: number): IsoDate {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** ISO weekday of a day number: 1 = Monday … 7 = Sunday (1970-01-01 was a Thursday). */
function weekdayOfDay(day: number): number {
  return ((((day + 3) % 7) + 7) % 7) + 1;
}

/** ISO weekday of a date: 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: IsoDate): number {
  return weekdayOfDay(toDayNumber(date));
}

/** The date `days` days after `date` (negative goes back). */
export function addDays(date: IsoDate, days: number): IsoDate {
  return fromDayNumber(toDayNumber(date) + days);
}

export function isWeekend(date: IsoDate): boolean {
  return isoWeekday(date) >= 6;
}

export function createHallCalendar(years: CalendarYears = {}): HallCalendar {
  const present = new Set<number>();
  const holidays = new Set<number>();
  const makeUp = new Set<number>();
  for (const [key, year] of Object.entries(years)) {
    present.add(Number(key));
    for (const d of year.holidays) if (isIsoDate(d)) holidays.add(toDayNumber(d));
    for (const d of year.makeUpWorkdays) if (isIsoDate(d)) makeUp.add(toDayNumber(d));
  }

  const yearOfDay = (day: number) => Number(fromDayNumber(day).slice(0, 4));

  /** Classifies one day and records its year when the calendar lacks it. */
  const classify = (day: number, missing: Set<number>): DayKind => {
    const year = yearOfDay(day);
    const weekend = weekdayOfDay(day) >= 6;
    if (!present.has(year)) {
      missing.add(year);
      return weekend ? 'weekend' : 'workday';
    }
    // A date listed both ways is refused by `govhall config check`; should one slip through, the day
    // off wins, so a deadline is never shortened by a contradictory calendar.
    if (holidays.has(day)) return 'holiday';
    if (makeUp.has(day)) return 'make-up-workday';
    return weekend ? 'weekend' : 'workday';
  };
  const isWorking = (kind: DayKind) => kind === 'workday' || kind === 'make-up-workday';
  const sorted = (s: Set<number>) => [...s].sort((a, b) => a - b);

  return {
    hasYear: (year) => present.has(year),

    isWorkingDay(date) {
      const missing = new Set<number>();
      const kind = classify(toDayNumber(date), missing);
      return { working: isWorking(kind), kind, missingYears: sorted(missing) };
    },

    workingDayAfter(date, n) {
      if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`工作日数应为非负整数，收到 ${n}`);
      const missing = new Set<number>();
      let day = toDayNumber(date);
      for (let left = n; left > 0; ) {
        day++;
        if (isWorking(classify(day, missing))) left--;
      }
      return { date: fromDayNumber(day), missingYears: sorted(missing) };
    },

    workingDaysBetween(from, to) {
      const a = toDayNumber(from);
      const b = toDayNumber(to);
      const missing = new Set<number>();
      let count = 0;
      for (let day = Math.min(a, b) + 1; day <= Math.max(a, b); day++) {
        if (isWorking(classify(day, missing))) count++;
      }
      return { count: b >= a || count === 0 ? count : -count, missingYears: sorted(missing) };
    },
  };
}
