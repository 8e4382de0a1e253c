/**
 * Cases made or changed outside a ticket's finish (docs/sync.md): staff take a case without a
 * ticket, and every later change (办结 of an accepted case, a corrected result or materials) is a
 * new version. Each one is stored with its outbox record in one transaction.
 */
import { caseRoutes as api } from '../../common/api/routes.js';
import { checkCertNo } from '../../common/cert-number.js';
import { type CaseRecord, CLOSED_CASE_STATUSES } from '../store/case-repository.js';
import { ApiError } from './http-kit.js';
import type { HubPlugin } from './hub-plugin.js';

const CLOSED_NAMES: Record<string, string> = { finished: '办结', returned: '退件', withdrawn: '撤回' };

export function casePlugin(): HubPlugin {
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

      ctx.defineRoute(api.createCase, ({ caller: c, body }) => {
        if (c.kind !== 'staff') throw new ApiError(403, 'STAFF_SESSION_REQUIRED', '受理办件需要工作人员在窗口登录');
        let applicant: typeof body.applicant | null = null;
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
        return { caseId: rec.id, version: rec.version, status: rec.status };
      });

      ctx.defineRoute(api.reviseCase, ({ caller: c, body, params }) => {
        const cur = ctx.cases.get(params.id);
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
        return { caseId: rec.id, version: rec.version, status: rec.status };
      });
      return undefined;
    },
  };
}
