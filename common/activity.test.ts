import { describe, expect, it } from 'vitest';
import { ACTIVITY_REFRESH_MS, ActivityBoard, parseActivityReport } from './activity.js';

const board = () => {
  let t = 1_000_000;
  const b = new ActivityBoard({ now: () => t });
  return { b, step: (ms: number) => (t += ms) };
};

describe('the terminal activity board', () => {
  it('is idle at first and busy while any page says so', () => {
    const { b } = board();
    expect(b.idle(120_000)).toBe(true);
    b.report({ page: 'kiosk', busy: true });
    b.report({ page: 'evaluator-3', busy: true });
    expect(b.idle(0)).toBe(false);
    expect(b.busyPages()).toEqual(['evaluator-3', 'kiosk']);
    b.report({ page: 'kiosk', busy: false });
    expect(b.busyPages()).toEqual(['evaluator-3']);
    expect(b.idle(0)).toBe(false);
  });

  it('becomes idle only after the quiet time since the last page stopped being busy', () => {
    const { b, step } = board();
    b.report({ page: 'counter-3', busy: true });
    step(10_000);
    b.report({ page: 'counter-3', busy: false });
    step(119_999);
    expect(b.idle(120_000)).toBe(false);
    step(1);
    expect(b.idle(120_000)).toBe(true);
  });

  it('lets a busy report that is not repeated run out (a page that crashed mid-flow)', () => {
    const { b, step } = board();
    b.report({ page: 'kiosk', busy: true });
    step(ACTIVITY_REFRESH_MS);
    b.report({ page: 'kiosk', busy: true });
    step(3 * ACTIVITY_REFRESH_MS - 1);
    expect(b.busyPages()).toEqual(['kiosk']);
    step(1);
    expect(b.busyPages()).toEqual([]);
    // Quiet counts from when it ran out.
    expect(b.idle(1)).toBe(false);
    step(120_000);
    expect(b.idle(120_000)).toBe(true);
  });

  it('follows a bounded number of pages', () => {
    const b = new ActivityBoard({ now: () => 0, maxPages: 2 });
    for (const page of ['a', 'b', 'c']) b.report({ page, busy: true });
    expect(b.busyPages()).toEqual(['a', 'b']);
  });

  it('reads only well-formed reports', () => {
    expect(parseActivityReport({ page: 'counter-3', busy: true })).toEqual({ page: 'counter-3', busy: true });
    for (const bad of [
      null,
      'x',
      {},
      { page: 'kiosk' },
      { page: 'Kiosk', busy: true },
      { page: 'a'.repeat(41), busy: false },
      { page: 'kiosk', busy: 'yes' },
    ])
      expect(parseActivityReport(bad)).toBeNull();
  });
});
