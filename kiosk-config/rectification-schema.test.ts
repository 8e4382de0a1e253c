import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEMO_HALL_PATH } from './demo-hall.js';
import { checkHallConfigText } from './load.js';

/** The demo hall without its own rectification and alarms sections (they come last). */
const demo = () => readFileSync(DEMO_HALL_PATH, 'utf8').split('\n# 差评整改')[0];
const check = (extra: string) => checkHallConfigText(`${demo()}\n${extra}`, 'hall.yaml');
const messages = (extra: string) => {
  const r = check(extra);
  return r.ok ? [] : r.problems.map((p) => `${p.path} ${p.message}`);
};

describe('config check of the rectification and alarms sections', () => {
  it('accepts the demo hall’s sections', () => {
    const r = checkHallConfigText(readFileSync(DEMO_HALL_PATH, 'utf8'), 'demo-hall.yaml');
    expect(r.ok && r.config.alarms?.waitMinutes).toEqual({ SBYB: 40, BDCDJ: 40, ZHZX: 30 });
  });

  it('applies the defaults and accepts a full section', () => {
    const r = check(
      'rectification:\n  deadlineWorkingDays: 10\n  remindBeforeWorkingDays: [2]\nalarms:\n  waitMinutes: { ZHZX: 30 }\n  webhook:\n    url: https://im.example.cn/robot\n    secretFile: webhook.secret\n',
    );
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.config.rectification).toEqual({ deadlineWorkingDays: 10, remindBeforeWorkingDays: [2] });
      expect(r.config.alarms).toMatchObject({ waitMinutes: { ZHZX: 30 }, promiseDueSoonWorkingDays: 2 });
    }
    const d = check('rectification: {}\n');
    expect(d.ok && d.config.rectification).toEqual({ deadlineWorkingDays: 15, remindBeforeWorkingDays: [3, 1] });
  });

  it('names what is wrong, in Chinese', () => {
    expect(messages('rectification:\n  deadlineWorkingDays: 0\n').join()).toMatch(/整改时限（工作日）至少为 1/);
    expect(messages('rectification:\n  deadlineWorkingDays: 5\n  remindBeforeWorkingDays: [5]\n').join()).toMatch(
      /提醒点应小于整改时限/,
    );
    expect(messages('alarms:\n  waitMinutes: { NOPE: 30 }\n').join()).toMatch(/等候告警的业务「NOPE」不存在/);
    expect(messages('alarms:\n  webhook: { url: ftp://x, secretFile: a }\n').join()).toMatch(/http:\/\/ 或 https:\/\//);
    expect(messages('alarms:\n  webhook: { url: https://x.cn }\n').join()).toMatch(/secretFile/);
  });
});
