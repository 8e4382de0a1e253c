/**
 * The kiosk's browser bridge against the hub's real device bridge (`devicesPlugin` + `DeviceService`
 * with the demo hall's terminal `kiosk-1`): a card read by the device service fills the kiosk and
 * the ticket is taken; the printer's answer (ok, paper out) reaches the screen. The ID card and
 * printer drivers here are driver-level stand-ins that hand cards and print results to the service
 * (their byte protocols are tested in drivers/); everything between them and the screen is real.
 */
import { describe, expect, it } from 'vitest';
import { qrUrlFor } from '../../drivers/printer/ticket-layout.js';
import { waitFor } from '../../drivers/testing/wait-for.js';
import { call } from '../support/hub-client.js';
import type { KioskStandIns } from '../support/terminal-service.js';
import { decodeQr } from './qr.js';
import { closeClean, openKiosk, uiSuite } from './suite.js';
import { idNumber, realErrors, screenshot, startKioskBridgeHub, VIEWPORTS } from './support.js';

let kiosk: KioskStandIns;
const ui = uiSuite(async () => {
  const started = await startKioskBridgeHub();
  kiosk = started.kiosk;
  return started.hub;
});

describe('kiosk through the hub device bridge', () => {
  it('a card read by the device service fills the kiosk; the ticket prints on the terminal printer', async () => {
    // The hub's bridge opens only with the terminal's own paired token (as in the embedded hall).
    const token = ui.hub.app.terminals.pair('kiosk-1', null, Date.now());
    const page = await openKiosk(ui, { terminal: 'kiosk-1' }, VIEWPORTS.kioskPortrait, token);
    const no = idNumber('19851012', '234');
    // The bridge connects in the background: present the card until the kiosk reacts.
    await waitFor('the kiosk to take a card from the bridge', async () => {
      kiosk.card({ name: '赵海', gender: '男', birthDate: '1985-10-12', certNo: no, certType: 'resident' });
      await page.waitForTimeout(100);
      return (await page.getByTestId('applicant').count()) > 0;
    });
    await page.getByTestId('applicant').getByText('已读取身份证').waitFor();
    await page.getByRole('button', { name: /公积金/ }).click();
    const number = await page.getByTestId('ticket-number').textContent();
    await page.getByTestId('print-ok').waitFor();
    expect(kiosk.printed.map((t) => [t.number, t.serviceName, t.applicantName])).toEqual([[number, '公积金', '赵*']]);
    // The hub filled the hall's part from the running config: name, header, footer (notice), and the
    // QR URL of ticketText.qrUrl for this ticket — not whatever the kiosk might have sent: the phone
    // page of the ticket's code at the hall's public address.
    const config = ui.hub.app.engine.config;
    const qrTemplate = config.ticketText.qrUrl ?? '';
    expect(qrTemplate).toBe('{publicBaseUrl}/t/{ticketCode}');
    const first = kiosk.printed[0]!;
    const qrOf = (t: typeof first) =>
      qrUrlFor(qrTemplate, {
        ticketId: t.ticketId ?? '?',
        ticketCode: t.ticketCode ?? '?',
        number: t.number,
        publicBaseUrl: config.public?.baseUrl ?? '',
      });
    expect(first).toMatchObject({
      hallName: '演示市民服务中心',
      header: config.ticketText.header,
      footer: config.ticketText.footer,
      qr: qrOf(first),
    });
    expect(first.ticketId).toMatch(/^\w+$/);
    expect(first.qr).toMatch(/^http:\/\/127\.0\.0\.1:8800\/t\/[0-9A-HJKMNP-TV-Z]{24}$/);
    expect(realErrors(page)).toEqual([]);

    kiosk.nextPrint = { ok: false, code: 'PAPER_OUT', message: '打印机缺纸' };
    await page.getByRole('button', { name: '完成' }).click();
    await page.getByRole('button', { name: /^取号/ }).click();
    await page.getByRole('button', { name: /综合咨询/ }).click();
    await page.getByRole('button', { name: '无证件取号' }).click();
    await page.getByTestId('print-failed').getByText('打印机缺纸').waitFor();
    await page.getByTestId('ticket-qr').waitFor();
    // The code on screen is the one the paper would have carried: the hub's URL for this ticket.
    const failedTicket = kiosk.printed[1]!;
    expect(await decodeQr(page.getByTestId('ticket-qr'))).toBe(qrOf(failedTicket));
    await screenshot(page, 'kiosk-bridge-paper-out-portrait');
    await page.context().close();
  });

  it('办件查询 by a card the hub read lists the holder’s cases without asking for a code', async () => {
    const hub = ui.hub;
    const no = idNumber('19770707', '456');
    const staff = await hub.staffSession(1, '8001');
    const mine = await call(hub.url, 'POST', '/tickets', hub.tokens.kiosk, {
      serviceCode: 'ZHZX',
      channel: 'kiosk',
      applicant: { name: '钱七', certType: 'resident', certNo: no },
    });
    let caseId = '';
    for (;;) {
      const next = await call(hub.url, 'POST', '/windows/1/call-next', staff);
      if (next.status !== 200) break;
      const fin = await call(hub.url, 'POST', '/windows/1/finish', staff, {
        case: { taskCode: '11330106MB1234567X4000112001000', taskName: '社保参保登记', result: '1' },
      });
      if (next.body.id === mine.body.id) caseId = fin.body.caseId;
    }
    expect(caseId).not.toBe('');
    const token = hub.app.terminals.pair('kiosk-1', null, Date.now());
    const page = await openKiosk(ui, { terminal: 'kiosk-1' }, VIEWPORTS.kioskPortrait, token);
    await page.getByRole('button', { name: /^办件查询/ }).click();
    await page.getByRole('tab', { name: /刷身份证查询/ }).click();
    // The bridge connects in the background: present the card until the kiosk lists cases.
    await waitFor('the kiosk to list the cases of a card from the bridge', async () => {
      kiosk.card({ name: '钱七', gender: '男', birthDate: '1977-07-07', certNo: no, certType: 'resident' });
      await page.waitForTimeout(100);
      return (await page.getByTestId('case-card').count()) > 0;
    });
    await page.getByTestId('case-card').getByText('社保参保登记').waitFor();
    expect(await page.getByText('请再输入回执上的办件编号').count()).toBe(0);
    expect(await page.getByTestId('case-card').first().textContent()).toContain(caseId);
    await closeClean(page);
  });
});
