/**
 * How a shell window heals, as a pure state machine: the adapter turns Electron's events
 * (`render-process-gone`, `unresponsive`, `did-fail-load`, …) and the hub watch into events,
 * calls `recoveryStep`, and carries out the effects it returns (load a page, show a local page,
 * set the window's one timer). Time comes in with every event, so tests drive it with numbers.
 *
 * Rules (docs/shell.md "自愈"):
 *  - A crash or failed load reloads the page the window was on after a delay that doubles from
 *    `baseDelayMs` up to `maxDelayMs`. The count of failures starts again once the page has run
 *    for `stableMs` without one.
 *  - From the `failuresBeforePage`-th failure in a row, the local 正在恢复 page is shown while the
 *    window waits; the retries go on at the capped delay, for ever.
 *  - A page that stops responding gets `hangGraceMs` to recover by itself; then its renderer is
 *    killed and that counts as a failure.
 *  - When the hub is unreachable the window shows the local hub-down page for its role (no
 *    retries of its own: the hub watch keeps probing) and goes back to the page it was on when
 *    the hub answers again.
 */

export interface RecoveryOptions {
  baseDelayMs: number;
  maxDelayMs: number;
  stableMs: number;
  failuresBeforePage: number;
  hangGraceMs: number;
}

export const DEFAULT_RECOVERY: RecoveryOptions = {
  baseDelayMs: 1_000,
  maxDelayMs: 60_000,
  stableMs: 5 * 60_000,
  failuresBeforePage: 3,
  hangGraceMs: 10_000,
};

export type RecoveryPhase =
  /** A page of the own origin is loading (after start, a retry or the hub's return). */
  | 'loading'
  | 'running'
  /** The page stopped responding; it has until `deadline`. */
  | 'hung'
  /** After a failure, until the retry at `deadline`. */
  | 'waiting'
  /** The hub is unreachable; the local page says so. */
  | 'hub-down';

export interface RecoveryState {
  phase: RecoveryPhase;
  /** Failures in a row (reset after `stableMs` of running). */
  failures: number;
  runningSince: number | null;
  deadline: number | null;
  /** The own-origin page the window was last on: where a retry or the hub's return goes. */
  url: string;
}

export type LocalPage = 'recovering' | 'hub-down';

export type RecoveryEvent =
  | { type: 'loaded'; now: number }
  /** The page moved within the own origin (the adapter checks the origin). */
  | { type: 'navigated'; url: string; now: number }
  | { type: 'crashed'; now: number }
  | { type: 'load-failed'; now: number }
  | { type: 'unresponsive'; now: number }
  | { type: 'responsive'; now: number }
  /** The window's timer fired. */
  | { type: 'timer'; now: number }
  | { type: 'hub-down'; now: number }
  | { type: 'hub-up'; now: number };

export type RecoveryEffect =
  | { kind: 'load'; url: string }
  | { kind: 'show-local-page'; page: LocalPage }
  | { kind: 'kill-renderer' }
  /** Set the window's single timer (replacing any other). */
  | { kind: 'set-timer'; at: number }
  | { kind: 'clear-timer' };

export interface RecoveryStep {
  state: RecoveryState;
  effects: RecoveryEffect[];
}

/** The delay before retry number `failures` (1, 2, …): doubling, capped. */
export function retryDelay(failures: number, opts: RecoveryOptions = DEFAULT_RECOVERY): number {
  const exp = Math.min(Math.max(failures - 1, 0), 30);
  return Math.min(opts.maxDelayMs, opts.baseDelayMs * 2 ** exp);
}

/** A window opening its role page. */
export function startRecovery(url: string): RecoveryStep {
  return {
    state: { phase: 'loading', failures: 0, runningSince: null, deadline: null, url },
    effects: [{ kind: 'load', url }],
  };
}

function fail(state: RecoveryState, now: number, opts: RecoveryOptions, extra: RecoveryEffect[] = []): RecoveryStep {
  const stable = state.runningSince !== null && now - state.runningSince >= opts.stableMs;
  const failures = (stable ? 0 : state.failures) + 1;
  const deadline = now + retryDelay(failures, opts);
  const effects: RecoveryEffect[] = [...extra];
  if (failures >= opts.failuresBeforePage) effects.push({ kind: 'show-local-page', page: 'recovering' });
  effects.push({ kind: 'set-timer', at: deadline });
  return { state: { ...state, phase: 'waiting', failures, runningSince: null, deadline }, effects };
}

