/**
 * 差评整改 and the hall's alarms in the hub API (hub-api.md v1.1 "差评整改"): the item list, a step,
 * the figures, and what the dashboard and counter screens show (承诺件 near their date, long waits).
 */
import { z } from 'zod';
import { EVALUATION_LEVELS } from '../evaluation.js';
import { RECTIFICATION_STATUSES } from '../rectification.js';

const time = z.string().describe('ISO 8601，带大厅时区偏移');
const status = z.enum(RECTIFICATION_STATUSES, { error: `状态应为 ${RECTIFICATION_STATUSES.join('、')} 之一` });
const level = z.enum(EVALUATION_LEVELS, { error: `满意度应为 ${EVALUATION_LEVELS.join('、')} 之一` });

/** `?status=open` or `?status=open,verifying`; absent: every item. */
export const rectificationQuery = z.object({
  status: z
    .string()
    .optional()
    .transform((s, ctx) => {
      if (!s) return undefined;
      const list = s.split(',').map((x) => x.trim());
      for (const x of list) {
        if (!(RECTIFICATION_STATUSES as readonly string[]).includes(x)) {
          ctx.addIssue({
            code: 'custom',
            message: `status 应为 ${RECTIFICATION_STATUSES.join('、')} 之一，可用逗号分隔多个`,
          });
          return z.NEVER;
        }
      }
      return list as (typeof RECTIFICATION_STATUSES)[number][];
    }),
});

export const transitionBody = z
  .object({
    to: z.string({ error: 'to（目标状态）必填' }).min(1, 'to（目标状态）必填').max(20),
    note: z.string({ error: 'note（说明）必填' }).max(500, '说明最多 500 字'),
    revisit: z
      .object({ contacted: z.boolean({ error: 'revisit.contacted 应为 true 或 false' }), level: level.optional() })
      .strict()
      .optional(),
  })
  .strict();

export const rectificationStep = z.object({
  at: time,
  from: status.nullable(),
  to: status,
  staffNo: z.string().nullable(),
  note: z.string(),
  revisit: z.object({ contacted: z.boolean(), level: level.optional() }).nullable(),
});

export const rectificationAnswer = z.object({
  id: z.string(),
  evaluationIds: z.array(z.string()),
  caseId: z.string(),
  windowNo: z.number().nullable(),
  staffNo: z.string().nullable(),
  level: level,
  reasons: z.array(z.string()),
  text: z.string().nullable(),
  status,
  openedAt: time,
  dueAt: time,
  overdue: z.boolean(),
  history: z.array(rectificationStep),
  // Beside the contract: what the console shows without a second request.
  dueDate: z.string(),
  finishedAt: time.nullable(),
  taskCode: z.string().nullable(),
  serviceCode: z.string().nullable(),
  staffName: z.string().nullable(),
  reasonTexts: z.array(z.string()),
  calendarMissing: z.array(z.number()),
  revisit: z.object({ contacted: z.boolean(), level: level.optional() }).nullable(),
});

export const rectificationListAnswer = z.array(rectificationAnswer);

const figures = z.object({
  opened: z.number(),
  invalid: z.number(),
  closed: z.number(),
  closedOnTime: z.number(),
  reached: z.number(),
  satisfied: z.number(),
  rectifiedRate: z.number().nullable(),
  onTimeRate: z.number().nullable(),
  revisitSatisfiedRate: z.number().nullable(),
});
const figureRow = figures.extend({ key: z.string(), name: z.string() });
const figureTable = z.object({
  month: z.string(),
  total: figures,
  byWindow: z.array(figureRow),
  byStaff: z.array(figureRow),
  byService: z.array(figureRow),
});

export const rectificationFiguresQuery = z.object({
  month: z
    .string()
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'month 应为 YYYY-MM')
    .optional(),
});

/** This month and the one before (or the month asked for and the one before it). */
export const rectificationFiguresAnswer = z.object({ current: figureTable, previous: figureTable });

export const promiseCaseAnswer = z.object({
  caseId: z.string(),
  taskCode: z.string(),
  taskName: z.string().nullable(),
  windowNo: z.number().nullable(),
  staffNo: z.string().nullable(),
  acceptTime: time,
  promiseDays: z.number(),
  promiseDate: z.string(),
  workingDaysLeft: z.number(),
  overdue: z.boolean(),
});

export const waitAlarmAnswer = z.object({
  serviceCode: z.string(),
  serviceName: z.string(),
  waiting: z.number(),
  oldestWaitMinutes: z.number(),
  thresholdMinutes: z.number(),
  windows: z.array(z.number()),
  message: z.string(),
});

/** The dashboard's alarms: items near or past their deadline, 承诺件 near or past their date, long waits. */
export const hallAlarmsAnswer = z.object({
  rectifications: z.object({ dueSoon: z.number(), overdue: z.number(), calendarMissing: z.array(z.number()) }),
  promises: z.array(promiseCaseAnswer),
  waits: z.array(waitAlarmAnswer),
});

export const waitAlarmListAnswer = z.array(waitAlarmAnswer);
