/** The five 好差评 levels as the UIs show them: text plus a drawn face; colour is only a third cue. */
import type { EvaluationLevel } from './api-types.js';

export interface LevelView {
  level: EvaluationLevel;
  text: string;
  /** Mouth curve: +1 big smile … −1 deep frown. */
  mood: number;
  bad: boolean;
  colour: string;
}

export const LEVELS: LevelView[] = [
  { level: 'very_satisfied', text: '非常满意', mood: 1, bad: false, colour: '#1e6b34' },
  { level: 'satisfied', text: '满意', mood: 0.5, bad: false, colour: '#2f6d1e' },
  { level: 'basically_satisfied', text: '基本满意', mood: 0, bad: false, colour: '#6b5300' },
  { level: 'dissatisfied', text: '不满意', mood: -0.5, bad: true, colour: '#9a3b00' },
  { level: 'very_dissatisfied', text: '非常不满意', mood: -1, bad: true, colour: '#a4161a' },
];

export const levelText = (l: EvaluationLevel): string => LEVELS.find((x) => x.level === l)?.text ?? l;

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
