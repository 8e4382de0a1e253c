import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  type CalendarYears,
  createHallCalendar,
  type IsoDate,
  isIsoDate,
  isoWeekday,
  isWeekend,
} from './hall-calendar.js';

/** 国务院办公厅关于2026年部分节假日安排的通知 (2025-11-04). */
const NATIONAL_2026: CalendarYears = {
  '2026': {
    holidays: [
      ...range('2026-01-01', '2026-01-03'),
      ...range('2026-02-15', '2026-02-23'),
      ...range('2026-04-04', '2026-04-06'),
      ...range('2026-05-01', '2026-05-05'),
      ...range('2026-06-19', '2026-06-21'),
      ...range('2026-09-25', '2026-09-27'),
      ...range('2026-10-01', '2026-10-07'),
    ],
    makeUpWorkdays: ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10'],
  },
};

function range(from: IsoDate, to: IsoDate): IsoDate[] {
  const out: IsoDate[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) out.push(d);
  return out;
}

/** The rule stated plainly from the raw lists, independent of the module's lookup tables. */
function oracleWorking(years: CalendarYears, date: IsoDate): boolean {
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay(); // 0 = Sunday
  const weekend = weekday === 0 || weekday === 6;
  const year = years[date.slice(0, 4)];
  if (!year) return !weekend;
  if (year.holidays.includes(date)) return false;
  if (year.makeUpWorkdays.includes(date)) return true;
  return !weekend;
}

describe('dates', () => {
  it('accepts real YYYY-MM-DD dates only', () => {
    expect(isIsoDate('2026-02-28')).toBe(true);
    expect(isIsoDate('2028-02-29')).toBe(true);
    expect(isIsoDate('2026-02-29')).toBe(false);
    expect(isIsoDate('2100-02-29')).toBe(false);
    expect(isIsoDate('2000-02-29')).toBe(true);
    expect(isIsoDate('2026-04-31')).toBe(false);
    expect(isIsoDate('2026-13-01')).toBe(false);
    expect(isIsoDate('2026-1-1')).toBe(false);
    expect(isIsoDate('2026-01-00')).toBe(false);
    expect(isIsoDate(20260101)).toBe(false);
  });

  it('knows weekdays and adds days across month and year ends', () => {
    expect(isoWeekday('2026-01-04')).toBe(7);
    expect(isoWeekday('2026-10-10')).toBe(6);
    expect(isoWeekday('2026-01-01')).toBe(4);
    expect(isWeekend('2026-02-14')).toBe(true);
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2028-03-01', -1)).toBe('2028-02-29');
    expect(addDays('1969-12-31', 1)).toBe('1970-01-01');
  });

  it('refuses a malformed date as a programming error, never silently', () => {
    const cal = createHallCalendar(NATIONAL_2026);
    expect(() => cal.isWorkingDay('2026-02-30')).toThrow(RangeError);
    expect(() => cal.workingDayAfter('2026-01-05', -1)).toThrow(RangeError);
    expect(() => cal.workingDayAfter('2026-01-05', 1.5)).toThrow(RangeError);
  });
});

describe('the 2026 national calendar', () => {
  const cal = createHallCalendar(NATIONAL_2026);

  it('classifies holidays, make-up days, weekends and ordinary days', () => {
    expect(cal.isWorkingDay('2026-10-01')).toEqual({ working: false, kind: 'holiday', missingYears: [] });
    expect(cal.isWorkingDay('2026-10-10')).toEqual({ working: true, kind: 'make-up-workday', missingYears: [] });
    expect(cal.isWorkingDay('2026-10-11')).toEqual({ working: false, kind: 'weekend', missingYears: [] });
    expect(cal.isWorkingDay('2026-10-12')).toEqual({ working: true, kind: 'workday', missingYears: [] });
    expect(cal.hasYear(2026)).toBe(true);
    expect(cal.hasYear(2027)).toBe(false);
  });

  it('finds the N-th working day after a date over the holidays', () => {
    expect(cal.workingDayAfter('2026-09-30', 1)).toEqual({ date: '2026-10-08', missingYears: [] });
    expect(cal.workingDayAfter('2026-10-09', 1).date).toBe('2026-10-10');
    expect(cal.workingDayAfter('2026-02-13', 1).date).toBe('2026-02-14');
    expect(cal.workingDayAfter('2026-02-14', 1).date).toBe('2026-02-24');
    expect(cal.workingDayAfter('2026-12-31', 0)).toEqual({ date: '2026-12-31', missingYears: [] });
    // A bad rating on the eve of 春节, 15 working days (Sichuan): 2-14 (make-up), 2-24…2-28 (2-28 make-up),
    // 3-2…3-6, 3-9…3-12.
    expect(cal.workingDayAfter('2026-02-13', 15).date).toBe('2026-03-12');
    expect(cal.workingDaysBetween('2026-02-13', '2026-03-12').count).toBe(15);
  });

  it('counts working days between two dates, from excluded and to included', () => {
    expect(cal.workingDaysBetween('2026-09-30', '2026-10-08')).toEqual({ count: 1, missingYears: [] });
    expect(cal.workingDaysBetween('2026-10-08', '2026-09-30')).toEqual({ count: -1, missingYears: [] });
    expect(cal.workingDaysBetween('2026-05-06', '2026-05-06').count).toBe(0);
    // 2026 has 365 − 104 weekend days − 33 holidays + (weekend days among the holidays) + 6 make-up days.
    const weekendHolidays = NATIONAL_2026['2026']!.holidays.filter(isWeekend).length;
    expect(cal.workingDaysBetween('2025-12-31', '2026-12-31')).toEqual({
      count: 365 - 104 - 33 + weekendHolidays + 6,
      missingYears: [],
    });
  });

  it('counts weekends alone for a year it lacks and says which year was missing', () => {
    // 2026-12-31 is a Thursday: Friday 2027-01-01 would be 元旦, but 2027 is not in this calendar.
    expect(cal.workingDayAfter('2026-12-31', 1)).toEqual({ date: '2027-01-01', missingYears: [2027] });
    expect(cal.isWorkingDay('2025-12-31')).toEqual({ working: true, kind: 'workday', missingYears: [2025] });
    expect(cal.workingDaysBetween('2025-12-30', '2027-01-04').missingYears).toEqual([2025, 2027]);
    expect(createHallCalendar().workingDayAfter('2026-10-01', 1)).toEqual({
      date: '2026-10-02',
      missingYears: [2026],
    });
  });

  it('lets a day off win over a make-up day listed on the same date', () => {
    const both = createHallCalendar({ '2026': { holidays: ['2026-10-10'], makeUpWorkdays: ['2026-10-10'] } });
    expect(both.isWorkingDay('2026-10-10').working).toBe(false);
  });
});

