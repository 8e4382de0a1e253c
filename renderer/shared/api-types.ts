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

/** Live events (`GET /api/v1/events`): every event carries `seq` and `at`. */
export type HubEvent =
  | { type: 'ticket.issued'; seq: number; at: string; ticket: ApiTicket }
  | { type: 'ticket.called'; seq: number; at: string; ticket: ApiTicket; windowNo: number; announcement: string }
  | {
      type: 'ticket.recalled';
      seq: number;
      at: string;
      ticket: ApiTicket;
      windowNo: number;
      announcement: string;
      recallCount: number;
    }
  | { type: 'ticket.changed'; seq: number; at: string; ticket: ApiTicket }
  | { type: 'queue.changed'; seq: number; at: string; serviceCode: string; waiting: number }
  | {
      type: 'window.changed';
      seq: number;
      at: string;
      window: {
        no: number;
        state: WindowState;
        staffNo: string | null;
        currentTicketId: string | null;
        pauseReason: string | null;
      };
    }
  | { type: 'day.rolled'; seq: number; at: string; from: string; to: string; expired: number }
  | {
      type: 'evaluation.requested';
      seq: number;
      at: string;
      windowNo: number;
      caseId: string;
      evaluationRequestId: string;
      staff: { no: string; name: string } | null;
    }
  | {
      type: 'evaluation.recorded';
      seq: number;
      at: string;
      caseId: string;
      evaluationId: string;
      assessNumber: number;
      level: EvaluationLevel;
      windowNo: number | null;
    }
  | {
      type: 'evaluation.expired';
      seq: number;
      at: string;
      windowNo: number;
      caseId: string;
      evaluationRequestId: string;
    }
  | {
      type: 'device.status';
      seq: number;
      at: string;
      deviceId: string;
      kind: string;
      state: string;
      detail: string | null;
      terminal?: string;
    }
  | {
      type: 'sync.alarm';
      seq: number;
      at: string;
      level: 'alarm' | 'clear';
      pending: number;
      oldestPendingSeconds: number | null;
      reason: string;
    };

export type HubEventType = HubEvent['type'];
export type HubEventOf<T extends HubEventType> = Extract<HubEvent, { type: T }>;
