/**
 * The kiosk's browser bridge against the hub's real device bridge (`devicesPlugin` + `DeviceService`
 * with the demo hall's terminal `kiosk-1`): a card read by the device service fills the kiosk and
 * the ticket is taken; the printer's answer (ok, paper out) reaches the screen. The ID card and
 * printer drivers here are driver-level stand-ins that hand cards and print results to the service
 * (their byte protocols are tested in drivers/); everything between them and the screen is real.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { qrUrlFor } from '../../drivers/printer/ticket-layout.js';
import type { DeviceSink } from '../../main/devices/device-family.js';
import { DeviceService } from '../../main/devices/device-service.js';
import type { PrintResult, TicketPrint } from '../../main/devices/types.js';
import { devicesPlugin } from '../../main/server/devices-plugin.js';
import { demoConfig } from '../support/hub-client.js';
import { decodeQr } from './qr.js';
import {
  idNumber,
  launchBrowser,
  openRole,
  realErrors,
  screenshot,
  startUiHub,
  type UiHub,
  VIEWPORTS,
} from './support.js';

let hub: UiHub;
let browser: Browser;
let service: DeviceService;
let reader: DeviceSink | null = null;
const printed: TicketPrint[] = [];
let nextPrint: PrintResult = { ok: true };

beforeAll(async () => {
  const config = demoConfig();
  service = new DeviceService({
    devices: config.devices,
    terminals: ['kiosk-1'],
    simulateAll: true,
    drivers: {
      idcard: (_link, _dev, sink) => {
        reader = sink;
        sink.status('ok', null);
        return { stop: async () => {} };
      },
      printer: (_link, _dev, sink) => {
        sink.status('ok', null);
        return {
          stop: async () => {},
          print: async (t) => {
            printed.push(t);
            return nextPrint;
          },
        };
      },
    },
  });
  await service.start();
  hub = await startUiHub({ config, plugins: [devicesPlugin({ service })] });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await hub?.close();
  await service?.stop();
});

describe('kiosk through the hub device bridge', () => {
  it('a card read by the device service fills the kiosk; the ticket prints on the terminal printer', async () => {
    const page = await openRole(browser, hub, 'kiosk', {
      // The hub's bridge opens only with the terminal's own paired token (as in the embedded hall).
      token: hub.app.terminals.pair('kiosk-1', null, Date.now()),
      viewport: VIEWPORTS.kioskPortrait,
      query: { terminal: 'kiosk-1' },
    });
    await page.getByRole('button', { name: /^取号/ }).waitFor();
    const no = idNumber('19851012', '234');
    // The bridge connects in the background: present the card until the kiosk reacts (bounded).
    for (let i = 0; i < 50 && (await page.getByTestId('applicant').count()) === 0; i++) {
      reader?.card({ name: '赵海', gender: '男', birthDate: '1985-10-12', certNo: no, certType: 'resident' });
      await page.waitForTimeout(100);
    }
    await page.getByTestId('applicant').getByText('已读取身份证').waitFor();
    await page.getByRole('button', { name: /公积金/ }).click();
    const number = await page.getByTestId('ticket-number').textContent();
    await page.getByTestId('print-ok').waitFor();
    expect(printed.map((t) => [t.number, t.serviceName, t.applicantName])).toEqual([[number, '公积金', '赵*']]);
    // The hub filled the hall's part from the running config: name, header, footer (notice), and the
    // QR URL of ticketText.qrUrl for this ticket — not whatever the kiosk might have sent.
    const qrTemplate = hub.app.engine.config.ticketText.qrUrl ?? '';
    expect(qrTemplate).toContain('{ticketId}');
    const first = printed[0]!;
    expect(first).toMatchObject({
      hallName: '演示市民服务中心',
      header: hub.app.engine.config.ticketText.header,
      footer: hub.app.engine.config.ticketText.footer,
      qr: qrUrlFor(qrTemplate, { ticketId: first.ticketId ?? '?', number: number ?? '' }),
    });
    expect(first.ticketId).toMatch(/^\w+$/);
    expect(realErrors(page)).toEqual([]);

    nextPrint = { ok: false, code: 'PAPER_OUT', message: '打印机缺纸' };
    await page.getByRole('button', { name: '完成' }).click();
    await page.getByRole('button', { name: /^取号/ }).click();
    await page.getByRole('button', { name: /综合咨询/ }).click();
    await page.getByRole('button', { name: '无证件取号' }).click();
    await page.getByTestId('print-failed').getByText('打印机缺纸').waitFor();
    await page.getByTestId('ticket-qr').waitFor();
    // The code on screen is the one the paper would have carried: the hub's URL for this ticket.
    const failedTicket = printed[1]!;
    expect(await decodeQr(page.getByTestId('ticket-qr'))).toBe(
      qrUrlFor(qrTemplate, { ticketId: failedTicket.ticketId ?? '?', number: failedTicket.number }),
    );
    await screenshot(page, 'kiosk-bridge-paper-out-portrait');
    await page.context().close();
  });
});
