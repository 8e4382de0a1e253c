import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CLOSE_GRACE_MS, CLOSE_REVOKED, CredentialWatch, closeRevoked } from './credential-watch.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('credential watch', () => {
  it('closes a socket within one second of its token being revoked elsewhere, and only that one', () => {
    const valid = new Set(['ght_a', 'ght_b']);
    const reads: string[] = [];
    const watch = new CredentialWatch({
      stillValid: (t) => {
        reads.push(t);
        return valid.has(t);
      },
    });
    const closed: string[] = [];
    watch.watch('ght_a', () => closed.push('a1'));
    watch.watch('ght_a', () => closed.push('a2'));
    const stopB = watch.watch('ght_b', () => closed.push('b'));
    vi.advanceTimersByTime(2000);
    expect(closed).toEqual([]);
    // Revoked by another process (the CLI): nobody tells this one; the check finds it.
    valid.delete('ght_a');
    reads.length = 0;
    vi.advanceTimersByTime(1000);
    expect(closed).toEqual(['a1', 'a2']);
    // Two sockets of one token cost one read per check.
    expect(reads.filter((t) => t === 'ght_a')).toHaveLength(1);
    expect(watch.size).toBe(1);
    // Closed once, not at every later check; a socket that closed itself is no longer watched.
    vi.advanceTimersByTime(5000);
    expect(closed).toEqual(['a1', 'a2']);
    stopB();
    valid.delete('ght_b');
    vi.advanceTimersByTime(1000);
    expect(closed).toEqual(['a1', 'a2']);
    watch.stop();
  });

  it('closes at once when told the change happened here, and treats a failed read as no answer', () => {
    let fail = true;
    const errors: string[] = [];
    const watch = new CredentialWatch({
      stillValid: () => {
        if (fail) throw new Error('database is locked');
        return false;
      },
      onError: (e) => errors.push(e.message),
    });
    const closed: string[] = [];
    watch.watch('ghs_x', () => closed.push('x'));
    expect(watch.sweep()).toBe(0);
    expect(closed).toEqual([]);
    expect(errors).toEqual(['database is locked']);
    fail = false;
    expect(watch.sweep()).toBe(1);
    expect(closed).toEqual(['x']);
    watch.stop();
  });

  it('cuts a peer that ignores the close frame', () => {
    const calls: string[] = [];
    const ws = {
      close: (code: number) => calls.push(`close ${code}`),
      terminate: () => calls.push('terminate'),
    };
    closeRevoked(ws as never);
    expect(calls).toEqual([`close ${CLOSE_REVOKED}`]);
    vi.advanceTimersByTime(CLOSE_GRACE_MS);
    expect(calls).toEqual([`close ${CLOSE_REVOKED}`, 'terminate']);
  });
});
