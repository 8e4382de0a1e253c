/** Request bodies and queries of the hub API (zod): validated by the hub, typed for the UIs. */
import { z } from 'zod';
import { CERT_TYPE_ALIASES, CERT_TYPES, resolveCertType } from '../cert-number.js';
import { DEVICE_STATES } from '../device-kinds.js';
import { EVALUATION_CHANNELS, EVALUATION_LEVELS } from '../evaluation.js';
import { pinProblem } from '../pin-policy.js';
import { CHANNELS, PRIORITIES } from '../queue-terms.js';
import { DEVICE_ROLES } from '../roles.js';

const oneOf = (values: readonly string[]) => `应为 ${values.join('、')} 之一`;

/** A card type by name or by the platform's code (hub-api.md: 111, 553, 990). */
export const certTypeInput = z.enum([...CERT_TYPES, ...CERT_TYPE_ALIASES], {
  error: `证件类型${oneOf([...CERT_TYPES, ...CERT_TYPE_ALIASES])}`,
});

/** An applicant as sent by a kiosk or a counter; a platform code becomes the API's card type. */
export const applicantInput = z
  .object({
    name: z.string().min(1).max(60),
    certType: certTypeInput.default('resident'),
    certNo: z.string().min(1).max(40),
  })
  .strict()
  .transform((a) => ({ ...a, certType: resolveCertType(a.certType, a.certNo) }));

export const priorityInput = z.enum(PRIORITIES, { error: `优先类别${oneOf(PRIORITIES)}` });

export const issueTicketBody = z
  .object({
    serviceCode: z.string().min(1).max(32),
    channel: z.enum(CHANNELS, { error: `取号渠道${oneOf(CHANNELS)}` }),
    applicant: applicantInput.optional(),
    priority: priorityInput.nullable().optional(),
    appointmentId: z.string().min(1).max(64).optional(),
  })
  .strict();

const staffNo = z.union([z.string(), z.number()]).transform(String).pipe(z.string().min(1).max(16));
const pin = z.union([z.string(), z.number()]).transform(String).pipe(z.string().min(1).max(32));

export const staffSessionBody = z.object({ staffNo, pin, windowNo: z.number().int().min(1) }).strict();
/** The admin console's sign-in (hub-api.md `POST /admin/sessions`): a manager's staff number and PIN. */
export const adminSessionBody = z.object({ staffNo, pin }).strict();

export const callBody = z.object({ ticketId: z.string().min(1).max(64) }).strict();
export const skipBody = z.object({ requeue: z.boolean().optional() }).strict();
export const transferBody = z
  .object({
    toServiceCode: z.string().min(1).max(32).optional(),
    toWindowNo: z.number().int().min(1).optional(),
    position: z.enum(['front', 'back']).default('back'),
  })
  .strict()
  .refine((b) => b.toServiceCode !== undefined || b.toWindowNo !== undefined, {
    message: '需要 toServiceCode 或 toWindowNo',
    path: ['toServiceCode'],
  });
export const pauseBody = z
  .object({ reason: z.string().trim().min(1, '请填写暂停原因').max(100, '暂停原因最多 100 字') })
  .strict();

/** A material: its name, or the platform contract's object (copies, pages, sha256 of a scan). */
export const materialInput = z.union([
  z.string().max(200),
  z
    .object({
      name: z.string().min(1).max(200),
      copies: z.number().int().min(0).max(1000).nullable().optional(),
      pages: z.number().int().min(0).max(10000).nullable().optional(),
      sha256: z
        .string()
        .regex(/^[0-9a-fA-F]{64}$/, 'sha256 应为 64 位十六进制')
        .nullable()
        .optional(),
    })
    .strict(),
]);

const taskCode = z.string().min(1).max(40);
const taskName = z.string().max(200).optional();
const caseResult = z.string().min(1).max(32);
const caseType = z.string().max(32).optional();
const agent = z
  .object({
    name: z.string().min(1).max(60),
    certType: z.string().max(32).optional(),
    certNo: z.string().max(40).optional(),
  })
  .strict()
  .optional();
const materials = z.array(materialInput).max(100).optional();

export const finishBody = z
  .object({ case: z.object({ taskCode, taskName, result: caseResult, caseType, agent, materials }).strict() })
  .strict();

/** A case taken without a ticket (docs/sync.md). */
export const createCaseBody = z
  .object({
    taskCode,
    taskName,
    finished: z.boolean().default(true),
    result: caseResult.optional(),
    caseType,
    applicant: applicantInput.optional(),
    agent,
    materials,
  })
  .strict()
  .refine((b) => !b.finished || b.result !== undefined, { message: '办结的办件必须给出办结结果', path: ['result'] });

