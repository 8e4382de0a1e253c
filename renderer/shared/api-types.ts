/**
 * The hub API as the UIs see it on the wire (`shared/docs/hub-api.md` + docs/hub-api-extensions.md):
 * times are ISO strings, people are masked. Enumerations come from the core's shared types so a new
 * status or priority breaks the UI build instead of a screen at runtime.
 */
import type { CertType } from '../../common/cert-number.js';
import type { Channel, Priority, TicketStatus, WindowState } from '../../common/queue-terms.js';

export type { CertType, Channel, Priority, TicketStatus, WindowState };

import type { EvaluationLevel } from '../../common/evaluation.js';

export type { EvaluationLevel };

export interface ApiApplicant {
  name: string;
  certType?: CertType;
  certNo: string;
}

export interface ApiTicket {
  id: string;
  number: string;
  serviceCode: string;
  status: TicketStatus;
  priority: Priority | null;
  ahead: number;
  estimatedWaitSeconds: number;
  issuedAt: string;
  businessDay: string;
  channel?: Channel;
  appointmentId?: string | null;
  windowNo?: number | null;
  targetWindowNo?: number | null;
  calledAt?: string | null;
  startedAt?: string | null;
  finishedAt?: string | null;
  recallCount?: number;
  applicant?: ApiApplicant;
}

export interface ApiService {
  code: string;
  name: string;
  category: string;
  prefix: string;
  waiting: number;
  open: boolean;
  estimatedWaitSeconds: number;
  allowAnonymous: boolean;
}

export interface ApiWindow {
  no: number;
  name: string;
  services: string[];
  comprehensive?: boolean;
  greenChannel?: boolean;
  state: WindowState;
  staffNo: string | null;
  pauseReason: string | null;
  current: ApiTicket | null;
}

export interface ApiHall {
  hallCode: string;
  name: string;
  businessDay: string;
  services: ApiService[];
  windows: ApiWindow[];
}

export interface ApiEvaluation {
  id: string;
  assessNumber: number;
  level: EvaluationLevel;
  reasons: string[];
  text: string | null;
  channel: string;
  createdAt: string;
}

export interface ApiCase {
  id: string;
  projectNo: string | null;
  taskCode: string;
  taskName?: string | null;
  status: string;
  result: string | null;
  windowNo: number | null;
  staffNo: string | null;
  acceptTime: string | null;
  finishTime: string | null;
  caseType?: string | null;
  ticketId?: string | null;
  /** Absent in `POST /cases/lookup` answers. */
  evaluations?: ApiEvaluation[];
  /** `POST /cases/lookup`: masked applicant, and the platform's progress when it answered. */
  applicantName?: string | null;
  progress?: {
    projectNo?: string;
    status?: string;
    steps: { name: string; time: string | null; result?: string | null }[];
  } | null;
  source?: 'platform' | 'hall';
}

export interface IssueTicketBody {
  serviceCode: string;
  channel: Channel;
  applicant?: { name: string; certType: CertType; certNo: string };
  priority?: Priority;
  appointmentId?: string;
}

export interface EvaluationBody {
  caseId: string;
  level: EvaluationLevel;
  reasons?: string[];
  text?: string;
  channel: 'pad' | 'kiosk' | 'qr';
}

export interface StaffSessionAnswer {
  token: string;
  staff: { no: string; name: string };
  window?: unknown;
  expiresAt?: string;
}

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
