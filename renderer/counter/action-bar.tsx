/**
 * The call bar: eight large buttons with their function keys shown on them (F1 叫号 … F9 办结),
 * enabled by the window's state with the engine's rules (`actions.ts`). The keys work anywhere on
 * the page, except while an action runs or a form is open.
 */
import { useEffect, useRef } from 'react';
import type { WindowState } from '../shared/api-types.js';
import { ACTIONS, type ActionSpec, actionForKey, isEnabled } from './actions.js';

export function ActionBar({
  state,
  busy,
  keysOff,
  onAction,
}: {
  state: WindowState | null;
  busy: boolean;
  /** A form is open: its own keys (Esc) apply, not the bar's. */
  keysOff: boolean;
  onAction: (a: ActionSpec) => void;
}) {
  const trigger = (a: ActionSpec) => {
    if (busy || keysOff || !isEnabled(a, state)) return;
    onAction(a);
  };
  useFunctionKeys(trigger);
  return (
    <section className="c-actions" aria-label="窗口操作">
      {ACTIONS.map((a) => (
        <button
          key={a.action}
          type="button"
          className={`btn c-action ${a.action === 'call-next' || a.action === 'finish' ? 'primary' : ''}`}
          disabled={busy || !isEnabled(a, state)}
          onClick={() => trigger(a)}
          aria-keyshortcuts={a.key}
        >
          <span className="c-action-label">{a.label}</span>
          <kbd className="c-key">{a.key}</kbd>
        </button>
      ))}
    </section>
  );
}

/** Each action's function key runs `trigger` (the latest one); the browser's own use of the key is stopped. */
function useFunctionKeys(trigger: (a: ActionSpec) => void) {
  const latest = useRef(trigger);
  useEffect(() => {
    latest.current = trigger;
  });
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const a = actionForKey(e.key);
      if (!a) return;
      e.preventDefault();
      latest.current(a);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
