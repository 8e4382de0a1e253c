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
import { axeScan, idNumber, openRole, screenshot, startKioskBridgeHub, VIEWPORTS } from './support.js';

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

  it('admin: the day’s list, no-show rate and slot use, booking for a caller, closing slots; counter cancels', async () => {
    // 11:46: the 11:30 booking's check-in closed at 11:45.
    clock.set(Date.UTC(2026, 10, 23, 3, 46));
    expect(ui.hub.app.appointments.markNoShows()).toHaveLength(1);
    const admin = await openRole(ui.browser, ui.hub, 'admin', {
      token: ui.hub.tokens.admin,
      viewport: { width: 1920, height: 1080 },
    });
    await admin.getByRole('button', { name: '预约', exact: true }).click();
    await admin.getByTestId('appt-no-show-rate').getByText('50').waitFor();
    expect(await admin.getByTestId('appt-total').textContent()).toContain('2');
    await admin.getByText('2 / 96（2%）').waitFor();

    const form = admin.getByRole('form', { name: '代为预约' });
    await form.getByLabel('时段').selectOption({ label: '14:00–14:30（余 4）' });
    await form.getByLabel('姓名').fill('周敏');
    await form.getByLabel('身份证号码').fill(idNumber('19920606', '468'));
    await form.getByRole('button', { name: '预约' }).click();
    await form.getByText(/已预约 2026-11-23 14:00，预约码 [2-9A-HJKMNP-Z]{8}/).waitFor();
    await admin.getByRole('cell', { name: /周\*/ }).waitFor();

    const close = admin.getByRole('form', { name: '停止预约' });
    await close.getByLabel('开始（可不填，整天）').fill('16:00');
    await close.getByLabel('结束').fill('17:00');
    await close.getByLabel('原因').fill('业务培训');
    await close.getByRole('button', { name: '停止预约' }).click();
    await close.getByText('已停止预约').waitFor();
    await close.getByText(/全部业务 16:00–17:00：业务培训/).waitFor();
    await screenshot(admin, 'admin-appointments-1920x1080', true);
    expect(await axeScan(admin)).toEqual([]);
    await closeClean(admin);

    // The counter books and cancels on a caller's behalf.
    const counter = await openRole(ui.browser, ui.hub, 'counter', {
      token: await ui.hub.token('counter', 1, 'win-1'),
      viewport: VIEWPORTS.counter,
      query: { window: '1' },
    });
    await counter.getByLabel('工号').fill('8001');
    await counter.getByLabel('PIN').fill('123456');
    await counter.getByRole('button', { name: '签到' }).click();
    await counter.getByRole('button', { name: '预约 / 取消预约' }).click();
    const row = counter.getByRole('row', { name: /周\*/ });
    await row.getByRole('button', { name: '取消' }).click();
    await counter.getByText(/已取消预约/).waitFor();
    await row.getByRole('cell', { name: '已取消' }).waitFor();
    await screenshot(counter, 'counter-appointments-1366x768');
    expect(await axeScan(counter)).toEqual([]);
    await closeClean(counter);
  });
});
