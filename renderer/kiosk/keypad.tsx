/**
 * On-screen keypads: `IdKeypad` checks a resident ID number (GB 11643) as it is typed;
 * `CodeKeypad` types case numbers and appointment codes (digits and capital letters);
 * `KeypadActions` goes back to the card reader or confirms what was typed.
 */

import { checkTyping } from '../../common/cert-number.js';
import { language, REFERENCE, t } from '../i18n/i18n.js';
import { IconButton } from './icons.js';

const ID_KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', 'X', '0', '⌫'];

function group(no: string): string {
  // 6-8-4 like the printed card: area, birth date, sequence+check.
  return [no.slice(0, 6), no.slice(6, 14), no.slice(14)].filter(Boolean).join(' ');
}

export function IdKeypad({ value, onChange, today }: { value: string; onChange: (v: string) => void; today: string }) {
  const check = checkTyping(value, today);
  const press = (k: string) => {
    if (k === '⌫') onChange(value.slice(0, -1));
    else if (value.length < 18) onChange(value + k);
  };
  const status =
    check.state === 'invalid'
      ? { cls: 'bad', text: `✗ ${language() === REFERENCE ? check.reason : t('kiosk.keypad.invalid')}` }
      : check.state === 'valid'
        ? { cls: 'good', text: t('kiosk.keypad.ok') }
        : {
            cls: '',
            text: check.hint ? t('kiosk.keypad.missing', { n: 18 - value.length }) : t('kiosk.keypad.prompt'),
          };
  return (
    <div className="keypad" data-testid="id-keypad">
      <div className="keypad-top">
        <output
          className={`keypad-display ${status.cls}`}
          aria-label={t('kiosk.keypad.display')}
          data-testid="id-display"
        >
          {group(value) || '\u00a0'}
        </output>
        <button type="button" className="btn keypad-clear" onClick={() => onChange('')}>
          {t('kiosk.keypad.clear')}
        </button>
      </div>
      <p className={`keypad-status ${status.cls}`} role="status" aria-live="polite" data-testid="id-status">
        {status.text}
      </p>
      <div className="keypad-keys">
        {ID_KEYS.map((k) => (
          <button
            key={k}
            type="button"
            className="keypad-key"
            aria-label={k === '⌫' ? t('kiosk.keypad.delete') : k}
            onClick={() => press(k)}
          >
            {k}
          </button>
        ))}
      </div>
    </div>
  );
}

const CODE_ROWS = ['1234567890', 'ABCDEFGHJK', 'LMNPQRSTUV', 'WXYZ'];

export function CodeKeypad({
  value,
  onChange,
  maxLength = 40,
  label,
}: {
  value: string;
  onChange: (v: string) => void;
  maxLength?: number;
  label: string;
}) {
  const press = (k: string) => {
    if (value.length < maxLength) onChange(value + k);
  };
  return (
    <div className="keypad code" data-testid="code-keypad">
      <output className="keypad-display" aria-label={label} data-testid="code-display">
        {value || '\u00a0'}
      </output>
      {CODE_ROWS.map((row) => (
        <div className="keypad-row" key={row}>
          {[...row].map((k) => (
            <button key={k} type="button" className="keypad-key" onClick={() => press(k)}>
              {k}
            </button>
          ))}
          {row === 'WXYZ' ? (
            <>
              <button
                type="button"
                className="keypad-key wide"
                aria-label={t('kiosk.keypad.delete')}
                onClick={() => onChange(value.slice(0, -1))}
              >
                ⌫
              </button>
              <button type="button" className="keypad-key wide" onClick={() => onChange('')}>
                {t('kiosk.keypad.clear')}
              </button>
            </>
          ) : null}
        </div>
      ))}
    </div>
  );
}

/** Under a keypad: 改为刷身份证 (back to the card reader) and the step's confirm button. */
export function KeypadActions({
  onCard,
  confirm,
  disabled,
  onConfirm,
  side,
}: {
  onCard: () => void;
  confirm: string;
  disabled: boolean;
  onConfirm: () => void;
  /** Beside the keypad (a column) rather than under it. */
  side?: boolean;
}) {
  return (
    <div className={`kiosk-id-options${side ? ' side' : ''}`}>
      <IconButton icon="card" onClick={onCard}>
        {t('kiosk.keypad.card')}
      </IconButton>
      <button type="button" className="btn primary kiosk-big-btn" disabled={disabled} onClick={onConfirm}>
        {confirm}
      </button>
    </div>
  );
}
