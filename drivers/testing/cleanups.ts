/** Undoing what a test set up — pty pairs, links, pollers, servers — in reverse order after each test. */
import { afterEach } from 'vitest';

export type Cleanups = (() => unknown)[];

/**
 * A list of cleanups run in reverse order after each test of the calling file. A failing cleanup
 * does not stop the others (a link already closed by the test may reject on close).
 */
export function cleanupAfterEach(): Cleanups {
  const cleanups: Cleanups = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) {
      try {
        await c();
      } catch {
        // already gone
      }
    }
  });
  return cleanups;
}
