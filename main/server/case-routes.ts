/**
 * Cases made or changed outside a ticket's finish (docs/sync.md): staff take a case without a
 * ticket, and every later change (办结 of an accepted case, a corrected result or materials) is a
 * new version. Each one is stored with its outbox record in one transaction.
 */
import { z } from 'zod';
import { checkCertNo } from '../../common/cert-number.js';
import { type CaseRecord, CLOSED_CASE_STATUSES } from '../store/case-repository.js';
import { finishBody } from './api-schemas.js';
import { ApiError, readJsonBody, sendJson, validate } from './http-kit.js';
import type { HubPlugin } from './hub-plugin.js';

/** The same agent and materials as a case made by finishing a ticket (hub-api.md). */
const finishCase = finishBody.shape.case;

const CLOSED_NAMES: Record<string, string> = { finished: '办结', returned: '退件', withdrawn: '撤回' };

const certType = z.enum(['resident', 'hk_mo_tw', 'foreign_2017', 'foreign_2023', 'other']);

export const createCaseBody = z
  .object({
    taskCode: finishCase.shape.taskCode,
    taskName: finishCase.shape.taskName,
    finished: z.boolean().default(true),
    result: finishCase.shape.result.optional(),
    caseType: finishCase.shape.caseType,
    applicant: z
      .object({
        name: z.string().min(1).max(60),
        certType: certType.default('resident'),
        certNo: z.string().min(1).max(40),
      })
      .strict()
      .optional(),
    agent: finishCase.shape.agent,
    materials: finishCase.shape.materials,
  })
  .strict()
  .refine((b) => !b.finished || b.result !== undefined, { message: '办结的办件必须给出办结结果', path: ['result'] });

export const reviseCaseBody = z
  .object({
    result: finishCase.shape.result.optional(),
    taskName: finishCase.shape.taskName.unwrap().nullable().optional(),
    caseType: finishCase.shape.caseType.unwrap().nullable().optional(),
    materials: finishCase.shape.materials,
    finish: z.boolean().optional(),
    status: z.enum(['in_progress', 'returned', 'withdrawn']).optional(),
  })
  .strict()
  .refine((b) => Object.keys(b).length > 0, { message: '至少要改一项', path: ['result'] })
  .refine((b) => !(b.finish && b.status), { message: 'finish 与 status 只能给出一个', path: ['status'] });

export function caseRoutesPlugin(): HubPlugin {
  return {
    name: 'cases',
    install(ctx) {
      /** One case change: the new version, its outbox record and the audit row commit together. */
      const change = (c: Parameters<typeof ctx.actorOf>[0], action: string, fn: (now: number) => CaseRecord) => {
        const now = ctx.clock.now();
        return ctx.run(() =>
          ctx.repo.transaction(() => {
            const r = fn(now);
            ctx.repo.appendAudit({
              at: now,
              actor: ctx.actorOf(c),
              action,
              subject: r.id,
              result: 'ok',
              detail: { taskCode: r.taskCode, version: r.version, status: r.status },
            });
            return r;
          }),
        );
      };

      ctx.router.add('POST', '/api/v1/cases', async ({ req, res }) => {
        const c = ctx.requireCaller(req);
        if (c.kind !== 'staff') throw new ApiError(403, 'STAFF_SESSION_REQUIRED', '受理办件需要工作人员在窗口登录');
        const body = validate(createCaseBody, await readJsonBody(req));
        let applicant: { name: string; certType: z.infer<typeof certType>; certNo: string } | null = null;
        if (body.applicant) {
          const check = checkCertNo(body.applicant.certType, body.applicant.certNo, ctx.engine.businessDay());
          if (!check.ok) throw new ApiError(400, 'INVALID_CERT_NO', `字段 applicant.certNo：${check.reason}`);
          applicant = { ...body.applicant, certNo: check.normalized };
        }
        const rec = change(c, 'case.create', (now) =>
          ctx.cases.createCase(
            {
              taskCode: body.taskCode,
              taskName: body.taskName ?? null,
              result: body.result ?? '',
              caseType: body.caseType ?? null,
              agent: body.agent ?? null,
              materials: body.materials ?? null,
              applicant,
              finished: body.finished,
              windowNo: c.session.windowNo,
              staffNo: c.session.staffNo,
            },
            now,
          ),
        );
        sendJson(res, 201, { caseId: rec.id, version: rec.version, status: rec.status });
      });

      ctx.router.add('POST', '/api/v1/cases/{id}/revisions', async ({ req, res, params }) => {
        const c = ctx.requireRole(req, ['admin'], true);
        const body = validate(reviseCaseBody, await readJsonBody(req));
        const cur = ctx.cases.get(params.id!);
        if (!cur) throw new ApiError(404, 'UNKNOWN_CASE', `办件不存在：${params.id}`);
        if (c.kind === 'staff' && cur.windowNo !== c.session.windowNo) {
          throw new ApiError(403, 'WRONG_WINDOW', `该办件由 ${cur.windowNo ?? '-'} 号窗口受理，本窗口不能修改`);
        }
        if ((body.finish || body.status) && CLOSED_CASE_STATUSES.includes(cur.status)) {
          throw new ApiError(409, 'CASE_CLOSED', `该办件已${CLOSED_NAMES[cur.status]}，不能再改变状态`);
        }
        const rec = change(c, 'case.revise', (now) =>
          ctx.cases.reviseCase(
            cur.id,
            {
              ...(body.result !== undefined ? { result: body.result } : {}),
              ...(body.taskName !== undefined ? { taskName: body.taskName } : {}),
              ...(body.caseType !== undefined ? { caseType: body.caseType } : {}),
              ...(body.materials !== undefined ? { materials: body.materials } : {}),
              ...(body.finish ? { finish: true } : {}),
              ...(body.status ? { status: body.status } : {}),
            },
            now,
          ),
        );
        sendJson(res, 200, { caseId: rec.id, version: rec.version, status: rec.status });
      });
      return undefined;
    },
  };
}
