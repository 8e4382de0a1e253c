/**
 * The hub API as the UIs see it on the wire: every type here is inferred from the zod schemas of
 * `common/api` that the hub validates with and documents in OpenAPI, so a changed answer breaks
 * the UI build instead of a screen at runtime. Times are ISO strings; people are masked.
 */
import type { z } from 'zod';
import type * as rq from '../../common/api/requests.js';
import type * as rs from '../../common/api/responses.js';
import type { CertType } from '../../common/cert-number.js';
import type { EvaluationLevel } from '../../common/evaluation.js';
import type { Channel, Priority, TicketStatus, WindowState } from '../../common/queue-terms.js';
import type { QueueEvent } from '../../main/queue/types.js';

export type { CertType, Channel, EvaluationLevel, Priority, TicketStatus, WindowState };

export type ApiApplicant = z.output<typeof rs.applicantAnswer>;
export type ApiTicket = z.output<typeof rs.ticketAnswer>;
export type ApiService = z.output<typeof rs.serviceAnswer>;
export type ApiWindow = z.output<typeof rs.windowAnswer>;
export type ApiHall = z.output<typeof rs.hallAnswer>;
export type ApiEvaluation = z.output<typeof rs.evaluationAnswer>;
/** A case from `GET /cases/{id}` (with ratings) or from `POST /cases/lookup` (with progress). */
export type ApiCase = z.output<typeof rs.lookupCaseAnswer> & { evaluations?: ApiEvaluation[] };
export type IssueTicketBody = z.input<typeof rq.issueTicketBody>;
export type EvaluationBody = z.input<typeof rq.evaluationBody>;
export type StaffSessionAnswer = z.output<typeof rs.staffSessionAnswer>;

/**
 * Live events (`GET /api/v1/events`) as sent on the wire: the engine's events with tickets and
 * windows rendered as in HTTP answers, each stamped with `seq` and `at`.
 */
type OnTheWire<E> = {
  [K in keyof E]: K extends 'ticket' ? ApiTicket : K extends 'window' ? z.output<typeof rs.windowStatusAnswer> : E[K];
} & { seq: number; at: string };
export type HubEvent = QueueEvent extends infer E ? (E extends QueueEvent ? OnTheWire<E> : never) : never;

export type HubEventType = HubEvent['type'];
export type HubEventOf<T extends HubEventType> = Extract<HubEvent, { type: T }>;
