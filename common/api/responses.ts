/**
 * What the hub answers, as zod schemas: the OpenAPI document is generated from them and the UIs'
 * types are inferred from them. Times are ISO 8601 strings with the hall's offset; people are
 * masked unless the caller is the staff session serving the ticket.
 */
import { z } from 'zod';
import { CERT_TYPES } from '../cert-number.js';
import { DEVICE_STATES } from '../device-kinds.js';
import { EVALUATION_LEVELS } from '../evaluation.js';
import { CHANNELS, PRIORITIES, TICKET_STATUSES, WINDOW_STATES } from '../queue-terms.js';
import { DEVICE_ROLES } from '../roles.js';

const time = z.string().describe('ISO 8601，带大厅时区偏移');
const nullableTime = time.nullable();

export const errorAnswer = z.object({ code: z.string(), message: z.string() });

export const healthAnswer = z.object({
  /** `ok`, or `degraded` when the hub answers reads but cannot save (disk full or read-only). */
  status: z.string(),
  version: z.string(),
  businessDay: z.string(),
  reason: z
    .object({ code: z.enum(['STORAGE_FULL', 'STORAGE_READ_ONLY']), message: z.string(), since: time })
    .optional()
    .describe('只在 degraded 时出现：原因代码、中文说明（含处理办法）、开始时间'),
});

export const applicantAnswer = z.object({
  name: z.string(),
  certType: z.enum(CERT_TYPES).optional(),
  certNo: z.string(),
});

export const ticketAnswer = z.object({
  id: z.string(),
  number: z.string(),
  serviceCode: z.string(),
  status: z.enum(TICKET_STATUSES),
  priority: z.enum(PRIORITIES).nullable(),
  ahead: z.number().int(),
  estimatedWaitSeconds: z.number().int(),
  issuedAt: time,
  businessDay: z.string(),
  channel: z.enum(CHANNELS).optional(),
  appointmentId: z.string().nullable().optional(),
  windowNo: z.number().int().nullable().optional(),
  targetWindowNo: z.number().int().nullable().optional(),
  calledAt: nullableTime.optional(),
  startedAt: nullableTime.optional(),
  finishedAt: nullableTime.optional(),
  recallCount: z.number().int().optional(),
  requeued: z.boolean().optional(),
  closedReason: z.string().nullable().optional(),
  transferredFrom: z.string().nullable().optional(),
  transferredTo: z.string().nullable().optional(),
  applicant: applicantAnswer.optional(),
});

/** The `201` of an issue (or check-in): the ticket and, only here, the code a phone follows it with. */
export const issuedTicketAnswer = ticketAnswer.extend({ ticketCode: z.string() });

/** A window's state after a window action (and in `window.changed` events). */
export const windowStatusAnswer = z.object({
  no: z.number().int(),
  state: z.enum(WINDOW_STATES),
  staffNo: z.string().nullable(),
  currentTicketId: z.string().nullable(),
  pauseReason: z.string().nullable(),
  updatedAt: nullableTime,
});

export const serviceAnswer = z.object({
  code: z.string(),
  name: z.string(),
  category: z.string(),
  prefix: z.string(),
  waiting: z.number().int(),
  open: z.boolean(),
  estimatedWaitSeconds: z.number().int(),
  allowAnonymous: z.boolean(),
});

export const windowAnswer = z.object({
  no: z.number().int(),
  name: z.string(),
  services: z.array(z.string()),
  comprehensive: z.boolean().optional(),
  greenChannel: z.boolean().optional(),
  state: z.enum(WINDOW_STATES),
  staffNo: z.string().nullable(),
  pauseReason: z.string().nullable(),
  current: ticketAnswer.nullable(),
});

export const hallAnswer = z.object({
  hallCode: z.string(),
  name: z.string(),
  businessDay: z.string(),
  services: z.array(serviceAnswer),
  windows: z.array(windowAnswer),
});

