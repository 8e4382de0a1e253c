/**
 * A role page tells its terminal whether a citizen is mid-flow (common/activity.ts), so the
 * terminal installs an update only when nobody is. Sent to the page's own origin — the terminal's
 * local server on 127.0.0.1 — and repeated while busy; nothing is sent from a page the hub serves
 * to another machine, which has no terminal behind it, and nothing more once the origin says it
 * has no such endpoint (the hub itself on 127.0.0.1, as in the demo).
 */
import { useEffect } from 'react';
import { ACTIVITY_PATH, ACTIVITY_REFRESH_MS, type ActivityReport } from '../../common/activity.js';

const onTerminal = () =>
  typeof location !== 'undefined' && (location.hostname === '127.0.0.1' || location.hostname === 'localhost');

/** Set once the origin answered that it has no activity endpoint (a hub serving the page on 127.0.0.1). */
let unsupported = false;

function send(report: ActivityReport): void {
  if (unsupported) return;
  fetch(ACTIVITY_PATH, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(report),
    keepalive: true,
  })
    .then((res) => {
      if (res.status === 404 || res.status === 405) unsupported = true;
    })
    .catch(() => {
      // The terminal is restarting: the next report (or the busy report running out) corrects it.
    });
}

/** Reports `busy` for `page` when it starts, every minute while it lasts, and when it ends. */
export function useBusySignal(page: string, busy: boolean): void {
  useEffect(() => {
    if (!onTerminal()) return;
    if (!busy) return;
    send({ page, busy: true });
    const t = setInterval(() => send({ page, busy: true }), ACTIVITY_REFRESH_MS);
    // Busy ends when it turns false and also when the screen that said it goes away (signed out,
    // another screen): either way the terminal hears it now, not when the report runs out.
    return () => {
      clearInterval(t);
      send({ page, busy: false });
    };
  }, [page, busy]);
}
