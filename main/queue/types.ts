/**
 * Queue domain types shared by the engine, the store, the hub server and (as plain data) the UIs.
 * Time values are epoch milliseconds inside the core; the hub renders them as ISO 8601 with the
 * hall's offset at its boundary.
 */
import type { CertType } from '../../common/cert-number.js';
import type { DeviceState } from '../../common/device-kinds.js';
import type { EvaluationLevel } from '../../common/evaluation.js';
import type { Channel, Priority, TicketStatus, WindowState } from '../../common/queue-terms.js';

export type { CertType, Channel, Priority, TicketStatus, WindowState };

export interface Applicant {
  name: string;
  certType: CertType;
  /** Clear ID number: held in memory only; the store encrypts it and keeps a keyed hash. */
  certNo: string;
}

export interface Ticket {
  /** Opaque unique id (ULID-like, sortable). */
  id: string;
  /** Display number, e.g. "A012": prefix of the issuing service + zero-padded sequence. */
  number: string;
  /** Per service per business day sequence of the issuing service. */
  seq: number;
  /** Service this leg waits in. */
  serviceCode: string;
  /** Service the ticket was first issued for (unchanged by transfers). */
  issuedServiceCode: string;
  businessDay: string; // YYYY-MM-DD in the hall's time zone
  status: TicketStatus;
  priority: Priority | null;
  channel: Channel;
  appointmentId: string | null;
  applicant: Applicant | null;
  /** When the ticket was first issued (kept across transfers for statistics). */
  issuedAt: number;
  /** When this leg entered its queue. */
  queuedAt: number;
  /** Position key inside the queue: smaller is called first within its class. */
  queueOrder: number;
  /** Only this window may call the leg (transfer to a window). */
  targetWindowNo: number | null;
  windowNo: number | null;
  staffNo: string | null;
  calledAt: number | null;
  startedAt: number | null;
  finishedAt: number | null;
  recallCount: number;
  /** A skipped ticket may go back once to the end of the queue. */
  requeued: boolean;
  transferredFrom: string | null;
  transferredTo: string | null;
  /** `undone_at_kiosk`: the kiosk that issued it took it back within minutes (a wrong tap). */
  closedReason: 'expired' | 'cancelled_by_staff' | 'undone_at_kiosk' | null;
  /** Terminal that issued the ticket. */
  terminalId: string | null;
  /**
   * The device token that issued the ticket (its id, not its secret); null for staff sessions and
   * the system. A kiosk may undo only tickets it issued itself (requester-rules.ts).
   */
  issuedBy: string | null;
}

export interface WindowStatus {
  no: number;
  state: WindowState;
  staffNo: string | null;
  currentTicketId: string | null;
  pauseReason: string | null;
  /** Normal tickets called since the last priority ticket (drives the 1:N interleave). */
  normalSincePriority: number;
  updatedAt: number;
}

/** Who asked for a change: written to the audit log with every state change. */
export interface Actor {
  /** `citizen`: a phone on the public side (扫码评价), known only by its address. */
  role: 'kiosk' | 'counter' | 'display' | 'evaluator' | 'admin' | 'system' | 'staff' | 'citizen';
  terminalId: string | null;
  staffNo: string | null;
  /** The network address the request came from (audit only); absent for the hub's own work. */
  address?: string | null;
}

