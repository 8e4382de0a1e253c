/**
 * Pairings in progress (hub-api.md v1.1): a terminal asks, shows a 6-digit code, the admin types
 * it in, the terminal collects its token once. Pure rules with the clock and the randomness
 * injected; kept in memory — a pairing lives ten minutes, and after a hub restart the terminal
 * simply asks again.
 */

export const PAIRING_TTL_MS = 10 * 60_000;
/** An answered pairing is remembered this long after it expires, so a late poll reads `expired`, not 404. */
const FORGET_AFTER_MS = 10 * 60_000;
/** More pending pairings than this is an attack, not a hall. */
const MAX_PAIRINGS = 1000;

export interface Pairing {
  pairingId: string;
  code: string;
  terminalId: string;
  name: string | null;
  address: string | null;
  createdAt: number;
  expiresAt: number;
  state: 'pending' | 'approved';
  /** The token minted on approval, until the terminal has read it. */
  token: string | null;
}

export type PairingStatus = { status: 'pending' | 'expired' } | { status: 'approved'; token?: string };

export interface PairingBookOptions {
  now(): number;
  /** A secret of at least 128 bits, URL-safe. */
  newSecret(): string;
  /** A uniform integer in [0, max). */
  randomInt(max: number): number;
  ttlMs?: number;
}

export class PairingBook {
  private readonly byId = new Map<string, Pairing>();
  private readonly ttl: number;

  constructor(private readonly o: PairingBookOptions) {
    this.ttl = o.ttlMs ?? PAIRING_TTL_MS;
  }

  /** A new pairing for a terminal id; null when too many are open. Earlier ones of the id stay valid. */
  request(terminalId: string, name: string | null, address: string | null): Pairing | null {
    this.sweep();
    if (this.byId.size >= MAX_PAIRINGS) return null;
    const now = this.o.now();
    const live = new Set([...this.byId.values()].filter((p) => this.isPending(p, now)).map((p) => p.code));
    let code: string;
    do code = String(this.o.randomInt(1_000_000)).padStart(6, '0');
    while (live.has(code));
    const p: Pairing = {
      pairingId: this.o.newSecret(),
      code,
      terminalId,
      name,
      address,
      createdAt: now,
      expiresAt: now + this.ttl,
      state: 'pending',
      token: null,
    };
    this.byId.set(p.pairingId, p);
    return p;
  }

  /** The pending, unexpired pairing with this code, or null. */
  findCode(code: string): Pairing | null {
    const now = this.o.now();
    return [...this.byId.values()].find((p) => p.code === code && this.isPending(p, now)) ?? null;
  }

  /**
   * Marks a pairing approved with its new token. Other pending pairings of the same terminal end:
   * only the screen the admin read the code from gets the token.
   */
  approve(p: Pairing, token: string): void {
    p.state = 'approved';
    p.token = token;
    for (const other of this.byId.values()) {
      if (other !== p && other.terminalId === p.terminalId && other.state === 'pending') other.expiresAt = 0;
    }
  }

  /** What the terminal sees when it polls; the token is handed out on the first read only. Null: unknown id. */
  poll(pairingId: string): PairingStatus | null {
    this.sweep();
    const p = this.byId.get(pairingId);
    if (!p) return null;
    const now = this.o.now();
    if (p.state === 'approved') {
      if (p.token === null) return { status: 'approved' };
      if (now >= p.expiresAt) return { status: 'expired' };
      const token = p.token;
      p.token = null;
      return { status: 'approved', token };
    }
    return now >= p.expiresAt ? { status: 'expired' } : { status: 'pending' };
  }

  /** Pending pairings, newest first (for the admin console). */
  pending(): Pairing[] {
    const now = this.o.now();
    return [...this.byId.values()].filter((p) => this.isPending(p, now)).sort((a, b) => b.createdAt - a.createdAt);
  }

  private isPending(p: Pairing, now: number): boolean {
    return p.state === 'pending' && now < p.expiresAt;
  }

  private sweep(): void {
    const now = this.o.now();
    for (const [id, p] of this.byId) {
      const end = Math.max(p.expiresAt, p.createdAt + this.ttl);
      if (now >= end + FORGET_AFTER_MS) this.byId.delete(id);
    }
  }
}
