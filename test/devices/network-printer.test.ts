/** A network printer (raw TCP on loopback) in the device service: health, a print, and a restart of the printer. */
import { describe, expect, it } from 'vitest';
import { startTcpPrinterSimulator } from '../../drivers/printer/printer-simulator.js';
import { cleanupAfterEach } from '../../drivers/testing/cleanups.js';
import { waitFor } from '../../drivers/testing/wait-for.js';
import { createLinkOpener } from '../../main/devices/open-link.js';
import { startTerminalService } from '../support/terminal-service.js';

const cleanups = cleanupAfterEach();

describe('network printer through the device service', () => {
  it('prints over TCP and follows the printer going away and coming back on the same port', async () => {
    let printer = await startTcpPrinterSimulator({ port: 0 });
    cleanups.push(() => printer.close());
    const port = printer.port;
    const { service, state } = await startTerminalService(
      cleanups,
      {
        id: 'kiosk-9',
        role: 'kiosk',
        devices: [
          { id: 'k9-printer', kind: 'printer', transport: { type: 'tcp', host: '127.0.0.1', port }, width: 58 },
        ],
      },
      { openLink: createLinkOpener({ initialDelayMs: 20, maxDelayMs: 100 }) },
    );
    await waitFor('the printer to be ok', () => state() === 'ok');
    const r = await service.print('kiosk-9', {
      hallName: '演示市民服务中心',
      number: 'B007',
      serviceName: '不动产登记',
      ahead: 0,
      issuedAt: '2026-11-23T09:00:00+08:00',
    });
    expect(r).toEqual({ ok: true });
    await waitFor('the ticket', () => printer.sim.tickets.length === 1);
    expect(printer.sim.tickets[0]!.lines.join('\n')).toContain('B007');

    await printer.close();
    await waitFor('offline', () => state() === 'offline');
    expect(
      await service.print('kiosk-9', { hallName: '', number: 'B008', serviceName: '', ahead: 0, issuedAt: '' }),
    ).toMatchObject({ ok: false, code: 'OFFLINE' });
    printer = await startTcpPrinterSimulator({ port });
    await waitFor('back online', () => state() === 'ok');
  });
});
