/** The ticket printer driver against the printer simulator: in memory and over real TCP (loopback). */
import { createServer } from 'node:net';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanupAfterEach } from '../testing/cleanups.js';
import { type ByteLink, createLinkPair } from '../transport/byte-link.js';
import { pacedLink } from '../transport/paced-link.js';
import { openTcpLink, parseHostPort, type TcpLink } from '../transport/tcp-link.js';
import { PrinterSimulator, startTcpPrinterSimulator, type TcpPrinterSimulator } from './printer-simulator.js';
import { healthOf, PrinterError, type PrinterHealth } from './printer-status.js';
import { sampleTicket } from './ticket-layout.js';
import { TicketPrinter } from './ticket-printer.js';

const cleanups = cleanupAfterEach();

function memoryPrinter(state = {}) {
  const [host, dev] = createLinkPair();
  const sim = new PrinterSimulator(dev, state);
  const changes: PrinterHealth[] = [];
  const printer = new TicketPrinter(host, { width: 58, replyTimeoutMs: 300, onStatusChange: (h) => changes.push(h) });
  cleanups.push(() => printer.close());
  return { sim, printer, changes };
}

describe('TicketPrinter with the simulator (in memory)', () => {
  it('reads each state through DLE EOT 1/2/4', async () => {
    const { sim, printer } = memoryPrinter();
    expect(await printer.status()).toEqual({ online: true, coverOpen: false, paperNearEnd: false, paperOut: false });
    sim.set({ paperNearEnd: true });
    expect(await printer.status()).toEqual({ online: true, coverOpen: false, paperNearEnd: true, paperOut: false });
    sim.set({ paperNearEnd: false, paperOut: true });
    expect(await printer.status()).toMatchObject({ online: false, paperOut: true });
    sim.set({ paperOut: false, coverOpen: true });
    expect(await printer.status()).toMatchObject({ online: false, coverOpen: true, paperOut: false });
    sim.set({ coverOpen: false, offline: true });
    expect(await printer.status()).toEqual({ online: false, coverOpen: false, paperNearEnd: false, paperOut: false });
    expect(sim.items.filter((i) => i.type === 'status-request').map((i) => i.type === 'status-request' && i.n)).toEqual(
      [1, 2, 4, 1, 2, 4, 1, 2, 4, 1, 2, 4, 1, 2, 4],
    );
  });

  it('prints a ticket the simulator decodes, asking status before and after', async () => {
    const { sim, printer, changes } = memoryPrinter();
    const r = await printer.printTicket(sampleTicket());
    expect(r.warning).toBeUndefined();
    expect(r.bytes).toBeGreaterThan(300);
    expect(sim.tickets).toHaveLength(1);
    expect(sim.tickets[0]!.lines).toContain('A012');
    expect(sim.tickets[0]!.qrPayloads).toEqual([sampleTicket().qr]);
    expect(sim.tickets[0]!.cut).toBe(true);
    const kinds = sim.items.map((i) => (i.type === 'status-request' ? `s${i.n}` : i.type));
    expect(kinds.slice(0, 3)).toEqual(['s1', 's2', 's4']);
    expect(kinds.slice(-4)).toEqual(['cut', 's1', 's2', 's4']);
    expect(changes.map((c) => c.state)).toEqual(['ok']);
  });

  it('PAPER_OUT fails at once and sends nothing; status changes reach the listener', async () => {
    const { sim, printer, changes } = memoryPrinter({ paperOut: true });
    const err = await printer.printTicket(sampleTicket()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PrinterError);
    expect((err as PrinterError).code).toBe('PAPER_OUT');
    expect((err as PrinterError).message).toContain('缺纸');
    expect(sim.droppedBytes).toBe(0);
    expect(sim.tickets).toHaveLength(0);
    sim.set({ paperOut: false, paperNearEnd: true });
    const r = await printer.printTicket(sampleTicket());
    expect(r.warning).toBe('PAPER_NEAR_END');
    expect(sim.tickets).toHaveLength(1);
    expect(changes.map((c) => [c.state, c.detail])).toEqual([
      ['error', '打印机缺纸'],
      ['warning', '打印纸将尽'],
    ]);
    expect(await printer.tryPrintTicket(sampleTicket())).toEqual({ ok: true, warning: 'PAPER_NEAR_END' });
  });

  it('cover open and offline are refused with their codes', async () => {
    const { sim, printer } = memoryPrinter({ coverOpen: true });
    expect(await printer.tryPrintTicket(sampleTicket())).toEqual({
      ok: false,
      code: 'COVER_OPEN',
      message: '打印机纸仓盖未合上',
    });
    sim.set({ coverOpen: false, offline: true });
    expect(await printer.tryPrintTicket(sampleTicket())).toMatchObject({ ok: false, code: 'OFFLINE' });
    expect(sim.tickets).toHaveLength(0);
  });

  it('paper running out during the print is reported after it', async () => {
    const { sim, printer } = memoryPrinter();
    // The simulator runs out once the ticket's cut arrives, before the after-print status.
    sim.onTicket(() => sim.set({ paperOut: true }));
    const err = (await printer.printTicket(sampleTicket()).catch((e: unknown) => e)) as PrinterError;
    expect(err.code).toBe('PAPER_OUT');
    expect(err.message).toContain('打印中缺纸');
  });

  it('a printer that never answers gives TIMEOUT and goes offline, no hang', async () => {
    const { sim, printer, changes } = memoryPrinter({ silent: true });
    const err = (await printer.status().catch((e: unknown) => e)) as PrinterError;
    expect(err.code).toBe('TIMEOUT');
    expect(err.message).toContain('DLE EOT 1');
    expect((await printer.tryPrintTicket(sampleTicket())).ok).toBe(false);
    expect(sim.tickets).toHaveLength(0);
    expect(changes.map((c) => c.state)).toEqual(['offline']);
    // It answers again: health comes back.
    sim.set({ silent: false });
    await printer.status();
    expect(printer.health?.state).toBe('ok');
  });

  it('operations never overlap, in call order, and garbage between replies is ignored', async () => {
    const [host, dev] = createLinkPair();
    const sim = new PrinterSimulator(dev);
    // Noise that is not a status byte (bit 0 set) before every answer.
    dev.onData(() => void dev.write(Uint8Array.of(0xff, 0x01)));
    const printer = new TicketPrinter(host, { replyTimeoutMs: 300 });
    cleanups.push(() => printer.close());
    const results = await Promise.all([printer.status(), printer.printTicket(sampleTicket()), printer.status()]);
    expect(results[0]).toMatchObject({ online: true });
    expect(results[1]).toMatchObject({ bytes: expect.any(Number), status: { online: true } });
    expect(results[2]).toMatchObject({ online: true });
    expect(sim.tickets).toHaveLength(1);
    // On the wire: the first status, the print's status before, the ticket, its cut, its status
    // after, then the last status — nothing of one operation between the bytes of another.
    const kinds = sim.items.map((i) => (i.type === 'status-request' ? `s${i.n}` : i.type));
    const cut = kinds.indexOf('cut');
    const status = ['s1', 's2', 's4'];
    expect(kinds.slice(0, 6)).toEqual([...status, ...status]);
    expect(kinds.slice(6, cut).some((k) => status.includes(k))).toBe(false);
    expect(kinds.slice(cut)).toEqual(['cut', ...status, ...status]);
  });

  describe('on a slow serial line (fake timers: the wire time passes only when the test moves it)', () => {
    beforeEach(() => {
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date', 'performance'] });
    });
    afterEach(() => {
      vi.useRealTimers();
    });

    /** A UART at 38400 baud: write() returns once the OS has the bytes; they leave paced. */
    function slowPrinter(baudRate: number | undefined) {
      const [host, dev] = createLinkPair();
      const sim = new PrinterSimulator(dev);
      const paced = pacedLink(host, { baudRate: 38400 });
      const uart: ByteLink = {
        write: async (d) => {
          void paced.write(d);
        },
        onData: (l) => host.onData(l),
        close: () => host.close(),
      };
      const printer = new TicketPrinter(uart, { width: 58, qrMode: 'raster', replyTimeoutMs: 150, baudRate });
      cleanups.push(() => printer.close());
      return { sim, printer };
    }

    it('waits for the wire time of a long ticket before the after-print status times out', async () => {
      const { sim, printer } = slowPrinter(38400);
      const started = Date.now();
      const print = printer.printTicket(sampleTicket());
      await vi.runAllTimersAsync();
      const r = await print;
      // ~4.8 kB of raster ticket ≈ 1.26 s on the wire, far beyond the 3 × 150 ms reply allowance.
      expect(r.bytes).toBeGreaterThan(4000);
      expect(Date.now() - started).toBeGreaterThanOrEqual(Math.floor((r.bytes * 10 * 1000) / 38400));
      expect(sim.tickets).toHaveLength(1);
    });

    it('without the baud rate the same print is given up as unanswered (so the wait above is what saves it)', async () => {
      const { printer } = slowPrinter(undefined);
      const print = printer.printTicket(sampleTicket()).catch((e: unknown) => e);
      await vi.runAllTimersAsync();
      expect(await print).toMatchObject({ code: 'TIMEOUT', message: expect.stringContaining('打印后打印机无应答') });
    });
  });

  it('health mapping', () => {
    expect(healthOf(null).state).toBe('offline');
    expect(healthOf({ online: false, coverOpen: false, paperNearEnd: true, paperOut: true }).detail).toBe('打印机缺纸');
  });
});

