/**
 * socat pty pairs for tests — real kernel tty I/O, with unplug and replug — closed after the test.
 * The pair itself is `drivers/transport/socat-pty.ts` (the simulators' `--create-pty` uses it too);
 * this adds only what every test repeats: closing it, and serial links on both ends.
 *
 *   const cleanups = cleanupAfterEach();
 *   const { pair, device, host } = await serialPty(cleanups, { baudRate: 9600 });
 *   // simulator on `device`, driver on `host`; pair.unplug() / pair.replug() keep both paths
 *   const { pair, device } = await devicePty(cleanups);   // host end left for a child process
 */

import { openSerialLink, type SerialLink } from '../transport/serial-link.js';
import { createPtyPair, type PtyPair } from '../transport/socat-pty.js';
import type { Cleanups } from './cleanups.js';

export type { PtyPair } from '../transport/socat-pty.js';

/** A new pty pair, closed (socat killed, links removed) after the test. */
export async function ptyPair(cleanups: Cleanups): Promise<PtyPair> {
  const pair = await createPtyPair();
  cleanups.push(() => pair.close());
  return pair;
}

/** A pty pair with a serial link open on its device end (for a simulator), both closed after the test. */
export async function devicePty(
  cleanups: Cleanups,
  opts: { baudRate?: number } = {},
): Promise<{ pair: PtyPair; device: SerialLink }> {
  const pair = await ptyPair(cleanups);
  const device = await openSerialLink({ path: pair.devicePath, ...(opts.baudRate ? { baudRate: opts.baudRate } : {}) });
  cleanups.push(() => device.close());
  return { pair, device };
}

/** A pty pair with a serial link open on each end (the device's and the host's), all closed after the test. */
export async function serialPty(
  cleanups: Cleanups,
  opts: { baudRate?: number } = {},
): Promise<{ pair: PtyPair; device: SerialLink; host: SerialLink }> {
  const { pair, device } = await devicePty(cleanups, opts);
  const host = await openSerialLink({ path: pair.hostPath, ...(opts.baudRate ? { baudRate: opts.baudRate } : {}) });
  cleanups.push(() => host.close());
  return { pair, device, host };
}
