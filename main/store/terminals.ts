/**
 * Paired terminals (hub-api.md v1.1 "Terminals and pairing"): one token per terminal id, stored as
 * a SHA-256 hash like every other credential, with when and from where the terminal was last seen
 * and what it reported it can see (ports, HID devices, cameras, displays). The terminal's roles are
 * not stored: they come from the hall config's entry for its id, so an edit there applies at once.
 */
import { createHash, randomBytes } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { HallDatabase } from './database.js';

/** Terminal tokens are told apart from device tokens (`ght_`) and staff sessions (`ghs_`) by prefix. */
export const TERMINAL_TOKEN_PREFIX = 'gtt_';

export interface PairedTerminal {
  terminalId: string;
  name: string | null;
  pairedAt: number;
  /** Set when the admin revoked it (and no later pairing replaced it). */
  revokedAt: number | null;
  lastSeenAt: number | null;
  address: string | null;
  inventory: unknown;
  inventoryAt: number | null;
}

/** Last-seen writes at most this often per terminal (every request would otherwise write). */
const SEEN_WRITE_MS = 30_000;

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

export class TerminalStore {
  private readonly db: Database.Database;
  /** Last seen, newer than what is written: terminal id → { at, address, written }. */
  private readonly seen = new Map<string, { at: number; address: string | null; writtenAt: number }>();

  constructor(handle: HallDatabase) {
    this.db = handle.db;
  }

  /** Pairs a terminal id: a new token replaces any earlier one (that one stops working now). */
  pair(terminalId: string, name: string | null, now: number): string {
    const token = `${TERMINAL_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
    this.db
      .prepare(
        `INSERT INTO terminals (terminal_id, token_hash, name, paired_at) VALUES (?, ?, ?, ?)
         ON CONFLICT(terminal_id) DO UPDATE SET token_hash = excluded.token_hash, name = COALESCE(excluded.name, name),
           paired_at = excluded.paired_at, revoked_at = NULL`,
      )
      .run(terminalId, sha256(token), name, now);
    return token;
  }

  /** The terminal a token belongs to, or null (unknown, replaced or revoked). */
  findByToken(token: string): string | null {
    if (!token.startsWith(TERMINAL_TOKEN_PREFIX)) return null;
    const r = this.db.prepare('SELECT terminal_id FROM terminals WHERE token_hash = ?').get(sha256(token)) as
      | { terminal_id: string }
      | undefined;
    return r?.terminal_id ?? null;
  }

  /** Whether a token is still this terminal's (a terminal keeps its own token across restarts). */
  isCurrent(terminalId: string, token: string): boolean {
    return this.findByToken(token) === terminalId;
  }

  /** Revokes the terminal's token; false when it has none. */
  revoke(terminalId: string, now: number): boolean {
    this.seen.delete(terminalId);
    return (
      this.db
        .prepare(
          'UPDATE terminals SET token_hash = NULL, revoked_at = ? WHERE terminal_id = ? AND token_hash IS NOT NULL',
        )
        .run(now, terminalId).changes > 0
    );
  }

  /** A request of the terminal arrived: kept in memory, written when it is news. */
  touch(terminalId: string, address: string | null, now: number): void {
    const prev = this.seen.get(terminalId);
    const due = !prev || prev.address !== address || now - prev.writtenAt >= SEEN_WRITE_MS;
    this.seen.set(terminalId, { at: now, address, writtenAt: due ? now : (prev?.writtenAt ?? now) });
    if (due)
      this.db
        .prepare('UPDATE terminals SET last_seen_at = ?, address = ? WHERE terminal_id = ?')
        .run(now, address, terminalId);
  }

  setInventory(terminalId: string, inventory: unknown, now: number): void {
    this.db
      .prepare('UPDATE terminals SET inventory = ?, inventory_at = ? WHERE terminal_id = ?')
      .run(JSON.stringify(inventory), now, terminalId);
  }

  list(): PairedTerminal[] {
    const rows = this.db.prepare('SELECT * FROM terminals ORDER BY terminal_id').all() as Record<string, unknown>[];
    return rows.map((r) => {
      const id = r.terminal_id as string;
      const live = this.seen.get(id);
      return {
        terminalId: id,
        name: (r.name as string | null) ?? null,
        pairedAt: r.paired_at as number,
        revokedAt: r.token_hash === null ? ((r.revoked_at as number | null) ?? (r.paired_at as number)) : null,
        lastSeenAt: live?.at ?? (r.last_seen_at as number | null) ?? null,
        address: live?.address ?? (r.address as string | null) ?? null,
        inventory: typeof r.inventory === 'string' ? (JSON.parse(r.inventory) as unknown) : null,
        inventoryAt: (r.inventory_at as number | null) ?? null,
      };
    });
  }
}
