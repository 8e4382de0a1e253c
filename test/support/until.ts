/** The waiting and cleanup helpers live with the drivers, whose tests may not import test/. */
export { cleanupAfterEach, until, waitUntil } from '../../drivers/testing/until.js';
