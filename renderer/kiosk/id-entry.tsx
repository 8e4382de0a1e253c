/**
 * Who the person is, as every kiosk step that asks it shows it: the card prompt with the choice to
 * type the number (and any further choice the step offers), or the keypad beside 改为刷身份证 and
 * the step's confirm.
 * The step holds that state (`useIdEntry`), since it also speaks the number's faults and acts on it.
 */
import { type ReactNode, useState } from 'react';
import { checkTyping } from '../../common/cert-number.js';
import { CardPrompt } from './card-prompt.js';
import { IconButton } from './icons.js';
import { IdKeypad, KeypadActions } from './keypad.js';
import { useKiosk } from './kiosk-context.js';

/** The card-or-keypad choice and the number typed so far, checked as typed against `today`. */
export function useIdEntry(today: string) {
  const [mode, setMode] = useState<'card' | 'keypad'>('card');
  const [typed, setTyped] = useState('');
  return { mode, setMode, typed, setTyped, today, check: checkTyping(typed, today) };
}
export type IdEntryState = ReturnType<typeof useIdEntry>;

export function IdEntry({
  entry: { mode, setMode, typed, setTyped, today, check },
  text,
  busy,
  onConfirm,
  children,
}: {
  entry: IdEntryState;
  text: { card: string; type: string; confirm: string };
  /** The step is at work: confirm waits. */
  busy: boolean;
  onConfirm: () => void;
  /** Further choices beside typing the number (e.g. 无证件). */
  children?: ReactNode;
}) {
  const { elder } = useKiosk();
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
        disabled={check.state !== 'valid' || busy}
        onConfirm={onConfirm}
      />
    </div>
  );
}
