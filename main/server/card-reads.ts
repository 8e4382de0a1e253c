/**
 * ID cards the hub itself read (its device service, relayed over the device bridge), so a kiosk
 * can prove "the number came from the card" without the hub trusting what a page says: each read
 * gets an unguessable id, sent with the card to the bridge clients of that terminal, and only the
 * token that received it can use it, for two minutes or until the card is taken away.
 */
import { randomBytes } from 'node:crypto';

export interface CardRead {
  certNo: string;
  terminal: string;
}

interface Entry extends CardRead {
  bearer: string;
  at: number;
}

export const CARD_READ_TTL_MS = 2 * 60_000;
const MAX_READS = 1000;

export class CardReads {
  private readonly reads = new Map<string, Entry>();

  constructor(
    private readonly now: () => number,
    private readonly ttlMs = CARD_READ_TTL_MS,
  ) {}

  /** A new read of `certNo` at `terminal`, handed to the client holding `bearer`; returns its id. */
  issue(read: CardRead, bearer: string): string {
    const id = randomBytes(16).toString('base64url');
    this.reads.set(id, { ...read, bearer, at: this.now() });
    for (const k of this.reads.keys()) {
      if (this.reads.size <= MAX_READS) break;
      this.reads.delete(k);
    }
    return id;
  }

  /** The read behind `id` when it is fresh and `bearer` is the token it was given to. */
  find(id: string, bearer: string): CardRead | null {
    const e = this.reads.get(id);
    if (!e) return null;
    if (this.now() - e.at >= this.ttlMs) {
      this.reads.delete(id);
      return null;
    }
    return e.bearer === bearer ? { certNo: e.certNo, terminal: e.terminal } : null;
  }

  /** The card left the reader: its reads end with it. */
  removedAt(terminal: string): void {
    for (const [k, e] of this.reads) if (e.terminal === terminal) this.reads.delete(k);
  }
}
