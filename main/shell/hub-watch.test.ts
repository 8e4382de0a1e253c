import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { watchHub } from './hub-watch.js';
import { realTimers } from './recovery.js';

describe('hub watch (fake timers)', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('declares the hub down after two failed probes in a row and up at the first answer', async () => {
    const answers = [true, false, true, false, false, false, true];
    const probe = vi.fn(async () => answers.shift() ?? true);
    const watch = watchHub({ probe, timers: realTimers });
    const changes: boolean[] = [];
    watch.onChange((up) => changes.push(up));
    expect(watch.up).toBe(true);

    await vi.advanceTimersByTimeAsync(10_000); // ok
    await vi.advanceTimersByTimeAsync(10_000); // one failure: not an outage
    expect(watch.up).toBe(true);
    await vi.advanceTimersByTimeAsync(3_000); // ok again, sooner
    expect(probe).toHaveBeenCalledTimes(3);
    expect(changes).toEqual([]);

    await vi.advanceTimersByTimeAsync(10_000); // failure 1
    await vi.advanceTimersByTimeAsync(3_000); // failure 2: down
    expect(watch.up).toBe(false);
    await vi.advanceTimersByTimeAsync(3_000); // still down, probing every 3 s
    await vi.advanceTimersByTimeAsync(3_000); // answers: up
    expect(probe).toHaveBeenCalledTimes(7);
    expect(changes).toEqual([false, true]);
    watch.stop();
  });

  it('counts a probe that throws as a failure, and stops cleanly', async () => {
    const probe = vi.fn(async (): Promise<boolean> => {
      throw new Error('ECONNREFUSED');
    });
    const watch = watchHub({ probe, timers: realTimers, upIntervalMs: 1_000, downIntervalMs: 500 });
    const off = vi.fn();
    watch.onChange(off);
    await vi.advanceTimersByTimeAsync(1_500);
    expect(watch.up).toBe(false);
    expect(off).toHaveBeenCalledWith(false);
    watch.stop();
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(probe).toHaveBeenCalledTimes(2);
  });

  it('a listener can unsubscribe', async () => {
    const watch = watchHub({ probe: async () => false, timers: realTimers, failuresBeforeDown: 1 });
    const heard: boolean[] = [];
    const unsubscribe = watch.onChange((up) => heard.push(up));
    unsubscribe();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(watch.up).toBe(false);
    expect(heard).toEqual([]);
    watch.stop();
  });
});
