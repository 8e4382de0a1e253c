/** The five 好差评 levels as the UIs show them: text plus a drawn face; colour is only a third cue. */
import { EVALUATION_LEVELS, type EvaluationLevel, isBadRating, LEVEL_NAMES } from '../../common/evaluation.js';

export interface LevelView {
  level: EvaluationLevel;
  text: string;
  /** Mouth curve: +1 big smile … −1 deep frown. */
  mood: number;
  bad: boolean;
  colour: string;
}

/** Mouth curve and colour per level; the words and the 差评 rule come from the shared layer. */
const LOOK: Record<EvaluationLevel, { mood: number; colour: string }> = {
  very_satisfied: { mood: 1, colour: '#1e6b34' },
  satisfied: { mood: 0.5, colour: '#2f6d1e' },
  basically_satisfied: { mood: 0, colour: '#6b5300' },
  dissatisfied: { mood: -0.5, colour: '#9a3b00' },
  very_dissatisfied: { mood: -1, colour: '#a4161a' },
};

export const LEVELS: LevelView[] = EVALUATION_LEVELS.map((level) => ({
  level,
  text: LEVEL_NAMES[level],
  bad: isBadRating(level),
  ...LOOK[level],
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
