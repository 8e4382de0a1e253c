import { describe, expect, it } from 'vitest';
import { nextRestartAt, quietTimeMinutes, restartDue } from './nightly-restart.js';

const SH = 'Asia/Shanghai';
/** An instant given as Shanghai wall-clock time (UTC+8 all year). */
const sh = (y: number, mo: number, d: number, h: number, mi: number, s = 0) => Date.UTC(y, mo - 1, d, h - 8, mi, s);

describe('nightly restart', () => {
  it('restarts later the same night when the quiet time is still ahead', () => {
    expect(nextRestartAt(sh(2026, 11, 23, 2, 0), '03:30', SH)).toBe(sh(2026, 11, 23, 3, 30));
    expect(nextRestartAt(sh(2026, 11, 23, 3, 29, 59), '03:30', SH)).toBe(sh(2026, 11, 23, 3, 30));
  });

  it('restarts the next night once the quiet time has passed, including exactly at it', () => {
    expect(nextRestartAt(sh(2026, 11, 23, 3, 30), '03:30', SH)).toBe(sh(2026, 11, 24, 3, 30));
    expect(nextRestartAt(sh(2026, 11, 23, 9, 0), '03:30', SH)).toBe(sh(2026, 11, 24, 3, 30));
    expect(nextRestartAt(sh(2026, 11, 23, 23, 59), '03:30', SH)).toBe(sh(2026, 11, 24, 3, 30));
  });

  it('crosses midnight, month end and year end in the hall’s zone, not in UTC', () => {
    // 23:00 in Shanghai is 15:00 UTC the same day; 00:30 the next local day is still "yesterday" in UTC.
    expect(nextRestartAt(sh(2026, 11, 30, 23, 0), '00:30', SH)).toBe(sh(2026, 12, 1, 0, 30));
    expect(nextRestartAt(sh(2026, 12, 31, 12, 0), '03:30', SH)).toBe(sh(2027, 1, 1, 3, 30));
    expect(nextRestartAt(sh(2028, 2, 28, 4, 0), '03:30', SH)).toBe(sh(2028, 2, 29, 3, 30));
    expect(nextRestartAt(sh(2026, 11, 23, 0, 0), '00:00', SH)).toBe(sh(2026, 11, 24, 0, 0));
    expect(nextRestartAt(sh(2026, 11, 23, 23, 58), '23:59', SH)).toBe(sh(2026, 11, 23, 23, 59));
  });

  it('is exactly 24 hours apart every day of a year in Asia/Shanghai (no daylight saving time)', () => {
    let at = nextRestartAt(sh(2026, 1, 1, 12, 0), '03:30', SH);
    for (let i = 0; i < 366; i++) {
      const next = nextRestartAt(at, '03:30', SH);
      expect(next - at).toBe(86_400_000);
      at = next;
    }
    expect(at).toBe(sh(2027, 1, 3, 3, 30));
  });

  it('keeps the wall-clock time in a zone with daylight saving time', () => {
    // Berlin, 2026-03-29: 02:00 → 03:00. 03:30 local is 01:30 UTC that day, 02:30 UTC the day before.
    expect(nextRestartAt(Date.UTC(2026, 2, 28, 12), '03:30', 'Europe/Berlin')).toBe(Date.UTC(2026, 2, 29, 1, 30));
    expect(nextRestartAt(Date.UTC(2026, 2, 27, 12), '03:30', 'Europe/Berlin')).toBe(Date.UTC(2026, 2, 28, 2, 30));
  });

  it('refuses a quiet time that is not HH:MM', () => {
    expect(quietTimeMinutes('03:30')).toBe(210);
    for (const bad of ['3:30', '24:00', '03:60', '0330', '', 'midnight'])
      expect(() => nextRestartAt(0, bad, SH), bad).toThrow(/^RESTART_TIME 夜间重启时间应为 HH:MM/);
  });

  it('is due at and after the planned instant, also after the PC slept past it', () => {
    const at = sh(2026, 11, 24, 3, 30);
    expect(restartDue(at - 1, at)).toBe(false);
    expect(restartDue(at, at)).toBe(true);
    expect(restartDue(at + 6 * 3_600_000, at)).toBe(true);
  });
});
