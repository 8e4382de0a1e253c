/** The display's list of recent calls, newest first: pure functions over hub events and /hall. */
import type { ApiHall, ApiTicket } from '../shared/api-types.js';

export interface CallEntry {
  /** Ticket id + event seq: a recall is a new entry for the animation. */
  key: string;
  ticketId: string;
  number: string;
  windowNo: number;
  windowName: string;
  serviceCode: string;
  /** ISO time of the call. */
  at: string;
  recall: boolean;
}

export const MAX_CALLS = 8;

/** Puts a call on top; the same ticket called again moves up instead of showing twice. */
export function addCall(list: CallEntry[], e: CallEntry, max = MAX_CALLS): CallEntry[] {
  return [e, ...list.filter((c) => c.ticketId !== e.ticketId)].slice(0, max);
}

export function callEntry(
  ticket: ApiTicket,
  windowNo: number,
  at: string,
  seq: number,
  windowName: (no: number) => string,
  recall = false,
): CallEntry {
  return {
    key: `${ticket.id}:${seq}`,
    ticketId: ticket.id,
    number: ticket.number,
    windowNo,
    windowName: windowName(windowNo),
    serviceCode: ticket.serviceCode,
    at,
    recall,
  };
}

/** After a (re)load: the tickets windows are calling or serving now, most recent call first. */
export function seedCalls(hall: ApiHall, max = MAX_CALLS): CallEntry[] {
  return hall.windows
    .filter((w) => w.current && (w.current.status === 'called' || w.current.status === 'serving'))
    .map((w) => {
      const t = w.current!;
      return {
        key: `${t.id}:seed`,
        ticketId: t.id,
        number: t.number,
        windowNo: w.no,
        windowName: w.name,
        serviceCode: t.serviceCode,
        at: t.calledAt ?? t.issuedAt,
        recall: false,
      };
    })
    .sort((a, b) => Date.parse(b.at) - Date.parse(a.at))
    .slice(0, max);
}

/** Merges seeded calls under the live ones (live events win; nothing shown twice). */
export function mergeSeed(live: CallEntry[], seed: CallEntry[], max = MAX_CALLS): CallEntry[] {
  const have = new Set(live.map((c) => c.ticketId));
  return [...live, ...seed.filter((s) => !have.has(s.ticketId))]
    .sort((a, b) => Date.parse(b.at) - Date.parse(a.at))
    .slice(0, max);
}

/** Replayed calls older than this are shown but not announced (a display back after a long outage). */
export const ANNOUNCE_WITHIN_MS = 120_000;

export function shouldAnnounce(eventAt: string, now: number): boolean {
  const t = Date.parse(eventAt);
  return Number.isFinite(t) && now - t <= ANNOUNCE_WITHIN_MS;
}
