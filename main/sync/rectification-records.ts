/**
 * 差评整改 steps as platform records (platform-api.md v1.1, records of kind `rectification`): the
 * steps `rectifying`, `closed` and `invalid`, each written to the outbox in the step's own
 * transaction — so exactly once — and each needing the outbox record of the rating that opened the
 * item, so the relay never sends a step before its rating (the platform would refuse it with
 * `UNKNOWN_EVALUATION`). The call-back's level goes as the platform's 1–5 satisfaction.
 */
import { isoInZone } from '../../common/hall-time.js';
import { type AcceptedTransition, platformRevisit, REPORTED_STEPS } from '../cases/rectification.js';
import type { HallDatabase } from '../store/database.js';
import type { RectificationItem } from '../store/rectifications.js';
import { enqueueRecord, evaluationRecordId } from './outbox-records.js';

export function rectificationReporter(db: HallDatabase, timeZone: () => string) {
  return (item: RectificationItem, step: AcceptedTransition, at: number): string | null => {
    if (!REPORTED_STEPS.includes(step.to)) return null;
    const rating = item.evaluations[0];
    if (!rating) return null;
    const evaluationRef = evaluationRecordId(db, rating.id);
    return enqueueRecord(db, {
      kind: 'rectification',
      caseId: item.caseId,
      occurredAt: at,
      data: {
        evaluationRef,
        // Filled in at send time once the case has its 办件编号.
        projectNo: null,
        status: step.to,
        note: step.note,
        ...(step.revisit ? { revisit: platformRevisit(step.revisit) } : {}),
        at: isoInZone(at, timeZone()),
      },
      needs: [evaluationRef],
    });
  };
}
