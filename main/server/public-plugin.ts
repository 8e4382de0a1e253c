/**
 * The citizen's phone (hub-api.md v1.1): following a ticket by its code and 扫码评价 by the case's
 * rating code. No token, a per-address limit (auth.ts `takePublic`), and answers that name no
 * person — the number, the service, the window, never an id, a name or an ID number.
 */
import { publicRoutes as api } from '../../common/api/public-routes.js';
import { isoInZone } from '../../common/hall-time.js';
import type { Ticket } from '../queue/types.js';
import type { CaseRecord } from '../store/case-repository.js';
import { recordEvaluation } from './evaluation-recorder.js';
import { ApiError, clientAddress } from './http-kit.js';
import type { HubContext, HubPlugin } from './hub-plugin.js';
import { defaultReasons } from './pad-plugin.js';

/** A rating code is valid this many days after 办结 when the config says nothing. */
export const DEFAULT_RATING_DAYS = 7;

const unknownTicket = () =>
  new ApiError(
    404,
    'UNKNOWN_TICKET_CODE',
    '查不到这张号票：请核对二维码，或向大厅工作人员询问（号票只在取号当天可查）',
  );
const unknownRating = () =>
  new ApiError(404, 'UNKNOWN_RATING_CODE', '评价码无效或已过期：请向窗口工作人员索取新的评价码，或在大厅评价器上评价');

/** A transferred ticket is followed to the leg that now waits (a chain of at most a few hops). */
export function currentLeg(ctx: HubContext, id: string): ReturnType<HubContext['engine']['getTicket']> {
  let v = ctx.engine.getTicket(id);
  for (let hops = 0; v && v.ticket.status === 'transferred' && v.ticket.transferredTo && hops < 20; hops++) {
    const next = ctx.engine.getTicket(v.ticket.transferredTo);
    if (!next) break;
    v = next;
  }
  return v;
}

/** The case of a rating code, while the code is valid (config `public.ratingDays` after 办结). */
function ratedCase(ctx: HubContext, code: string): { c: CaseRecord; validUntil: number } {
  const c = /^[0-9A-Za-z]{8,64}$/.test(code) ? ctx.cases.caseOfRatingCode(code) : null;
  if (!c) throw unknownRating();
  const days = ctx.engine.config.public?.ratingDays ?? DEFAULT_RATING_DAYS;
  const validUntil = (c.finishTime ?? c.acceptTime ?? ctx.clock.now()) + days * 86_400_000;
  if (ctx.clock.now() > validUntil) throw unknownRating();
  return { c, validUntil };
}

export function publicTicketJson(ctx: HubContext, t: Ticket, ahead: number, wait: number) {
  const service = ctx.engine.config.services.find((s) => s.code === t.serviceCode);
  return {
    number: t.number,
    serviceName: service?.name ?? t.serviceCode,
    status: t.status,
    ahead,
    estimatedWaitSeconds: wait,
    windowNo: t.windowNo,
    calledAt: t.calledAt === null ? null : isoInZone(t.calledAt, ctx.timeZone()),
    recallCount: t.recallCount,
    businessDay: t.businessDay,
  };
}

export function publicPlugin(): HubPlugin {
  return {
    name: 'public',
    install(ctx) {
      ctx.defineRoute(api.publicTicket, ({ params }) => {
        const id = ctx.ticketCodes.ticketOf(params.ticketCode);
        const v = id ? currentLeg(ctx, id) : null;
        if (!v) throw unknownTicket();
        return publicTicketJson(ctx, v.ticket, v.ahead, v.estimatedWaitSeconds);
      });
      ctx.defineRoute(api.publicRating, ({ params }) => {
        const { c, validUntil } = ratedCase(ctx, params.ratingCode);
        const assessments = ctx.cases.evaluationsOf(c.id).length;
        const iso = (ms: number | null) => (ms === null ? null : isoInZone(ms, ctx.timeZone()));
        return {
          taskName: c.taskName,
          windowNo: c.windowNo,
          finishedAt: iso(c.finishTime),
          assessments,
          canRate: assessments < 2,
          validUntil: isoInZone(validUntil, ctx.timeZone()),
          reasons: defaultReasons(),
        };
      });
      ctx.defineRoute(api.publicEvaluate, ({ body, req }) => {
        const { c } = ratedCase(ctx, body.ratingCode);
        // The pads' recorder, rules and event: only the channel and the "who" differ.
        const rec = recordEvaluation(
          ctx,
          {
            caseId: c.id,
            level: body.level,
            reasons: body.reasons,
            text: body.text ?? null,
            channel: 'qr',
            deviceId: 'qr',
            onlyWindow: null,
          },
          { role: 'citizen', terminalId: null, staffNo: null, address: clientAddress(req) },
        );
        return { id: rec.id, assessNumber: rec.assessNumber };
      });
      return undefined;
    },
  };
}
