/**
 * The nightly restart of a terminal's windows (`restart: { nightlyAt: "03:30" }` in its hall config
 * entry): a fresh browser once a day, when nobody is in the hall, clears whatever a long-running
 * page has accumulated. The time is the hall's clock (its time zone from the hub), whatever this
 * PC's zone is.
 */
import { businessDayOf, nextMidnight, parseTimeOfDay, startOfDay } from '../../common/hall-time.js';

/** The next instant strictly after `now` at which the hall's clock reads `hhmm`. */
export function nextNightly(now: number, hhmm: string, timeZone: string): number {
  const minutes = parseTimeOfDay(hhmm);
  const today = startOfDay(businessDayOf(now, timeZone), timeZone) + minutes * 60_000;
  return today > now ? today : nextMidnight(now, timeZone) + minutes * 60_000;
}

/** Calls `restart` every night at `hhmm` until stopped; `arm` again when the time changes. */
export class NightlyRestart {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private armed: string | null = null;

  constructor(
    private readonly restart: () => void,
    private readonly now: () => number = Date.now,
  ) {}

  arm(hhmm: string | null, timeZone: string): void {
    const key = hhmm ? `${hhmm}@${timeZone}` : null;
    if (key === this.armed) return;
    this.stop();
    this.armed = key;
    if (!hhmm) return;
    const schedule = () => {
      const wait = nextNightly(this.now(), hhmm, timeZone) - this.now();
      this.timer = setTimeout(() => {
        this.restart();
        schedule();
      }, wait);
      this.timer.unref?.();
    };
    schedule();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.armed = null;
  }
}