describe('a late status reply is never taken for the next query (fake timers)', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("drains the line after an unanswered query: the next status is the printer's real one", async () => {
    vi.useFakeTimers();
    const [host, dev] = createLinkPair();
    // All well at first, but every reply leaves 500 ms after its query: past the host's 300 ms.
    const sim = new PrinterSimulator(dev, { replyDelayMs: 500 });
    cleanups.push(() => sim.close());
    const printer = new TicketPrinter(host, { replyTimeoutMs: 300 });
    cleanups.push(() => printer.close());

    let first: unknown = null;
    void printer.status().catch((e: unknown) => {
      first = e;
    });
    await vi.advanceTimersByTimeAsync(320);
    expect(first).toMatchObject({ code: 'TIMEOUT' });

    // Now the cover is open and the printer answers slowly but in time (250 ms). The stale "online,
    // all well" reply to the first query is still on its way (it comes at 500 ms): without the
    // drain it would answer DLE EOT 1, and every later reply would shift one query along.
    sim.set({ coverOpen: true, replyDelayMs: 250 });
    let second: unknown = null;
    void printer.status().then(
      (s) => {
        second = s;
      },
      (e: unknown) => {
        second = e;
      },
    );
    await vi.advanceTimersByTimeAsync(5000);
    expect(second).toEqual({ online: false, coverOpen: true, paperNearEnd: false, paperOut: false });
    expect(printer.staleBytesDropped).toBe(1);
    expect(printer.health?.state).toBe('error');
  });

  it('a quiet line costs only the short quiet time before each query', async () => {
    vi.useFakeTimers();
    const [host, dev] = createLinkPair();
    const sim = new PrinterSimulator(dev, { paperNearEnd: true });
    cleanups.push(() => sim.close());
    const printer = new TicketPrinter(host, { replyTimeoutMs: 300, quietMs: 20 });
    cleanups.push(() => printer.close());
    let s: unknown = null;
    void printer.status().then((r) => {
      s = r;
    });
    await vi.advanceTimersByTimeAsync(59);
    expect(s).toBeNull();
    await vi.advanceTimersByTimeAsync(2);
    expect(s).toMatchObject({ online: true, paperNearEnd: true });
    expect(printer.staleBytesDropped).toBe(0);
  });
});

