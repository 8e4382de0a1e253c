/**
 * Core contract: issuing, reading and cancelling tickets. What a kiosk may claim (a priority) and
 * cancel (its own ticket, just after) is the queue's rule (main/queue/requester-rules.ts); this
 * plugin only tells the engine which credential asks.
 */
import { coreRoutes as api } from '../../common/api/routes.js';
import type { AppointmentRegister } from '../appointments/register.js';
import { checkChannel } from '../queue/requester-rules.js';
import type { Ticket } from '../queue/types.js';
import { appointmentOfTicketRequest, issueForAppointment } from './appointment-tickets.js';
import type { Caller } from './auth.js';
import { ticketView } from './hall-plugin.js';
import { ApiError } from './http-kit.js';
import type { HubContext, HubPlugin } from './hub-plugin.js';
import { type TicketJson, ticketJson } from './ticket-json.js';

/** The device token's id (never its secret); staff sessions are not device tokens. */
const tokenIdOf = (caller: Caller): string | null => (caller.kind === 'device' ? caller.token.id : null);

/**
 * The `201` answer of an issue or a check-in: the ticket, masked, with a new `ticketCode` — the
 * one place the code is ever answered (hub-api.md v1.1; it is stored only as a hash).
 */
export function issuedTicketJson(
  ctx: Pick<HubContext, 'ticketCodes' | 'timeZone'>,
  view: { ticket: Ticket; ahead: number; estimatedWaitSeconds: number },
): TicketJson & { ticketCode: string } {
  const ticketCode = ctx.ticketCodes.issue(view.ticket.id, view.ticket.businessDay);
  return {
    ...ticketJson(view.ticket, {
      timeZone: ctx.timeZone(),
      reveal: false,
      ahead: view.ahead,
      estimatedWaitSeconds: view.estimatedWaitSeconds,
    }),
    ticketCode,
  };
}

/** `appointments`: the register that a ticket naming an appointment is checked against (none: always refused). */
export function ticketPlugin(appointments?: AppointmentRegister): HubPlugin {
  return {
    name: 'tickets',
    install(ctx) {
      const { engine } = ctx;
      ctx.defineRoute(api.issueTicket, ({ body, caller }) => {
        ctx.run(() => checkChannel(ctx.actorOf(caller), body.channel));
        // Appointment priority only through a booked appointment of this service today, which
        // this request then checks in (with the check-in's window rules), once.
        const named =
          body.channel === 'appointment' || body.appointmentId !== undefined
            ? appointmentOfTicketRequest(appointments, body.serviceCode, body.appointmentId)
            : null;
        const view = named
          ? issueForAppointment(ctx, appointments!, named, caller)
          : ctx.run(() =>
              engine.issue(
                {
                  serviceCode: body.serviceCode,
                  channel: body.channel,
                  applicant: body.applicant ?? null,
                  priority: body.priority ?? null,
                  appointmentId: null,
                  issuedBy: tokenIdOf(caller),
                },
                ctx.actorOf(caller),
              ),
            );
        return issuedTicketJson(ctx, view);
      });
      ctx.defineRoute(api.ticket, ({ params, caller }) => {
        const v = engine.getTicket(params.id);
        if (!v) throw new ApiError(404, 'UNKNOWN_TICKET', `票号不存在：${params.id}`);
        return ticketView(ctx, v.ticket, caller);
      });
      ctx.defineRoute(api.cancelTicket, ({ params, caller }) => {
        const t = ctx.run(() => engine.cancel(params.id, ctx.actorOf(caller), tokenIdOf(caller)));
        return ticketView(ctx, t, caller);
      });
      return undefined;
    },
  };
}
