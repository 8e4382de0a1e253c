/**
 * Statistics of one business day from its ticket legs (definitions in docs/queue-rules.md):
 * - issued: first legs (not created by a transfer);
 * - served: legs finished `done`; skipped: legs finished `skipped`;
 * - waiting time of a leg: queuedAt → calledAt (for a first leg queuedAt is the issue time);
 * - serving time: startedAt (or calledAt) → finishedAt of done legs.
 * Means and p90 (nearest rank) in whole seconds; null when nothing was measured.
 */
import { localTimeOfDay } from '../../common/hall-time.js';
import type { DayStatistics, PeriodStats } from './engine-api.js';
import type { Ticket } from './types.js';

interface Acc {
  issued: number;
  served: number;
  skipped: number;
  waits: number[];
  serves: number[];
}

const acc = (): Acc => ({ issued: 0, served: 0, skipped: 0, waits: [], serves: [] });

export function percentile(sorted: number[], p: number): number | null {
  if (!sorted.length) return null;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] as number;
}

function finish(a: Acc): PeriodStats {
  const sec = (ms: number) => Math.round(ms / 1000);
  const waits = a.waits.map(sec).sort((x, y) => x - y);
  const serves = a.serves.map(sec).sort((x, y) => x - y);
  const mean = (xs: number[]) => (xs.length ? Math.round(xs.reduce((s, x) => s + x, 0) / xs.length) : null);
  return {
    issued: a.issued,
    served: a.served,
    skipped: a.skipped,
    meanWaitSeconds: mean(waits),
    p90WaitSeconds: percentile(waits, 90),
    meanServeSeconds: mean(serves),
    p90ServeSeconds: percentile(serves, 90),
  };
}

export function computeDayStatistics(legs: Ticket[], businessDay: string, timeZone: string): DayStatistics {
  const total = acc();
  const groups = {
    byService: new Map<string, Acc>(),
    byWindow: new Map<string, Acc>(),
    byStaff: new Map<string, Acc>(),
    byHour: new Map<string, Acc>(),
  };
  const get = (m: Map<string, Acc>, k: string) => {
    let a = m.get(k);
    if (!a) {
      a = acc();
      m.set(k, a);
    }
    return a;
  };
  for (const t of legs) {
    if (t.businessDay !== businessDay) continue;
    const targets = [
      total,
      get(groups.byService, t.serviceCode),
      get(groups.byHour, String(localTimeOfDay(t.queuedAt, timeZone).hour).padStart(2, '0')),
    ];
    if (t.windowNo !== null) targets.push(get(groups.byWindow, String(t.windowNo)));
    if (t.staffNo !== null) targets.push(get(groups.byStaff, t.staffNo));
    const first = t.transferredFrom === null;
    const wait = t.calledAt !== null ? t.calledAt - t.queuedAt : null;
    const serve =
      t.status === 'done' && t.finishedAt !== null ? t.finishedAt - (t.startedAt ?? t.calledAt ?? t.finishedAt) : null;
    for (const a of targets) {
      if (first) a.issued++;
      if (t.status === 'done') a.served++;
      if (t.status === 'skipped') a.skipped++;
      if (wait !== null && wait >= 0) a.waits.push(wait);
      if (serve !== null && serve >= 0) a.serves.push(serve);
    }
  }
  const out = (m: Map<string, Acc>) =>
    Object.fromEntries([...m.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([k, a]) => [k, finish(a)]));
  return {
    businessDay,
    total: finish(total),
    byService: out(groups.byService),
    byWindow: out(groups.byWindow),
    byStaff: out(groups.byStaff),
    byHour: out(groups.byHour),
  };
}
