/**
 * Records one rating exactly as `POST /evaluations` does — same rules (no default level, 差评 needs
 * a reason, a first rating and one follow-up, append-only, a pad rates only its own window), same
 * transaction (evaluation + event + audit), same `evaluation.recorded` event — for the ratings that
 * arrive another way: the pad WebSocket and evaluation keypads.
 */
import type { EvaluationLevel } from '../../common/evaluation.js';
import type { StoredEvent } from '../queue/repository.js';
import type { Actor } from '../queue/types.js';
import { ApiError } from './http-kit.js';
import type { HubContext } from './hub-plugin.js';

export interface RatingInput {
  caseId: string;
  level: EvaluationLevel;
  reasons: string[];
  text: string | null;
  channel: 'pad' | 'kiosk' | 'qr';
  /** Stored with the rating: the token id of a pad, the device id of a keypad. */
  deviceId: string;
  /** A pad or keypad of a window rates only cases finished at that window. */
  onlyWindow: number | null;
}

export type RatingOutcome =
  | { ok: true; id: string; assessNumber: number; caseId: string }
  | { ok: false; status: number; code: string; message: string };

type RecorderDeps = Pick<HubContext, 'run' | 'repo' | 'clock' | 'cases' | 'publish' | 'ratingRecorded'>;

/** Records the rating in one transaction and publishes its event; throws ApiError on a refusal. */
export function recordEvaluation(
  ctx: RecorderDeps,
  input: RatingInput,
  actor: Actor,
): { id: string; assessNumber: number; caseId: string } {
  const { rec, stored } = ctx.run(() =>
    ctx.repo.transaction(() => {
      const at = ctx.clock.now();
      const rec = ctx.cases.addEvaluation(
        {
          caseId: input.caseId,
          level: input.level,
          reasons: input.reasons,
          text: input.text,
          channel: input.channel,
          deviceId: input.deviceId,
        },
        at,
        { onlyWindow: input.onlyWindow },
      );
      const event = {
        type: 'evaluation.recorded' as const,
        caseId: rec.caseId,
        evaluationId: rec.id,
        assessNumber: rec.assessNumber,
        level: rec.level,
        windowNo: rec.windowNo,
      };
      const seq = ctx.repo.appendEvent(at, event);
      const stored: StoredEvent[] = [{ seq, at, event }];
      // A 差评 opens (or joins) its rectification item in this same transaction.
      for (const e of ctx.ratingRecorded(rec, at)) stored.push({ seq: ctx.repo.appendEvent(at, e), at, event: e });
      ctx.repo.appendAudit({
        at,
        actor,
        action: 'evaluation.record',
        subject: rec.caseId,
        result: 'ok',
        detail: { level: rec.level, assessNumber: rec.assessNumber, channel: input.channel },
      });
      return { rec, stored };
    }),
  );
  ctx.publish(stored);
  return { id: rec.id, assessNumber: rec.assessNumber, caseId: rec.caseId };
}

/** The same, for pads and keypads: never throws, answers with a code instead. */
export function recordRating(ctx: HubContext, input: RatingInput, actor: Actor): RatingOutcome {
  try {
    return { ok: true, ...recordEvaluation(ctx, input, actor) };
  } catch (e) {
    if (e instanceof ApiError) return { ok: false, status: e.status, code: e.code, message: e.message };
    ctx.log('error', '记录评价失败', { error: (e as Error).message });
    return { ok: false, status: 500, code: 'INTERNAL', message: '中枢内部错误，已记录日志' };
  }
}
