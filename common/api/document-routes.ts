/**
 * The hall's PDF documents (hub-api.md v1.1 "Documents and materials", docs/documents.md): the
 * 受理回执, the 一次性告知书 and the daily and monthly reports of the contract, and the
 * 不予受理通知书 (a hall extension). Binary answers: the handler writes `application/pdf` itself.
 */
import { z } from 'zod';
import { ROUTE_ADDRESSES as at } from './addresses.js';
import { day, month } from './requests.js';
import { ADMIN, roles, route } from './route-spec.js';

/** The staff session of the window that served the case (checked by the handler), or admin. */
const CASE_WINDOW_OR_ADMIN = roles(['admin'], true);
const PDF = 'application/pdf';

export const receiptQuery = z
  .object({
    /** The `ratingCode` of `/finish`: only then can the receipt print the 扫码评价 QR (the hub keeps a hash). */
    ratingCode: z.string().trim().min(1).max(64).optional(),
  })
  .strict();

export const refusalQuery = z
  .object({
    reason: z
      .string({ error: '请填写不予受理的理由（reason）' })
      .trim()
      .min(2, '不予受理的理由至少 2 个字')
      .max(300, '不予受理的理由最多 300 字'),
  })
  .strict();

export const documentRoutes = {
  receiptPdf: route({
    ...at.receiptPdf,
    summary: '受理回执 PDF（受理窗口的工作人员会话或管理员；?ratingCode= 打印扫码评价二维码）',
    access: CASE_WINDOW_OR_ADMIN,
    kind: 'text',
    produces: [PDF],
    query: receiptQuery,
    errors: [400, 404, 503],
  }),
  noticePdf: route({
    ...at.noticePdf,
    summary: '一次性告知书 PDF：事项的全部材料，标出尚缺的（受理窗口的工作人员会话或管理员）',
    access: CASE_WINDOW_OR_ADMIN,
    kind: 'text',
    produces: [PDF],
    errors: [404, 503],
  }),
  refusalPdf: route({
    ...at.refusalPdf,
    summary: '不予受理通知书 PDF（大厅扩展；?reason= 理由；办理结果为不予办理的办件）',
    access: CASE_WINDOW_OR_ADMIN,
    kind: 'text',
    produces: [PDF],
    query: refusalQuery,
    errors: [400, 404, 409, 503],
  }),
  dailyReportPdf: route({
    ...at.dailyReportPdf,
    summary: '日报 PDF（管理员，?day=YYYY-MM-DD，默认今天）',
    access: ADMIN,
    kind: 'text',
    produces: [PDF],
    query: z.object({ day: day.optional() }).strict(),
    errors: [400, 503],
  }),
  monthlyReportPdf: route({
    ...at.monthlyReportPdf,
    summary: '月报 PDF（管理员，?month=YYYY-MM，默认本月）',
    access: ADMIN,
    kind: 'text',
    produces: [PDF],
    query: z.object({ month: month.optional() }).strict(),
    errors: [400, 503],
  }),
} as const;
