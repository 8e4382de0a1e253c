/**
 * The citizen's phone (hub-api.md v1.1): the routes a phone calls without a token — each `PUBLIC`,
 * rate limited per address, served on the public listener too, under `/public/` (docs/phone.md) —
 * and the one a window's pad uses to show the 扫码评价 QR of the case just finished there.
 */
import { z } from 'zod';
import { EVALUATION_LEVELS } from '../evaluation.js';
import { TICKET_STATUSES } from '../queue-terms.js';
import { ROUTE_ADDRESSES as at } from './addresses.js';
import { PUBLIC, roles, route } from './route-spec.js';

const oneOf = (values: readonly string[]) => `应为 ${values.join('、')} 之一`;

/** What a phone sees of a ticket: no id, no applicant, nothing that names a person. */
export const publicTicketAnswer = z.object({
  number: z.string(),
  serviceName: z.string(),
  status: z.enum(TICKET_STATUSES),
  ahead: z.number().int(),
  estimatedWaitSeconds: z.number().int(),
  windowNo: z.number().int().nullable(),
  /** When it was (last) called, ISO with the hall's offset: a recall shows as a new time. */
  calledAt: z.string().nullable(),
  recallCount: z.number().int(),
  businessDay: z.string(),
});

/** What the 扫码评价 page shows before a rating: the case's 事项 and window, and whether it may rate. */
export const publicRatingAnswer = z.object({
  taskName: z.string().nullable(),
  windowNo: z.number().int().nullable(),
  finishedAt: z.string().nullable(),
  /** Ratings so far: 0 = first rating, 1 = one follow-up left, 2 = done. */
  assessments: z.number().int(),
  canRate: z.boolean(),
  validUntil: z.string(),
  reasons: z.array(z.object({ code: z.string(), text: z.string(), levels: z.array(z.string()) })),
});

export const publicEvaluationBody = z
  .object({
    ratingCode: z.string().trim().min(1).max(64),
    level: z.enum(EVALUATION_LEVELS, { error: `评价等级${oneOf(EVALUATION_LEVELS)}` }),
    reasons: z.array(z.string().min(1).max(32)).max(20).default([]),
    text: z.string().max(500).optional(),
  })
  .strict();

export const publicRoutes = {
  publicTicket: route({
    ...at.publicTicket,
    summary: '手机跟踪号票（无需令牌，按来源地址限流）：号码、业务、前面人数、预计等候、叫到的窗口；不含个人信息',
    access: PUBLIC,
    response: publicTicketAnswer,
    errors: [404],
  }),
  publicRating: route({
    ...at.publicRating,
    summary: '扫码评价页读取评价码对应的办件（事项、窗口、还能否评价、差评原因）；不含个人信息',
    access: PUBLIC,
    response: publicRatingAnswer,
    errors: [404],
  }),
  publicEvaluate: route({
    ...at.publicEvaluate,
    summary: '扫码评价（渠道 qr）：规则同 POST /evaluations —— 首评加一次追评，差评须有原因',
    access: PUBLIC,
    body: publicEvaluationBody,
    response: z.object({ id: z.string(), assessNumber: z.number().int() }),
    status: 201,
    errors: [400, 404, 409],
  }),
  windowRatingCode: route({
    ...at.windowRatingCode,
    summary:
      '评价器取本窗口刚办结办件的评价码（在评价器上显示扫码评价二维码）；只给绑定该窗口的评价器，评价请求结束后 404',
    access: roles(['evaluator']),
    response: z.object({ caseId: z.string(), ratingCode: z.string() }),
    errors: [404],
  }),
} as const;
