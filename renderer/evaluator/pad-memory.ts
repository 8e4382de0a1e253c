/**
 * Pad-local memory. "Not evaluated" records: a request that timed out (or was replaced by the next
 * one) without a rating. With the pad link up the hub is told (`dismiss`) and records it; either way
 * the pad keeps the last 100 in memory and logs them, so nothing is lost on a hub without the link.
 */
import type { HubEventOf } from '../shared/api-types.js';

declare global {
  interface Window {
    /** Requests that timed out without a rating (this pad, newest last). */
    govhallNotEvaluated?: NotEvaluated[];
  }
}

export interface NotEvaluated {
  caseId: string;
  evaluationRequestId: string;
  windowNo: number;
  reason: 'timeout' | 'replaced';
  /** The hub was told over the pad link (it records the case as not evaluated). */
  reportedToHub: boolean;
  at: string;
}

export function recordNotEvaluated(
  req: Pick<HubEventOf<'evaluation.requested'>, 'caseId' | 'evaluationRequestId' | 'windowNo'>,
  reason: NotEvaluated['reason'],
  reportedToHub: boolean,
): NotEvaluated {
  const rec: NotEvaluated = {
    caseId: req.caseId,
    evaluationRequestId: req.evaluationRequestId,
    windowNo: req.windowNo,
    reason,
    reportedToHub,
    at: new Date().toISOString(),
  };
  window.govhallNotEvaluated ??= [];
  const list = window.govhallNotEvaluated;
  list.push(rec);
  if (list.length > 100) list.shift();
  console.info('未评价', rec);
  return rec;
}

const NAMES_KEY = 'govhall.evaluator.staffNames';

/** Staff names seen in evaluation requests, by staff number (staff are public at their window). */
export function knownStaffName(no: string): string | null {
  try {
    const map = JSON.parse(localStorage.getItem(NAMES_KEY) ?? '{}') as Record<string, string>;
    return map[no] ?? null;
  } catch {
    return null;
  }
}

export function rememberStaffName(no: string, name: string): void {
  try {
    const map = JSON.parse(localStorage.getItem(NAMES_KEY) ?? '{}') as Record<string, string>;
    map[no] = name;
    localStorage.setItem(NAMES_KEY, JSON.stringify(map));
  } catch {
    // storage full or disabled: the name shows after the next request anyway
  }
}