const same = (state: RecoveryState): RecoveryStep => ({ state, effects: [] });

export function recoveryStep(
  state: RecoveryState,
  event: RecoveryEvent,
  opts: RecoveryOptions = DEFAULT_RECOVERY,
): RecoveryStep {
  const { now } = event;

  // The hub's state overrides whatever the page was doing.
  if (event.type === 'hub-down') {
    if (state.phase === 'hub-down') return same(state);
    return {
      state: { ...state, phase: 'hub-down', runningSince: null, deadline: null },
      effects: [{ kind: 'clear-timer' }, { kind: 'show-local-page', page: 'hub-down' }],
    };
  }
  if (state.phase === 'hub-down') {
    if (event.type === 'hub-up')
      return { state: { ...state, phase: 'loading', deadline: null }, effects: [{ kind: 'load', url: state.url }] };
    // The local page's own renderer died: show it again; it is not a failure of the role page.
    if (event.type === 'crashed') return { state, effects: [{ kind: 'show-local-page', page: 'hub-down' }] };
    return same(state);
  }

  switch (event.type) {
    case 'hub-up':
      return same(state);
    case 'navigated':
      return same({ ...state, url: event.url });
    case 'loaded':
      if (state.phase !== 'loading') return same(state);
      return same({ ...state, phase: 'running', runningSince: now, deadline: null });
    case 'crashed':
    case 'load-failed':
      // While waiting the page is already gone (or is the local page): nothing more to count.
      if (state.phase === 'waiting') return same(state);
      return fail(state, now, opts);
    case 'unresponsive':
      if (state.phase !== 'running' && state.phase !== 'loading') return same(state);
      return {
        state: { ...state, phase: 'hung', deadline: now + opts.hangGraceMs },
        effects: [{ kind: 'set-timer', at: now + opts.hangGraceMs }],
      };
    case 'responsive':
      if (state.phase !== 'hung') return same(state);
      // A hang that healed by itself is not a failure: back to where the page was.
      return {
        state: { ...state, phase: state.runningSince === null ? 'loading' : 'running', deadline: null },
        effects: [{ kind: 'clear-timer' }],
      };
    case 'timer':
      if (state.deadline === null || now < state.deadline) return same(state);
      if (state.phase === 'hung') return fail(state, now, opts, [{ kind: 'kill-renderer' }]);
      if (state.phase === 'waiting')
        return { state: { ...state, phase: 'loading', deadline: null }, effects: [{ kind: 'load', url: state.url }] };
      return same(state);
  }
}

/** The timer functions the runner uses; tests pass fake timers, the adapter the real ones. */
export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

/** An event as the adapter reports it; the runner adds the time. */
export type RecoveryInput = WithoutTime<RecoveryEvent>;
type WithoutTime<E> = E extends unknown ? Omit<E, 'now'> : never;

/**
 * Holds one window's recovery state, owns its single timer and hands every other effect to
 * `perform` (the adapter loads pages, shows local pages, kills the renderer).
 */
export class RecoveryRunner {
  private current: RecoveryState;
  private timer: unknown = null;

  constructor(
    url: string,
    private readonly deps: {
      now: () => number;
      timers: Timers;
      perform: (effect: Exclude<RecoveryEffect, { kind: 'set-timer' | 'clear-timer' }>) => void;
      options?: RecoveryOptions;
    },
  ) {
    const start = startRecovery(url);
    this.current = start.state;
    this.run(start.effects);
  }

  get state(): RecoveryState {
    return this.current;
  }

  send(event: RecoveryInput): void {
    const step = recoveryStep(this.current, { ...event, now: this.deps.now() } as RecoveryEvent, this.deps.options);
    this.current = step.state;
    this.run(step.effects);
  }

  /** The window is gone: no timer may fire for it any more. */
  dispose(): void {
    this.clear();
  }

  private clear(): void {
    if (this.timer !== null) this.deps.timers.clearTimeout(this.timer);
    this.timer = null;
  }

  private run(effects: RecoveryEffect[]): void {
    for (const effect of effects) {
      if (effect.kind === 'clear-timer') this.clear();
      else if (effect.kind === 'set-timer') {
        this.clear();
        this.timer = this.deps.timers.setTimeout(
          () => {
            this.timer = null;
            this.send({ type: 'timer' });
          },
          Math.max(0, effect.at - this.deps.now()),
        );
      } else this.deps.perform(effect);
    }
  }
}
