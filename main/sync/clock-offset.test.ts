import { describe, expect, it } from 'vitest';
import { PlatformClock } from './clock-offset.js';

describe('platform clock offset', () => {
  it('learns the offset from serverTime and the midpoint of the request', () => {
    let local = 1_000_000;
    const c = new PlatformClock({ now: () => local });
    // The request left at local 1 000 000 and came back 200 ms later; the platform said 3 601 000 100.
    const sent = c.now();
    local += 200;
    expect(c.correct(3_601_000_100, sent, c.now())).toBe(3_600_000_000);
    expect(c.now()).toBe(3_601_000_200);
  });

  it('converges when a learnt offset goes stale (the hall clock was fixed later), not flipping sign', () => {
    let local = 5_000_000;
    const c = new PlatformClock({ now: () => local }, 3_600_000);
    // The hall's clock is now right: the platform reads the same as local time.
    let t = c.now();
    c.correct(local, t, t);
    expect(c.offsetMs).toBe(0);
    // And again when the platform's clock moves by 10 minutes: one correction is enough.
    local += 1000;
    t = c.now();
    c.correct(local + 600_000, t, t);
    expect(c.offsetMs).toBe(600_000);
    expect(c.now()).toBe(local + 600_000);
  });
});
