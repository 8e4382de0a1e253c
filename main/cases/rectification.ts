/**
 * 差评整改: the steps an item of rectification goes through after a bad rating (hub-api.md v1.1
 * "差评整改"). Pure: the caller loads the item, asks `checkTransition`, and stores what it answers
 * in the same transaction as the history row.
 *
 *   open → verifying → rectifying → revisit → closed
 *                    ↘ invalid (a malicious or mistaken rating; the note says why)
 *
 * Every step is taken by a manager and carries a note; `closed` carries the call-back (回访):
 * whether the citizen was reached and, when reached, how satisfied they are now.
 */
import { EVALUATION_LEVELS, type EvaluationLevel, toPlatformSatisfaction } from '../../common/evaluation.js';
import {
  NEXT_STEPS,
  RECTIFICATION_STATUSES,
  type RectificationStatus,
  STATUS_NAMES,
} from '../../common/rectification.js';

export { NEXT_STEPS, RECTIFICATION_STATUSES, type RectificationStatus, STATUS_NAMES };

/** Items that still need work (the deadline and its alarms apply to them). */
export const isFinished = (s: RectificationStatus): boolean => s === 'closed' || s === 'invalid';

/** The steps the platform is told of (platform-api.md v1.1, records of kind `rectification`). */
export const REPORTED_STEPS: readonly RectificationStatus[] = ['rectifying', 'closed', 'invalid'];

export interface Revisit {
  /** Whether the citizen was reached by the call-back. */
  contacted: boolean;
  /** Their satisfaction after the rectification; only when reached. */
  level?: EvaluationLevel | undefined;
}

export interface TransitionRequest {
  to: string;
  note: string;
  revisit?: Revisit | undefined;
}

export type RectificationErrorCode =
  | 'ILLEGAL_TRANSITION'
  | 'NOTE_REQUIRED'
  | 'REVISIT_REQUIRED'
  | 'REVISIT_NOT_ALLOWED'
  | 'REVISIT_LEVEL_REQUIRED'
  | 'UNKNOWN_RECTIFICATION';

/** A rule of 差评整改 refused the step; the hub maps the code to an HTTP status (409 for illegal steps). */
export class RectificationError extends Error {
  constructor(
    readonly code: RectificationErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'RectificationError';
  }
}

export const NOTE_MAX = 500;

export interface AcceptedTransition {
  from: RectificationStatus;
  to: RectificationStatus;
  note: string;
  revisit: Revisit | null;
}

const isStatus = (s: string): s is RectificationStatus => (RECTIFICATION_STATUSES as readonly string[]).includes(s);

/** Checks one step from `from`; answers what to store or throws RectificationError. */
export function checkTransition(from: RectificationStatus, req: TransitionRequest): AcceptedTransition {
  const to = req.to;
  if (!isStatus(to) || !NEXT_STEPS[from].includes(to)) {
    const allowed = NEXT_STEPS[from].map((s) => `${s}（${STATUS_NAMES[s]}）`).join('、');
    throw new RectificationError(
      'ILLEGAL_TRANSITION',
      allowed
        ? `「${STATUS_NAMES[from]}」的差评整改只能转到 ${allowed}，不能转到「${isStatus(to) ? STATUS_NAMES[to] : to}」`
        : `差评整改已是「${STATUS_NAMES[from]}」，不能再变更；如有新情况请另行登记`,
      'to',
    );
  }
  const note = req.note.trim();
  if (!note) {
    throw new RectificationError(
      'NOTE_REQUIRED',
      to === 'invalid'
        ? '认定为无效差评必须写明理由（恶意或误评的依据）'
        : '每一步都要填写说明（核实、整改或回访的情况）',
      'note',
    );
  }
  if (note.length > NOTE_MAX) throw new RectificationError('NOTE_REQUIRED', `说明最多 ${NOTE_MAX} 字，请精简`, 'note');
  let revisit: Revisit | null = null;
  if (to === 'closed') {
    if (!req.revisit)
      throw new RectificationError('REVISIT_REQUIRED', '办结前要登记回访结果：是否联系上办事人及其满意度', 'revisit');
    if (req.revisit.contacted && !req.revisit.level)
      throw new RectificationError('REVISIT_LEVEL_REQUIRED', '联系上办事人时请登记其回访满意度', 'revisit.level');
    if (req.revisit.level !== undefined && !EVALUATION_LEVELS.includes(req.revisit.level))
      throw new RectificationError('REVISIT_LEVEL_REQUIRED', '回访满意度应为五个评价等级之一', 'revisit.level');
    revisit = req.revisit.contacted ? { contacted: true, level: req.revisit.level } : { contacted: false };
  } else if (req.revisit) {
    throw new RectificationError('REVISIT_NOT_ALLOWED', '回访结果只在办结（closed）这一步登记', 'revisit');
  }
  return { from, to, note, revisit };
}

/** The call-back as the platform's record says it: satisfaction 1 非常不满意 … 5 非常满意. */
export function platformRevisit(r: Revisit): { contacted: boolean; satisfaction?: 1 | 2 | 3 | 4 | 5 } {
  return r.contacted && r.level
    ? { contacted: true, satisfaction: toPlatformSatisfaction(r.level) }
    : { contacted: r.contacted };
}