/** Events the engine emits; the hub stamps them with `seq` and fans them out. */
export type QueueEvent =
  | { type: 'ticket.issued'; ticket: Ticket }
  | { type: 'ticket.called'; ticket: Ticket; windowNo: number; announcement: string }
  | { type: 'ticket.recalled'; ticket: Ticket; windowNo: number; announcement: string; recallCount: number }
  | { type: 'ticket.changed'; ticket: Ticket }
  | { type: 'queue.changed'; serviceCode: string; waiting: number }
  | { type: 'window.changed'; window: WindowStatus }
  | { type: 'day.rolled'; from: string; to: string; expired: number }
  | {
      type: 'evaluation.requested';
      windowNo: number;
      caseId: string;
      evaluationRequestId: string;
      staff: { no: string; name: string } | null;
    }
  | {
      type: 'evaluation.recorded';
      caseId: string;
      evaluationId: string;
      assessNumber: number;
      level: EvaluationLevel;
      windowNo: number | null;
    }
  /** A rating request nobody answered in time (docs/pad-protocol.md): the case stays "not evaluated". */
  | { type: 'evaluation.expired'; windowNo: number; caseId: string; evaluationRequestId: string }
  /** A terminal's device changed health (hub-api.md); `detail` is a short Chinese text. */
  | {
      type: 'device.status';
      deviceId: string;
      kind: string;
      state: DeviceState;
      detail: string | null;
      terminal?: string;
    }
  /** The platform outbox crossed (or came back under) a configured threshold. */
  | {
      type: 'sync.alarm';
      level: 'alarm' | 'clear';
      pending: number;
      oldestPendingSeconds: number | null;
      reason: string;
    }
  /**
   * Someone is trying PINs (docs/security.md): an address blocked after repeated failures
   * (`sign_in_blocked`, with its address and the end of the block, ISO) or more sign-in attempts
   * than the hub takes at all (`sign_in_flood`). `message` is for the admin, in Chinese.
   */
  | {
      type: 'security.alarm';
      kind: 'sign_in_blocked' | 'sign_in_flood';
      address: string | null;
      failures: number;
      blockedUntil: string | null;
      message: string;
    }
  /** A scheduled backup failed (`alarm`), or worked again after one had (`clear`): docs/store.md. */
  | { type: 'backup.alarm'; level: 'alarm' | 'clear'; reason: string; path: string | null }
  /** An admin changed the running hall configuration (sections replaced; `version` is the new one). */
  | { type: 'config.changed'; sections: string[]; version: string }
  /**
   * 差评整改 (hub-api.md v1.1): an item nears (`due_soon`) or passes (`overdue`) its deadline, or its
   * deadline was counted without the calendar of some year (`calendar_missing`, `years`). `dueAt` ISO.
   */
  | {
      type: 'rectification.alarm';
      id: string;
      caseId: string;
      dueAt: string;
      kind: 'due_soon' | 'overdue' | 'calendar_missing';
      years?: number[];
      message: string;
    }
  /** A 差评整改 item was opened, joined by another bad rating, or took a step. */
  | { type: 'rectification.changed'; id: string; caseId: string; status: string }
  /** A 承诺件 nears or passes the date promised to the applicant (docs/rectification.md). */
  | {
      type: 'promise.alarm';
      caseId: string;
      taskCode: string;
      promiseDate: string;
      kind: 'due_soon' | 'overdue';
      message: string;
    }
  /**
   * A service's oldest waiting ticket waited longer than its threshold (`alarm`), or no longer does
   * (`clear`); `windows` can serve the service (their counter screens show it).
   */
  | {
      type: 'wait.alarm';
      level: 'alarm' | 'clear';
      serviceCode: string;
      serviceName: string;
      waiting: number;
      oldestWaitMinutes: number;
      thresholdMinutes: number;
      windows: number[];
      message: string;
    };

export type QueueErrorCode =
  | 'SERVICE_CLOSED'
  | 'DAILY_LIMIT_REACHED'
  | 'INVALID_CERT_NO'
  | 'UNKNOWN_SERVICE'
  | 'UNKNOWN_WINDOW'
  | 'UNKNOWN_TICKET'
  | 'PRIORITY_NOT_ENABLED'
  | 'ANONYMOUS_NOT_ALLOWED'
  | 'WINDOW_CLOSED'
  | 'WINDOW_PAUSED'
  | 'WINDOW_BUSY'
  | 'NO_CURRENT_TICKET'
  | 'INVALID_STATE'
  | 'SERVICE_NOT_AT_WINDOW'
  | 'ALREADY_REQUEUED'
  | 'PRIORITY_NOT_ALLOWED'
  | 'NOT_OWN_TICKET'
  | 'UNDO_TOO_LATE'
  | 'CHANNEL_NOT_ALLOWED';

/** A rule of the queue refused the command; the hub maps `code` to an HTTP status. */
export class QueueError extends Error {
  constructor(
    readonly code: QueueErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'QueueError';
  }
}
