/**
 * A rating from an evaluation keypad's key (docs/devices.md「按键的含义」): the first rating of the
 * case waiting for one at the keypad's window, by the same rules as `POST /evaluations`. A 5-key
 * pad cannot ask for a reason, so a 差评 key records only with the device's `badRatingReason`; a key
 * with nothing to rate is ignored, never put on another case.
 */
import { isBadRating } from '../../common/evaluation.js';
import type { RatingKeyEvent } from '../devices/types.js';
import { type RatingInput, recordRating } from './evaluation-recorder.js';
import type { EvaluationRequests } from './evaluation-requests.js';
import type { HubContext } from './hub-plugin.js';

export type KeypadRating =
  | { record: RatingInput }
  | { ignore: 'NO_OPEN_REQUEST' | 'BAD_RATING_NEEDS_REASON'; message: string };

/** What a key records, given the case open for rating at its window and the keypad's reason code. */
export function keypadRating(
  e: RatingKeyEvent,
  open: { caseId: string } | null,
  badRatingReason: string | undefined,
): KeypadRating {
  if (!open) return { ignore: 'NO_OPEN_REQUEST', message: '评价键盘：该窗口没有待评价的办件' };
  const bad = isBadRating(e.level);
  if (bad && !badRatingReason)
    return {
      ignore: 'BAD_RATING_NEEDS_REASON',
      message: '评价键盘的差评需要原因：请配置 badRatingReason 或使用评价屏',
    };
  return {
    record: {
      caseId: open.caseId,
      level: e.level,
      reasons: bad && badRatingReason ? [badRatingReason] : [],
      text: null,
      channel: 'pad',
      deviceId: e.deviceId,
      onlyWindow: e.windowNo,
    },
  };
}

/** Records the key's rating, or logs why not; never throws for a refusal. */
export function recordKeypadRating(
  ctx: HubContext,
  requests: EvaluationRequests,
  e: RatingKeyEvent,
  badRatingReason: string | undefined,
): void {
  const r = keypadRating(e, requests.pending(e.windowNo), badRatingReason);
  if ('ignore' in r) {
    ctx.log('warn', r.message, { deviceId: e.deviceId, windowNo: e.windowNo });
    return;
  }
  const out = recordRating(ctx, r.record, { role: 'evaluator', terminalId: e.deviceId, staffNo: null });
  // A recorded rating closes the open request through the published `evaluation.recorded` event.
  if (!out.ok) ctx.log('warn', '评价键盘的评价未记录', { deviceId: e.deviceId, code: out.code, error: out.message });
}
