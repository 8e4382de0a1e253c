/**
 * What failed sign-ins write to the audit log, bounded: the first failure of an address in a
 * minute is written at once (a mistyped PIN is on record), the rest of that minute become one
 * summary row when the minute is over. So a flood writes at most two rows per address per minute,
 * whatever its rate, and the log still says who tried what and how often.
 */

export interface SignInFailure {
  address: string;
  staffNo: string;
  /** `staff.sign-in` or `admin.sign-in`. */
  action: string;
  windowNo: number | null;
  /** This failure locked the staff number for this address. */
  locked: boolean;
}

export interface FailureSummary {
  address: string;
  from: number;
  to: number;
  failures: number;
  /** The staff numbers tried (the first few, so a row stays small). */
  staffNos: string[];
  locks: number;
}

const MINUTE = 60_000;
const STAFF_NOS_KEPT = 20;

interface Bucket {
  minute: number;
  from: number;
  to: number;
  more: number;
  staffNos: Set<string>;
  locks: number;
}

export class SignInFailureLog {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly writeOne: (f: SignInFailure) => void,
    private readonly writeSummary: (s: FailureSummary) => void,
    private readonly now: () => number,
  ) {}

  failure(f: SignInFailure): void {
    const t = this.now();
    const minute = Math.floor(t / MINUTE);
    let b = this.buckets.get(f.address);
    if (b && b.minute !== minute) {
      this.close(f.address, b);
      b = undefined;
    }
    if (!b) {
      this.buckets.set(f.address, { minute, from: t, to: t, more: 0, staffNos: new Set(), locks: 0 });
      this.writeOne(f);
      return;
    }
    b.more += 1;
    b.to = t;
    if (b.staffNos.size < STAFF_NOS_KEPT) b.staffNos.add(f.staffNo);
    if (f.locked) b.locks += 1;
  }

  /** Writes the summaries of finished minutes (every minute from a timer), or of all (`all`, at close). */
  flush(all = false): void {
    const minute = Math.floor(this.now() / MINUTE);
    for (const [address, b] of [...this.buckets]) if (all || b.minute < minute) this.close(address, b);
  }

  private close(address: string, b: Bucket): void {
    this.buckets.delete(address);
    if (b.more === 0) return;
    this.writeSummary({
      address,
      from: b.from,
      to: b.to,
      failures: b.more,
      staffNos: [...b.staffNos],
      locks: b.locks,
    });
  }
}
