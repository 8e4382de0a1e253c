/**
 * The ticket printer over real kernel tty I/O: socat pty pair, the simulator on the device end
 * (serial link), the driver on the host end through the serial link and through the lp link
 * (a pty is a character device like /dev/usb/lpN).
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PrinterSimulator } from '../../drivers/printer/printer-simulator.js';
import { sampleTicket } from '../../drivers/printer/ticket-layout.js';
import { TicketPrinter } from '../../drivers/printer/ticket-printer.js';
import { cleanupAfterEach } from '../../drivers/testing/cleanups.js';
import { devicePty, serialPty } from '../../drivers/testing/pty-pair.js';
import type { ByteLink } from '../../drivers/transport/byte-link.js';
import { openLpLink } from '../../drivers/transport/lp-link.js';
import { openSerialLink } from '../../drivers/transport/serial-link.js';

const cleanups = cleanupAfterEach();

async function rig(hostSide: 'serial' | 'lp', state = {}) {
  const { pair, device: dev } = await devicePty(cleanups, { baudRate: 115200 });
  const sim = new PrinterSimulator(dev, state);
  cleanups.push(() => sim.close());
  const host: ByteLink =
    hostSide === 'serial'
      ? await openSerialLink({ path: pair.hostPath, baudRate: 115200 })
      : await openLpLink({ path: pair.hostPath, readWindowMs: 1000, pollMs: 5 });
  cleanups.push(() => host.close());
  // Generous: a reply takes milliseconds on a pty; the timeout itself is tested with fake timers
  // in drivers/printer/ticket-printer.test.ts.
  const printer = new TicketPrinter(host, { width: 58, replyTimeoutMs: 3000 });
  cleanups.push(() => printer.close());
  return { pair, sim, printer, host };
}

describe.each(['serial', 'lp'] as const)(
  'ticket printer over a socat pty (%s link)',
  (side) => {
    it('status in each state, a printed ticket decoded by the simulator', async () => {
      const { sim, printer } = await rig(side);
      expect(await printer.status()).toEqual({ online: true, coverOpen: false, paperNearEnd: false, paperOut: false });
      sim.set({ coverOpen: true });
      expect(await printer.status()).toMatchObject({ coverOpen: true, online: false });
      await expect(printer.printTicket(sampleTicket())).rejects.toMatchObject({ code: 'COVER_OPEN' });
      sim.set({ coverOpen: false, paperNearEnd: true });
      const r = await printer.printTicket(sampleTicket());
      expect(r.warning).toBe('PAPER_NEAR_END');
      expect(sim.tickets).toHaveLength(1);
      expect(sim.tickets[0]!.lines).toContain('社保医保');
      expect(sim.tickets[0]!.qrPayloads).toEqual([sampleTicket().qr]);
      expect(sim.tickets[0]!.cut).toBe(true);
    });

    it('PAPER_OUT fails at once; a silent printer times out', async () => {
      const { sim, printer } = await rig(side, { paperOut: true });
      await expect(printer.printTicket(sampleTicket())).rejects.toMatchObject({ code: 'PAPER_OUT' });
      expect(sim.tickets).toHaveLength(0);
      sim.set({ paperOut: false, silent: true });
      await expect(printer.status()).rejects.toMatchObject({ code: 'TIMEOUT' });
      expect(printer.health?.state).toBe('offline');
    });
  },
  20_000,
);

describe('a late status reply over a real tty (serial link)', () => {
  // The drain itself is timed exactly on fake timers in drivers/printer/ticket-printer.test.ts; here
  // only the bytes are real, with margins of seconds around each wait for a loaded machine.
  it('is drained, not taken for the next query: the next status is the real one', async () => {
    const { device, host } = await serialPty(cleanups, { baudRate: 115200 });
    // Replies leave 4 s after their query; the host waits 3 s.
    const sim = new PrinterSimulator(device, { replyDelayMs: 4000 });
    cleanups.push(() => sim.close());
    const printer = new TicketPrinter(host, { replyTimeoutMs: 3000 });
    cleanups.push(() => printer.close());
    await expect(printer.status()).rejects.toMatchObject({ code: 'TIMEOUT' });
    // The cover opens; replies now come in 1 s, in time. The stale "all well" reply to the first
    // query arrives about 1 s into the drain before the next query (3 s of quiet) and must be dropped.
    sim.set({ coverOpen: true, replyDelayMs: 1000 });
    expect(await printer.status()).toEqual({ online: false, coverOpen: true, paperNearEnd: false, paperOut: false });
    expect(printer.staleBytesDropped).toBe(1);
  }, 60_000);
});

describe('lp link', () => {
  it('names the path when the device is missing', async () => {
    await expect(openLpLink({ path: '/dev/usb/lp-does-not-exist' })).rejects.toMatchObject({
      code: 'PORT_NOT_FOUND',
      port: '/dev/usb/lp-does-not-exist',
    });
  });

  it('refuses a plain file by name instead of printing into it', async () => {
    const file = fileURLToPath(import.meta.url);
    await expect(openLpLink({ path: file })).rejects.toMatchObject({ code: 'NOT_A_PORT', port: file });
  });
});
