import { describe, expect, it } from 'vitest';
import { ApiError } from './http-kit.js';
import { SignInFailureLog } from './sign-in-audit.js';
import { type SignInAlarm, SignInGuard } from './sign-in-guard.js';

const T0 = Date.UTC(2026, 10, 23, 1, 0);

function setup(limits: ConstructorParameters<typeof SignInGuard>[0] = {}) {
  let now = T0;
  const alarms: SignInAlarm[] = [];
  const guard = new SignInGuard(
    limits,
    () => now,
    (a) => alarms.push(a),
  );
  return {
    guard,
    alarms,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

/** The code `admit` refuses with, or null when it lets the try through. */
function refusal(guard: SignInGuard, address: string): { code: string; retryAfter: number } | null {
  try {
    guard.admit(address);
    return null;
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    expect(e.status).toBe(429);
    return { code: e.code, retryAfter: Number(e.headers['retry-after']) };
  }
}

describe('sign-in guard', () => {
  it('limits tries per address and for the whole hub, and refills with time', () => {
    const { guard, advance, alarms } = setup({
      perAddress: { perSecond: 1, burst: 3 },
      global: { perSecond: 2, burst: 5 },
    });
    for (let i = 0; i < 3; i++) expect(refusal(guard, 'a')).toBeNull();
    expect(refusal(guard, 'a')).toEqual({ code: 'RATE_LIMITED', retryAfter: 1 });
    // Another address has its own bucket, until the hub's is spent.
    expect(refusal(guard, 'b')).toBeNull();
    expect(refusal(guard, 'c')).toBeNull();
    expect(refusal(guard, 'd')).toMatchObject({ code: 'RATE_LIMITED' });
    expect(alarms).toEqual([{ kind: 'sign_in_flood', address: null, failures: 1, blocks: 0, until: null }]);
    // One flood alarm per ten minutes, however many tries are refused.
    expect(refusal(guard, 'e')).toMatchObject({ code: 'RATE_LIMITED' });
    expect(alarms).toHaveLength(1);
    advance(1000);
    expect(refusal(guard, 'a')).toBeNull();
  });

  it('slows an address that keeps failing, then blocks it for longer each time, with an alarm', () => {
    const { guard, advance, alarms } = setup({
      perAddress: { perSecond: 100, burst: 100 },
      slowAfter: 3,
      blockAfter: 6,
      againAfterBlock: 2,
      firstBlockMs: 60_000,
      maxBlockMs: 150_000,
    });
    const fail = () => {
      expect(refusal(guard, 'x')).toBeNull();
      return guard.failed('x');
    };
    fail();
    fail();
    expect(refusal(guard, 'x')).toBeNull();
    expect(guard.failed('x')).toEqual({ failures: 3, blocked: false, until: T0 + 1000 });
    // The third failure makes it wait 1 s, the fourth 2 s, the fifth 4 s.
    expect(refusal(guard, 'x')).toEqual({ code: 'SIGN_IN_TOO_FAST', retryAfter: 1 });
    advance(1000);
    fail();
    expect(refusal(guard, 'x')).toEqual({ code: 'SIGN_IN_TOO_FAST', retryAfter: 2 });
    advance(2000);
    fail();
    advance(4000);
    // Another address is not touched by x's failures.
    expect(refusal(guard, 'y')).toBeNull();
    expect(fail()).toMatchObject({ failures: 6, blocked: true });
    expect(alarms).toEqual([
      { kind: 'sign_in_blocked', address: 'x', failures: 6, blocks: 1, until: expect.any(Number) },
    ]);
    expect(refusal(guard, 'x')).toEqual({ code: 'SIGN_IN_BLOCKED', retryAfter: 60 });
    advance(60_000);
    // After the block: two more failures and the next block is twice as long.
    expect(fail().blocked).toBe(false);
    advance(60_000);
    expect(fail()).toMatchObject({ blocked: true });
    expect(refusal(guard, 'x')).toEqual({ code: 'SIGN_IN_BLOCKED', retryAfter: 120 });
    advance(120_000);
    fail();
    advance(60_000);
    fail();
    // Capped at maxBlockMs.
    expect(refusal(guard, 'x')).toEqual({ code: 'SIGN_IN_BLOCKED', retryAfter: 150 });
    expect(alarms.map((a) => a.blocks)).toEqual([1, 2, 3]);
  });

  it('forgives an address that has been quiet long enough', () => {
    const { guard, advance } = setup({ slowAfter: 2, blockAfter: 10, forgetMs: 3600_000 });
    guard.failed('x');
    guard.failed('x');
    expect(refusal(guard, 'x')).toMatchObject({ code: 'SIGN_IN_TOO_FAST' });
    advance(3600_000);
    expect(refusal(guard, 'x')).toBeNull();
    expect(guard.failed('x').failures).toBe(1);
  });

  it('remembers a bounded number of addresses, never dropping a running block', () => {
    const { guard } = setup({ blockAfter: 1, maxAddresses: 3 });
    guard.failed('blocked');
    for (let i = 0; i < 10; i++) guard.failed(`a${i}`);
    expect(refusal(guard, 'blocked')).toMatchObject({ code: 'SIGN_IN_BLOCKED' });
  });
});

describe('sign-in failure audit', () => {
  it('writes the first failure of an address at once and the rest of its minute as one row', () => {
    let now = T0;
    const one: string[] = [];
    const summaries: { address: string; failures: number; staffNos: string[]; locks: number }[] = [];
    const log = new SignInFailureLog(
      (f) => one.push(`${f.address}/${f.staffNo}`),
      (s) => summaries.push({ address: s.address, failures: s.failures, staffNos: s.staffNos, locks: s.locks }),
      () => now,
    );
    const f = (address: string, staffNo: string, locked = false) =>
      log.failure({ address, staffNo, action: 'staff.sign-in', windowNo: 1, locked });
    for (let i = 0; i < 500; i++) f('10.0.0.9', String(8000 + (i % 30)), i === 4);
    f('10.0.0.8', '8001');
    expect(one).toEqual(['10.0.0.9/8000', '10.0.0.8/8001']);
    expect(summaries).toEqual([]);
    now += 60_000;
    log.flush();
    expect(summaries).toEqual([{ address: '10.0.0.9', failures: 499, staffNos: expect.any(Array), locks: 1 }]);
    expect(summaries[0]!.staffNos.length).toBeLessThanOrEqual(20);
    // A new minute starts with a row of its own again.
    f('10.0.0.9', '8001');
    expect(one).toHaveLength(3);
  });
});
