/**
 * Cases made or changed outside a ticket's finish (docs/sync.md): staff take a case without a
 * ticket, and every later change (办结 of an accepted case, a corrected result or materials) is a
 * new version. Each one is stored with its outbox record in one transaction.
 */
import { z } from 'zod';
import { checkCertNo } from '../identity/cert-number.js';
import { ApiError, readJsonBody, sendJson, validate } from './http-kit.js';
import type { HubPlugin } from './hub-plugin.js';

const certType = z.enum(['resident', 'hk_mo_tw', 'foreign_2017', 'foreign_2023', 'other']);

export const createCaseBody = z
  .object({
    taskCode: z.string().min(1).max(40),
    taskName: z.string().max(200).optional(),
    finished: z.boolean().default(true),
    result: z.string().min(1).max(32).optional(),
    caseType: z.string().max(32).optional(),
    applicant: z
      .object({
        name: z.string().min(1).max(60),
        certType: certType.default('resident'),
        certNo: z.string().min(1).max(40),
      })
      .strict()
      .optional(),
    agent: z
      .object({
        name: z.string().min(1).max(60),
        certType: z.string().max(32).optional(),
        certNo: z.string().max(40).optional(),
      })
      .strict()
      .optional(),
    materials: z.array(z.string().max(200)).max(100).optional(),
  })
  .strict()
  .refine((b) => !b.finished || b.result !== undefined, { message: '办结的办件必须给出办结结果', path: ['result'] });

export const reviseCaseBody = z
  .object({
    result: z.string().min(1).max(32).optional(),
    taskName: z.string().max(200).nullable().optional(),
    caseType: z.string().max(32).nullable().optional(),
    materials: z.array(z.string().max(200)).max(100).optional(),
    finish: z.boolean().optional(),
  })
  .strict()
  .refine((b) => Object.keys(b).length > 0, { message: '至少要改一项', path: ['result'] });

export function caseRoutesPlugin(): HubPlugin {
  return {
    name: 'cases',
    install(ctx) {
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
        const now = ctx.clock.now();
        const rec = ctx.run(() =>
          ctx.repo.transaction(() => {
            const r = ctx.cases.createCase(
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
            );
            ctx.repo.appendAudit({
              at: now,
              actor: ctx.actorOf(c),
              action: 'case.create',
              subject: r.id,
              result: 'ok',
              detail: { taskCode: r.taskCode, status: r.status },
            });
            return r;
          }),
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
        const now = ctx.clock.now();
        const rec = ctx.run(() =>
          ctx.repo.transaction(() => {
            const r = ctx.cases.reviseCase(
              cur.id,
              {
                ...(body.result !== undefined ? { result: body.result } : {}),
                ...(body.taskName !== undefined ? { taskName: body.taskName } : {}),
                ...(body.caseType !== undefined ? { caseType: body.caseType } : {}),
                ...(body.materials !== undefined ? { materials: body.materials } : {}),
                ...(body.finish ? { finish: true } : {}),
              },
              now,
            );
            ctx.repo.appendAudit({
              at: now,
              actor: ctx.actorOf(c),
              action: 'case.revise',
              subject: r.id,
              result: 'ok',
              detail: { version: r.version, status: r.status },
            });
            return r;
          }),
        );
        sendJson(res, 200, { caseId: rec.id, version: rec.version, status: rec.status });
      });
      return undefined;
    },
  };
}
