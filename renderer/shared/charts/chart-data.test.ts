import { describe, expect, it } from 'vitest';
import { hourBars, niceMax, satisfactionBars, satisfactionRate, secondsText, ticks } from './chart-data.js';

const p = (issued: number) => ({
  issued,
  served: 0,
  skipped: 0,
  meanWaitSeconds: null,
  p90WaitSeconds: null,
  meanServeSeconds: null,
  p90ServeSeconds: null,
});

describe('chart data', () => {
  it('rounds axis maxima and ticks', () => {
    expect([0, 1, 3, 7, 12, 23, 130, 1000].map(niceMax)).toEqual([1, 1, 5, 10, 20, 25, 200, 1000]);
    expect(ticks(20)).toEqual([0, 5, 10, 15, 20]);
    expect(ticks(5)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(ticks(10)).toEqual([0, 2, 4, 6, 8, 10]);
    expect(ticks(1)).toEqual([0, 1]);
  });

  it('shows every opening hour, and hours outside them when there were arrivals', () => {
    const bars = hourBars({ '09': p(4), '20': p(1) });
    expect(bars[0]).toEqual({ label: '08时', value: 0 });
    expect(bars.find((b) => b.label === '09时')?.value).toBe(4);
    expect(bars.at(-1)).toEqual({ label: '20时', value: 1 });
    expect(bars).toHaveLength(13);
  });

  it('gives satisfaction in level order with shares, and the rate', () => {
    const counts = { very_satisfied: 2, satisfied: 1, dissatisfied: 1 };
    const bars = satisfactionBars(counts);
    expect(bars.map((b) => b.label)).toEqual(['非常满意', '满意', '基本满意', '不满意', '非常不满意']);
    expect(bars[0]?.display).toBe('2（50%）');
    expect(satisfactionRate(counts)).toBe(0.75);
    expect(satisfactionRate({})).toBeNull();
  });

  it('writes durations', () => {
    expect(secondsText(null)).toBe('—');
    expect(secondsText(42)).toBe('42 秒');
    expect(secondsText(200)).toBe('3 分 20 秒');
    expect(secondsText(3900)).toBe('1 小时 5 分');
  });
});
