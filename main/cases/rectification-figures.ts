/**
 * The figures of 差评整改 for a period (items opened in it), per window, staff member and service:
 * - 整改率: closed items / valid items (an item found `invalid` is not a 差评 to rectify);
 * - 按期整改率: items closed by their deadline / valid items;
 * - 回访满意率: call-backs that reached the citizen and found them at least 基本满意 / call-backs
 *   that reached the citizen.
 * A rate with nothing to divide is null (shown as "—"), never 0 % or 100 %.
 */
import { type EvaluationLevel, isBadRating } from '../../common/evaluation.js';
import type { RectificationStatus, Revisit } from './rectification.js';

export interface FigureInput {
  status: RectificationStatus;
  dueAt: number;
  finishedAt: number | null;
  revisit: Revisit | null;
  windowNo: number | null;
  staffNo: string | null;
  serviceCode: string | null;
}

export interface Figures {
  opened: number;
  invalid: number;
  closed: number;
  closedOnTime: number;
  reached: number;
  satisfied: number;
  rectifiedRate: number | null;
  onTimeRate: number | null;
  revisitSatisfiedRate: number | null;
}

export interface FigureRow extends Figures {
  key: string;
}

export interface FigureTable {
  total: Figures;
  byWindow: FigureRow[];
  byStaff: FigureRow[];
  byService: FigureRow[];
}

const rate = (n: number, d: number): number | null => (d === 0 ? null : Math.round((n / d) * 1000) / 1000);

export function figuresOf(items: readonly FigureInput[]): Figures {
  let invalid = 0;
  let closed = 0;
  let closedOnTime = 0;
  let reached = 0;
  let satisfied = 0;
  for (const i of items) {
    if (i.status === 'invalid') invalid++;
    if (i.status === 'closed') {
      closed++;
      if (i.finishedAt !== null && i.finishedAt <= i.dueAt) closedOnTime++;
      if (i.revisit?.contacted && i.revisit.level) {
        reached++;
        if (!isBadRating(i.revisit.level as EvaluationLevel)) satisfied++;
      }
    }
  }
  const valid = items.length - invalid;
  return {
    opened: items.length,
    invalid,
    closed,
    closedOnTime,
    reached,
    satisfied,
    rectifiedRate: rate(closed, valid),
    onTimeRate: rate(closedOnTime, valid),
    revisitSatisfiedRate: rate(satisfied, reached),
  };
}

function grouped(items: readonly FigureInput[], keyOf: (i: FigureInput) => string | null): FigureRow[] {
  const groups = new Map<string, FigureInput[]>();
  for (const i of items) {
    const k = keyOf(i) ?? '未知';
    groups.set(k, [...(groups.get(k) ?? []), i]);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b, 'zh-CN', { numeric: true }))
    .map(([key, list]) => ({ key, ...figuresOf(list) }));
}

export function figureTable(items: readonly FigureInput[]): FigureTable {
  return {
    total: figuresOf(items),
    byWindow: grouped(items, (i) => (i.windowNo === null ? null : String(i.windowNo))),
    byStaff: grouped(items, (i) => i.staffNo),
    byService: grouped(items, (i) => i.serviceCode),
  };
}
