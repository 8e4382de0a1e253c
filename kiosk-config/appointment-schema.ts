/**
 * The `appointment` block of a service in the hall config: whether citizens may book it, how its
 * day is cut into slots, how many people each slot takes, how far ahead, when a booked citizen
 * may check in and what place an appointment ticket gets in the queue (docs/appointments.md).
 */
import { z } from 'zod';

/** What place the ticket of a checked-in appointment gets. */
export const APPOINTMENT_PRIORITIES = ['first', 'priority', 'normal'] as const;
export type AppointmentPriority = (typeof APPOINTMENT_PRIORITIES)[number];

export interface AppointmentConfig {
  /** false keeps the settings but offers no slots (a service paused for booking). */
  bookable: boolean;
  slotMinutes: number;
  /** People per slot. */
  capacity: number;
  /** When slots are offered, per ISO weekday, in the hall's time zone. */
  hours: { days: number[]; open: string; close: string }[];
  /** How many days after today may be booked (0 = today only). */
  daysAhead: number;
  /** Check-in opens this long before the slot's start and closes this long after it. */
  checkIn: { beforeMinutes: number; afterMinutes: number };
  /**
   * `first`: called before everyone (with `priority.appointmentsFirst`); `priority`: with the
   * priority tickets; `normal`: like any ticket (the booking only guarantees a slot).
   */
  priority: AppointmentPriority;
}

const minutesOf = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5));
const timeOfDay = z
  .string({ error: '应为时间，格式 HH:MM' })
  .regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, '时间格式应为 HH:MM（00:00 至 24:00）');

const hours = z
  .object(
    {
      days: z
        .array(z.number().int().min(1, '星期应为 1（周一）到 7（周日）').max(7, '星期应为 1（周一）到 7（周日）'))
        .min(1, '至少要有一天'),
      open: timeOfDay,
      close: timeOfDay,
    },
    { error: '应为预约时段：days、open、close' },
  )
  .strict()
  .refine((p) => minutesOf(p.open) < minutesOf(p.close), { message: '开始时间应早于结束时间', path: ['close'] });

export const appointmentSchema = z
  .object(
    {
      bookable: z.boolean({ error: 'bookable 应为 true 或 false' }).default(true),
      slotMinutes: z
        .number({ error: '时段长度应为分钟数' })
        .int('时段长度应为整分钟')
        .min(5, '时段长度至少 5 分钟')
        .max(240, '时段长度最多 240 分钟')
        .default(30),
      capacity: z
        .number({ error: '每个时段可约人数应为数字' })
        .int('每个时段可约人数应为整数')
        .min(1, '每个时段至少可约 1 人')
        .max(500, '每个时段最多可约 500 人'),
      hours: z.array(hours, { error: '预约时段应为列表' }).min(1, '预约时段至少一个'),
      daysAhead: z
        .number({ error: '可提前预约天数应为数字' })
        .int('可提前预约天数应为整数')
        .min(0, '可提前预约天数不能为负')
        .max(90, '可提前预约天数最多 90 天')
        .default(7),
      checkIn: z
        .object({
          beforeMinutes: z
            .number()
            .int()
            .min(0, '提前签到分钟数不能为负')
            .max(240, '提前签到最多 240 分钟')
            .default(30),
          afterMinutes: z.number().int().min(0, '迟到签到分钟数不能为负').max(240, '迟到签到最多 240 分钟').default(15),
        })
        .strict()
        .default({ beforeMinutes: 30, afterMinutes: 15 }),
      priority: z
        .enum(APPOINTMENT_PRIORITIES, { error: `预约票的优先方式应为 ${APPOINTMENT_PRIORITIES.join('、')} 之一` })
        .default('first'),
    },
    { error: 'appointment 应为预约设置：capacity、hours 等' },
  )
  .strict()
  .superRefine((a, ctx) => {
    a.hours.forEach((h, i) => {
      if (minutesOf(h.close) - minutesOf(h.open) < a.slotMinutes) {
        ctx.addIssue({
          code: 'custom',
          path: ['hours', i, 'close'],
          message: `预约时段 ${h.open}–${h.close} 放不下一个 ${a.slotMinutes} 分钟的时段：请延长时段或缩短 slotMinutes`,
        });
      }
    });
  });
