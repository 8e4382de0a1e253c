/**
 * The nightly restart at the terminal's quiet time (`restart.nightlyAt`, e.g. "03:30" in the
 * hall's time zone): a long-running Chromium slowly gathers memory and GPU state, and a restart
 * while the hall is closed costs nothing. Pure: the adapter asks for the next instant, waits in
 * short steps (so a suspended PC or a changed clock cannot make it miss or repeat the restart) and
 * relaunches when `restartDue` says so.
 */
import { businessDayOf, localTimeOfDay, startOfDay } from '../../common/hall-time.js';

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Minutes after local midnight of an "HH:MM" quiet time; throws with a code for anything else. */
export function quietTimeMinutes(hhmm: string): number {
  const m = HHMM.exec(hhmm);
  if (!m) throw new Error(`RESTART_TIME 夜间重启时间应为 HH:MM（00:00–23:59），现为 ${JSON.stringify(hhmm)}`);
  return Number(m[1]) * 60 + Number(m[2]);
}

/** The instant of local time `minutes` on local date `day` (an hour late inside a DST gap). */
function atLocal(day: string, minutes: number, timeZone: string): number {
  const guess = startOfDay(day, timeZone) + minutes * 60_000;
  // A DST change between midnight and the quiet time shifts the wall clock; correct once.
  const drift = localTimeOfDay(guess, timeZone).minutes - minutes;
  return drift === 0 ? guess : guess - drift * 60_000;
}

/** The first instant strictly after `now` whose local time in `timeZone` is `hhmm`. */
export function nextRestartAt(now: number, hhmm: string, timeZone: string): number {
  const minutes = quietTimeMinutes(hhmm);
  const today = businessDayOf(now, timeZone);
  const todayAt = atLocal(today, minutes, timeZone);
  if (todayAt > now) return todayAt;
  // Noon of the local day avoids landing on the same date again across a DST change.
  const tomorrow = businessDayOf(startOfDay(today, timeZone) + 36 * 3_600_000, timeZone);
  return atLocal(tomorrow, minutes, timeZone);
}

/** True once the planned instant has come (the clock may jump past it while the PC sleeps). */
export function restartDue(now: number, plannedAt: number): boolean {
  return now >= plannedAt;
}
