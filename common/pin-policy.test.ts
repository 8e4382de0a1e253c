import { describe, expect, it } from 'vitest';
import { DEMO_PIN, pinProblem } from './pin-policy.js';

describe('PIN policy', () => {
  it('wants 6 to 12 digits', () => {
    expect(pinProblem('4807')).toBe('PIN 应为 6 到 12 位数字');
    expect(pinProblem('48071')).toBe('PIN 应为 6 到 12 位数字');
    expect(pinProblem('4807152')).toBeNull();
    expect(pinProblem('48a715')).toBe('PIN 应为 6 到 12 位数字');
    expect(pinProblem('4807152693104')).toBe('PIN 应为 6 到 12 位数字');
  });

  it('refuses runs, repetitions and common choices', () => {
    for (const p of ['123456', '654321', '012345', '3456789', '987654321'])
      expect(pinProblem(p), p).toMatch(/连续递增或递减/);
    for (const p of ['000000', '888888', '121212', '123123', '12341234', '999999999999'])
      expect(pinProblem(p), p).toMatch(/重复/);
    for (const p of ['112233', '147258', '520131', '159753']) expect(pinProblem(p), p).toMatch(/过于常见/);
    for (const p of ['480715', '246810', '135246', '902817']) expect(pinProblem(p), p).toBeNull();
  });

  it('lets the demo PIN through only in the demo hall, and nothing else trivial', () => {
    expect(pinProblem(DEMO_PIN)).not.toBeNull();
    expect(pinProblem(DEMO_PIN, { demo: true })).toBeNull();
    expect(pinProblem('000000', { demo: true })).not.toBeNull();
    expect(pinProblem('1234', { demo: true })).toBe('PIN 应为 6 到 12 位数字');
  });
});
