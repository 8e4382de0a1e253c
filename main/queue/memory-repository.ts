/**
 * QueueRepository in memory, for engine tests and property tests. `transaction` snapshots the
 * state and restores it when the function throws, like a SQLite rollback.
 */
import type { AuditEntry, QueueRepository, StoredEvent } from './repository.js';
import type { QueueEvent, Ticket, WindowStatus } from './types.js';

interface State {
  meta: Map<string, string>;
  seqs: Map<string, number>;
  tickets: Map<string, Ticket>;
  windows: Map<number, WindowStatus>;
  audit: AuditEntry[];
  events: StoredEvent[];
}

const clone = (s: State): State => ({
  meta: new Map(s.meta),
  seqs: new Map(s.seqs),
  tickets: new Map(s.tickets),
  windows: new Map(s.windows),
  audit: [...s.audit],
  events: [...s.events],
});

export class MemoryQueueRepository implements QueueRepository {
  state: State = { meta: new Map(), seqs: new Map(), tickets: new Map(), windows: new Map(), audit: [], events: [] };

  transaction<T>(fn: () => T): T {
    const snapshot = clone(this.state);
    try {
      return fn();
    } catch (err) {
      this.state = snapshot;
      throw err;
    }
  }

  getMeta(key: string): string | null {
    return this.state.meta.get(key) ?? null;
  }
  setMeta(key: string, value: string): void {
    this.state.meta.set(key, value);
  }
  nextSeq(day: string, service: string): number {
    const k = `${day}|${service}`;
    const n = (this.state.seqs.get(k) ?? 0) + 1;
    this.state.seqs.set(k, n);
    return n;
  }
  lastSeq(day: string, service: string): number {
    return this.state.seqs.get(`${day}|${service}`) ?? 0;
  }
  insertTicket(t: Ticket): void {
    if (this.state.tickets.has(t.id)) throw new Error(`duplicate ticket id ${t.id}`);
    for (const o of this.state.tickets.values()) {
      if (
        t.transferredFrom === null &&
        o.transferredFrom === null &&
        o.businessDay === t.businessDay &&
        o.issuedServiceCode === t.issuedServiceCode &&
        o.seq === t.seq
      ) {
        throw new Error(`duplicate number ${t.number}`);
      }
    }
    this.state.tickets.set(t.id, structuredClone(t));
  }
  updateTicket(t: Ticket): void {
    if (!this.state.tickets.has(t.id)) throw new Error(`unknown ticket ${t.id}`);
    this.state.tickets.set(t.id, structuredClone(t));
  }
  getTicket(id: string): Ticket | null {
    const t = this.state.tickets.get(id);
    return t ? structuredClone(t) : null;
  }
  listActiveTickets(): Ticket[] {
    return [...this.state.tickets.values()]
      .filter((t) => t.status === 'waiting' || t.status === 'called' || t.status === 'serving')
      .map((t) => structuredClone(t));
  }
  listTicketsOfDay(day: string): Ticket[] {
    return [...this.state.tickets.values()].filter((t) => t.businessDay === day).map((t) => structuredClone(t));
  }
  recentFinished(service: string, limit: number): Ticket[] {
    return [...this.state.tickets.values()]
      .filter((t) => t.serviceCode === service && t.status === 'done')
      .sort((a, b) => (b.finishedAt ?? 0) - (a.finishedAt ?? 0))
      .slice(0, limit);
  }
  getWindows(): WindowStatus[] {
    return [...this.state.windows.values()];
  }
  saveWindow(w: WindowStatus): void {
    this.state.windows.set(w.no, { ...w });
  }
  appendAudit(entry: AuditEntry): void {
    this.state.audit.push(entry);
  }
  appendEvent(at: number, event: QueueEvent): number {
    const seq = this.state.events.length + 1;
    this.state.events.push({ seq, at, event });
    return seq;
  }
  lastEventSeq(): number {
    return this.state.events[this.state.events.length - 1]?.seq ?? 0;
  }
  eventsAfter(seq: number, limit: number): StoredEvent[] {
    return this.state.events.filter((e) => e.seq > seq).slice(0, limit);
  }
}
