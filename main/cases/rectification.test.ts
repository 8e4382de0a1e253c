import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  type CalendarYears,
  createHallCalendar,
  type IsoDate,
  isoWeekday,
} from '../../common/hall-calendar.js';
import { businessDayOf, startOfDay } from '../../common/hall-time.js';
import {
  checkTransition,
  NEXT_STEPS,
  platformRevisit,
  RECTIFICATION_STATUSES,
  RectificationError,
  type RectificationStatus,
} from './rectification.js';
import { deadlineOf, dueAlarm } from './rectification-deadline.js';
import { figureTable } from './rectification-figures.js';

const TZ = 'Asia/Shanghai';

function range(from: IsoDate, to: IsoDate): IsoDate[] {
  const out: IsoDate[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) out.push(d);
  return out;
}

/** 国务院办公厅关于2026年部分节假日安排的通知, and 2027 as a made-up year for the year-end cases. */
const Y2026: CalendarYears = {
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
const Y2027: CalendarYears = {
  '2027': {
    holidays: [...range('2027-01-01', '2027-01-03'), ...range('2027-02-06', '2027-02-12')],
    makeUpWorkdays: ['2027-02-13'],
  },
};
const WITH_NEXT = createHallCalendar({ ...Y2026, ...Y2027 });
const WITHOUT_NEXT = createHallCalendar(Y2026);
const holidays = new Set([...Y2026['2026']!.holidays, ...Y2027['2027']!.holidays]);
const makeUp = new Set([...Y2026['2026']!.makeUpWorkdays, ...Y2027['2027']!.makeUpWorkdays]);

/** An instant in 2026 or 2027 (local 2026-01-01 … 2027-12-31), at any time of day. */
const instant = fc.integer({ min: startOfDay('2026-01-01', TZ), max: startOfDay('2027-12-31', TZ) });

describe('差评整改 steps', () => {
  const legal: [RectificationStatus, RectificationStatus][] = [
    ['open', 'verifying'],
    ['verifying', 'rectifying'],
    ['verifying', 'invalid'],
    ['rectifying', 'revisit'],
    ['revisit', 'closed'],
  ];

  it('allows exactly the five steps of the contract', () => {
    const all = RECTIFICATION_STATUSES.flatMap((f) => RECTIFICATION_STATUSES.map((t) => [f, t] as const));
    for (const [from, to] of all) {
      const isLegal = legal.some(([a, b]) => a === from && b === to);
      expect(NEXT_STEPS[from].includes(to)).toBe(isLegal);
      const req = {
        to,
        note: '已核实',
        ...(to === 'closed' ? { revisit: { contacted: true, level: 'satisfied' as const } } : {}),
      };
      if (isLegal) expect(checkTransition(from, req)).toMatchObject({ from, to, note: '已核实' });
      else {
        try {
          checkTransition(from, req);
          expect.unreachable(`${from} → ${to} 应被拒绝`);
        } catch (e) {
          expect(e).toBeInstanceOf(RectificationError);
          expect((e as RectificationError).code).toBe('ILLEGAL_TRANSITION');
        }
      }
    }
  });

  it('refuses an unknown state and anything after closed or invalid', () => {
    expect(() => checkTransition('open', { to: 'done', note: 'x' })).toThrow(/不能转到「done」/);
    expect(() => checkTransition('closed', { to: 'open', note: 'x' })).toThrow(/不能再变更/);
    expect(() => checkTransition('invalid', { to: 'verifying', note: 'x' })).toThrow(/不能再变更/);
  });

  it('needs a note, above all the reason of an invalid rating', () => {
    const err = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return (e as RectificationError).code;
      }
      return null;
    };
    expect(err(() => checkTransition('verifying', { to: 'invalid', note: '  ' }))).toBe('NOTE_REQUIRED');
    expect(err(() => checkTransition('open', { to: 'verifying', note: '' }))).toBe('NOTE_REQUIRED');
    expect(err(() => checkTransition('open', { to: 'verifying', note: 'x'.repeat(501) }))).toBe('NOTE_REQUIRED');
    expect(checkTransition('verifying', { to: 'invalid', note: ' 同一人恶意连评 ' }).note).toBe('同一人恶意连评');
  });

  it('records the call-back only when closing, with a level when the citizen was reached', () => {
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return (e as RectificationError).code;
      }
      return null;
    };
    expect(code(() => checkTransition('revisit', { to: 'closed', note: '已回访' }))).toBe('REVISIT_REQUIRED');
    expect(code(() => checkTransition('revisit', { to: 'closed', note: '已回访', revisit: { contacted: true } }))).toBe(
      'REVISIT_LEVEL_REQUIRED',
    );
    expect(code(() => checkTransition('rectifying', { to: 'revisit', note: 'x', revisit: { contacted: false } }))).toBe(
      'REVISIT_NOT_ALLOWED',
    );
    const notReached = checkTransition('revisit', {
      to: 'closed',
      note: '三次未接通',
      revisit: { contacted: false, level: 'satisfied' },
    });
    expect(notReached.revisit).toEqual({ contacted: false });
    expect(platformRevisit({ contacted: true, level: 'very_satisfied' })).toEqual({ contacted: true, satisfaction: 5 });
    expect(platformRevisit({ contacted: true, level: 'very_dissatisfied' })).toEqual({
      contacted: true,
      satisfaction: 1,
    });
    expect(platformRevisit({ contacted: false })).toEqual({ contacted: false });
  });
});

