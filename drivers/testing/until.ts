/**
 * Small waiting and cleanup helpers for device tests: poll a condition with a bound (so nothing can
 * hang), and undo what a test set up — pty pairs, links, pollers — in reverse order after each test.
 * In drivers/testing/ because driver tests may not import test/; test/support/until.ts re-exports it.
 */
import { afterEach } from 'vitest';

/** Polls `cond` every 10 ms for at most `ms`; resolves to its final value (assert on it). */
export async function until(cond: () => boolean, ms = 5000): Promise<boolean> {
  const end = Date.now() + ms;
  while (!cond() && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
  return cond();
}

/**
 * Waits until `cond` (sync or async) holds, polling every 10 ms; after `ms` throws naming `what`, so
 * a test that cannot get there fails saying what it was waiting for.
 */
export async function waitUntil(
  cond: () => boolean | Promise<boolean>,
  what = 'the condition',
  ms = 15_000,
): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A list of cleanups run in reverse order after each test of the calling file; failures are ignored. */
export function cleanupAfterEach(): (() => Promise<unknown>)[] {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
  });
  return cleanups;
}
