/** `config check` of the booking settings: file:line:column and a Chinese message for each problem. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEMO_HALL_PATH } from './demo-hall.js';
import { checkHallConfigText, formatProblem } from './load.js';

const demo = readFileSync(DEMO_HALL_PATH, 'utf8');
const check = (text: string) => {
  const r = checkHallConfigText(text, 'hall.yaml');
  return r.ok ? [] : r.problems.map(formatProblem);
};

describe('appointment settings in the hall config', () => {
  it('accepts the demo hall, which books two services', () => {
    const r = checkHallConfigText(demo, 'hall.yaml');
    expect(r.ok).toBe(true);
    if (r.ok)
      expect(r.config.services.filter((s) => s.appointment?.bookable).map((s) => s.code)).toEqual(['SBYB', 'BDCDJ']);
  });

  it('names the line and column of a bad capacity, a slot that does not fit, and slots outside the issuing hours', () => {
    expect(check(demo.replace('      capacity: 4', '      capacity: 0'))).toEqual([
      expect.stringMatching(/^hall\.yaml:\d+:\d+ 每个时段至少可约 1 人/),
    ]);
    expect(
      check(
        demo.replace(
          '        - { days: [1, 2, 3, 4, 5], open: "13:30", close: "17:30" }',
          '        - { days: [1, 2, 3, 4, 5], open: "13:30", close: "14:00" }',
        ),
      ),
    ).toEqual([expect.stringMatching(/^hall\.yaml:\d+:\d+ 预约时段 13:30–14:00 放不下一个 60 分钟的时段/)]);
    const hours = check(
      demo.replace(
        '    dailyCap: 300',
        '    dailyCap: 300\n    hours: [{ days: [1, 2, 3, 4, 5], open: "09:00", close: "17:00" }]',
      ),
    );
    expect(hours).toEqual([
      expect.stringMatching(/「社保医保」的预约时段 08:00–20:00（星期 1）不在该业务的取号时间内/),
    ]);
  });

  it('refuses first place for appointment tickets when the hall does not call appointments first', () => {
    const problems = check(demo.replace(/appointmentsFirst: true/, 'appointmentsFirst: false'));
    expect(problems).toEqual([expect.stringMatching(/「社保医保」的预约票设为 first.*appointmentsFirst 为 false/)]);
  });
});
