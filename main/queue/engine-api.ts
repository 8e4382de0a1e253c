/**
 * The queue engine's public surface: what the hub server (and later the device service and UIs
 * through the hub) may ask of it. The implementation is `QueueEngine` in `engine.ts`.
 */
import type { Priority } from '../../common/queue-terms.js';
import type { HallConfig } from '../../kiosk-config/hall-config.js';
import type { StoredEvent } from './repository.js';
import type { Actor, Applicant, Channel, QueueEvent, Ticket, WindowStatus } from './types.js';

export interface IssueRequest {
  serviceCode: string;
  channel: Channel;
  applicant?: Applicant | null;
  priority?: Priority | null;
  appointmentId?: string | null;
  /** The device token asking (its id); recorded on the ticket so its kiosk may undo it. */
  issuedBy?: string | null;
  /**
   * Runs inside the issuing transaction once the ticket exists (an appointment's check-in): if
   * it throws, no ticket is issued and nothing is written.
   */
  onIssued?: (ticket: Ticket) => void;
}

/** A ticket with its place in the queue, as answered to whoever took it. */
export interface TicketView {
  ticket: Ticket;
  /** Waiting tickets that will be called before this one in its service (0 when not waiting). */
  ahead: number;
  estimatedWaitSeconds: number;
}

export interface TransferRequest {
  toServiceCode?: string | null;
  toWindowNo?: number | null;
  position: 'front' | 'back';
}

export interface ServiceQueueView {
  code: string;
  waiting: number;
  open: boolean;
  estimatedWaitSeconds: number;
}

export interface PeriodStats {
  issued: number;
  served: number;
  skipped: number;
  meanWaitSeconds: number | null;
  p90WaitSeconds: number | null;
  meanServeSeconds: number | null;
  p90ServeSeconds: number | null;
}

export interface DayStatistics {
  businessDay: string;
  total: PeriodStats;
  byService: Record<string, PeriodStats>;
  byWindow: Record<string, PeriodStats>;
  byStaff: Record<string, PeriodStats>;
  /** Keyed by local hour "00" … "23" of issue. */
  byHour: Record<string, PeriodStats>;
}

export interface QueueEngineApi {
  readonly config: HallConfig;
  /** Replaces the hall configuration without restart (services, windows, policy, template). */
  applyConfig(config: HallConfig): void;

  /** Current business day in the hall's time zone. */
  businessDay(): string;
  /** Rolls the business day over if local midnight has passed since the last command. */
  rolloverIfDue(actor?: Actor): void;

  issue(req: IssueRequest, actor: Actor): TicketView;
  getTicket(id: string): TicketView | null;
  /** Cancels a waiting ticket (staff or the citizen at a kiosk). */
  /** `tokenId`: the device token asking, for a kiosk's undo of its own ticket (requester-rules.ts). */
  cancel(ticketId: string, actor: Actor, tokenId?: string | null): Ticket;

  /** Staff signed in at the window: closed → idle. */
  openWindow(windowNo: number, staffNo: string, actor: Actor): WindowStatus;
  /** Staff signed out: the window closes; a called ticket goes back to the front of its queue. */
  closeWindow(windowNo: number, actor: Actor): WindowStatus;

  /** Null when nobody waits for this window. */
  callNext(windowNo: number, actor: Actor): Ticket | null;
  recall(windowNo: number, actor: Actor): Ticket;
  call(windowNo: number, ticketId: string, actor: Actor): Ticket;
  skip(windowNo: number, opts: { requeue?: boolean }, actor: Actor): Ticket;
  /** Returns the new leg (status waiting) in the target queue. */
  transfer(windowNo: number, req: TransferRequest, actor: Actor): Ticket;
  pause(windowNo: number, reason: string, actor: Actor): WindowStatus;
  resume(windowNo: number, actor: Actor): WindowStatus;
  start(windowNo: number, actor: Actor): Ticket;
  /** `inTransaction` runs in the finishing transaction (e.g. to record the case) and may add events. */
  finish(windowNo: number, actor: Actor, inTransaction?: (ticket: Ticket) => QueueEvent[] | undefined): Ticket;

  window(windowNo: number): WindowStatus;
  windows(): WindowStatus[];
  services(): ServiceQueueView[];
  waitingTickets(serviceCode?: string): Ticket[];
  /** Announcement text for a call, from the configured template. */
  announcementFor(ticket: Ticket, windowNo: number): string;

  statistics(businessDay: string): DayStatistics;

  /** Called after each commit with the persisted events, in order. */
  onEvents(listener: (events: StoredEvent[]) => void): () => void;
}
