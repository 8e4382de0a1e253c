/**
 * The technician unlock: after the hub has verified an admin's staff number and PIN, this
 * terminal's shortcuts and developer tools are allowed for a limited time, then lock again by
 * themselves. The hub decides whether the PIN is right (an injected verifier, so the PIN is never
 * stored on the terminal); this module only counts time and wrong attempts. Time is injected.
 */
import type { Clock } from '../time/clock.js';

export interface AdminCredentials {
  staffNo: string;
  pin: string;
}

/** Asks the hub whether these are an admin's credentials; throws when the hub cannot be asked. */
export type AdminVerifier = (credentials: AdminCredentials) => Promise<boolean>;

export interface TechnicianUnlockOptions {
  verify: AdminVerifier;
  clock: Clock;
  /** `lockdown.technicianUnlock` of the terminal: `admin-pin` enables it, `none` (or absent) disables it. */
  mode: 'admin-pin' | 'none';
  /** How long an unlock lasts (default 15 minutes). */
  unlockMs?: number;
  /** Wrong attempts in a row before the prompt refuses for `lockoutMs` (default 5). */
  maxFailures?: number;
  /** Default 5 minutes. */
  lockoutMs?: number;
}

export type UnlockResult =
  | { ok: true; until: number }
  | {
      ok: false;
      code: 'DISABLED' | 'BAD_INPUT' | 'WRONG_PIN' | 'LOCKED_OUT' | 'HUB_UNREACHABLE' | 'BUSY';
      message: string;
      retryAt?: number;
    };

const MINUTE = 60_000;

export class TechnicianUnlock {
  private readonly unlockMs: number;
  private readonly maxFailures: number;
  private readonly lockoutMs: number;
  private until: number | null = null;
  private failures = 0;
  private lockedUntil: number | null = null;
  private verifying = false;

  constructor(private readonly opts: TechnicianUnlockOptions) {
    this.unlockMs = opts.unlockMs ?? 15 * MINUTE;
    this.maxFailures = opts.maxFailures ?? 5;
    this.lockoutMs = opts.lockoutMs ?? 5 * MINUTE;
  }

  /** True while an unlock is running. */
  isUnlocked(): boolean {
    return this.until !== null && this.opts.clock.now() < this.until;
  }

  /** When the current unlock ends, or null. */
  expiresAt(): number | null {
    return this.isUnlocked() ? this.until : null;
  }

  /** Ends an unlock early (the technician is done, or the terminal restarts). */
  lock(): void {
    this.until = null;
  }

  async unlock(credentials: AdminCredentials): Promise<UnlockResult> {
    const now = this.opts.clock.now();
    if (this.opts.mode !== 'admin-pin')
      return { ok: false, code: 'DISABLED', message: '此终端未启用技术员解锁（终端配置 lockdown.technicianUnlock）' };
    if (this.lockedUntil !== null && now < this.lockedUntil)
      return {
        ok: false,
        code: 'LOCKED_OUT',
        message: '错误次数过多，请稍后再试',
        retryAt: this.lockedUntil,
      };
    if (this.verifying) return { ok: false, code: 'BUSY', message: '正在核验，请稍候' };
    if (!/^\d{1,12}$/.test(credentials.staffNo) || !/^\d{4,12}$/.test(credentials.pin))
      return { ok: false, code: 'BAD_INPUT', message: '请输入工号和 4 到 12 位数字 PIN' };
    this.verifying = true;
    let accepted: boolean;
    try {
      accepted = await this.opts.verify(credentials);
    } catch {
      // Not the technician's fault: no attempt is counted.
      return { ok: false, code: 'HUB_UNREACHABLE', message: '无法连接大厅中枢核验 PIN，请检查网络后重试' };
    } finally {
      this.verifying = false;
    }
    const after = this.opts.clock.now();
    if (!accepted) {
      this.failures++;
      if (this.failures >= this.maxFailures) {
        this.failures = 0;
        this.lockedUntil = after + this.lockoutMs;
        return { ok: false, code: 'LOCKED_OUT', message: '错误次数过多，请稍后再试', retryAt: this.lockedUntil };
      }
      return { ok: false, code: 'WRONG_PIN', message: '工号或 PIN 不正确，或该工号不是管理员' };
    }
    this.failures = 0;
    this.lockedUntil = null;
    this.until = after + this.unlockMs;
    return { ok: true, until: this.until };
  }
}
