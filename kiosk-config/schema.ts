/**
 * The YAML schema of a hall (zod). It turns a parsed document into a `HallConfig`, applying the
 * defaults; every message is Chinese and names what is wrong.
 */
import { z } from 'zod';
import { PRIORITIES } from '../common/queue-terms.js';
import { appointmentSchema } from './appointment-schema.js';
import { backupSchema } from './backup-schema.js';
import { calendarSchema } from './calendar-schema.js';
import { catalogueSchema } from './catalogue-schema.js';
import { devicesSchema } from './devices-schema.js';
import { documentsSchema } from './documents-schema.js';
import type { HallConfig } from './hall-config.js';
import { hubSchema } from './hub-schema.js';
import { platformSchema } from './platform-schema.js';
import { publicSchema } from './public-schema.js';
import { alarmsSchema, rectificationSchema } from './rectification-schema.js';
import { weeklyPeriodSchema } from './weekly-period-schema.js';

const period = weeklyPeriodSchema('开放时段');

function validZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

const code = (what: string) =>
  z
    .string({ error: `${what}应为文字` })
    .regex(/^[A-Za-z0-9_-]{1,32}$/, `${what}只能包含字母、数字、下划线和连字符，1 到 32 位`);

const service = z
  .object({
    code: code('业务编码'),
    name: z.string({ error: '业务名称必填' }).min(1, '业务名称不能为空').max(40, '业务名称最多 40 字'),
    category: z.string({ error: '业务类别必填' }).min(1, '业务类别不能为空'),
    prefix: z.string({ error: '票号前缀必填' }).regex(/^[A-Z]{1,2}$/, '票号前缀应为 1 到 2 个大写字母'),
    numberRange: z
      .object({
        from: z.number().int().min(1, '号段起点至少为 1'),
        to: z.number().int().max(9999, '号段终点最多为 9999'),
      })
      .strict()
      .refine((r) => r.from <= r.to, { message: '号段起点不能大于终点', path: ['to'] })
      .default({ from: 1, to: 999 }),
    dailyCap: z.number().int().min(0, '每日上限不能为负').default(0),
    hours: z.array(period).min(1, '取号时间至少一个时段').optional(),
    taskCodes: z.array(z.string().min(1, '事项编码不能为空').max(40, '事项编码最多 40 位')).default([]),
    allowAnonymous: z.boolean({ error: 'allowAnonymous 应为 true 或 false' }).default(false),
    defaultServiceSeconds: z
      .number()
      .int()
      .min(10, '默认办理时长至少 10 秒')
      .max(14400, '默认办理时长最多 4 小时')
      .default(300),
    /** Booking of this service (kiosk-config/appointment-schema.ts); absent = not bookable. */
    appointment: appointmentSchema.optional(),
  })
  .strict();

const window = z
  .object({
    no: z.number({ error: '窗口编号应为数字' }).int().min(1, '窗口编号至少为 1').max(999, '窗口编号最多为 999'),
    name: z.string({ error: '窗口名称必填' }).min(1, '窗口名称不能为空'),
    services: z
      .array(
        z.union([
          code('业务编码').transform((c) => ({ code: c, weight: 1 })),
          z
            .object({
              code: code('业务编码'),
              weight: z.number().int('权重应为正整数').min(1, '权重应为正整数').max(100, '权重最多为 100').default(1),
            })
            .strict(),
        ]),
      )
      .min(1, '窗口至少办理一个业务'),
    comprehensive: z.boolean().default(false),
    greenChannel: z.boolean().default(false),
  })
  .strict();

const staff = z
  .object({
    no: z
      .union([z.string(), z.number()])
      .transform(String)
      .pipe(z.string().regex(/^[A-Za-z0-9]{1,16}$/, '工号应为 1 到 16 位字母或数字')),
    name: z.string({ error: '姓名必填' }).min(1, '姓名不能为空'),
    role: z.enum(['staff', 'manager'], { error: '角色应为 staff 或 manager' }).default('staff'),
    pinHash: z.string({ error: '缺少 pinHash（PIN 的加盐哈希），可用 govhall config hash-pin 生成' }),
    windows: z.array(z.number().int()).default([]),
  })
  .strict();

export const hallSchema = z
  .object({
    hall: z
      .object({
        code: code('大厅编码'),
        name: z.string({ error: '大厅名称必填' }).min(1, '大厅名称不能为空'),
        areaCode: z
          .union([z.string(), z.number()])
          .transform(String)
          .pipe(z.string().regex(/^\d{6,9}$/, '行政区划代码应为 6 到 9 位数字')),
        timeZone: z.string().refine(validZone, '不认识的时区名称（例如 Asia/Shanghai）').default('Asia/Shanghai'),
        openingHours: z.array(period).min(1, '开放时间至少一个时段'),
        /** The embedded demo hall: its well-known PIN 123456 may be set; never true in a real hall. */
        demo: z.boolean({ error: 'demo 应为 true 或 false' }).default(false),
      })
      .strict(),
    services: z.array(service).min(1, '至少要有一个业务'),
    windows: z.array(window).min(1, '至少要有一个窗口'),
    staff: z.array(staff).default([]),
    priority: z
      .object({
        enabled: z
          .array(z.enum(PRIORITIES, { error: `优先类别应为 ${PRIORITIES.join('、')} 之一` }))
          .default([...PRIORITIES]),
        normalPerPriority: z.number().int().min(1, '穿插比例至少为 1').max(20, '穿插比例最多为 20').default(3),
        appointmentsFirst: z.boolean().default(true),
        agingLimitSeconds: z
          .number()
          .int()
          .min(60, '防饿死时限至少 60 秒')
          .max(14400, '防饿死时限最多 4 小时')
          .default(1800),
      })
      .strict()
      .default({ enabled: [...PRIORITIES], normalPerPriority: 3, appointmentsFirst: true, agingLimitSeconds: 1800 }),
    announcement: z
      .object({
        template: z
          .string()
          .refine((t) => t.includes('{number}'), '播报模板必须包含 {number}')
          .default('请{number}号到{window}号窗口办理'),
        repeat: z.number().int().min(1, '重复次数为 1 到 5').max(5, '重复次数为 1 到 5').default(2),
        secondLanguage: z.enum(['en'], { error: '播报第二语言目前只能是 en（英语）；不写则只用中文播报' }).optional(),
      })
      .strict()
      .default({ template: '请{number}号到{window}号窗口办理', repeat: 2 }),
    ticketText: z
      .object({
        header: z.string().default(''),
        footer: z.string().default(''),
        qrUrl: z.string().optional(),
      })
      .strict()
      .default({ header: '', footer: '' }),
    privacy: z
      .object({
        purgeAfterDays: z.number().int().min(1, '保留天数至少 1 天').max(3650, '保留天数最多 3650 天').default(30),
      })
      .strict()
      .default({ purgeAfterDays: 30 }),
    calendar: calendarSchema.optional(),
    devices: devicesSchema.optional(),
    platform: platformSchema.optional(),
    hub: hubSchema.optional(),
    backup: backupSchema.optional(),
    catalogue: catalogueSchema.optional(),
    documents: documentsSchema.optional(),
    rectification: rectificationSchema.optional(),
    alarms: alarmsSchema.optional(),
    public: publicSchema.optional(),
  })
  .strict();

export function toHallConfig(parsed: z.output<typeof hallSchema>): HallConfig {
  return parsed as unknown as HallConfig;
}
