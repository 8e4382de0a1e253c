/** Core contract: a case with its ratings, and a rating from a pad or (补充评价) a kiosk. */
import { coreRoutes as api } from '../../common/api/routes.js';
import { isoInZone } from '../../common/hall-time.js';
import { recordEvaluation } from './evaluation-recorder.js';
import { ApiError } from './http-kit.js';
import type { HubPlugin } from './hub-plugin.js';

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
        // An evaluator pad belongs to one window and rates only what that window finished.
        const onlyWindow = caller.token.role === 'evaluator' ? caller.token.windowNo : null;
        const rec = recordEvaluation(
          ctx,
          {
            caseId: body.caseId,
            level: body.level,
            reasons: body.reasons,
            text: body.text ?? null,
            channel: body.channel,
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
