import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  DEFAULT_RECOVERY,
  type RecoveryEffect,
  type RecoveryEvent,
  RecoveryRunner,
  type RecoveryState,
  recoveryStep,
  retryDelay,
  startRecovery,
} from './recovery.js';

const URL0 = 'http://127.0.0.1:8801/kiosk/';
const T0 = 1_000_000;

/** Feeds events in order and returns the last state and every effect. */
function run(events: RecoveryEvent[], from: RecoveryState = startRecovery(URL0).state) {
  let state = from;
  const effects: RecoveryEffect[][] = [];
  for (const e of events) {
    const step = recoveryStep(state, e);
    state = step.state;
    effects.push(step.effects);
  }
  return { state, effects };
}

const running = run([{ type: 'loaded', now: T0 }]).state;

describe('recovery: backoff', () => {
  it('doubles from one second and stops at one minute', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 50].map((n) => retryDelay(n))).toEqual([
      1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000, 60_000,
    ]);
  });

  it('a crash reloads the page it was on after the backoff', () => {
    const { state, effects } = run(
      [
        { type: 'navigated', url: `${URL0}#step-2`, now: T0 + 10 },
        { type: 'crashed', now: T0 + 20 },
        { type: 'timer', now: T0 + 20 + 999 }, // early: nothing
        { type: 'timer', now: T0 + 20 + 1_000 },
      ],
      running,
    );
    expect(effects).toEqual([
      [],
      [{ kind: 'set-timer', at: T0 + 1_020 }],
      [],
      [{ kind: 'load', url: `${URL0}#step-2` }],
    ]);
    expect(state).toMatchObject({ phase: 'loading', failures: 1 });
  });

  it('shows the local 正在恢复 page from the third failure in a row and keeps retrying at the cap', () => {
    let state = running;
    let now = T0;
    const pages: boolean[] = [];
    const delays: number[] = [];
    for (let i = 0; i < 9; i++) {
      const crash = recoveryStep(state, { type: 'crashed', now });
      pages.push(crash.effects.some((e) => e.kind === 'show-local-page' && e.page === 'recovering'));
      const timer = crash.effects.find((e) => e.kind === 'set-timer');
      if (timer?.kind !== 'set-timer') throw new Error('no retry scheduled');
      delays.push(timer.at - now);
      now = timer.at;
      const retry = recoveryStep(crash.state, { type: 'timer', now });
      expect(retry.effects).toEqual([{ kind: 'load', url: URL0 }]);
      // The reload fails again straight away.
      state = retry.state;
    }
    expect(pages).toEqual([false, false, true, true, true, true, true, true, true]);
    expect(delays).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000, 60_000]);
    expect(state.failures).toBe(9);
  });

  it('starts counting again after five stable minutes, not after a short run', () => {
    const twoFailures = run([
      { type: 'loaded', now: T0 },
      { type: 'crashed', now: T0 + 1 },
      { type: 'timer', now: T0 + 1_001 },
      { type: 'loaded', now: T0 + 1_100 },
      { type: 'crashed', now: T0 + 1_200 },
      { type: 'timer', now: T0 + 3_200 },
      { type: 'loaded', now: T0 + 3_300 },
    ]).state;
    expect(twoFailures).toMatchObject({ phase: 'running', failures: 2, runningSince: T0 + 3_300 });
    const soon = recoveryStep(twoFailures, { type: 'crashed', now: T0 + 3_300 + DEFAULT_RECOVERY.stableMs - 1 });
    expect(soon.state.failures).toBe(3);
    expect(soon.effects).toContainEqual({ kind: 'show-local-page', page: 'recovering' });
    const later = recoveryStep(twoFailures, { type: 'crashed', now: T0 + 3_300 + DEFAULT_RECOVERY.stableMs });
    expect(later.state.failures).toBe(1);
    expect(later.effects).toEqual([{ kind: 'set-timer', at: T0 + 3_300 + DEFAULT_RECOVERY.stableMs + 1_000 }]);
  });

  it('a failed load counts like a crash; a crash report while already waiting counts once', () => {
    const { state, effects } = run(
      [
        { type: 'load-failed', now: T0 },
        { type: 'crashed', now: T0 + 5 },
      ],
      startRecovery(URL0).state,
    );
    expect(state.failures).toBe(1);
    expect(effects[1]).toEqual([]);
  });
});

