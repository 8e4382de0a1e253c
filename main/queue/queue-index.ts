/**
 * In-memory index of the waiting tickets, so that choosing the next ticket costs O(services) and
 * not O(waiting): per service and class one array sorted by `queueOrder`, and per window the legs
 * transferred to that window.
 */
import type { Ticket } from './types.js';

export type TicketClass = 'appointment' | 'priority' | 'normal';
export const CLASS_RANK: Record<TicketClass, number> = { appointment: 0, priority: 1, normal: 2 };

type ClassQueues = Record<TicketClass, Ticket[]>;

const emptyClasses = (): ClassQueues => ({ appointment: [], priority: [], normal: [] });

/** First index whose queueOrder is ≥ order (binary search). */
function lowerBound(list: Ticket[], order: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((list[mid] as Ticket).queueOrder < order) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function insertSorted(list: Ticket[], t: Ticket): void {
  // Ties keep arrival order: insert after equal keys.
  let i = lowerBound(list, t.queueOrder);
  while (i < list.length && (list[i] as Ticket).queueOrder === t.queueOrder) i++;
  list.splice(i, 0, t);
}

function removeById(list: Ticket[], t: Ticket): boolean {
  let i = lowerBound(list, t.queueOrder);
  for (; i < list.length && (list[i] as Ticket).queueOrder === t.queueOrder; i++) {
    if ((list[i] as Ticket).id === t.id) {
      list.splice(i, 1);
      return true;
    }
  }
  // Fallback when the stored order changed under us: linear search.
  const j = list.findIndex((x) => x.id === t.id);
  if (j >= 0) list.splice(j, 1);
  return j >= 0;
}

export class WaitingIndex {
  private byService = new Map<string, ClassQueues>();
  private byWindow = new Map<number, ClassQueues>();

  constructor(private readonly classify: (t: Ticket) => TicketClass) {}

  private bucket(t: Ticket): Ticket[] {
    const map = t.targetWindowNo === null ? this.byService : this.byWindow;
    const key = t.targetWindowNo === null ? t.serviceCode : t.targetWindowNo;
    let q = (map as Map<string | number, ClassQueues>).get(key);
    if (!q) {
      q = emptyClasses();
      (map as Map<string | number, ClassQueues>).set(key, q);
    }
    return q[this.classify(t)];
  }

  add(t: Ticket): void {
    insertSorted(this.bucket(t), t);
  }

  remove(t: Ticket): void {
    removeById(this.bucket(t), t);
  }

  clear(): void {
    this.byService.clear();
    this.byWindow.clear();
  }

  serviceQueue(code: string, cls: TicketClass): readonly Ticket[] {
    return this.byService.get(code)?.[cls] ?? [];
  }

  windowQueue(no: number, cls: TicketClass): readonly Ticket[] {
    return this.byWindow.get(no)?.[cls] ?? [];
  }

  /** Waiting legs of a service, including those transferred to a particular window. */
  waitingCount(code: string): number {
    const q = this.byService.get(code);
    let n = q ? q.appointment.length + q.priority.length + q.normal.length : 0;
    for (const w of this.byWindow.values()) {
      for (const list of [w.appointment, w.priority, w.normal]) for (const t of list) if (t.serviceCode === code) n++;
    }
    return n;
  }

  /** How many legs of the same queue are called before `t` (higher classes first, then order). */
  ahead(t: Ticket): number {
    const queues = t.targetWindowNo === null ? this.byService.get(t.serviceCode) : this.byWindow.get(t.targetWindowNo);
    if (!queues) return 0;
    const cls = this.classify(t);
    let n = 0;
    for (const c of ['appointment', 'priority', 'normal'] as TicketClass[]) {
      if (CLASS_RANK[c] < CLASS_RANK[cls]) n += queues[c].length;
    }
    const own = queues[cls];
    let i = lowerBound(own, t.queueOrder);
    while (i < own.length && (own[i] as Ticket).id !== t.id && (own[i] as Ticket).queueOrder === t.queueOrder) i++;
    return n + i;
  }

  /** Smallest queueOrder waiting in a service (any class), for "transfer to the front". */
  frontOrder(code: string): number | null {
    const q = this.byService.get(code);
    if (!q) return null;
    let min: number | null = null;
    for (const list of [q.appointment, q.priority, q.normal]) {
      const head = list[0];
      if (head && (min === null || head.queueOrder < min)) min = head.queueOrder;
    }
    return min;
  }

  all(): Ticket[] {
    const out: Ticket[] = [];
    for (const q of [...this.byService.values(), ...this.byWindow.values()]) {
      out.push(...q.appointment, ...q.priority, ...q.normal);
    }
    return out;
  }
}