describe('over TCP (raw port 9100 style)', () => {
  async function tcp(state = {}) {
    const server: TcpPrinterSimulator = await startTcpPrinterSimulator({ port: 0, state });
    cleanups.push(() => server.close());
    const link: TcpLink = await openTcpLink({ host: '127.0.0.1', port: server.port });
    cleanups.push(() => link.close());
    // Loopback TCP answers in well under a millisecond; the limit only has to outlast a loaded machine.
    const printer = new TicketPrinter(link, { width: 80, replyTimeoutMs: 5000 });
    cleanups.push(() => printer.close());
    return { server, link, printer };
  }

  it('status in each state and a printed 80 mm ticket with raster QR', async () => {
    const { server, printer } = await tcp();
    expect(await printer.status()).toMatchObject({ online: true });
    for (const [state, expected] of [
      [{ paperNearEnd: true }, { paperNearEnd: true, online: true }],
      [{ paperOut: true }, { paperOut: true, online: false }],
      [
        { paperOut: false, paperNearEnd: false, coverOpen: true },
        { coverOpen: true, online: false },
      ],
      [{ coverOpen: false }, { online: true, coverOpen: false, paperOut: false, paperNearEnd: false }],
    ] as const) {
      server.sim.set(state);
      expect(await printer.status()).toMatchObject(expected);
    }
    const raster = new TicketPrinter(await openTcpLink({ host: '127.0.0.1', port: server.port }), {
      width: 80,
      qrMode: 'raster',
      replyTimeoutMs: 5000,
    });
    await raster.printTicket(sampleTicket());
    raster.close();
    expect(server.sim.tickets.at(-1)?.images).toBe(1);
    expect(server.sim.tickets.at(-1)?.lines).toContain('社保医保');
  });

  it('PAPER_OUT at once over TCP', async () => {
    const { server, printer } = await tcp({ paperOut: true });
    await expect(printer.printTicket(sampleTicket())).rejects.toMatchObject({ code: 'PAPER_OUT' });
    expect(server.sim.tickets).toHaveLength(0);
  });

  it('a TCP peer that accepts but never answers → TIMEOUT; a refused connection → PORT_NOT_FOUND', async () => {
    const peers = new Set<import('node:net').Socket>();
    const mute = createServer((s) => {
      peers.add(s);
      s.on('error', () => undefined);
    });
    await new Promise<void>((r) => mute.listen(0, '127.0.0.1', r));
    const port = (mute.address() as { port: number }).port;
    cleanups.push(async () => {
      for (const s of peers) s.destroy();
      await new Promise<void>((r) => mute.close(() => r()));
    });
    const link = await openTcpLink({ host: '127.0.0.1', port });
    cleanups.push(() => link.close());
    const printer = new TicketPrinter(link, { replyTimeoutMs: 200 });
    cleanups.push(() => printer.close());
    await expect(printer.status()).rejects.toMatchObject({ code: 'TIMEOUT' });
    // A port nobody listens on: take a free one and close it again.
    const free = createServer();
    await new Promise<void>((r) => free.listen(0, '127.0.0.1', r));
    const closedPort = (free.address() as { port: number }).port;
    await new Promise<void>((r) => free.close(() => r()));
    const refused = await openTcpLink({ host: '127.0.0.1', port: closedPort }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'PORT_NOT_FOUND', port: `127.0.0.1:${closedPort}` });
    expect((refused as Error).message).toContain('9100');
  });

  it('the link reports a dropped connection', async () => {
    const { server, link } = await tcp();
    const closed = new Promise((r) => link.onClose(r));
    await server.close();
    expect(await closed).toMatchObject({ code: 'PORT_CLOSED' });
    await expect(link.write(Uint8Array.of(0))).rejects.toMatchObject({ code: 'PORT_CLOSED' });
  });

  it('parses HOST[:PORT]', () => {
    expect(parseHostPort('10.0.0.5')).toEqual({ host: '10.0.0.5', port: 9100 });
    expect(parseHostPort('printer.local:9101')).toEqual({ host: 'printer.local', port: 9101 });
    expect(parseHostPort('[::1]:9100')).toEqual({ host: '::1', port: 9100 });
    expect(parseHostPort('a:0')).toBeNull();
    expect(parseHostPort('a:99999')).toBeNull();
    expect(parseHostPort('a b')).toBeNull();
  });
});
