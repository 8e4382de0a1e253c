/**
 * Returns the screen to its start after a quiet spell, with a visible countdown for the last
 * seconds. Any touch, key or card restarts the timer. `onReset` must wipe personal data.
 */
import { useCallback, useEffect, useRef, useState } from 'react';

export interface IdleResetOptions {
  /** Seconds without input before the reset. */
  idleSeconds: number;
  /** Seconds of visible countdown at the end (shown when `remaining <= warnSeconds`). */
  warnSeconds?: number;
  /** Only counts while true (e.g. not on the home screen). */
  active: boolean;
  onReset: () => void;
}

export function useIdleReset({ idleSeconds, warnSeconds = 10, active, onReset }: IdleResetOptions): {
  remaining: number;
  warning: boolean;
  touch: () => void;
} {
  const [remaining, setRemaining] = useState(idleSeconds);
  const last = useRef(Date.now());
  const resetRef = useRef(onReset);
  resetRef.current = onReset;

  const touch = useCallback(() => {
    last.current = Date.now();
    setRemaining(idleSeconds);
  }, [idleSeconds]);

  useEffect(() => {
    if (!active) return;
    touch();
    const events = ['pointerdown', 'keydown', 'touchstart', 'wheel'] as const;
    for (const e of events) window.addEventListener(e, touch, { passive: true });
    const iv = setInterval(() => {
      const left = Math.max(0, idleSeconds - Math.floor((Date.now() - last.current) / 1000));
      setRemaining(left);
      if (left <= 0) {
        last.current = Date.now();
        resetRef.current();
      }
    }, 250);
    return () => {
      clearInterval(iv);
      for (const e of events) window.removeEventListener(e, touch);
    };
  }, [active, idleSeconds, touch]);

  return { remaining, warning: active && remaining <= warnSeconds, touch };
}
