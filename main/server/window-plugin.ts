/**
 * Core contract: the window actions of a signed-in staff session — call, recall, skip, transfer,
 * pause, resume, start — and 办结, which records the case and asks for a rating in the same
 * transaction as the ticket's end. 办结 also answers the case's rating code (扫码评价, 补充评价 at a
 * kiosk): only in that answer, stored hashed with the case, never in an event.
 */
import { randomBytes } from 'node:crypto';
import { publicRoutes as publicApi } from '../../common/api/public-routes.js';
import { coreRoutes as api } from '../../common/api/routes.js';
import type { Actor, Ticket, WindowStatus } from '../queue/types.js';
import { ticketView } from './hall-plugin.js';
import { ApiError } from './http-kit.js';
import type { HubPlugin, StaffCaller } from './hub-plugin.js';
import { windowJson } from './ticket-json.js';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A rating code: 120 random bits as 24 Crockford base32 characters (QR alphanumeric, no I/L/O/U). */
export function newRatingCode(): string {
  const bytes = randomBytes(15);
  let bits = 0;
  let value = 0;
  let out = '';
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += CROCKFORD[(value >> bits) & 31];
    }
  }
  return out;
}

export function windowPlugin(): HubPlugin {
  return {
    name: 'windows',
    install(ctx) {
      const { engine } = ctx;
      /**
       * The rating code of each window's latest 办结, in memory only, for that window's pad to show
       * as a QR while the citizen is at the window (gone on a rating, after 10 minutes, or a restart).
       */
      const openCodes = new Map<number, { caseId: string; ratingCode: string; at: number }>();
      ctx.onPublished((stored) => {
        for (const { event: e } of stored)
          if (e.type === 'evaluation.recorded') {
            for (const [no, c] of openCodes) if (c.caseId === e.caseId) openCodes.delete(no);
          }
      });
      ctx.defineRoute(publicApi.windowRatingCode, ({ params, caller }) => {
        const no = Number(params.no);
        const own = caller.kind === 'device' && caller.token.role === 'evaluator' && caller.token.windowNo === no;
        if (!own) throw new ApiError(403, 'WRONG_WINDOW', `只有 ${params.no} 号窗口的评价器可以取该窗口的评价码`);
        const c = openCodes.get(no);
        if (!c || ctx.clock.now() - c.at > 10 * 60_000)
          throw new ApiError(404, 'NO_OPEN_RATING', '该窗口没有等待评价的办件');
        return { caseId: c.caseId, ratingCode: c.ratingCode };
      });
      const tz = () => ctx.timeZone();
      const ticketOut = (t: Ticket | null, c: Parameters<typeof ticketView>[2]) =>
        t === null ? undefined : ticketView(ctx, t, c);
      const windowOut = (w: WindowStatus) => windowJson(w, tz());

      // Each action runs one engine command for the session's window and shows its result.
      const act =
        <T>(command: (windowNo: number, actor: Actor, caller: StaffCaller) => T) =>
        ({ windowNo, caller }: { windowNo: number; caller: StaffCaller }) =>
          command(windowNo, ctx.actorOf(caller), caller);
      const ticketAct = (run: (windowNo: number, actor: Actor) => Ticket | null) =>
        act((no, actor, caller) =>
          ticketOut(
            ctx.run(() => run(no, actor)),
            caller,
          ),
        );

      ctx.defineRoute(
        api.callNext,
        ticketAct((no, a) => engine.callNext(no, a)),
      );
      ctx.defineRoute(
        api.recall,
        ticketAct((no, a) => engine.recall(no, a)),
      );
      ctx.defineRoute(
        api.start,
        ticketAct((no, a) => engine.start(no, a)),
      );
      ctx.defineRoute(api.call, (r) => ticketAct((no, a) => engine.call(no, r.body.ticketId, a))(r));
      ctx.defineRoute(api.skip, (r) =>
        ticketAct((no, a) => engine.skip(no, { requeue: r.body.requeue === true }, a))(r),
      );
      ctx.defineRoute(api.transfer, (r) => ticketAct((no, a) => engine.transfer(no, r.body, a))(r));
      ctx.defineRoute(api.pause, (r) =>
        act((no, a) => windowOut(ctx.run(() => engine.pause(no, r.body.reason, a))))(r),
      );
      ctx.defineRoute(
        api.resume,
        act((no, a) => windowOut(ctx.run(() => engine.resume(no, a)))),
      );

      ctx.defineRoute(api.finish, ({ windowNo, caller, body }) => {
        const actor = ctx.actorOf(caller);
        const staff = engine.config.staff.find((s) => s.no === caller.session.staffNo);
        const evaluationRequestId = `ER${ctx.clock.now().toString(36).toUpperCase()}${randomBytes(4).toString('hex').toUpperCase()}`;
        const ratingCode = newRatingCode();
        // Ticket, case and the rating request commit together or not at all, and are announced after.
        let caseId = '';
        ctx.run(() =>
          engine.finish(windowNo, actor, (ticket) => {
            const caseRec = ctx.cases.recordFinished(ticket, body.case, ctx.clock.now());
            caseId = caseRec.id;
            ctx.cases.attachRatingCode(caseRec.id, ratingCode);
            ctx.caseFinish.run({ ticket, caseId: caseRec.id, windowNo, materials: body.case.materials ?? [], actor });
            ctx.repo.appendAudit({
              at: ctx.clock.now(),
              actor,
              action: 'case.finish',
              subject: caseRec.id,
              result: 'ok',
              detail: { ticketId: ticket.id, taskCode: caseRec.taskCode },
            });
            return [
              {
                type: 'evaluation.requested',
                windowNo,
                caseId: caseRec.id,
                evaluationRequestId,
                staff: staff ? { no: staff.no, name: staff.name } : null,
              },
            ];
          }),
        );
        openCodes.set(windowNo, { caseId, ratingCode, at: ctx.clock.now() });
        return { caseId, evaluationRequestId, ratingCode };
      });
      return undefined;
    },
  };
}
