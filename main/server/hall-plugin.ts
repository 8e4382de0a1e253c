/** Core contract: health, the OpenAPI document, the hall with its services and windows, the queue, day statistics. */
import { coreRoutes as api } from '../../common/api/routes.js';
import { isoInZone } from '../../common/hall-time.js';
import type { Ticket } from '../queue/types.js';
import type { StorageMonitor } from '../store/storage-health.js';
import { ApiError } from './http-kit.js';
import type { Caller, HubContext, HubPlugin } from './hub-plugin.js';
import { ticketJson } from './ticket-json.js';

/** How a ticket is shown to a caller: with its place in the queue, masked unless `reveal`. */
export function ticketView(ctx: HubContext, t: Ticket, c: Caller | null) {
  const v = ctx.engine.getTicket(t.id);
  // Clear name and number only for the staff session of the window serving the ticket.
  const reveal =
    c?.kind === 'staff' && t.windowNo === c.session.windowNo && (t.status === 'called' || t.status === 'serving');
  if (reveal && t.applicant) auditReveal(ctx, c, t);
  return ticketJson(t, {
    timeZone: ctx.timeZone(),
    reveal,
    ahead: v?.ahead ?? 0,
    estimatedWaitSeconds: v?.estimatedWaitSeconds ?? 0,
  });
}

/** Per hub: the (session, ticket) pairs already on record, so a screen's refreshes add no rows. */
const revealed = new WeakMap<HubContext, Set<string>>();
const REVEALS_REMEMBERED = 10_000;

/**
 * Who saw a citizen's clear name and ID number: the first time a window session is shown a
 * ticket's applicant unmasked, one audit row (ticket id only, never the data itself). No row, no
 * clear data: when the row cannot be written (a full or read-only disk) the read fails with the
 * store's error, and the pair is remembered only once its row is there.
 */
function auditReveal(ctx: HubContext, c: Caller, t: Ticket): void {
  const seen = revealed.get(ctx) ?? new Set<string>();
  revealed.set(ctx, seen);
  const key = `${c.key}:${t.id}`;
  if (seen.has(key)) return;
  ctx.audit({
    actor: ctx.actorOf(c),
    action: 'ticket.reveal',
    subject: t.id,
    result: 'ok',
    detail: { number: t.number },
  });
  if (seen.size >= REVEALS_REMEMBERED) seen.clear();
  seen.add(key);
}

export function hallPlugin(openApi: () => Record<string, unknown>, storage?: StorageMonitor): HubPlugin {
  return {
    name: 'hall',
    install(ctx) {
      const { engine } = ctx;
      const hallJson = () => {
        const views = new Map(engine.services().map((s) => [s.code, s]));
        return {
          hallCode: engine.config.hall.code,
          name: engine.config.hall.name,
          businessDay: engine.businessDay(),
          services: engine.config.services.map((s) => ({
            code: s.code,
            name: s.name,
            category: s.category,
            prefix: s.prefix,
            waiting: views.get(s.code)?.waiting ?? 0,
            open: views.get(s.code)?.open ?? false,
            estimatedWaitSeconds: views.get(s.code)?.estimatedWaitSeconds ?? 0,
            allowAnonymous: s.allowAnonymous,
          })),
          windows: engine.config.windows.map((w) => {
            const st = engine.window(w.no);
            const cur = st.currentTicketId ? engine.getTicket(st.currentTicketId)?.ticket : null;
            return {
              no: w.no,
              name: w.name,
              services: w.services.map((s) => s.code),
              comprehensive: w.comprehensive,
              greenChannel: w.greenChannel,
              state: st.state,
              staffNo: st.staffNo,
              pauseReason: st.pauseReason,
              current: cur ? ticketView(ctx, cur, null) : null,
            };
          }),
        };
      };

      // A full or read-only disk: reads still work, so the hub is degraded, not down (200 all the same).
      ctx.defineRoute(api.health, () => {
        const problem = storage?.status() ?? null;
        const base = { version: ctx.version, businessDay: engine.businessDay() };
        if (!problem) return { status: 'ok', ...base };
        const reason = {
          code: problem.code,
          message: problem.message,
          since: isoInZone(problem.since, ctx.timeZone()),
        };
        return { status: 'degraded', ...base, reason };
      });
      ctx.defineRoute(api.openapi, () => openApi());
      ctx.defineRoute(api.hall, () => {
        ctx.run(() => engine.rolloverIfDue());
        return hallJson();
      });
      ctx.defineRoute(api.services, () => hallJson().services);
      ctx.defineRoute(api.windows, () => hallJson().windows);
      ctx.defineRoute(api.window, ({ params }) => {
        const w = hallJson().windows.find((x) => String(x.no) === params.no);
        if (!w) throw new ApiError(404, 'UNKNOWN_WINDOW', `窗口 ${params.no} 不存在`);
        return w;
      });
      ctx.defineRoute(api.queue, ({ query, caller }) =>
        engine.waitingTickets(query.serviceCode).map((t) => ticketView(ctx, t, caller)),
      );
      ctx.defineRoute(api.stats, ({ query }) => engine.statistics(query.day ?? engine.businessDay()));
      return undefined;
    },
  };
}