describe('差评整改 deadlines over the hall calendar', () => {
  const isDayOff = (d: IsoDate) => holidays.has(d) || (isoWeekday(d) >= 6 && !makeUp.has(d));

  it('never ends on a holiday or a weekend unless it is a make-up working day', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 1, max: 40 }), (at, n) => {
        const d = deadlineOf(at, n, WITH_NEXT, TZ);
        expect(isDayOff(d.dueDate)).toBe(false);
        expect(d.missingYears).toEqual(d.dueDate >= '2028' ? [2028] : []);
        // The end of the due date, and after the opening.
        expect(businessDayOf(d.dueAt, TZ)).toBe(d.dueDate);
        expect(businessDayOf(d.dueAt + 1, TZ)).toBe(addDays(d.dueDate, 1));
        expect(d.dueAt).toBeGreaterThan(at);
        // Exactly n working days after the opening day.
        expect(WITH_NEXT.workingDaysBetween(businessDayOf(at, TZ), d.dueDate).count).toBe(n);
      }),
      { numRuns: 300 },
    );
  });

  it('is monotone: a later opening or a longer count never gives an earlier deadline', () => {
    fc.assert(
      fc.property(instant, instant, fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 30 }), (a, b, m, n) => {
        const [early, late] = a <= b ? [a, b] : [b, a];
        const [few, many] = m <= n ? [m, n] : [n, m];
        expect(deadlineOf(early, few, WITH_NEXT, TZ).dueAt).toBeLessThanOrEqual(
          deadlineOf(late, few, WITH_NEXT, TZ).dueAt,
        );
        expect(deadlineOf(early, few, WITH_NEXT, TZ).dueAt).toBeLessThanOrEqual(
          deadlineOf(early, many, WITH_NEXT, TZ).dueAt,
        );
        expect(deadlineOf(a, m, WITHOUT_NEXT, TZ).dueAt).toBeLessThanOrEqual(
          deadlineOf(a, m + 1, WITHOUT_NEXT, TZ).dueAt,
        );
      }),
      { numRuns: 300 },
    );
  });

  it('crosses the year end with next year’s calendar, and without it counts weekends and names the year', () => {
    const decemberLate = fc.integer({
      min: startOfDay('2026-12-20', TZ),
      max: startOfDay('2026-12-31', TZ) + 86_399_999,
    });
    fc.assert(
      fc.property(decemberLate, fc.integer({ min: 10, max: 25 }), (at, n) => {
        const known = deadlineOf(at, n, WITH_NEXT, TZ);
        const unknown = deadlineOf(at, n, WITHOUT_NEXT, TZ);
        expect(known.dueDate > '2027-01-01').toBe(true);
        expect(known.missingYears).toEqual([]);
        expect(isDayOff(known.dueDate)).toBe(false);
        // Without 2027: only weekends are days off there, and 2027 is named.
        expect(unknown.missingYears).toEqual([2027]);
        expect(isoWeekday(unknown.dueDate)).toBeLessThan(6);
        // 2027's new-year holiday is not known, so the deadline can only come earlier or the same.
        expect(unknown.dueAt).toBeLessThanOrEqual(known.dueAt);
      }),
      { numRuns: 200 },
    );
  });

  it('counts 15 working days over the National Day holiday and its make-up day', () => {
    // Opened Wed 2026-09-23: 24, (25–27 off), 28, 29, 30, (10-01…07 off), 08, 09, 10 (Sat, make-up), 12–16, 19–21
    const d = deadlineOf(startOfDay('2026-09-23', TZ) + 10 * 3600_000, 15, WITH_NEXT, TZ);
    expect(d.dueDate).toBe('2026-10-21');
    expect(d.missingYears).toEqual([]);
  });

  it('raises due_soon once per reminder point, then overdue once', () => {
    const opened = startOfDay('2026-11-02', TZ) + 9 * 3600_000; // Monday
    const d = deadlineOf(opened, 15, WITH_NEXT, TZ);
    expect(d.dueDate).toBe('2026-11-23');
    const raised = new Set<string>();
    const at = (day: IsoDate) => startOfDay(day, TZ) + 10 * 3600_000;
    const seen: string[] = [];
    for (let day = '2026-11-02'; day <= '2026-11-25'; day = addDays(day, 1)) {
      const a = dueAlarm(at(day), d, [3, 1], raised, WITH_NEXT, TZ);
      if (a) {
        raised.add(a.key);
        seen.push(`${day} ${a.key}`);
      }
    }
    expect(seen).toEqual(['2026-11-18 due_soon:3', '2026-11-20 due_soon:1', '2026-11-24 overdue']);
    // The last millisecond of the due date is still on time.
    expect(dueAlarm(d.dueAt, d, [], new Set(), WITH_NEXT, TZ)).toBeNull();
    expect(dueAlarm(d.dueAt + 1, d, [], new Set(), WITH_NEXT, TZ)?.kind).toBe('overdue');
  });
});

