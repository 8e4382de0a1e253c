/** How tickets, windows and events look on the wire: ISO times with the hall offset, masked people. */

import type { z } from 'zod';
import type { ticketAnswer, windowStatusAnswer } from '../../common/api/responses.js';
import { isoInZone } from '../../common/hall-time.js';
import { maskCertNo, maskName } from '../../common/mask.js';
import type { StoredEvent } from '../queue/repository.js';
import type { Ticket, WindowStatus } from '../queue/types.js';

export interface TicketJsonOptions {
  timeZone: string;
  ahead: number;
  estimatedWaitSeconds: number;
  /** Clear name and ID number: only for the signed-in staff of the window serving the ticket. */
  reveal: boolean;
}

const iso = (ms: number | null, tz: string) => (ms === null ? null : isoInZone(ms, tz));

export type TicketJson = z.output<typeof ticketAnswer>;
export type WindowStatusJson = z.output<typeof windowStatusAnswer>;

export function ticketJson(t: Ticket, o: TicketJsonOptions): TicketJson {
  const out: TicketJson = {
    id: t.id,
    number: t.number,
    serviceCode: t.serviceCode,
    status: t.status,
    priority: t.priority,
    ahead: o.ahead,
    estimatedWaitSeconds: o.estimatedWaitSeconds,
    issuedAt: isoInZone(t.issuedAt, o.timeZone),
    businessDay: t.businessDay,
    channel: t.channel,
    appointmentId: t.appointmentId,
    windowNo: t.windowNo,
    targetWindowNo: t.targetWindowNo,
    calledAt: iso(t.calledAt, o.timeZone),
    startedAt: iso(t.startedAt, o.timeZone),
    finishedAt: iso(t.finishedAt, o.timeZone),
    recallCount: t.recallCount,
    requeued: t.requeued,
    closedReason: t.closedReason,
    transferredFrom: t.transferredFrom,
    transferredTo: t.transferredTo,
  };
  if (t.applicant) {
    out.applicant = o.reveal
      ? { name: t.applicant.name, certType: t.applicant.certType, certNo: t.applicant.certNo }
      : { name: maskName(t.applicant.name), certType: t.applicant.certType, certNo: maskCertNo(t.applicant.certNo) };
  }
  return out;
}

export function windowJson(w: WindowStatus, tz: string): WindowStatusJson {
  return {
    no: w.no,
    state: w.state,
    staffNo: w.staffNo,
    currentTicketId: w.currentTicketId,
    pauseReason: w.pauseReason,
    updatedAt: w.updatedAt ? isoInZone(w.updatedAt, tz) : null,
  };
}

/**
 * One WebSocket message per stored event, serialised once for every client. Tickets are always
 * masked here: events go to displays in the public hall.
 */
export function eventMessage(
  e: StoredEvent,
  tz: string,
  placeOf: (t: Ticket) => { ahead: number; estimatedWaitSeconds: number },
): string {
  const { type, ...rest } = e.event as { type: string } & Record<string, unknown>;
  const payload: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(rest)) {
    if (k === 'ticket' && v) {
      const t = v as Ticket;
      payload.ticket = ticketJson(t, {
        timeZone: tz,
        reveal: false,
        ...(t.status === 'waiting' ? placeOf(t) : { ahead: 0, estimatedWaitSeconds: 0 }),
      });
    } else if (k === 'window' && v) payload.window = windowJson(v as WindowStatus, tz);
    else payload[k] = v;
  }
  return JSON.stringify({ type, seq: e.seq, at: isoInZone(e.at, tz), ...payload });
}
