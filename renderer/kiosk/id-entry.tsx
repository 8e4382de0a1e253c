/**
 * Who the person is, as every kiosk step that asks it shows it: the card prompt with the choice to
 * type the number (and any further choice the step offers), or the keypad beside 改为刷身份证 and
 * the step's confirm.
 * The step keeps the mode and the typed number, since it also speaks and checks them.
 */
import type { ReactNode } from 'react';
import { CardPrompt } from './card-prompt.js';
import { IconButton } from './icons.js';
import { IdKeypad, KeypadActions } from './keypad.js';

export type IdMode = 'card' | 'keypad';

export function IdEntry({
  mode,
  setMode,
  typed,
  setTyped,
  today,
  elder,
  text,
  disabled,
  onConfirm,
  children,
}: {
  mode: IdMode;
  setMode: (m: IdMode) => void;
  typed: string;
  setTyped: (v: string) => void;
  today: string;
  elder: boolean;
  text: { card: string; type: string; confirm: string };
  disabled: boolean;
  onConfirm: () => void;
  /** Further choices beside typing the number (e.g. 无证件). */
  children?: ReactNode;
}) {
  return mode === 'card' ? (
    <>
      <CardPrompt text={text.card} />
      <div className={`kiosk-id-options${elder ? ' stack' : ''}`}>
        <IconButton icon="keypad" onClick={() => setMode('keypad')}>
          {text.type}
        </IconButton>
        {children}
      </div>
    </>
  ) : (
    <div className="kiosk-id-body">
      <IdKeypad value={typed} onChange={setTyped} today={today} />
      <KeypadActions
        side
        onCard={() => setMode('card')}
        confirm={text.confirm}
        disabled={disabled}
        onConfirm={onConfirm}
      />
    </div>
  );
}
