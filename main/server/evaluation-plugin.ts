/**
 * Core contract: a case with its ratings, and a rating from a pad or (补充评价) a kiosk. Who may rate
 * which case, and under which channel, follows from the token, never from the body
 * (docs/security.md): a pad rates what its window finished (channel `pad`); a kiosk rates a case
 * only with the applicant's ID number or the case's rating code (channel `kiosk`).
 */
import { coreRoutes as api } from '../../common/api/routes.js';
import { isoInZone } from '../../common/hall-time.js';
import type { CaseRepository } from '../store/case-repository.js';
import { recordEvaluation } from './evaluation-recorder.js';
import { ApiError } from './http-kit.js';
import type { HubPlugin } from './hub-plugin.js';

/**
 * A kiosk stands in the hall for anyone: it may rate a case only for the person the case belongs
 * to — the applicant's ID number (card or keypad; compared by keyed hash) or the rating code
 * handed out at 办结. An unknown case is still 404, as for pads.
 */
function requireApplicantProof(
  cases: CaseRepository,
  body: { caseId: string; certNo?: string | undefined; ratingCode?: string | undefined },
): void {
  if (!cases.get(body.caseId)) throw new ApiError(404, 'UNKNOWN_CASE', `办件不存在：${body.caseId}`);
  if (body.certNo === undefined && body.ratingCode === undefined) {
    throw new ApiError(
      403,
      'APPLICANT_PROOF_REQUIRED',
      '补充评价需要确认是办事人本人：请刷身份证、输入证件号码，或扫描办结时给出的评价码',
    );
  }
  const ok =
    (body.certNo !== undefined && cases.isApplicant(body.caseId, body.certNo)) ||
    (body.ratingCode !== undefined && cases.hasRatingCode(body.caseId, body.ratingCode));
  if (!ok) {
    throw new ApiError(403, 'NOT_THE_APPLICANT', '证件号码或评价码与该办件不符，不能评价；请核对后重试');
  }
}

export function evaluationPlugin(): HubPlugin {
  return {
    name: 'evaluations',
    install(ctx) {
      ctx.defineRoute(api.getCase, ({ params }) => {
        const c = ctx.cases.get(params.id);
        if (!c) throw new ApiError(404, 'UNKNOWN_CASE', `办件不存在：${params.id}`);
        const iso = (ms: number | null) => (ms === null ? null : isoInZone(ms, ctx.timeZone()));
        return {
          id: c.id,
          projectNo: c.projectNo,
          taskCode: c.taskCode,
          taskName: c.taskName,
          status: c.status,
          result: c.result,
          caseType: c.caseType,
          windowNo: c.windowNo,
          staffNo: c.staffNo,
          ticketId: c.ticketId,
          acceptTime: iso(c.acceptTime),
          finishTime: iso(c.finishTime),
          evaluations: ctx.cases.evaluationsOf(c.id).map((e) => ({
            id: e.id,
            assessNumber: e.assessNumber,
            level: e.level,
            reasons: e.reasons,
            text: e.text,
            channel: e.channel,
            createdAt: isoInZone(e.createdAt, ctx.timeZone()),
          })),
        };
      });
      ctx.defineRoute(api.evaluate, ({ body, caller }) => {
        if (caller.kind !== 'device') throw new ApiError(403, 'FORBIDDEN_ROLE', '窗口工作人员会话无权执行此操作');
        const pad = caller.token.role === 'evaluator';
        // An evaluator pad belongs to one window and rates only what that window finished.
        const onlyWindow = pad ? caller.token.windowNo : null;
        if (pad && onlyWindow === null)
          throw new ApiError(
            403,
            'WRONG_WINDOW',
            '该评价器令牌没有绑定窗口，不能评价；请在管理台为它指定窗口后重新配对',
          );
        if (!pad) requireApplicantProof(ctx.cases, body);
        const rec = recordEvaluation(
          ctx,
          {
            caseId: body.caseId,
            level: body.level,
            reasons: body.reasons,
            text: body.text ?? null,
            channel: pad ? 'pad' : 'kiosk',
            deviceId: caller.token.id,
            onlyWindow,
          },
          ctx.actorOf(caller),
        );
        return { id: rec.id, assessNumber: rec.assessNumber };
      });
      return undefined;
    },
  };
}
