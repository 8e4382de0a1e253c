/**
 * Marks no-shows when a check-in window closes: one timer armed for the next window to close
 * (never longer than `maxWaitMs`, so a clock that jumps or a booking made elsewhere is caught
 * soon), re-armed after each run and whenever a booking changes the next close (`poke`). Timers
 * and the clock are injected; tests drive it with fake timers.
 */
import type { Clock } from '../time/clock.js';
import type { Appointment } from './types.js';

export interface NoShowTarget {
  markNoShows(): Appointment[];
  nextWindowClose(now: number): number | null;
}

export interface SchedulerTimers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

export const nodeTimers: SchedulerTimers = {
  set: (fn, ms) => {
    const t = setTimeout(fn, ms);
    t.unref?.();
    return t;
  },
  clear: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

export class NoShowScheduler {
  private handle: unknown = null;
  private stopped = true;

  constructor(
    private readonly o: {
      target: NoShowTarget;
      clock: Clock;
      timers?: SchedulerTimers;
      maxWaitMs?: number;
      onMarked?: (marked: Appointment[]) => void;
      onError?: (e: Error) => void;
    },
  ) {}

  private get timers(): SchedulerTimers {
    return this.o.timers ?? nodeTimers;
  }

  start(): void {
    this.stopped = false;
    this.run();
  }

  stop(): void {
    this.stopped = true;
    if (this.handle !== null) this.timers.clear(this.handle);
    this.handle = null;
  }

  /** A booking changed: the next window to close may be earlier than the timer's. */
  poke(): void {
    if (!this.stopped) this.arm();
  }

  private run(): void {
    try {
      const marked = this.o.target.markNoShows();
      if (marked.length) this.o.onMarked?.(marked);
    } catch (e) {
      this.o.onError?.(e as Error);
    }
    this.arm();
  }

  private arm(): void {
    if (this.stopped) return;
    if (this.handle !== null) this.timers.clear(this.handle);
    const now = this.o.clock.now();
    const max = this.o.maxWaitMs ?? 60_000;
    let next: number | null = null;
    try {
      next = this.o.target.nextWindowClose(now);
    } catch (e) {
      this.o.onError?.(e as Error);
    }
    const wait = next === null ? max : Math.min(max, Math.max(0, next - now));
    this.handle = this.timers.set(() => {
      this.handle = null;
      this.run();
    }, wait);
  }
}
