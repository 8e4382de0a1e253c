/**
 * The one way tests wait for something real (a tty, a socket, a child process, a browser) to happen:
 * poll a condition with a bound, so nothing can hang, and fail naming what never came.
 *
 * Waiting is only for real I/O. A timeout, poll interval or backoff is tested with fake timers
 * (`vi.useFakeTimers`) or injected timers, never by waiting for wall-clock time to pass. And "nothing
 * happened" is never shown by sleeping: wait for a later marker that must come after it instead.
 */

/**
 * Polls `cond` every 10 ms until it returns a truthy value and resolves to that value; rejects with
 * `timed out … waiting for <what>` after `ms` (generous by default: CI shares two cores with Chromium).
 */
export async function waitFor<T>(what: string, cond: () => T | Promise<T>, ms = 30_000): Promise<NonNullable<T>> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await cond();
    if (v) return v as NonNullable<T>;
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
