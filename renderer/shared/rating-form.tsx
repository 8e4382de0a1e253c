/**
 * Five levels as five large buttons (text + face; colour is never the only cue), nothing
 * preselected. 不满意 and 非常不满意 ask for at least one reason or a text before submitting.
 */
import { useState } from 'react';
import type { EvaluationLevel } from './api-types.js';
import type { Catalogue, EvaluationReason } from './catalogue.js';
import { reasonsFor } from './catalogue.js';
import { ErrorBanner } from './components.js';
import { Face, LEVELS } from './evaluation-levels.js';
import './rating.css';

export interface RatingChoice {
  level: EvaluationLevel;
  reasons: string[];
  text: string;
}

export function RatingForm({
  catalogue,
  busy,
  error,
  allowText,
  onSubmit,
  onLevel,
}: {
  catalogue: Catalogue | null;
  busy: boolean;
  error: string | null;
  allowText: boolean;
  onSubmit: (c: RatingChoice) => void;
  onLevel?: (level: EvaluationLevel) => void;
}) {
  const [level, setLevel] = useState<EvaluationLevel | null>(null);
  const [reasons, setReasons] = useState<string[]>([]);
  const [text, setText] = useState('');
  const view = LEVELS.find((l) => l.level === level);
  const bad = view?.bad ?? false;
  const list: EvaluationReason[] =
    level === 'dissatisfied' || level === 'very_dissatisfied' ? reasonsFor(level, catalogue) : [];
  const ready = level !== null && (!bad || reasons.length > 0 || text.trim().length > 0);

  const choose = (l: EvaluationLevel) => {
    setLevel(l);
    setReasons([]);
    onLevel?.(l);
  };
  const toggle = (code: string) => setReasons((r) => (r.includes(code) ? r.filter((x) => x !== code) : [...r, code]));

  return (
    <div className={`rating${bad ? ' compact' : ''}`}>
      <fieldset className="rating-levels">
        <legend className="sr-only">请选择满意程度</legend>
        {LEVELS.map((l) => (
          <button
            key={l.level}
            type="button"
            className={`rating-level${level === l.level ? ' selected' : ''}${l.bad ? ' bad' : ''}`}
            style={{ ['--level-colour' as string]: l.colour }}
            aria-pressed={level === l.level}
            data-level={l.level}
            onClick={() => choose(l.level)}
          >
            <Face mood={l.mood} size={bad ? 44 : 64} />
            <span className="rating-level-text">{l.text}</span>
            {level === l.level ? <span className="rating-check">✓ 已选</span> : null}
          </button>
        ))}
      </fieldset>
      {bad ? (
        <fieldset className="rating-reasons">
          <legend className="rating-reasons-title">请选择原因（至少一项{allowText ? '，或填写说明' : ''}）</legend>
          <div className="rating-reason-list">
            {list.map((r) => (
              <button
                key={r.code}
                type="button"
                className={`rating-reason${reasons.includes(r.code) ? ' selected' : ''}`}
                aria-pressed={reasons.includes(r.code)}
                onClick={() => toggle(r.code)}
              >
                {reasons.includes(r.code) ? '☑ ' : '☐ '}
                {r.text}
              </button>
            ))}
          </div>
          {allowText ? (
            <label className="rating-text">
              <span>其他说明（可选）</span>
              <textarea value={text} maxLength={500} rows={2} onChange={(e) => setText(e.target.value)} />
            </label>
          ) : null}
        </fieldset>
      ) : null}
      <ErrorBanner message={error} />
      <button
        type="button"
        className="btn primary rating-submit"
        disabled={!ready || busy}
        onClick={() => level && onSubmit({ level, reasons, text: text.trim() })}
      >
        {busy ? '正在提交…' : level === null ? '请先选择满意程度' : bad && !ready ? '请选择原因后提交' : '提交评价'}
      </button>
    </div>
  );
}
