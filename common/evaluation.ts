/**
 * The five 好差评 levels: one internal enum, mapped explicitly at every boundary (the codes run in
 * opposite directions in different specs, so a bare integer never crosses one), their words, and
 * the 差评 rule. Shared by the hub, the pads, the kiosk and the admin screens.
 */

export const EVALUATION_LEVELS = [
  'very_satisfied',
  'satisfied',
  'basically_satisfied',
  'dissatisfied',
  'very_dissatisfied',
] as const;
export type EvaluationLevel = (typeof EVALUATION_LEVELS)[number];

export const LEVEL_NAMES: Record<EvaluationLevel, string> = {
  very_satisfied: '非常满意',
  satisfied: '满意',
  basically_satisfied: '基本满意',
  dissatisfied: '不满意',
  very_dissatisfied: '非常不满意',
};

/** 差评: the two lowest levels; they need a reason code or a text. */
export const isBadRating = (l: EvaluationLevel): boolean => l === 'dissatisfied' || l === 'very_dissatisfied';

/** A first rating and at most one follow-up (追评) per case. */
export const MAX_ASSESSMENTS = 2;

/** Where a rating was given; the hub sets it from the caller, never from the body. */
export const EVALUATION_CHANNELS = ['pad', 'kiosk', 'qr'] as const;
export type EvaluationChannel = (typeof EVALUATION_CHANNELS)[number];

/** Provincial 好差评 interfaces: `satisfaction` 1 = 非常不满意 … 5 = 非常满意. */
const PLATFORM_CODE: Record<EvaluationLevel, 1 | 2 | 3 | 4 | 5> = {
  very_dissatisfied: 1,
  dissatisfied: 2,
  basically_satisfied: 3,
  satisfied: 4,
  very_satisfied: 5,
};

/** GB/T 39046 A.8: 1 = 非常满意 … 5 = 非常不满意. */
const GBT39046_CODE: Record<EvaluationLevel, 1 | 2 | 3 | 4 | 5> = {
  very_satisfied: 1,
  satisfied: 2,
  basically_satisfied: 3,
  dissatisfied: 4,
  very_dissatisfied: 5,
};

export const toPlatformSatisfaction = (l: EvaluationLevel): 1 | 2 | 3 | 4 | 5 => PLATFORM_CODE[l];
export const toGbt39046 = (l: EvaluationLevel): 1 | 2 | 3 | 4 | 5 => GBT39046_CODE[l];

export function fromPlatformSatisfaction(code: number): EvaluationLevel {
  const hit = EVALUATION_LEVELS.find((l) => PLATFORM_CODE[l] === code);
  if (!hit) throw new RangeError(`平台满意度代码应为 1 到 5，收到 ${code}`);
  return hit;
}
