import { describe, expect, it } from 'vitest';
import {
  businessDayOf,
  daysBetween,
  isoInZone,
  localTimeOfDay,
  nextMidnight,
  offsetMinutes,
  parseTimeOfDay,
  startOfDay,
} from './hall-time.js';

const SH = 'Asia/Shanghai';

describe('hall time', () => {
  it('puts 23:59 and 00:00 Shanghai time on different business days although UTC agrees', () => {
    const before = Date.UTC(2026, 10, 23, 15, 59); // 23:59 +08:00
    const after = Date.UTC(2026, 10, 23, 16, 0); // 00:00 +08:00 on the 24th
    expect(businessDayOf(before, SH)).toBe('2026-11-23');
    expect(businessDayOf(after, SH)).toBe('2026-11-24');
    expect(nextMidnight(before, SH)).toBe(after);
    expect(nextMidnight(after, SH)).toBe(after + 86400000);
    expect(startOfDay('2026-11-24', SH)).toBe(after);
  });

  it('renders ISO 8601 with the hall offset', () => {
    expect(offsetMinutes(0, SH)).toBe(480);
    expect(isoInZone(Date.UTC(2026, 0, 2, 1, 2, 3, 45), SH)).toBe('2026-01-02T09:02:03.045+08:00');
  });

  it('follows daylight saving time in zones that have it', () => {
    const tz = 'Europe/Berlin';
    const day = '2026-03-29'; // clocks go forward at 02:00
    expect(startOfDay(day, tz)).toBe(Date.UTC(2026, 2, 28, 23, 0));
    expect(nextMidnight(startOfDay(day, tz), tz)).toBe(Date.UTC(2026, 2, 29, 22, 0));
    expect(isoInZone(Date.UTC(2026, 2, 29, 12, 0), tz)).toBe('2026-03-29T14:00:00.000+02:00');
  });

  it('gives local weekday and minutes for opening hours', () => {
    // Monday 2026-11-23 09:30 in Shanghai
    expect(localTimeOfDay(Date.UTC(2026, 10, 23, 1, 30), SH)).toEqual({ weekday: 1, minutes: 570, hour: 9 });
    expect(parseTimeOfDay('17:30')).toBe(1050);
    expect(daysBetween('2026-11-23', '2026-12-01')).toBe(8);
  });
});
