/**
 * What stands between the PIN sign-ins (`POST /staff/sessions`, `POST /admin/sessions`) and
 * anyone on the hall LAN: a rate per source address and one for the whole hub (each try costs a
 * deliberately slow hash), and a penalty that grows for an address that keeps failing — first a
 * wait between tries, then a block that doubles each time — with an alarm for the admin. Pure:
 * time comes in as `now`, alarms go out through `onAlarm`.
 *
 * The contract's lock (5 wrong PINs → that staff number is locked for 5 minutes for that address)
 * lives in the token store; this is about the address, whatever staff numbers it tries.
 */
import { ApiError, RateLimiter } from './http-kit.js';

export interface SignInLimits {
  /** Tries per address: steady rate and burst. */
  perAddress: { perSecond: number; burst: number };
  /** Tries of all addresses together: the most hashing the hub will do. */
  global: { perSecond: number; burst: number };
  /** Failures of one address after which it must wait between tries (1 s, then doubling). */
  slowAfter: number;
  /** Failures of one address after which it is blocked. */
  blockAfter: number;
  /** Failures allowed after a block ends before the next, twice as long, block. */
  againAfterBlock: number;
  firstBlockMs: number;
  maxBlockMs: number;
  maxDelayMs: number;
  /** An address with no failure (and no block) for this long starts over. */
  forgetMs: number;
  /** Addresses remembered at most (the oldest quiet ones are dropped first). */
  maxAddresses: number;
}

export const DEFAULT_SIGN_IN_LIMITS: SignInLimits = {
  perAddress: { perSecond: 1, burst: 20 },
  global: { perSecond: 4, burst: 40 },
  slowAfter: 10,
  blockAfter: 20,
  againAfterBlock: 3,
  firstBlockMs: 60_000,
  maxBlockMs: 3600_000,
  maxDelayMs: 30_000,
  forgetMs: 6 * 3600_000,
  maxAddresses: 10_000,
};

export type SignInAlarm =
  | { kind: 'sign_in_blocked'; address: string; failures: number; blocks: number; until: number }
  | { kind: 'sign_in_flood'; address: null; failures: number; blocks: 0; until: null };

interface AddressState {
  /** Failures since the address was last forgiven (quiet for `forgetMs`). */
  failures: number;
  lastAt: number;
  /** No try before this (the slow-down). */
  notBefore: number;
  blockedUntil: number;
  blocks: number;
}

/** A flood alarm at most this often: the admin needs to know once, not per refused try. */
const FLOOD_ALARM_EVERY_MS = 10 * 60_000;

export class SignInGuard {
  readonly limits: SignInLimits;
  private readonly perAddress: RateLimiter;
  private readonly global: RateLimiter;
  private readonly addresses = new Map<string, AddressState>();
  private lastFloodAlarm = Number.NEGATIVE_INFINITY;
  private refusedSinceAlarm = 0;

  constructor(
    limits: Partial<SignInLimits>,
    private readonly now: () => number,
    private readonly onAlarm: (a: SignInAlarm) => void = () => {},
  ) {
    this.limits = { ...DEFAULT_SIGN_IN_LIMITS, ...limits };
    const l = this.limits;
    this.perAddress = new RateLimiter(l.perAddress.perSecond, l.perAddress.burst, now, l.maxAddresses);
    this.global = new RateLimiter(l.global.perSecond, l.global.burst, now);
  }

  /** Before any hashing: throws 429 when this address is blocked, must wait, or a rate is spent. */
  admit(address: string): void {
    const t = this.now();
    const s = this.state(address, t);
    if (s && s.blockedUntil > t) {
      const secs = Math.ceil((s.blockedUntil - t) / 1000);
      throw new ApiError(
        429,
        'SIGN_IN_BLOCKED',
        `本机登录失败次数过多，已暂停登录，请 ${Math.ceil(secs / 60)} 分钟后再试；如非本人操作，请联系大厅管理员`,
        { 'retry-after': String(secs) },
      );
    }
    if (s && s.notBefore > t) {
      const secs = Math.ceil((s.notBefore - t) / 1000);
      throw new ApiError(429, 'SIGN_IN_TOO_FAST', `登录失败次数较多，请 ${secs} 秒后再试`, {
        'retry-after': String(secs),
      });
    }
    const wait = this.perAddress.take(address);
    if (wait !== null)
      throw new ApiError(429, 'RATE_LIMITED', '登录请求过于频繁，请稍后再试', { 'retry-after': String(wait) });
    const waitAll = this.global.take('all');
    if (waitAll !== null) {
      this.flood(t);
      throw new ApiError(429, 'RATE_LIMITED', '登录请求过多，中枢暂不受理，请稍后再试', {
        'retry-after': String(waitAll),
      });
    }
  }

  /** A wrong PIN or unknown staff number from `address`: the penalty it earns from now on. */
  failed(address: string): { failures: number; blocked: boolean; until: number | null } {
    const t = this.now();
    const l = this.limits;
    const s = this.state(address, t) ?? { failures: 0, lastAt: t, notBefore: 0, blockedUntil: 0, blocks: 0 };
    s.failures += 1;
    s.lastAt = t;
    // Re-inserted so the map's order is "least recently failed first" for trimming.
    this.addresses.delete(address);
    this.addresses.set(address, s);
    this.trim(t);
    if (s.failures >= l.blockAfter) {
      s.blocks += 1;
      s.blockedUntil = t + Math.min(l.maxBlockMs, l.firstBlockMs * 2 ** (s.blocks - 1));
      const failures = s.failures;
      s.failures = Math.max(0, l.blockAfter - l.againAfterBlock);
      s.notBefore = 0;
      this.onAlarm({ kind: 'sign_in_blocked', address, failures, blocks: s.blocks, until: s.blockedUntil });
      return { failures, blocked: true, until: s.blockedUntil };
    }
    if (s.failures >= l.slowAfter) {
      s.notBefore = t + Math.min(l.maxDelayMs, 1000 * 2 ** (s.failures - l.slowAfter));
      return { failures: s.failures, blocked: false, until: s.notBefore };
    }
    return { failures: s.failures, blocked: false, until: null };
  }

  /** The address's state, forgetting it once it has been quiet long enough. */
  private state(address: string, t: number): AddressState | undefined {
    const s = this.addresses.get(address);
    if (s && t - Math.max(s.lastAt, s.blockedUntil) >= this.limits.forgetMs) {
      this.addresses.delete(address);
      return undefined;
    }
    return s;
  }

  private trim(t: number): void {
    if (this.addresses.size <= this.limits.maxAddresses) return;
    for (const [a, s] of this.addresses) {
      if (this.addresses.size <= this.limits.maxAddresses) return;
      if (s.blockedUntil <= t) this.addresses.delete(a);
    }
  }

  private flood(t: number): void {
    this.refusedSinceAlarm += 1;
    if (t - this.lastFloodAlarm < FLOOD_ALARM_EVERY_MS) return;
    this.lastFloodAlarm = t;
    const failures = this.refusedSinceAlarm;
    this.refusedSinceAlarm = 0;
    this.onAlarm({ kind: 'sign_in_flood', address: null, failures, blocks: 0, until: null });
  }
}
