/**
 * The kiosk's 预约 and 预约签到 in Chromium, on the hub's real device bridge (ID card and printer
 * stand-ins of the demo terminal kiosk-1) and a hall clock the test sets: book a later slot with
 * the card, check in with the same card for an appointment ticket, a second check-in refused,
 * a code too early told when check-in opens.
 */
import { describe, expect, it } from 'vitest';
import { waitFor } from '../../drivers/testing/wait-for.js';
import { ManualClock } from '../../main/time/clock.js';
import { call } from '../support/hub-client.js';
import type { KioskStandIns } from '../support/terminal-service.js';
import { closeClean, openKiosk, uiSuite } from './suite.js';
import { axeScan, idNumber, screenshot, startKioskBridgeHub, VIEWPORTS } from './support.js';

// Monday 2026-11-23 10:00 in Shanghai.
const clock = new ManualClock(Date.UTC(2026, 10, 23, 2, 0));
let kiosk: KioskStandIns;
const ui = uiSuite(async () => {
  const started = await startKioskBridgeHub(clock);
  kiosk = started.kiosk;
  return started.hub;
});

describe('kiosk appointments', () => {
  it('books a slot with the ID card, then checks in with the same card for an appointment ticket', async () => {
    const token = ui.hub.app.terminals.pair('kiosk-1', null, Date.now());
    const page = await openKiosk(ui, { terminal: 'kiosk-1' }, VIEWPORTS.kioskPortrait, token);
    const no = idNumber('19880215', '246');
    const card = { name: '孙悦', gender: '女', birthDate: '1988-02-15', certNo: no, certType: 'resident' } as const;
    await screenshot(page, 'kiosk-appointment-home-portrait');

    await page.getByRole('button', { name: /^预约 / }).click();
    await page.getByRole('button', { name: /社保医保/ }).click();
    await page.getByRole('button', { name: /今天/ }).click();
    await page.locator('.kiosk-book-slot', { hasText: '10:30' }).waitFor();
    expect(await page.locator('.kiosk-book-slot', { hasText: '10:30' }).textContent()).toContain('余 4');
    await screenshot(page, 'kiosk-appointment-slots-portrait');
    expect(await axeScan(page)).toEqual([]);
    await page.setViewportSize(VIEWPORTS.kioskLandscape);
    await screenshot(page, 'kiosk-appointment-slots-landscape');
    await page.setViewportSize(VIEWPORTS.kioskPortrait);
    await page.locator('.kiosk-book-slot', { hasText: '10:30' }).click();
    await page.getByText('请将预约人的身份证放在感应区').waitFor();
    // The bridge connects in the background: present the card until the kiosk books.
    await waitFor('the booking made with the card', async () => {
      kiosk.card(card);
      await page.waitForTimeout(150);
      return (await page.getByTestId('appointment-code').count()) > 0;
    });
    const code = (await page.getByTestId('appointment-code').textContent())?.trim() ?? '';
    expect(code).toMatch(/^[2-9A-HJKMNP-Z]{8}$/);
    await page.getByText('社保医保 · 2026-11-23 10:30–11:00').waitFor();
    await screenshot(page, 'kiosk-appointment-booked-portrait');
    expect(await axeScan(page)).toEqual([]);
    await page.getByRole('button', { name: '完成' }).click();

    // 预约签到 with the same card: the 10:30 window opened at 10:00.
    await page.getByRole('button', { name: /^预约签到/ }).click();
    await page.getByText('请将预约时使用的身份证放在感应区').waitFor();
    await screenshot(page, 'kiosk-appointment-checkin-portrait');
    await waitFor('the check-in with the card', async () => {
      kiosk.card(card);
      await page.waitForTimeout(150);
      return (await page.getByTestId('ticket-number').count()) > 0;
    });
    const number = (await page.getByTestId('ticket-number').textContent())?.trim();
    await page.getByTestId('print-ok').waitFor();
    await screenshot(page, 'kiosk-appointment-ticket-portrait');
    const queue = await call(ui.hub.url, 'GET', '/queue?serviceCode=SBYB', ui.hub.tokens.admin);
    expect(queue.body.map((t: { number: string; channel: string }) => [t.number, t.channel])).toContainEqual([
      number,
      'appointment',
    ]);
    expect(kiosk.printed.at(-1)?.number).toBe(number);

    // The same code again: refused, and the screen says so.
    await page.getByRole('button', { name: '完成' }).click();
    await page.getByRole('button', { name: /^预约签到/ }).click();
    await page.getByRole('button', { name: '输入预约码' }).click();
    for (const ch of code) await page.locator('.keypad-key', { hasText: new RegExp(`^${ch}$`) }).click();
    await page.getByRole('button', { name: '签到取号' }).click();
    await page.getByText(/已签到取号/).waitFor();
    await screenshot(page, 'kiosk-appointment-twice-portrait');

    // A later booking's code, too early: the screen says when check-in opens.
    const later = await call(ui.hub.url, 'POST', '/appointments', ui.hub.tokens.admin, {
      serviceCode: 'SBYB',
      slotStart: '2026-11-23T11:30:00+08:00',
      applicant: { name: '钱多', certType: 'resident', certNo: idNumber('19790101', '357') },
    });
    expect(later.status).toBe(201);
    await page.getByRole('button', { name: '返回首页' }).click();
    await page.getByRole('button', { name: /^预约签到/ }).click();
    await page.getByRole('button', { name: '输入预约码' }).click();
    for (const ch of later.body.code as string)
      await page.locator('.keypad-key', { hasText: new RegExp(`^${ch}$`) }).click();
    await page.getByRole('button', { name: '签到取号' }).click();
    await page.getByText(/11:00 起可以签到/).waitFor();
    await screenshot(page, 'kiosk-appointment-early-portrait');
    await closeClean(page);
  });
});
