/**
 * Capped exponential backoff with full jitter (AWS architecture blog, "Exponential Backoff and
 * Jitter"): the wait is uniform in [0, min(cap, base·2^attempt)], so halls that lost the platform
 * together do not come back in lock-step. A platform's Retry-After is a floor, never shortened.
 */
export interface BackoffPolicy {
  /** First ceiling, in ms (attempt 0). */
  baseMs: number;
  /** Largest ceiling, in ms. */
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 1000, maxMs: 5 * 60_000 };

/** `attempt` counts failures in a row, from 0; `random` returns [0, 1) (injected in tests). */
export function backoffDelay(attempt: number, policy: BackoffPolicy, random: () => number): number {
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(attempt, 30));
  return Math.floor(random() * ceiling);
}

/** The wait before the next try: jittered backoff, but at least what Retry-After asked for. */
export function retryDelay(
  attempt: number,
  policy: BackoffPolicy,
  random: () => number,
  retryAfterMs: number | null = null,
): number {
  const d = backoffDelay(attempt, policy, random);
  return retryAfterMs === null ? d : Math.max(retryAfterMs, d);
}

/** Retry-After in seconds (or an HTTP date) → ms; null when absent or unreadable. */
export function parseRetryAfter(value: string | undefined | null, nowMs: number): number | null {
  if (!value) return null;
  const v = value.trim();
  if (/^\d+(\.\d+)?$/.test(v)) return Math.ceil(Number(v) * 1000);
  const at = Date.parse(v);
  return Number.isFinite(at) ? Math.max(0, at - nowMs) : null;
}
