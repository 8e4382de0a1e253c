/**
 * What the queue engine needs from storage. Synchronous on purpose: better-sqlite3 is synchronous,
 * so a whole command (read counter, check cap, insert ticket, append audit and event) runs in one
 * SQLite transaction and either commits before the hub answers or not at all.
 */
import type { Actor, QueueEvent, Ticket, WindowStatus } from './types.js';

export interface AuditEntry {
  at: number;
  actor: Actor;
  /** e.g. "ticket.issue", "window.call-next", "day.rollover". */
  action: string;
  /** Ticket id, window number or other subject of the action. */
  subject: string | null;
  result: 'ok' | 'refused';
  /** Short details, never clear personal data. */
  detail: Record<string, unknown> | null;
}

export interface StoredEvent {
  seq: number;
  at: number;
  event: QueueEvent;
}

export interface QueueRepository {
  /** Runs `fn` atomically; nested calls join the outer transaction. */
  transaction<T>(fn: () => T): T;

  getMeta(key: string): string | null;
  setMeta(key: string, value: string): void;

  /** Increments and returns the per-day per-service sequence (1 for the first ticket). */
  nextSeq(businessDay: string, serviceCode: string): number;
  /** Tickets issued for the service on that day (its current sequence, 0 if none). */
  lastSeq(businessDay: string, serviceCode: string): number;

  insertTicket(ticket: Ticket): void;
  updateTicket(ticket: Ticket): void;
  getTicket(id: string): Ticket | null;
  /** Tickets in status waiting, called or serving (any day): the engine's working set at start. */
  listActiveTickets(): Ticket[];
  /** Tickets of one business day, any status (statistics). */
  listTicketsOfDay(businessDay: string): Ticket[];
  /** Last finished tickets of a service (for the estimated wait), newest first. */
  recentFinished(serviceCode: string, limit: number): Ticket[];

  getWindows(): WindowStatus[];
  saveWindow(window: WindowStatus): void;

  appendAudit(entry: AuditEntry): void;
  /** Persists an event and returns its sequence number. */
  appendEvent(at: number, event: QueueEvent): number;
  eventsAfter(seq: number, limit: number): StoredEvent[];
  /** The newest stored event's seq (0 when none). */
  lastEventSeq(): number;
}
