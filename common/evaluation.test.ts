import { describe, expect, it } from 'vitest';
import {
  EVALUATION_LEVELS,
  fromPlatformSatisfaction,
  isBadRating,
  toGbt39046,
  toPlatformSatisfaction,
} from './evaluation.js';

describe('evaluation levels', () => {
  it('map in opposite directions for the platform and GB/T 39046, and round-trip', () => {
    expect(toPlatformSatisfaction('very_satisfied')).toBe(5);
    expect(toGbt39046('very_satisfied')).toBe(1);
    expect(toPlatformSatisfaction('very_dissatisfied')).toBe(1);
    expect(toGbt39046('very_dissatisfied')).toBe(5);
    for (const l of EVALUATION_LEVELS) {
      expect(fromPlatformSatisfaction(toPlatformSatisfaction(l))).toBe(l);
      expect(toPlatformSatisfaction(l) + toGbt39046(l)).toBe(6);
    }
    expect(() => fromPlatformSatisfaction(0)).toThrow(RangeError);
  });

  it('counts only the two lowest levels as 差评', () => {
    expect(EVALUATION_LEVELS.filter(isBadRating)).toEqual(['dissatisfied', 'very_dissatisfied']);
  });
});
