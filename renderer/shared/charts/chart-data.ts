/** Pure shaping of statistics into chart bars (unit-tested), for the admin dashboard's SVG charts. */
import { EVALUATION_LEVELS, type EvaluationLevel, isBadRating, LEVEL_NAMES } from '../../../common/evaluation.js';
import type { PeriodStats } from '../../../main/server/admin/types.js';

export interface Bar {
  label: string;
  value: number;
  /** Text shown on the bar (defaults to the value). */
  display?: string;
  /** CSS colour; the value is always printed too, so colour is never the only signal. */
  color?: string;
}

/** A round axis maximum ≥ v: 1, 2, 2.5, 5, 10 × 10^n. */
export function niceMax(v: number): number {
  if (!Number.isFinite(v) || v <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

/** Evenly spaced ticks from 0 to max (inclusive): whole steps where the maximum allows (4 or 5 steps). */
export function ticks(max: number): number[] {
  const count = [4, 5, 2].find((n) => Number.isInteger(max / n)) ?? 1;
  return Array.from({ length: count + 1 }, (_, i) => (max / count) * i);
}

/** Arrivals (or another figure) per local hour, every hour from `from` to `to` shown even when empty. */
export function hourBars(
  byHour: Record<string, PeriodStats>,
  field: 'issued' | 'served' = 'issued',
  from = 8,
  to = 18,
): Bar[] {
  const hours = Object.keys(byHour).map(Number);
  const lo = Math.min(from, ...hours);
  const hi = Math.max(to, ...hours);
  const out: Bar[] = [];
  for (let h = lo; h <= hi; h++) {
    const k = String(h).padStart(2, '0');
    out.push({ label: `${k}时`, value: byHour[k]?.[field] ?? 0 });
  }
  return out;
}

/** One colour per level for faces and charts (each ≥ 4.5:1 on white); never the only cue. */
export const LEVEL_COLOURS: Record<EvaluationLevel, string> = {
  very_satisfied: '#1e6b34',
  satisfied: '#2f6d1e',
  basically_satisfied: '#6b5300',
  dissatisfied: '#9a3b00',
  very_dissatisfied: '#a4161a',
};

type LevelCounts = Partial<Record<EvaluationLevel, number>>;

const totalOf = (counts: LevelCounts, levels: readonly EvaluationLevel[] = EVALUATION_LEVELS) =>
  levels.reduce((s, l) => s + (counts[l] ?? 0), 0);

export function satisfactionBars(counts: LevelCounts): Bar[] {
  const total = totalOf(counts);
  return EVALUATION_LEVELS.map((l) => {
    const v = counts[l] ?? 0;
    return {
      label: LEVEL_NAMES[l],
      value: v,
      display: total ? `${v}（${Math.round((v / total) * 100)}%）` : '0',
      color: LEVEL_COLOURS[l],
    };
  });
}

/** Share of the ratings that are not 差评 (非常满意 + 满意 + 基本满意), or null with no ratings. */
export function satisfactionRate(counts: LevelCounts): number | null {
  const total = totalOf(counts);
  if (!total) return null;
  return (
    totalOf(
      counts,
      EVALUATION_LEVELS.filter((l) => !isBadRating(l)),
    ) / total
  );
}

/** "3 分 20 秒", "45 秒", or "—" for no measurement. */
export function secondsText(s: number | null | undefined): string {
  if (s === null || s === undefined) return '—';
  if (s < 60) return `${s} 秒`;
  const m = Math.floor(s / 60);
  if (m >= 60) return `${Math.floor(m / 60)} 小时 ${m % 60} 分`;
  return `${m} 分 ${s % 60} 秒`;
}

export function percentText(r: number | null): string {
  return r === null ? '—' : `${(r * 100).toFixed(1)}%`;
}
