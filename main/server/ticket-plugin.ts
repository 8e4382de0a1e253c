/** Core contract: issuing, reading and cancelling tickets. */
import { coreRoutes as api } from '../../common/api/routes.js';
import { ticketView } from './hall-plugin.js';
import { ApiError } from './http-kit.js';
import type { HubPlugin } from './hub-plugin.js';
import { ticketJson } from './ticket-json.js';

export function ticketPlugin(): HubPlugin {
  return {
    name: 'tickets',
    install(ctx) {
      const { engine } = ctx;
      ctx.defineRoute(api.issueTicket, ({ body, caller }) => {
        const view = ctx.run(() =>
          engine.issue(
            {
              serviceCode: body.serviceCode,
              channel: body.channel,
              applicant: body.applicant ?? null,
              priority: body.priority ?? null,
              appointmentId: body.appointmentId ?? null,
            },
            ctx.actorOf(caller),
          ),
        );
        return ticketJson(view.ticket, {
          timeZone: ctx.timeZone(),
          reveal: false,
          ahead: view.ahead,
          estimatedWaitSeconds: view.estimatedWaitSeconds,
        });
      });
      ctx.defineRoute(api.ticket, ({ params, caller }) => {
        const v = engine.getTicket(params.id);
        if (!v) throw new ApiError(404, 'UNKNOWN_TICKET', `票号不存在：${params.id}`);
        return ticketView(ctx, v.ticket, caller);
      });
      ctx.defineRoute(api.cancelTicket, ({ params, caller }) => {
        const t = ctx.run(() => engine.cancel(params.id, ctx.actorOf(caller)));
        return ticketView(ctx, t, caller);
      });
      return undefined;
    },
  };
}
