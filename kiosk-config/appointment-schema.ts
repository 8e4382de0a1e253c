/**
 * The `appointment` block of a service in the hall config: whether citizens may book it, how its
 * day is cut into slots, how many people each slot takes, how far ahead, when a booked citizen
 * may check in and what place an appointment ticket gets in the queue (docs/appointments.md).
 */
import { z } from 'zod';
import { minutesOf, weeklyPeriodSchema } from './weekly-period-schema.js';

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

const hours = weeklyPeriodSchema('预约时段');

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

/**
 * Checks of each service's booking against the rest of the config: its slots must lie inside the
 * hours the service issues tickets (a check-in is a ticket), and `first` needs the hall's policy
 * `priority.appointmentsFirst`.
 */
export function appointmentSemanticChecks(
  services: readonly {
    name: string;
    appointment?: AppointmentConfig;
    hours?: { days: number[]; open: string; close: string }[];
  }[],
  hall: { openingHours: { days: number[]; open: string; close: string }[]; appointmentsFirst: boolean },
  report: (path: (string | number)[], message: string) => void,
): void {
  services.forEach((s, i) => {
    const a = s.appointment;
    if (!a) return;
    if (a.priority === 'first' && !hall.appointmentsFirst) {
      report(
        ['services', i, 'appointment', 'priority'],
        `「${s.name}」的预约票设为 first（先于所有人），但 priority.appointmentsFirst 为 false：请改为 priority 或 normal，或打开 appointmentsFirst`,
      );
    }
    const issuing = s.hours ?? hall.openingHours;
    a.hours.forEach((h, j) => {
      for (const d of h.days) {
        const inside = issuing.some(
          (p) =>
            p.days.includes(d) && minutesOf(p.open) <= minutesOf(h.open) && minutesOf(h.close) <= minutesOf(p.close),
        );
        if (!inside) {
          report(
            ['services', i, 'appointment', 'hours', j],
            `「${s.name}」的预约时段 ${h.open}–${h.close}（星期 ${d}）不在该业务的取号时间内，签到时无法出票：请调整预约时段或取号时间`,
          );
          return;
        }
      }
    });
  });
}
