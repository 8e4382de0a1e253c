/** Retention: applicant personal data on tickets is kept only as long as the hall configures. */
import { daysBetween } from '../../common/hall-time.js';
import { appendAudit } from './audit.js';
import type { HallDatabase } from './database.js';

export function purgeApplicantData(
  handle: HallDatabase,
  opts: { olderThanDays: number; today: string; now: number },
): number {
  const db = handle.db;
  return db.transaction(() => {
    const days = (
      db
        .prepare(
          'SELECT DISTINCT business_day d FROM tickets WHERE applicant_cert_enc IS NOT NULL OR applicant_name IS NOT NULL',
        )
        .all() as { d: string }[]
    )
      .map((r) => r.d)
      .filter((d) => daysBetween(d, opts.today) > opts.olderThanDays);
    let n = 0;
    const stmt = db.prepare(
      `UPDATE tickets SET applicant_name = NULL, applicant_cert_type = NULL, applicant_cert_enc = NULL,
         applicant_cert_hash = NULL, personal_purged_at = ? WHERE business_day = ? AND (applicant_cert_enc IS NOT NULL OR applicant_name IS NOT NULL)`,
    );
    for (const d of days) n += stmt.run(opts.now, d).changes;
    if (n > 0) {
      appendAudit(db, {
        at: opts.now,
        actor: { role: 'system', terminalId: null, staffNo: null },
        action: 'privacy.purge',
        subject: null,
        result: 'ok',
        detail: { tickets: n, olderThanDays: opts.olderThanDays, days },
      });
    }
    return n;
  })();
}

/**
 * Events are for live screens and resume: keep the newest `keepCount` of them, none older than
 * `keepDays`. The count bound holds within a day too — a flood of events (a device flapping) cannot
 * grow the table, or a resume, without limit; a client behind what is kept gets `resync`.
 */
export function pruneEvents(handle: HallDatabase, opts: { keepDays: number; keepCount: number; now: number }): number {
  // The newest event always stays, so the next seq continues from it (no AUTOINCREMENT needed).
  return handle.db
    .prepare(
      `DELETE FROM events WHERE seq < (SELECT max(seq) FROM events)
         AND (at < ? OR seq <= (SELECT max(seq) FROM events) - ?)`,
    )
    .run(opts.now - opts.keepDays * 86400_000, Math.max(1, Math.floor(opts.keepCount))).changes;
}