export const evaluationAnswer = z.object({
  id: z.string(),
  assessNumber: z.number().int(),
  level: z.enum(EVALUATION_LEVELS),
  reasons: z.array(z.string()),
  text: z.string().nullable(),
  channel: z.string(),
  createdAt: time,
});

export const caseAnswer = z.object({
  id: z.string(),
  projectNo: z.string().nullable(),
  taskCode: z.string(),
  taskName: z.string().nullable().optional(),
  status: z.string(),
  result: z.string().nullable(),
  caseType: z.string().nullable().optional(),
  windowNo: z.number().int().nullable(),
  staffNo: z.string().nullable(),
  ticketId: z.string().nullable().optional(),
  acceptTime: nullableTime,
  finishTime: nullableTime,
  evaluations: z.array(evaluationAnswer),
});

/** The platform's progress of a case (platform-api.md `GET /cases/{projectNo}/progress`). */
export const progressAnswer = z.object({
  projectNo: z.string().optional(),
  status: z.string().optional(),
  steps: z.array(z.object({ name: z.string(), time: z.string().nullable(), result: z.string().nullable().optional() })),
});

/** `POST /cases/lookup`: masked applicant, and the platform's progress when it answered in time. */
export const lookupCaseAnswer = caseAnswer.omit({ evaluations: true }).extend({
  version: z.number().int().optional(),
  synced: z.boolean().optional(),
  applicantName: z.string().nullable().optional(),
  progress: progressAnswer.nullable().optional(),
  source: z.enum(['platform', 'hall']).optional(),
});
export const lookupAnswer = z.object({ cases: z.array(lookupCaseAnswer) });

export const evaluationCreatedAnswer = z.object({ id: z.string(), assessNumber: z.number().int() });
/** `ratingCode`: the case's 扫码评价 / 补充评价 code, answered only here (never in events). */
export const finishAnswer = z.object({ caseId: z.string(), evaluationRequestId: z.string(), ratingCode: z.string() });
export const caseVersionAnswer = z.object({ caseId: z.string(), version: z.number().int(), status: z.string() });

export const staffSessionAnswer = z.object({
  token: z.string(),
  staff: z.object({ no: z.string(), name: z.string(), role: z.string().optional() }),
  window: windowStatusAnswer.optional(),
  expiresAt: time.optional(),
});

export const adminSessionAnswer = z.object({
  token: z.string(),
  staff: z.object({ no: z.string(), name: z.string(), role: z.string() }),
  expiresAt: time,
});

export const deviceTokenAnswer = z.object({
  id: z.string(),
  role: z.enum(DEVICE_ROLES),
  windowNo: z.number().int().nullable(),
  name: z.string().nullable(),
  createdAt: z.number(),
  revokedAt: z.number().nullable(),
});
export const createdTokenAnswer = z.object({ id: z.string(), token: z.string() }).loose();

export const syncStatusAnswer = z.object({
  pending: z.number().int(),
  oldestPendingSeconds: z.number().int().nullable(),
  rejected: z.number().int(),
  lastSuccessAt: nullableTime,
  lastError: z.string().nullable(),
});

export const deviceStatusAnswer = z.object({
  deviceId: z.string(),
  kind: z.string(),
  terminal: z.string().optional(),
  state: z.enum(DEVICE_STATES),
  detail: z.string().nullable(),
  since: z.union([z.string(), z.number()]).nullable().optional(),
});

export const deviceTestAnswer = z
  .object({
    deviceId: z.string(),
    kind: z.string(),
    action: z.enum(['print', 'read', 'ping', 'status']),
    ok: z.boolean(),
    message: z.string(),
    at: time,
    code: z.string().optional(),
    warning: z.literal('PAPER_NEAR_END').optional(),
    state: z.enum(DEVICE_STATES).optional(),
    detail: z.string().nullable().optional(),
    fresh: z.boolean().optional(),
    samId: z.string().nullable().optional(),
    cardPresent: z.boolean().optional(),
    cardType: z.enum(CERT_TYPES).optional(),
    answered: z.boolean().optional(),
    connections: z.number().int().optional(),
    roundTripMs: z.number().int().nullable().optional(),
    online: z.boolean().nullable().optional(),
  })
  .describe('设备测试结果：ok 表示设备是否通过，message 用中文说明');