describe('recovery: hangs', () => {
  it('gives a hung page ten seconds, then kills its renderer and counts a failure', () => {
    const { state, effects } = run(
      [
        { type: 'unresponsive', now: T0 + 100 },
        { type: 'timer', now: T0 + 10_100 },
        { type: 'crashed', now: T0 + 10_101 }, // the kill reported back
      ],
      running,
    );
    expect(effects).toEqual([
      [{ kind: 'set-timer', at: T0 + 10_100 }],
      [{ kind: 'kill-renderer' }, { kind: 'set-timer', at: T0 + 11_100 }],
      [],
    ]);
    expect(state).toMatchObject({ phase: 'waiting', failures: 1 });
  });

  it('a page that answers again within the grace is left alone', () => {
    const { state, effects } = run(
      [
        { type: 'unresponsive', now: T0 + 100 },
        { type: 'responsive', now: T0 + 5_000 },
        { type: 'timer', now: T0 + 10_100 },
      ],
      running,
    );
    expect(effects).toEqual([[{ kind: 'set-timer', at: T0 + 10_100 }], [{ kind: 'clear-timer' }], []]);
    expect(state).toMatchObject({ phase: 'running', failures: 0, runningSince: T0 });
  });

  it('a page that hangs while loading and recovers goes on loading', () => {
    const { state } = run([
      { type: 'unresponsive', now: T0 },
      { type: 'responsive', now: T0 + 1 },
      { type: 'loaded', now: T0 + 2 },
    ]);
    expect(state).toMatchObject({ phase: 'running', runningSince: T0 + 2 });
  });
});

describe('recovery: the hub', () => {
  it('shows the hub-down page, ignores the page meanwhile, and returns to where it was when the hub is back', () => {
    const { state, effects } = run(
      [
        { type: 'navigated', url: 'http://127.0.0.1:8801/counter/?window=3#calling', now: T0 + 1 },
        { type: 'hub-down', now: T0 + 2 },
        { type: 'hub-down', now: T0 + 3 },
        { type: 'load-failed', now: T0 + 4 },
        { type: 'unresponsive', now: T0 + 5 },
        { type: 'timer', now: T0 + 100_000 },
        { type: 'crashed', now: T0 + 100_001 },
        { type: 'hub-up', now: T0 + 200_000 },
        { type: 'loaded', now: T0 + 200_100 },
      ],
      running,
    );
    expect(effects).toEqual([
      [],
      [{ kind: 'clear-timer' }, { kind: 'show-local-page', page: 'hub-down' }],
      [],
      [],
      [],
      [],
      [{ kind: 'show-local-page', page: 'hub-down' }],
      [{ kind: 'load', url: 'http://127.0.0.1:8801/counter/?window=3#calling' }],
      [],
    ]);
    expect(state).toMatchObject({ phase: 'running', failures: 0 });
  });

  it('the hub going away cancels a pending retry; its return loads the page at once', () => {
    const { effects, state } = run(
      [
        { type: 'crashed', now: T0 },
        { type: 'hub-down', now: T0 + 10 },
        { type: 'hub-up', now: T0 + 20 },
      ],
      running,
    );
    expect(effects[1]).toEqual([{ kind: 'clear-timer' }, { kind: 'show-local-page', page: 'hub-down' }]);
    expect(effects[2]).toEqual([{ kind: 'load', url: URL0 }]);
    expect(state.phase).toBe('loading');
  });

  it('hub-up while the hub was never down changes nothing', () => {
    expect(recoveryStep(running, { type: 'hub-up', now: T0 })).toEqual({ state: running, effects: [] });
  });
});

describe('recovery runner (fake timers)', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('owns the window timer: retries fire by themselves, with backoff, until the page loads', () => {
    vi.useFakeTimers({ now: T0 });
    const performed: string[] = [];
    const runner = new RecoveryRunner(URL0, {
      now: () => Date.now(),
      timers: { setTimeout: (f, ms) => setTimeout(f, ms), clearTimeout: (h) => clearTimeout(h as never) },
      perform: (e) =>
        performed.push(e.kind === 'load' ? `load ${e.url}` : e.kind === 'show-local-page' ? e.page : e.kind),
    });
    expect(performed).toEqual([`load ${URL0}`]);
    runner.send({ type: 'loaded' });
    for (let i = 0; i < 3; i++) {
      runner.send({ type: 'crashed' });
      vi.advanceTimersByTime(retryDelay(i + 1) - 1);
      expect(performed.filter((p) => p.startsWith('load'))).toHaveLength(i + 1);
      vi.advanceTimersByTime(1);
      expect(performed.filter((p) => p.startsWith('load'))).toHaveLength(i + 2);
    }
    expect(performed).toEqual([`load ${URL0}`, `load ${URL0}`, `load ${URL0}`, 'recovering', `load ${URL0}`]);
    runner.send({ type: 'loaded' });
    expect(runner.state.phase).toBe('running');
    expect(vi.getTimerCount()).toBe(0);
  });

  it('a hang is killed after the grace; dispose leaves no timer behind', () => {
    vi.useFakeTimers({ now: T0 });
    const performed: string[] = [];
    const runner = new RecoveryRunner(URL0, {
      now: () => Date.now(),
      timers: { setTimeout: (f, ms) => setTimeout(f, ms), clearTimeout: (h) => clearTimeout(h as never) },
      perform: (e) => performed.push(e.kind),
    });
    runner.send({ type: 'loaded' });
    runner.send({ type: 'unresponsive' });
    vi.advanceTimersByTime(DEFAULT_RECOVERY.hangGraceMs);
    expect(performed).toEqual(['load', 'kill-renderer']);
    expect(vi.getTimerCount()).toBe(1);
    runner.dispose();
    expect(vi.getTimerCount()).toBe(0);
  });
});
