/**
 * The codes citizens follow their tickets with from a phone (`/t/{ticketCode}`, hub-api.md v1.1).
 * A code is 120 random bits (≥ 96 as the contract asks), handed out once in the `201` answer of
 * the issue or check-in, and kept only as its hash: it cannot be read back, so it cannot leak
 * into an event, a log or another answer by accident.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { HallDatabase } from './database.js';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** 120 random bits as 24 Crockford base32 characters (QR alphanumeric mode, no I/L/O/U). */
export function newTicketCode(): string {
  const bytes = randomBytes(15);
  let bits = 0;
  let value = 0;
  let out = '';
  for (const b of bytes) {
    value = ((value << 8) | b) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += CROCKFORD[(value >> bits) & 31];
    }
  }
  return out;
}

/** A code as typed or scanned: case and separators do not matter. */
const hashOf = (code: string) => createHash('sha256').update(code.replace(/[\s-]/g, '').toUpperCase()).digest('hex');

export class TicketCodeStore {
  private readonly db: HallDatabase['db'];

  constructor(handle: HallDatabase) {
    this.db = handle.db;
  }

  /** A new code for a ticket (call inside the issuing transaction when there is one). */
  issue(ticketId: string, businessDay: string): string {
    const code = newTicketCode();
    this.db
      .prepare('INSERT INTO ticket_codes (code_hash, ticket_id, business_day) VALUES (?, ?, ?)')
      .run(hashOf(code), ticketId, businessDay);
    return code;
  }

  /** The ticket a code stands for, or null (unknown, malformed, or already purged). */
  ticketOf(code: string): string | null {
    if (!/^[0-9A-Za-z-]{16,40}$/.test(code)) return null;
    const r = this.db.prepare('SELECT ticket_id AS id FROM ticket_codes WHERE code_hash = ?').get(hashOf(code)) as
      | { id: string }
      | undefined;
    return r?.id ?? null;
  }

  /** Forgets the codes of business days before `day` (YYYY-MM-DD): a ticket is followed on its day. */
  purgeBefore(day: string): number {
    return this.db.prepare('DELETE FROM ticket_codes WHERE business_day < ?').run(day).changes;
  }
}
