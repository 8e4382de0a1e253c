/**
 * One table from the core's typed errors (queue and case rules) to HTTP answers, so every route
 * and plugin answers the same rule broken with the same status and code.
 */
import { CaseError, type CaseErrorCode } from '../cases/case-error.js';
import { QueueError, type QueueErrorCode } from '../queue/types.js';
import type { StorageMonitor } from '../store/storage-health.js';
import { ApiError } from './http-kit.js';

const STATUS_OF: Record<QueueErrorCode | CaseErrorCode, number> = {
  SERVICE_CLOSED: 409,
  DAILY_LIMIT_REACHED: 409,
  INVALID_CERT_NO: 400,
  UNKNOWN_SERVICE: 400,
  UNKNOWN_WINDOW: 404,
  UNKNOWN_TICKET: 404,
  PRIORITY_NOT_ENABLED: 400,
  ANONYMOUS_NOT_ALLOWED: 400,
  WINDOW_CLOSED: 409,
  WINDOW_PAUSED: 409,
  WINDOW_BUSY: 409,
  NO_CURRENT_TICKET: 409,
  INVALID_STATE: 409,
  SERVICE_NOT_AT_WINDOW: 409,
  ALREADY_REQUEUED: 409,
  PRIORITY_NOT_ALLOWED: 403,
  NOT_OWN_TICKET: 403,
  UNDO_TOO_LATE: 403,
  CHANNEL_NOT_ALLOWED: 403,
  UNKNOWN_CASE: 404,
  REASON_REQUIRED: 400,
  ALREADY_EVALUATED: 409,
  WRONG_WINDOW: 403,
};

/** The API answer for a broken queue or case rule; anything else is passed through unchanged. */
export function toApiError(e: unknown): unknown {
  if (!(e instanceof QueueError) && !(e instanceof CaseError)) return e;
  let status = STATUS_OF[e.code] ?? 409;
  // An unknown window named in a body is bad input; in the path it is "not found".
  if (e.code === 'UNKNOWN_WINDOW' && e.field && e.field !== 'windowNo') status = 400;
  const message = status === 400 && e.field ? `字段 ${e.field}：${e.message}` : e.message;
  return new ApiError(status, e.code, message);
}

/** Runs a core command, turning its rule errors into API errors. */
export function runCommand<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw toApiError(e);
  }
}

/**
 * A write the disk refused (full, read-only) becomes `503 STORAGE_FULL` / `503 STORAGE_READ_ONLY`
 * with the Chinese message that says what to do, and the monitor reports the hub degraded until
 * writes work again. Anything else is passed through unchanged.
 */
export function toStorageApiError(e: unknown, storage: StorageMonitor | undefined): unknown {
  if (e instanceof ApiError) return e;
  const problem = storage?.noteFailure(e);
  return problem ? new ApiError(503, problem.code, problem.message, { 'retry-after': '30' }) : e;
}
