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
   * Takes the platform's time at the moment of its answer. `sentAt`/`receivedAt` are local times
   * around the request; the midpoint is the best guess of when the platform read its clock.
   */
  correct(serverTime: number, sentAt: number, receivedAt = sentAt): number {
    this.offset = Math.round(serverTime - (sentAt + receivedAt) / 2);
    return this.offset;
  }
}
