/**
 * Whether the hub answers, as the windows need to know it: a probe (the adapter asks the local
 * origin's `/api/v1/health`, which the terminal forwards to the hub) runs every `upIntervalMs`
 * while the hub answers and every `downIntervalMs` while it does not. One failed probe is not an
 * outage — a Wi-Fi hiccup must not flash the hub-down page on every screen — so the hub counts as
 * down after `failuresBeforeDown` failures in a row and as up again at the first answer.
 * Timers are injected (fake timers in tests).
 */
import type { Timers } from './recovery.js';

export interface HubWatchOptions {
  /** Resolves true when the hub answered; false or a rejection when it did not. */
  probe: () => Promise<boolean>;
  timers: Timers;
  upIntervalMs?: number;
  downIntervalMs?: number;
  failuresBeforeDown?: number;
}

export interface HubWatch {
  /** The last verdict: the hub starts as up (the pages say so themselves when it is not). */
  readonly up: boolean;
  /** Called on every change of verdict. */
  onChange(listener: (up: boolean) => void): () => void;
  stop(): void;
}

export function watchHub(opts: HubWatchOptions): HubWatch {
  const upInterval = opts.upIntervalMs ?? 10_000;
  const downInterval = opts.downIntervalMs ?? 3_000;
  const failuresBeforeDown = opts.failuresBeforeDown ?? 2;
  const listeners = new Set<(up: boolean) => void>();
  let up = true;
  let failures = 0;
  let stopped = false;
  let handle: unknown = null;

  const schedule = () => {
    if (stopped) return;
    // After a failure, look again soon: to confirm an outage or to see the hub return.
    handle = opts.timers.setTimeout(tick, up && failures === 0 ? upInterval : downInterval);
  };
  const verdict = (next: boolean) => {
    if (next === up) return;
    up = next;
    for (const l of listeners) l(up);
  };
  async function tick() {
    handle = null;
    let ok: boolean;
    try {
      ok = await opts.probe();
    } catch {
      ok = false;
    }
    if (stopped) return;
    if (ok) {
      failures = 0;
      verdict(true);
    } else if (++failures >= failuresBeforeDown) verdict(false);
    schedule();
  }

  schedule();
  return {
    get up() {
      return up;
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    stop() {
      stopped = true;
      if (handle !== null) opts.timers.clearTimeout(handle);
      handle = null;
    },
  };
}
