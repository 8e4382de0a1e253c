/** A network printer (raw TCP on loopback) in the device service: health, a print, and a restart of the printer. */
import { describe, expect, it } from 'vitest';
import { startTcpPrinterSimulator } from '../../drivers/printer/printer-simulator.js';
import { DeviceService } from '../../main/devices/device-service.js';
import { createLinkOpener } from '../../main/devices/open-link.js';
import { waitUntil } from '../support/until.js';

describe('network printer through the device service', () => {
  it('prints over TCP and follows the printer going away and coming back on the same port', async () => {
    let printer = await startTcpPrinterSimulator({ port: 0 });
    const port = printer.port;
    const service = new DeviceService({
      devices: {
        terminals: [
          {
            id: 'kiosk-9',
            role: 'kiosk',
            devices: [
              { id: 'k9-printer', kind: 'printer', transport: { type: 'tcp', host: '127.0.0.1', port }, width: 58 },
            ],
          },
        ],
      },
      openLink: createLinkOpener({ initialDelayMs: 20, maxDelayMs: 100 }),
    });
    await service.start();
    const state = () => service.statuses()[0]!.state;
    try {
      await waitUntil(() => state() === 'ok', 'printer ok');
      const r = await service.print('kiosk-9', {
        hallName: '演示市民服务中心',
        number: 'B007',
        serviceName: '不动产登记',
        ahead: 0,
        issuedAt: '2026-11-23T09:00:00+08:00',
      });
      expect(r).toEqual({ ok: true });
      await waitUntil(() => printer.sim.tickets.length === 1, 'ticket');
      expect(printer.sim.tickets[0]!.lines.join('\n')).toContain('B007');

      await printer.close();
      await waitUntil(() => state() === 'offline', 'offline');
      expect(
        await service.print('kiosk-9', { hallName: '', number: 'B008', serviceName: '', ahead: 0, issuedAt: '' }),
      ).toMatchObject({ ok: false, code: 'OFFLINE' });
      printer = await startTcpPrinterSimulator({ port });
      await waitUntil(() => state() === 'ok', 'back online');
    } finally {
      await service.stop();
      await printer.close();
    }
  });
});