/** A later version of a case: a corrected result or materials, 办结, 退件 or 撤回. */
export const reviseCaseBody = z
  .object({
    result: caseResult.optional(),
    taskName: z.string().max(200).nullable().optional(),
    caseType: z.string().max(32).nullable().optional(),
    materials,
    finish: z.boolean().optional(),
    status: z.enum(['in_progress', 'returned', 'withdrawn']).optional(),
  })
  .strict()
  .refine((b) => Object.keys(b).length > 0, { message: '至少要改一项', path: ['result'] })
  .refine((b) => !(b.finish && b.status), { message: 'finish 与 status 只能给出一个', path: ['status'] });

export const createTokenBody = z
  .object({
    role: z.enum(DEVICE_ROLES, { error: `角色${oneOf(DEVICE_ROLES)}` }),
    windowNo: z.number().int().min(1).optional(),
    name: z.string().max(60).optional(),
  })
  .strict();

export const day = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, '日期格式应为 YYYY-MM-DD');
export const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, '月份格式应为 YYYY-MM');
export const dayQuery = z.object({ day: day.optional() });
/** A day or a month (reports); neither means today. */
export const periodQuery = z
  .object({ day: day.optional(), month: month.optional() })
  .refine((q) => q.day === undefined || q.month === undefined, { message: 'day 与 month 只能给一个', path: ['day'] });

export const evaluationBody = z
  .object({
    caseId: z.string().min(1).max(64),
    // No default: a rating is what the citizen chose, never something filled in for them.
    level: z.enum(EVALUATION_LEVELS, { error: `评价等级${oneOf(EVALUATION_LEVELS)}` }),
    reasons: z.array(z.string().min(1).max(32)).max(20).default([]),
    text: z.string().max(500).optional(),
    // Accepted for older clients and ignored: the hub sets the channel from the token (pad or kiosk).
    channel: z.enum(EVALUATION_CHANNELS, { error: `评价渠道${oneOf(EVALUATION_CHANNELS)}` }).optional(),
    // A kiosk's proof that the citizen at it is the case's applicant: the ID number, or the case's rating code.
    certNo: z.string().trim().min(1).max(40).optional(),
    ratingCode: z.string().trim().min(1).max(64).optional(),
  })
  .strict();

export const queueQuery = z.object({ serviceCode: z.string().min(1).max(32).optional() });

export const retryBody = z.object({ ids: z.array(z.string().min(1).max(64)).min(1).max(1000).optional() }).strict();
const intString = (min: number, max: number, what: string) =>
  z
    .string()
    .regex(/^\d+$/, `${what}应为整数`)
    .transform(Number)
    .pipe(z.number().int().min(min, `${what}应在 ${min} 到 ${max} 之间`).max(max, `${what}应在 ${min} 到 ${max} 之间`));
export const rejectedQuery = z.object({
  after: intString(0, Number.MAX_SAFE_INTEGER, 'after ').optional(),
  limit: intString(1, 500, 'limit ').optional(),
});
export const catalogQuery = z.object({ taskCode: z.string().min(1).max(40).optional() });

/**
 * 办件查询. A kiosk may not list a person's cases from a typed ID number alone (anyone can type
 * anyone's): it sends `cardRead` (the id of a card read by the hub's own reader) or the number
 * with the case code from the receipt (`caseId` or `projectNo`). Staff and admin may send `certNo`
 * alone. Or one case by its code, as `GET /cases/{id}`.
 */
export const lookupBody = z
  .object({
    certNo: z.string().trim().min(6).max(40).optional(),
    caseId: z.string().trim().min(1).max(64).optional(),
    projectNo: z.string().trim().min(1).max(64).optional(),
    cardRead: z.string().trim().min(16).max(64).optional(),
  })
  .strict()
  .refine(
    (b) => {
      const given = [b.certNo, b.caseId, b.projectNo, b.cardRead].filter((x) => x !== undefined).length;
      if (given === 1) return true;
      // The number with one code from the receipt.
      return given === 2 && b.certNo !== undefined && b.cardRead === undefined;
    },
    {
      message: '需要 cardRead，或 certNo（可另加回执上的 caseId 或 projectNo 之一），或只给 caseId、projectNo 之一',
      path: ['certNo'],
    },
  );

export const auditQuery = z.object({
  prefix: z.string().max(64, '最多 64 个字符').optional(),
  /** Clamped to 1…200 rather than refused: a console asking for "all" gets the newest 200. */
  limit: z.string().optional(),
});

