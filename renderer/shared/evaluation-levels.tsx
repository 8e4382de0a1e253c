/** The five 好差评 levels as the UIs show them: text plus a drawn face; colour is only a third cue. */
import { EVALUATION_LEVELS, type EvaluationLevel, isBadRating, LEVEL_NAMES } from '../../common/evaluation.js';
import { LEVEL_COLOURS } from './charts/chart-data.js';

export interface LevelView {
  level: EvaluationLevel;
  text: string;
  /** Mouth curve: +1 big smile … −1 deep frown. */
  mood: number;
  bad: boolean;
  colour: string;
}

/** Mouth curve per level; the words and the 差评 rule come from the shared layer. */
const MOOD: Record<EvaluationLevel, number> = {
  very_satisfied: 1,
  satisfied: 0.5,
  basically_satisfied: 0,
  dissatisfied: -0.5,
  very_dissatisfied: -1,
};

export const LEVELS: LevelView[] = EVALUATION_LEVELS.map((level) => ({
  level,
  text: LEVEL_NAMES[level],
  bad: isBadRating(level),
  mood: MOOD[level],
  colour: LEVEL_COLOURS[level],
}));

export const levelText = (l: EvaluationLevel): string => LEVEL_NAMES[l] ?? l;

/** A face drawn in SVG (no emoji font needed): the mouth bends with `mood`. */
export function Face({ mood, size = 64 }: { mood: number; size?: number }) {
  const y = 66;
  const bend = mood * 14;
  return (
    <svg width={size} height={size} viewBox="0 0 100 100" aria-hidden="true" focusable="false">
      <circle cx="50" cy="50" r="44" fill="none" stroke="currentColor" strokeWidth="7" />
      <circle cx="35" cy="40" r="6" fill="currentColor" />
      <circle cx="65" cy="40" r="6" fill="currentColor" />
      <path
        d={`M30 ${y - bend / 2} Q50 ${y + bend} 70 ${y - bend / 2}`}
        fill="none"
        stroke="currentColor"
        strokeWidth="7"
        strokeLinecap="round"
      />
    </svg>
  );
}
