/**
 * Core contract: the window actions of a signed-in staff session — call, recall, skip, transfer,
 * pause, resume, start — and 办结, which records the case and asks for a rating in the same
 * transaction as the ticket's end. 办结 also answers the case's rating code (扫码评价, 补充评价 at a
 * kiosk): only in that answer, stored hashed with the case, never in an event.
 */
import { randomBytes } from 'node:crypto';
import { coreRoutes as api } from '../../common/api/routes.js';
import type { Ticket, WindowStatus } from '../queue/types.js';
import { ticketView } from './hall-plugin.js';
import type { HubPlugin } from './hub-plugin.js';
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
      const tz = () => ctx.timeZone();
      const ticketOut = (t: Ticket | null, c: Parameters<typeof ticketView>[2]) =>
        t === null ? undefined : ticketView(ctx, t, c);
      const windowOut = (w: WindowStatus) => windowJson(w, tz());

      ctx.defineRoute(api.callNext, ({ windowNo, caller }) =>
        ticketOut(
          ctx.run(() => engine.callNext(windowNo, ctx.actorOf(caller))),
          caller,
        ),
      );
      ctx.defineRoute(api.recall, ({ windowNo, caller }) =>
        ticketOut(
          ctx.run(() => engine.recall(windowNo, ctx.actorOf(caller))),
          caller,
        ),
      );
      ctx.defineRoute(api.call, ({ windowNo, caller, body }) =>
        ticketOut(
          ctx.run(() => engine.call(windowNo, body.ticketId, ctx.actorOf(caller))),
          caller,
        ),
      );
      ctx.defineRoute(api.skip, ({ windowNo, caller, body }) =>
        ticketOut(
          ctx.run(() => engine.skip(windowNo, { requeue: body.requeue === true }, ctx.actorOf(caller))),
          caller,
        ),
      );
      ctx.defineRoute(api.transfer, ({ windowNo, caller, body }) =>
        ticketOut(
          ctx.run(() => engine.transfer(windowNo, body, ctx.actorOf(caller))),
          caller,
        ),
      );
      ctx.defineRoute(api.start, ({ windowNo, caller }) =>
        ticketOut(
          ctx.run(() => engine.start(windowNo, ctx.actorOf(caller))),
          caller,
        ),
      );
      ctx.defineRoute(api.pause, ({ windowNo, caller, body }) =>
        windowOut(ctx.run(() => engine.pause(windowNo, body.reason, ctx.actorOf(caller)))),
      );
      ctx.defineRoute(api.resume, ({ windowNo, caller }) =>
        windowOut(ctx.run(() => engine.resume(windowNo, ctx.actorOf(caller)))),
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
        return { caseId, evaluationRequestId, ratingCode };
      });
      return undefined;
    },
  };
}
