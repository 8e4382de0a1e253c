/**
 * The hall's view of the platform's clock. A hall PC whose clock is wrong gets `CLOCK_SKEW` with
 * the platform's `serverTime`; from then on the relay signs with local time + offset instead of
 * giving up (platform-api.md, "Transport and authentication").
 */
import type { Clock } from '../time/clock.js';

export class PlatformClock implements Clock {
  constructor(
    private readonly local: Clock,
    private offset = 0,
    /** Told each learnt offset, to keep it across restarts (whichever request learnt it: batch or catalogue). */
    private readonly onCorrect: ((offsetMs: number) => void) | null = null,
  ) {}

  /** Platform time as the hall best knows it. */
  now(): number {
    return this.local.now() + this.offset;
  }

  get offsetMs(): number {
    return this.offset;
  }

  /** Restores an offset learnt before a restart. */
  setOffset(ms: number): void {
    this.offset = ms;
  }

  /**
   * Takes the platform's time at the moment of its answer. `sentAt`/`receivedAt` are readings of
   * THIS clock (local time + the current offset, as the request was signed) around the request;
   * the midpoint is the best guess of when the platform read its clock. The remaining error is
   * added to the offset, so a second correction (a learnt offset gone stale after the hall's clock
   * was fixed, or the platform's clock moved) converges instead of flipping the sign each time.
   */
  correct(serverTime: number, sentAt: number, receivedAt = sentAt): number {
    this.offset += Math.round(serverTime - (sentAt + receivedAt) / 2);
    this.onCorrect?.(this.offset);
    return this.offset;
  }
}
