/**
 * After 办结 the window's pad asks the citizen for a rating; this says whether they rated
 * (`evaluation.recorded` for that case) or not (`evaluation.expired`: the pad timed out or the
 * citizen declined — recorded as not evaluated, never as a default rating).
 */

import { useCallback, useEffect, useState } from 'react';
import { type EvaluationLevel, isBadRating, LEVEL_NAMES } from '../../common/evaluation.js';
import { useServices } from '../shared/app.js';
import { useHallSettings } from '../shared/hall-settings.js';
import { ratingPageUrl, useQrDataUrl } from '../shared/qr.js';

export interface AwaitedRating {
  caseId: string;
  level: EvaluationLevel | null;
  expired?: boolean;
  /** From the 办结 answer: the citizen may rate on their phone instead (`/r/{ratingCode}`). */
  ratingCode?: string;
}

export function useRatingWatch(): {
  rating: AwaitedRating | null;
  awaitRating(caseId: string, ratingCode?: string): void;
  clear(): void;
} {
  const { events } = useServices();
  const [rating, setRating] = useState<AwaitedRating | null>(null);
  useEffect(() => {
    const offs = [
      events.on('evaluation.recorded', (e) => {
        setRating((r) => (r && r.caseId === e.caseId ? { ...r, level: e.level } : r));
      }),
      events.onEvent((e) => {
        const x = e as unknown as { type: string; caseId?: string };
        if (x.type === 'evaluation.expired')
          setRating((r) => (r && r.caseId === x.caseId && !r.level ? { ...r, expired: true } : r));
      }),
    ];
    return () => {
      for (const o of offs) o();
    };
  }, [events]);
  const awaitRating = useCallback(
    (caseId: string, ratingCode?: string) => setRating({ caseId, level: null, ...(ratingCode ? { ratingCode } : {}) }),
    [],
  );
  const clear = useCallback(() => setRating(null), []);
  return { rating, awaitRating, clear };
}

/**
 * A 差评 is reported in a neutral, informational box, not the green of a success (the words
 * already say 不满意; colour is never the only signal).
 */
export function RatingStatus({ rating }: { rating: AwaitedRating | null }) {
  const settings = useHallSettings();
  const waiting = rating !== null && !rating.level && !rating.expired && rating.ratingCode;
  // The phone page's address: the hall's public base URL (guest Wi-Fi), else this hub's own.
  const url = waiting && rating.ratingCode ? ratingPageUrl(settings?.publicBaseUrl, rating.ratingCode) : null;
  const qr = useQrDataUrl(url);
  if (!rating) return null;
  return (
    <>
      <RatingLine rating={rating} />
      {qr ? (
        <figure className="c-rating-qr" data-testid="rating-qr">
          <img src={qr} alt="扫码评价二维码" width={160} height={160} />
          <figcaption>群众也可以用手机扫码评价</figcaption>
        </figure>
      ) : null}
    </>
  );
}

function RatingLine({ rating }: { rating: AwaitedRating }) {
  return (
    <p
      className={`c-rating ${rating.level ? `done ${isBadRating(rating.level) ? 'bad' : 'good'}` : ''}`}
      role="status"
      data-testid="rating-status"
    >
      {rating.level
        ? `群众已评价：${LEVEL_NAMES[rating.level]}`
        : rating.expired
          ? '群众未评价（已记为未评价，可在取号机补充评价）'
          : '已请群众在评价器上评价，等待评价…'}
    </p>
  );
}
