/**
 * Statistics of one month from the ticket legs of its business days, with exactly the definitions
 * of `computeDayStatistics` (docs/queue-rules.md): the month's means and p90 are over every leg of
 * the month, not averages of daily figures.
 */
import type { DayStatistics, PeriodStats } from './engine-api.js';
import { computeDayStatistics } from './statistics.js';
import type { Ticket } from './types.js';

export interface MonthDayRow extends PeriodStats {
  day: string;
}

export interface MonthTicketStatistics {
  month: string;
  total: PeriodStats;
  days: MonthDayRow[];
  byService: DayStatistics['byService'];
  byWindow: DayStatistics['byWindow'];
  byStaff: DayStatistics['byStaff'];
}

/** "YYYY-MM" → its days "YYYY-MM-DD", in order. */
export function daysOfMonth(month: string): string[] {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const n = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return Array.from({ length: n }, (_, i) => `${month}-${String(i + 1).padStart(2, '0')}`);
}

/** `legsOfDay(day)` gives the legs of one business day (any status). Days without tickets are kept as zero rows. */
export function computeMonthStatistics(
  month: string,
  legsOfDay: (day: string) => Ticket[],
  timeZone: string,
): MonthTicketStatistics {
  const days: MonthDayRow[] = [];
  const all: Ticket[] = [];
  for (const day of daysOfMonth(month)) {
    const legs = legsOfDay(day);
    days.push({ day, ...computeDayStatistics(legs, day, timeZone).total });
    // Relabel so one pass over the month reuses the day definitions (means and p90 over all legs).
    for (const t of legs) if (t.businessDay === day) all.push({ ...t, businessDay: month });
  }
  const s = computeDayStatistics(all, month, timeZone);
  return { month, total: s.total, days, byService: s.byService, byWindow: s.byWindow, byStaff: s.byStaff };
}
