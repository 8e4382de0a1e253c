/**
 * The `calendar` section of a hall config: per year, the days off and the make-up working days
 * (调休上班) of the State Council's 部分节假日安排 (plus any local ones). Working-day deadlines
 * (差评整改) count with it through common/hall-calendar.ts; a year not listed counts weekends only.
 */
import { z } from 'zod';
import { type CalendarYear, isIsoDate, isoWeekday } from '../common/hall-calendar.js';

export interface CalendarYearConfig extends CalendarYear {
  holidays: string[];
  makeUpWorkdays: string[];
  /** Where the dates come from, e.g. the notice's title and date; only for the reader. */
  source?: string;
}

/** Years keyed by their four digits ("2026"). */
export type CalendarConfig = Record<string, CalendarYearConfig>;

const date = z.string({ error: '日期应写成 YYYY-MM-DD，例如 2026-10-01' }).superRefine((d, ctx) => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(d))
    ctx.addIssue({ code: 'custom', message: '日期应写成 YYYY-MM-DD（月、日各两位），例如 2026-10-01' });
  else if (!isIsoDate(d)) ctx.addIssue({ code: 'custom', message: `${d} 这一天不存在，请核对月份和日期` });
});

/** A list of dates; `holidays:` with nothing under it is an empty list, as a technician means it. */
const dates = (key: string) =>
  z
    .array(date, { error: `${key} 应为日期列表` })
    .nullish()
    .transform((v) => v ?? []);

const year = z
  .object(
    {
      source: z.string({ error: 'source 应为文字（节假日安排的来源）' }).optional(),
      holidays: dates('holidays'),
      makeUpWorkdays: dates('makeUpWorkdays'),
    },
    { error: '每一年应写 holidays（放假日）和 makeUpWorkdays（调休上班日）两个日期列表' },
  )
  .strict();

export const calendarSchema = z.record(z.string().regex(/^\d{4}$/), year, {
  error: (issue) =>
    issue.code === 'invalid_key'
      ? '年份应为四位数字，例如 2026'
      : 'calendar 应按年份列出，例如 2026: { holidays: [...], makeUpWorkdays: [...] }',
});

const WEEKDAYS = ['', '周一', '周二', '周三', '周四', '周五', '周六', '周日'];

/** Checks across the dates of a year that the schema alone cannot express. */
export function calendarSemanticChecks(
  calendar: CalendarConfig | undefined,
  report: (path: (string | number)[], message: string) => void,
): void {
  for (const [y, entry] of Object.entries(calendar ?? {})) {
    const lists = [
      ['holidays', '放假日', entry.holidays],
      ['makeUpWorkdays', '调休上班日', entry.makeUpWorkdays],
    ] as const;
    for (const [key, what, dates] of lists) {
      const seen = new Map<string, number>();
      dates.forEach((d, i) => {
        const at = ['calendar', y, key, i];
        if (!d.startsWith(`${y}-`)) report(at, `${what} ${d} 不在 ${y} 年内：请写到 ${d.slice(0, 4)} 年下，或改正年份`);
        const prev = seen.get(d);
        if (prev !== undefined) report(at, `${what} ${d} 重复（与第 ${prev + 1} 项相同）`);
        else seen.set(d, i);
      });
    }
    const holidays = new Set(entry.holidays);
    entry.makeUpWorkdays.forEach((d, i) => {
      const at = ['calendar', y, 'makeUpWorkdays', i];
      if (holidays.has(d)) report(at, `${d} 同时列为放假日和调休上班日：请只保留其中一处`);
      const weekday = isoWeekday(d);
      if (weekday < 6)
        report(at, `调休上班日 ${d} 是${WEEKDAYS[weekday]}，本来就上班：调休上班日应为周六或周日，请核对通知`);
    });
  }
}
