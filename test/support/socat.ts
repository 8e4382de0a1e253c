/**
 * socat virtual serial port pairs for tests — real kernel tty I/O, with unplug and replug.
 * Reuse this in every device test:
 *
 *   import { createPtyPair } from '../support/socat.js';
 *   import { openSerialLink } from '../../drivers/transport/serial-link.js';
 *
 *   const pair = await createPtyPair();                              // socat -d -d pty,raw,echo=0,link=…
 *   const dev = await openSerialLink({ path: pair.devicePath });     // simulator's end
 *   const host = await openSerialLink({ path: pair.hostPath });      // driver's end (or --port)
 *   await pair.unplug(); await pair.replug();                        // same paths, new ptys
 *   await pair.close();                                              // in afterEach / finally
 *
 * Implementation and full notes: drivers/transport/socat-pty.ts.
 */
export { createPtyPair, type PtyPair, type PtyPairOptions } from '../../drivers/transport/socat-pty.js';