/** What every screen may know of the hall config (`GET /hall/settings`). */
export const hallSettingsAnswer = z.object({
  version: z.string(),
  /** Lines of the scrolling notice (the ticket's header and footer texts). */
  notice: z.array(z.string()),
  announcement: z.object({
    template: z.string(),
    repeat: z.number().int(),
    /** A language spoken after the Chinese call (`en`), when the config adds one. */
    secondLanguage: z.string().optional(),
  }),
  /** Service code → its 事项 codes. */
  tasks: z.record(z.string(), z.array(z.string())),
  /** Whether recorded voice clips exist (`/clips/manifest.json`). */
  clips: z.boolean(),
  /** Config `public.baseUrl`: where phones reach the hall's phone pages (扫码评价 QR); absent = this hub. */
  publicBaseUrl: z.string().optional(),
});

/** Answers whose shape belongs to a feature's own docs (reports, config, catalogue); kept open here. */
export const documentAnswer = z
  .custom<object>((v) => typeof v === 'object' && v !== null)
  .describe('JSON 对象，字段见 docs/hub-api-extensions.md');

export const pairingAnswer = z.object({
  pairingId: z.string().describe('配对凭据（≥128 位随机数），只给发起配对的终端'),
  code: z.string().describe('6 位配对码，显示在终端屏幕上，由管理员在控制台输入'),
  expiresAt: time,
});
export const pairingStatusAnswer = z.object({
  status: z.enum(['pending', 'approved', 'expired']),
  token: z.string().optional().describe('终端令牌，批准后第一次查询时给出，仅此一次'),
});
export const approvedPairingAnswer = z.object({ terminalId: z.string() });

/** A role page of a terminal (hall config `devices.terminals[].windows[]`). */
export const terminalWindowAnswer = z
  .object({
    role: z.enum(DEVICE_ROLES),
    window: z.number().int().optional(),
    display: z.union([z.string(), z.number().int()]),
    camera: z.union([z.string(), z.object({ label: z.string() })]).optional(),
    layout: z.string().optional(),
  })
  .loose();

/** `GET /terminals/me/config` and the `terminal.config` push: the terminal's entry and what it prints. */
export const terminalConfigAnswer = z.object({
  terminalId: z.string(),
  /** Changes whenever anything below changes. */
  version: z.string(),
  name: z.string().nullable(),
  windows: z.array(terminalWindowAnswer),
  /** The entry as the hall config has it (devices with their transports and options, lockdown, restart). */
  entry: documentAnswer,
  hall: z.object({ code: z.string(), name: z.string(), timeZone: z.string() }),
  ticketText: z.object({ header: z.string(), footer: z.string(), qrUrl: z.string().optional() }),
  /** Config `public.baseUrl`: fills `{publicBaseUrl}` of the ticket QR (absent = the hub's address). */
  publicBaseUrl: z.string().optional(),
});

export const terminalListAnswer = z.array(
  z.object({
    terminalId: z.string(),
    name: z.string().nullable(),
    roles: z.array(z.enum(DEVICE_ROLES)),
    windows: z.array(terminalWindowAnswer),
    /** In the hall config (a paired id the config no longer names has no roles). */
    configured: z.boolean(),
    paired: z.boolean(),
    pairedAt: nullableTime,
    lastSeenAt: nullableTime,
    address: z.string().nullable(),
    devices: z.array(
      z.object({ deviceId: z.string(), kind: z.string(), state: z.enum(DEVICE_STATES), detail: z.string().nullable() }),
    ),
    inventory: documentAnswer.nullable(),
  }),
);

/** `POST /terminals/me/card-reads`: the read's id, for `POST /cases/lookup { cardRead }` from this terminal's pages. */
export const cardReadAnswer = z.object({
  readId: z.string().describe('读卡编号（128 位随机数），只对登记它的终端令牌有效，2 分钟或取走身份证为止'),
});