const MAX_PINS_PER_CHANGE = 20;
const staffInput = z
  .object({
    no: z.union([z.string(), z.number()]).transform(String),
    name: z.string(),
    role: z.enum(['staff', 'manager']).optional(),
    windows: z.array(z.number().int()),
    // The demo PIN passes here; the hub refuses it unless the running hall is the demo hall.
    pin: z
      .string()
      .superRefine((p, c) => {
        const problem = pinProblem(p, { demo: true });
        if (problem) c.addIssue({ code: 'custom', message: problem });
      })
      .optional(),
  })
  .strict();

/** A change of whole config sections from the admin console; each section is checked like the file. */
export const configChangeBody = z
  .object({
    expectedVersion: z.string().max(64).optional(),
    services: z.array(z.unknown()).max(500).optional(),
    windows: z.array(z.unknown()).max(999).optional(),
    staff: z
      .array(staffInput)
      .max(2000)
      // Each new PIN costs a deliberately slow scrypt hash on the hub's only thread.
      .refine((xs) => xs.filter((x) => x.pin).length <= MAX_PINS_PER_CHANGE, {
        message: `一次最多设置 ${MAX_PINS_PER_CHANGE} 个 PIN`,
      })
      .optional(),
    priority: z.unknown().optional(),
    announcement: z.unknown().optional(),
    ticketText: z.unknown().optional(),
    /** The terminals and their devices, checked like the file (`devices.terminals`). */
    devices: z.unknown().optional(),
  })
  .strict();

export const TEST_ACTIONS = ['print', 'read', 'ping', 'status'] as const;
export type TestAction = (typeof TEST_ACTIONS)[number];
export const deviceTestBody = z
  .object({ action: z.enum(TEST_ACTIONS, { error: `测试动作${oneOf(TEST_ACTIONS)}` }) })
  .strict();
export const pressBody = z.object({ key: z.string().min(1).max(32) }).strict();
export const deviceStatusBody = z
  .object({
    deviceId: z.string().min(1).max(40),
    state: z.enum(DEVICE_STATES, { error: `设备状态${oneOf(DEVICE_STATES)}` }),
    detail: z.string().max(200).nullable().optional(),
    kind: z.string().max(20).optional(),
    terminal: z.string().max(40).optional(),
  })
  .strict();

/** A terminal id as the hall config writes it (`devices.terminals[].id`). */
export const terminalIdInput = z
  .string()
  .regex(/^[A-Za-z0-9_.-]{1,40}$/, '终端编号只能包含字母、数字、点、下划线和连字符');
export const pairingBody = z
  .object({ terminalId: terminalIdInput, name: z.string().trim().min(1).max(60).optional() })
  .strict();
export const approvePairingBody = z.object({ code: z.string().regex(/^\d{6}$/, '配对码应为 6 位数字') }).strict();

const text = (max: number) => z.string().max(max);
const usbNumber = z.number().int().min(0).max(0xffff);
/** What a terminal can see, for the admin's editor; unknown fields of an item are dropped. */
export const inventoryBody = z
  .object({
    serialPorts: z
      .array(
        z.object({
          path: text(200).min(1),
          manufacturer: text(120).optional(),
          serialNumber: text(120).optional(),
          vendorId: text(8).optional(),
          productId: text(8).optional(),
        }),
      )
      .max(64),
    hid: z
      .array(
        z.object({
          vendorId: usbNumber,
          productId: usbNumber,
          path: text(200).optional(),
          product: text(120).optional(),
          manufacturer: text(120).optional(),
        }),
      )
      .max(128),
    cameras: z.array(z.object({ label: text(120), deviceId: text(200).optional() })).max(32),
    displays: z
      .array(
        z.object({
          id: z.union([text(64), z.number().int()]),
          label: text(120).optional(),
          primary: z.boolean().optional(),
          width: z.number().int().min(0).max(20000).optional(),
          height: z.number().int().min(0).max(20000).optional(),
        }),
      )
      .max(16),
  })
  .strict();

/**
 * `POST /terminals/me/card-reads`: a card the terminal's own reader read (docs/terminal.md「读卡」).
 * Only the number and type: the hub needs nothing else to find the holder's cases.
 */
export const cardReadBody = z
  .object({
    deviceId: z.string().min(1).max(64),
    certNo: z.string().trim().min(6).max(40),
    certType: z.enum(CERT_TYPES, { error: `证件类型${oneOf(CERT_TYPES)}` }),
  })
  .strict();
