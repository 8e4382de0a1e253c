/**
 * The `rectification:` section (差评整改 deadlines and reminders) and the `alarms:` section (long
 * waits, 承诺件 near their promised date, and the optional webhook to the hall's messaging group) of
 * a hall config. Both optional: without them a 差评 is due in 15 working days with reminders 3 and
 * 1 working days before, no wait threshold is set, 承诺件 are flagged 2 working days before their
 * date, and no webhook is sent. See docs/rectification.md.
 */
import { z } from 'zod';

export interface RectificationConfig {
  /** Working days from the opening of an item to its deadline (Sichuan practice: 15). */
  deadlineWorkingDays: number;
  /** Reminders (`due_soon`) when at most this many working days are left, e.g. [3, 1]. */
  remindBeforeWorkingDays: number[];
}

export interface AlarmWebhookConfig {
  /** Where alarms are POSTed as JSON (the messaging group's robot or a relay of the hall's). */
  url: string;
  /** File holding the HMAC-SHA256 secret (one line); relative paths are read from the config's folder. */
  secretFile: string;
}

export interface AlarmsConfig {
  /** Per queue service code: minutes a ticket may wait before the long-wait alarm. */
  waitMinutes: Record<string, number>;
  /** 承诺件 are listed and alarmed when at most this many working days are left to the promised date. */
  promiseDueSoonWorkingDays: number;
  webhook?: AlarmWebhookConfig;
}

export const DEFAULT_RECTIFICATION: RectificationConfig = { deadlineWorkingDays: 15, remindBeforeWorkingDays: [3, 1] };
export const DEFAULT_ALARMS: AlarmsConfig = { waitMinutes: {}, promiseDueSoonWorkingDays: 2 };

const int = (what: string, min: number, max: number) =>
  z
    .number({ error: `${what}应为数字` })
    .int(`${what}应为整数`)
    .min(min, `${what}至少为 ${min}`)
    .max(max, `${what}最多为 ${max}`);

export const rectificationSchema = z
  .object({
    deadlineWorkingDays: int('整改时限（工作日）', 1, 90).default(15),
    remindBeforeWorkingDays: z
      .array(int('提醒点（到期前工作日数）', 0, 30), { error: '提醒点应为工作日数的列表，例如 [3, 1]' })
      .max(5, '提醒点最多 5 个')
      .default([3, 1]),
  })
  .strict()
  .refine((r) => r.remindBeforeWorkingDays.every((p) => p < r.deadlineWorkingDays), {
    message: '提醒点应小于整改时限（否则一开单就提醒）',
    path: ['remindBeforeWorkingDays'],
  });

export const alarmsSchema = z
  .object({
    waitMinutes: z
      .record(z.string(), int('等候时长阈值（分钟）', 1, 600), { error: '应为 业务编码: 分钟数，例如 A: 30' })
      .default({}),
    promiseDueSoonWorkingDays: int('承诺件提前提醒（工作日）', 0, 30).default(2),
    webhook: z
      .object({
        url: z
          .string({ error: 'webhook.url 应为网址' })
          .refine((u) => /^https?:\/\/[^\s]+$/.test(u), 'webhook.url 应以 http:// 或 https:// 开头'),
        secretFile: z.string({ error: '缺少 webhook.secretFile（签名密钥文件）' }).min(1, '密钥文件路径不能为空'),
      })
      .strict()
      .optional(),
  })
  .strict();

/** Service codes named by `alarms.waitMinutes` must exist (reported by `govhall config check`). */
export function alarmsSemanticChecks(
  alarms: AlarmsConfig | undefined,
  services: ReadonlySet<string>,
  report: (path: (string | number)[], message: string) => void,
): void {
  for (const code of Object.keys(alarms?.waitMinutes ?? {})) {
    if (!services.has(code)) report(['alarms', 'waitMinutes', code], `等候告警的业务「${code}」不存在`);
  }
}
