/**
 * The ticket printer over real kernel tty I/O: socat pty pair, the simulator on the device end
 * (serial link), the driver on the host end through the serial link and through the lp link
 * (a pty is a character device like /dev/usb/lpN).
 */
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { PrinterSimulator } from '../../drivers/printer/printer-simulator.js';
import { sampleTicket } from '../../drivers/printer/ticket-layout.js';
import { TicketPrinter } from '../../drivers/printer/ticket-printer.js';
import type { ByteLink } from '../../drivers/transport/byte-link.js';
import { openLpLink } from '../../drivers/transport/lp-link.js';
import { openSerialLink } from '../../drivers/transport/serial-link.js';
import { createPtyPair } from '../support/socat.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function rig(hostSide: 'serial' | 'lp', state = {}) {
  const pair = await createPtyPair();
  cleanups.push(() => pair.close());
  const dev = await openSerialLink({ path: pair.devicePath, baudRate: 115200 });
  cleanups.push(() => dev.close());
  const sim = new PrinterSimulator(dev, state);
  cleanups.push(() => sim.close());
  const host: ByteLink =
    hostSide === 'serial'
      ? await openSerialLink({ path: pair.hostPath, baudRate: 115200 })
      : await openLpLink({ path: pair.hostPath, readWindowMs: 1000, pollMs: 5 });
  cleanups.push(() => host.close());
  const printer = new TicketPrinter(host, { width: 58, replyTimeoutMs: 500 });
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
  it('is drained, not taken for the next query: the next status is the real one', async () => {
    const pair = await createPtyPair();
    cleanups.push(() => pair.close());
    const dev = await openSerialLink({ path: pair.devicePath, baudRate: 115200 });
    cleanups.push(() => dev.close());
    // Replies leave 2 s after their query; the host waits 1.5 s.
    const sim = new PrinterSimulator(dev, { replyDelayMs: 2000 });
    cleanups.push(() => sim.close());
    const host = await openSerialLink({ path: pair.hostPath, baudRate: 115200 });
    cleanups.push(() => host.close());
    const printer = new TicketPrinter(host, { replyTimeoutMs: 1500 });
    cleanups.push(() => printer.close());
    await expect(printer.status()).rejects.toMatchObject({ code: 'TIMEOUT' });
    // The cover opens; replies now come in 0.9 s, in time. The stale "all well" reply to the first
    // query arrives about 0.5 s into the next status read and must be dropped.
    sim.set({ coverOpen: true, replyDelayMs: 900 });
    expect(await printer.status()).toEqual({ online: false, coverOpen: true, paperNearEnd: false, paperOut: false });
    expect(printer.staleBytesDropped).toBe(1);
  }, 30_000);
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
