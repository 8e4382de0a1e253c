/**
 * Device tokens, staff sessions and PIN lockout. Only SHA-256 hashes of tokens are stored, so a
 * copied database does not hand out working credentials.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { DeviceRole } from '../../common/roles.js';
import type { HallDatabase } from './database.js';

export interface DeviceToken {
  id: string;
  role: DeviceRole;
  windowNo: number | null;
  name: string | null;
  createdAt: number;
  revokedAt: number | null;
}

export interface StaffSession {
  staffNo: string;
  windowNo: number;
  createdAt: number;
  expiresAt: number;
}

/** A manager signed in to the admin console (`POST /admin/sessions`): no window. */
export interface AdminSession {
  staffNo: string;
  createdAt: number;
  expiresAt: number;
}

export const PIN_MAX_FAILURES = 5;
export const PIN_LOCK_MS = 5 * 60_000;
/**
 * Most rows `pin_failures` keeps: one per staff number and address that failed, so a flood of
 * made-up staff numbers or addresses cannot grow the file. Over it, the oldest rows without a
 * running lock go first.
 */
export const PIN_FAILURE_ROWS_MAX = 5000;

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const newToken = (prefix: string) => `${prefix}${randomBytes(32).toString('base64url')}`;

export class TokenStore {
  private readonly db: Database.Database;

  constructor(handle: HallDatabase) {
    this.db = handle.db;
  }

