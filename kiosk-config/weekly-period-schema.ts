/**
 * A period on given weekdays (`days`, `open`, `close`), as the hall's opening hours, a service's
 * issuing hours and its appointment hours are all written: one shape, so one set of messages.
 */
import { z } from 'zod';

/** Minutes since midnight of an `HH:MM` time (24:00 is 1440). */
export const minutesOf = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5));

const timeOfDay = z
  .string({ error: '应为时间，格式 HH:MM' })
  .regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, '时间格式应为 HH:MM（00:00 至 24:00）');

/** `what` names the period in the message for a wrong shape (开放时段, 预约时段). */
export const weeklyPeriodSchema = (what: string) =>
  z
    .object(
      {
        days: z
          .array(z.number().int().min(1, '星期应为 1（周一）到 7（周日）').max(7, '星期应为 1（周一）到 7（周日）'))
          .min(1, '至少要有一天'),
        open: timeOfDay,
        close: timeOfDay,
      },
      { error: `应为${what}：days、open、close` },
    )
    .strict()
    .refine((p) => minutesOf(p.open) < minutesOf(p.close), { message: '开始时间应早于结束时间', path: ['close'] });