describe('差评整改 figures', () => {
  const base = { dueAt: 1000, windowNo: 1, staffNo: '8001', serviceCode: 'SBYB' } as const;
  it('counts rectified, on-time and satisfied call-backs, leaving invalid ratings out', () => {
    const t = figureTable([
      { ...base, status: 'closed', finishedAt: 900, revisit: { contacted: true, level: 'satisfied' } },
      { ...base, status: 'closed', finishedAt: 1100, revisit: { contacted: true, level: 'dissatisfied' } },
      { ...base, status: 'closed', finishedAt: 800, revisit: { contacted: false } },
      { ...base, status: 'invalid', finishedAt: 500, revisit: null },
      { ...base, windowNo: 2, staffNo: '8002', status: 'rectifying', finishedAt: null, revisit: null },
    ]);
    expect(t.total).toEqual({
      opened: 5,
      invalid: 1,
      closed: 3,
      closedOnTime: 2,
      reached: 2,
      satisfied: 1,
      rectifiedRate: 0.75,
      onTimeRate: 0.5,
      revisitSatisfiedRate: 0.5,
    });
    expect(t.byWindow.map((r) => [r.key, r.rectifiedRate])).toEqual([
      ['1', 1],
      ['2', 0],
    ]);
    expect(t.byStaff.map((r) => r.key)).toEqual(['8001', '8002']);
    expect(t.byService).toHaveLength(1);
  });

  it('says nothing (null) where there is nothing to divide', () => {
    expect(figureTable([]).total).toMatchObject({ rectifiedRate: null, onTimeRate: null, revisitSatisfiedRate: null });
    const onlyInvalid = figureTable([{ ...base, status: 'invalid', finishedAt: 1, revisit: null }]);
    expect(onlyInvalid.total.rectifiedRate).toBeNull();
  });
});