  createDeviceToken(opts: { role: DeviceRole; windowNo?: number | null; name?: string | null }, now = Date.now()) {
    const id = randomUUID();
    const token = newToken('ght_');
    this.db
      .prepare(
        'INSERT INTO device_tokens (id, token_hash, role, window_no, name, created_at) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run(id, sha256(token), opts.role, opts.windowNo ?? null, opts.name ?? null, now);
    return { id, token };
  }

  findDeviceToken(token: string): DeviceToken | null {
    const r = this.db
      .prepare('SELECT * FROM device_tokens WHERE token_hash = ? AND revoked_at IS NULL')
      .get(sha256(token)) as Record<string, unknown> | undefined;
    return r ? toDevice(r) : null;
  }

  listDeviceTokens(): DeviceToken[] {
    return (this.db.prepare('SELECT * FROM device_tokens ORDER BY created_at').all() as Record<string, unknown>[]).map(
      toDevice,
    );
  }

  revokeDeviceToken(id: string, now = Date.now()): boolean {
    return (
      this.db.prepare('UPDATE device_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(now, id)
        .changes > 0
    );
  }

  createStaffSession(staffNo: string, windowNo: number, ttlMs: number, now: number): string {
    const token = newToken('ghs_');
    this.db
      .prepare(
        "INSERT INTO staff_sessions (token_hash, staff_no, window_no, created_at, expires_at, kind) VALUES (?, ?, ?, ?, ?, 'window')",
      )
      .run(sha256(token), staffNo, windowNo, now, now + ttlMs);
    return token;
  }

  findStaffSession(token: string, now: number): StaffSession | null {
    const r = this.findSession(token, 'window', now);
    return r
      ? {
          staffNo: r.staff_no as string,
          windowNo: r.window_no as number,
          createdAt: r.created_at as number,
          expiresAt: r.expires_at as number,
        }
      : null;
  }

  /** A session of the admin console: its own prefix, and window 0 so no window sign-in ends it. */
  createAdminSession(staffNo: string, ttlMs: number, now: number): string {
    const token = newToken('gha_');
    this.db
      .prepare(
        "INSERT INTO staff_sessions (token_hash, staff_no, window_no, created_at, expires_at, kind) VALUES (?, ?, 0, ?, ?, 'admin')",
      )
      .run(sha256(token), staffNo, now, now + ttlMs);
    return token;
  }

  findAdminSession(token: string, now: number): AdminSession | null {
    const r = this.findSession(token, 'admin', now);
    return r
      ? { staffNo: r.staff_no as string, createdAt: r.created_at as number, expiresAt: r.expires_at as number }
      : null;
  }

  private findSession(token: string, kind: 'window' | 'admin', now: number): Record<string, unknown> | undefined {
    return this.db
      .prepare(
        'SELECT * FROM staff_sessions WHERE token_hash = ? AND kind = ? AND revoked_at IS NULL AND expires_at > ?',
      )
      .get(sha256(token), kind, now) as Record<string, unknown> | undefined;
  }

  /** Ends a window or admin session (signing out). */
  revokeStaffSession(token: string, now = Date.now()): void {
    this.db.prepare('UPDATE staff_sessions SET revoked_at = ? WHERE token_hash = ?').run(now, sha256(token));
  }

  /** A new sign-in at a window ends every earlier session there. */
  revokeSessionsOfWindow(windowNo: number, now = Date.now()): void {
    this.db
      .prepare(
        "UPDATE staff_sessions SET revoked_at = ? WHERE window_no = ? AND kind = 'window' AND revoked_at IS NULL",
      )
      .run(now, windowNo);
  }

  revokeAllStaffSessions(now = Date.now()): void {
    this.db.prepare('UPDATE staff_sessions SET revoked_at = ? WHERE revoked_at IS NULL').run(now);
  }

  /** End of the lock of `staffNo` for sign-ins from `address`, or null. */
  pinLockedUntil(staffNo: string, address: string, now: number): number | null {
    const r = this.db
      .prepare('SELECT locked_until FROM pin_failures WHERE staff_no = ? AND address = ?')
      .get(staffNo, address) as { locked_until: number | null } | undefined;
    return r?.locked_until && r.locked_until > now ? r.locked_until : null;
  }

  /**
   * One more wrong PIN for `staffNo` from `address`; the fifth locks that pair (and only that
   * pair) for five minutes. Writes one row per pair at most, never a row per attempt.
   */
  recordPinFailure(
    staffNo: string,
    address: string,
    now: number,
  ): { locked: boolean; lockedUntil: number | null; failures: number } {
    return this.db.transaction(() => {
      const r = this.db
        .prepare('SELECT count, locked_until FROM pin_failures WHERE staff_no = ? AND address = ?')
        .get(staffNo, address) as { count: number; locked_until: number | null } | undefined;
      // A lock that ran out starts a fresh count.
      const count = r && !(r.locked_until && r.locked_until <= now) ? r.count + 1 : 1;
      const lockedUntil = count >= PIN_MAX_FAILURES ? now + PIN_LOCK_MS : null;
      this.db
        .prepare(
          `INSERT INTO pin_failures (staff_no, address, count, locked_until, updated_at) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT(staff_no, address) DO UPDATE SET count = excluded.count, locked_until = excluded.locked_until,
             updated_at = excluded.updated_at`,
        )
        .run(staffNo, address, lockedUntil ? 0 : count, lockedUntil, now);
      if (!r) this.trimPinFailures(now);
      return { locked: lockedUntil !== null, lockedUntil, failures: count };
    })();
  }

  private trimPinFailures(now: number): void {
    const { n } = this.db.prepare('SELECT count(*) AS n FROM pin_failures').get() as { n: number };
    if (n <= PIN_FAILURE_ROWS_MAX) return;
    const excess = n - PIN_FAILURE_ROWS_MAX;
    const idle = this.db
      .prepare(
        `DELETE FROM pin_failures WHERE (staff_no, address) IN (
           SELECT staff_no, address FROM pin_failures WHERE locked_until IS NULL OR locked_until <= ?
           ORDER BY updated_at LIMIT ?)`,
      )
      .run(now, excess).changes;
    if (idle < excess)
      this.db
        .prepare(
          'DELETE FROM pin_failures WHERE (staff_no, address) IN (SELECT staff_no, address FROM pin_failures ORDER BY updated_at LIMIT ?)',
        )
        .run(excess - idle);
  }

  /** A right PIN from `address` clears that pair's count; a lock from another address stays. */
  clearPinFailures(staffNo: string, address: string): void {
    this.db.prepare('DELETE FROM pin_failures WHERE staff_no = ? AND address = ?').run(staffNo, address);
  }
}

function toDevice(r: Record<string, unknown>): DeviceToken {
  return {
    id: r.id as string,
    role: r.role as DeviceRole,
    windowNo: r.window_no as number | null,
    name: r.name as string | null,
    createdAt: r.created_at as number,
    revokedAt: r.revoked_at as number | null,
  };
}