// Generated calendars for 2024–2028; each year present or not, with random holidays and random
// make-up days chosen among that year's weekend days that are not holidays.
const FIRST = '2024-01-01';
const DAYS = 5 * 365 + 1;

const yearArb = (year: number) => {
  const days = range(`${year}-01-01`, `${year}-12-31`);
  const weekends = days.filter(isWeekend);
  return fc
    .record({
      holidays: fc.subarray(days, { maxLength: 40 }),
      makeUp: fc.subarray(weekends, { maxLength: 8 }),
    })
    .map(({ holidays, makeUp }) => ({
      holidays,
      makeUpWorkdays: makeUp.filter((d) => !holidays.includes(d)),
    }));
};

const calendarArb = fc
  .record({
    '2024': fc.option(yearArb(2024), { nil: undefined }),
    '2025': fc.option(yearArb(2025), { nil: undefined }),
    '2026': fc.option(yearArb(2026), { nil: undefined }),
    '2027': fc.option(yearArb(2027), { nil: undefined }),
    '2028': fc.option(yearArb(2028), { nil: undefined }),
  })
  .map((r) => {
    const years: Record<string, { holidays: IsoDate[]; makeUpWorkdays: IsoDate[] }> = {};
    for (const [k, v] of Object.entries(r)) if (v) years[k] = v;
    return years as CalendarYears;
  });

const dateArb = fc.integer({ min: 0, max: DAYS - 1 }).map((i) => addDays(FIRST, i));
const nArb = fc.integer({ min: 0, max: 60 });

describe('working-day properties', () => {
  it('never lands on a holiday or a weekend unless it is a make-up day', () => {
    fc.assert(
      fc.property(calendarArb, dateArb, fc.integer({ min: 1, max: 60 }), (years, date, n) => {
        const { date: due } = createHallCalendar(years).workingDayAfter(date, n);
        const year = years[due.slice(0, 4)];
        if (year?.holidays.includes(due)) return false;
        if (isWeekend(due) && !year?.makeUpWorkdays.includes(due)) return false;
        return due > date && oracleWorking(years, due);
      }),
    );
  });

  it('agrees with the plain rule day by day', () => {
    fc.assert(
      fc.property(calendarArb, dateArb, (years, date) => {
        const answer = createHallCalendar(years).isWorkingDay(date);
        const missing = years[date.slice(0, 4)] ? [] : [Number(date.slice(0, 4))];
        expect(answer.working).toBe(oracleWorking(years, date));
        expect(answer.missingYears).toEqual(missing);
      }),
    );
  });

  it('is strictly monotone in N', () => {
    fc.assert(
      fc.property(calendarArb, dateArb, nArb, (years, date, n) => {
        const cal = createHallCalendar(years);
        return cal.workingDayAfter(date, n).date < cal.workingDayAfter(date, n + 1).date;
      }),
    );
  });

  it('keeps after and between consistent with each other', () => {
    fc.assert(
      fc.property(calendarArb, dateArb, nArb, dateArb, (years, date, n, other) => {
        const cal = createHallCalendar(years);
        const due = cal.workingDayAfter(date, n);
        expect(cal.workingDaysBetween(date, due.date).count).toBe(n);
        // Back from `other`: the count lands on the last working day up to `other` (or on `date`).
        const between = cal.workingDaysBetween(date, other);
        expect(cal.workingDaysBetween(other, date).count + between.count).toBe(0);
        if (between.count >= 0) {
          const back = cal.workingDayAfter(date, between.count).date;
          expect(back <= other || back === date).toBe(true);
          expect(cal.workingDaysBetween(back, other).count).toBe(0);
        }
      }),
    );
  });

  it('crosses a year end with and without the next year’s calendar', () => {
    fc.assert(
      fc.property(
        calendarArb,
        fc.integer({ min: 2024, max: 2027 }),
        fc.integer({ min: 0, max: 20 }),
        fc.integer({ min: 1, max: 30 }),
        (years, year, back, n) => {
          const date = addDays(`${year}-12-31`, -back);
          const cal = createHallCalendar(years);
          const due = cal.workingDayAfter(date, n);
          // Counted with the oracle, day by day, and the years it had to look up.
          let d = date;
          const looked = new Set<number>();
          for (let left = n; left > 0; ) {
            d = addDays(d, 1);
            looked.add(Number(d.slice(0, 4)));
            if (oracleWorking(years, d)) left--;
          }
          expect(due.date).toBe(d);
          expect(due.missingYears).toEqual([...looked].filter((y) => !years[String(y)]).sort());
          const next = String(year + 1);
          if (due.date.startsWith(next)) expect(due.missingYears.includes(year + 1)).toBe(!years[next]);
        },
      ),
    );
  });
});
