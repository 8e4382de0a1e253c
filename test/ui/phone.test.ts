/**
 * The citizen's phone pages in Chromium at 360×780 (a small Android phone, WeChat's user agent):
 * follow a ticket until it is called (vibration asked for), rate from `/r/…` with the pads' rules,
 * English by the phone's language and by the switcher, `/book` on the hub's appointment register;
 * axe on each page and screenshots at phone size.
 */
import type { BrowserContext } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { call } from '../support/hub-client.js';
import { uiSuite } from './suite.js';
import { axeScan, fontPx, idNumber, realErrors, screenshot, type UiPage } from './support.js';

const ui = uiSuite();

const PHONE = { width: 360, height: 780 };
const WECHAT_UA =
  'Mozilla/5.0 (Linux; Android 12; V2055A Build/SP1A.210812.003; wv) AppleWebKit/537.36 (KHTML, like Gecko) ' +
  'Version/4.0 Chrome/107.0.5304.141 Mobile Safari/537.36 XWEB/5043 MMWEBSDK/20230504 MicroMessenger/8.0.37.2380(0x2800253B) WeChat/arm64 Weixin NetType/WIFI Language/zh_CN ABI/arm64';

async function openPhone(path: string, locale = 'zh-CN'): Promise<UiPage> {
  const context: BrowserContext = await ui.browser.newContext({
    viewport: PHONE,
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale,
    userAgent: WECHAT_UA,
    timezoneId: 'Asia/Shanghai',
    // axe-core is injected as an inline script, which the page's CSP forbids.
    bypassCSP: true,
  });
  // Records what the page asks of the vibration motor.
  await context.addInitScript(`(() => {
    const calls = [];
    window.vibrations = calls;
    Object.defineProperty(navigator, 'vibrate', { value: (p) => calls.push(p) > 0, configurable: true });
  })()`);

  const page = (await context.newPage()) as UiPage;
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') page.errors.push(m.text());
  });
  page.setDefaultTimeout(20_000);
  await page.goto(`${ui.hub.url}${path}`, { waitUntil: 'domcontentloaded' });
  return page;
}

async function issue(certNo?: string) {
  const r = await call(ui.hub.url, 'POST', '/tickets', ui.hub.tokens.kiosk, {
    serviceCode: 'ZHZX',
    channel: 'kiosk',
    ...(certNo ? { applicant: { name: '王小红', certType: 'resident', certNo } } : {}),
  });
  expect(r.status).toBe(201);
  return r.body as { id: string; number: string; ticketCode: string };
}

/** The page fits 360 px: nothing wider than the screen. */
const overflow = (page: UiPage) =>
  page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth') as Promise<number>;

describe('phone pages', () => {
  it('follows a ticket at 360×780 until it is called: the window large, a vibration, no personal data', async () => {
    const staff = await ui.hub.staffSession(1);
    await issue();
    const mine = await issue(idNumber('19880808'));
    const page = await openPhone(`/t/${mine.ticketCode}`);
    await page.getByTestId('number').getByText(mine.number).waitFor();
    await page.getByText('前面等候').waitFor();
    expect(await page.locator('#hall').textContent()).toBe('演示市民服务中心');
    expect(await page.locator('body').textContent()).not.toMatch(/王|19880808/);
    expect(await overflow(page)).toBe(0);
    expect(await axeScan(page)).toEqual([]);
    await screenshot(page, 'phone-ticket-waiting');
    // The window serves whoever is before, then calls this ticket; the page sees it on its next poll.
    for (let i = 0; i < 20; i++) {
      const r = await call(ui.hub.url, 'POST', '/windows/1/call-next', staff);
      if (r.status !== 200 || r.body.number === mine.number) break;
      await call(ui.hub.url, 'POST', '/windows/1/finish', staff, { case: { taskCode: 'ZX-001', result: '1' } });
    }
    await page.getByTestId('called').getByText('请到 1 号窗口').waitFor({ timeout: 60_000 });
    expect(await page.evaluate('window.vibrations.length')).toBe(1);
    const size = await fontPx(page, '.called .go');
    expect(size).toBeGreaterThanOrEqual(36);
    expect(await overflow(page)).toBe(0);
    expect(await axeScan(page)).toEqual([]);
    await screenshot(page, 'phone-ticket-called');
    // A recall buzzes again.
    await call(ui.hub.url, 'POST', '/windows/1/recall', staff);
    // A function predicate: a string one is polled with eval, which the page's CSP forbids.
    await page.waitForFunction(
      () => (globalThis as unknown as { vibrations: unknown[] }).vibrations.length === 2,
      null,
      { timeout: 60_000 },
    );
    expect(realErrors(page)).toEqual([]);
    await page.context().close();
  }, 180_000);

  it('shows a phone set to English the English page; the switcher goes back to Chinese', async () => {
    const t = await issue();
    const page = await openPhone(`/t/${t.ticketCode}`, 'en-US');
    await page.getByText('people ahead').waitFor();
    expect(await page.evaluate('document.documentElement.lang')).toBe('en');
    expect(await axeScan(page)).toEqual([]);
    await screenshot(page, 'phone-ticket-en');
    await page.locator('#lang').selectOption('zh-CN');
    await page.getByText('前面等候').waitFor();
    expect(await page.evaluate('document.documentElement.lang')).toBe('zh-CN');
    const unknown = await openPhone('/t/0000000000000000000000000');
    await unknown.getByText('查不到这张号票').waitFor();
    expect(realErrors(page)).toEqual([]);
    await page.context().close();
    await unknown.context().close();
  }, 120_000);

  it('rates from /r/{ratingCode}: 差评 asks for a reason, the rating is recorded with channel qr', async () => {
    const staff = await ui.hub.staffSession(2);
    const t = await issue();
    let r = await call(ui.hub.url, 'POST', '/windows/2/call', staff, { ticketId: t.id });
    expect(r.status).toBe(200);
    r = await call(ui.hub.url, 'POST', '/windows/2/finish', staff, { case: { taskCode: 'ZX-001', result: '1' } });
    const { caseId, ratingCode } = r.body as { caseId: string; ratingCode: string };
    const page = await openPhone(`/r/${ratingCode}`);
    await page.getByRole('heading', { name: '服务评价' }).waitFor();
    await page.getByText('2 号窗口').waitFor();
    expect(await axeScan(page)).toEqual([]);
    await screenshot(page, 'phone-rate');
    await page.getByRole('button', { name: '不满意', exact: true }).click();
    await page.getByText('请选择不满意的原因').waitFor();
    await page.getByRole('button', { name: '提交评价' }).click();
    await page.getByRole('alert').getByText('至少选择一个原因').waitFor();
    expect(await overflow(page)).toBe(0);
    expect(await axeScan(page)).toEqual([]);
    await screenshot(page, 'phone-rate-reasons', true);
    await page.getByLabel('等候时间过长').check();
    await page.getByRole('button', { name: '提交评价' }).click();
    await page.getByTestId('rated').getByText('感谢您的评价').waitFor();
    await screenshot(page, 'phone-rate-done');
    const c = await call(ui.hub.url, 'GET', `/cases/${caseId}`, ui.hub.tokens.kiosk);
    expect(c.body.evaluations).toMatchObject([{ level: 'dissatisfied', reasons: ['R103'], channel: 'qr' }]);
    expect(realErrors(page)).toEqual([]);
    await page.context().close();
  }, 120_000);

  it('books at /book through the hub’s public appointment API: ID number checked as typed, the code as text and QR', async () => {
    const page = await openPhone('/book');
    const services = (await call(ui.hub.url, 'GET', '/public/services')).body as {
      code: string;
      name: string;
      days: string[];
    }[];
    const service = services[0]!;
    const day = service.days[1]!; // tomorrow: every slot still ahead
    await page.getByLabel('办理的业务').selectOption(service.code);
    await page.getByLabel('日期').selectOption(day);
    const slot = page.locator('.slots button:not([disabled])').first();
    await slot.waitFor();
    const slotText = (await slot.textContent()) ?? '';
    await slot.click();
    await page.getByLabel('姓名').fill('王小红');
    const no = idNumber('19880808');
    const wrong = no.slice(0, 17) + (no[17] === '1' ? '2' : '1');
    await page.getByLabel('证件号码').pressSequentially(wrong);
    await page.locator('#cert-state').getByText('证件号码不正确').waitFor();
    await page.getByLabel('证件号码').fill('');
    await page.getByLabel('证件号码').pressSequentially(no.slice(0, 10));
    await page.locator('#cert-state').getByText('还差 8 位').waitFor();
    await page.getByLabel('证件号码').pressSequentially(no.slice(10));
    await page.locator('#cert-state').getByText('号码格式正确').waitFor();
    await page.getByLabel(/手机号码/).fill('13800138000');
    expect(await overflow(page)).toBe(0);
    expect(await axeScan(page)).toEqual([]);
    await screenshot(page, 'phone-book-form', true);
    await page.getByRole('button', { name: '确认预约' }).click();
    const code = (await page.getByTestId('code').textContent())?.trim() ?? '';
    expect(code).toMatch(/^[0-9A-Z]{8}$/);
    await page.getByRole('img', { name: new RegExp(code) }).waitFor();
    // The hall's register has it: that person, that slot, booked.
    const list = await call(ui.hub.url, 'GET', `/admin/appointments?day=${day}`, ui.hub.tokens.admin);
    const booked = JSON.stringify(list.body);
    expect(booked).toContain(code);
    expect(slotText).toContain(':');
    expect(await axeScan(page)).toEqual([]);
    await screenshot(page, 'phone-book-done');
    // The same person cannot book the same service that day twice.
    await page.reload({ waitUntil: 'domcontentloaded' });
    await page.getByLabel('办理的业务').selectOption(service.code);
    await page.getByLabel('日期').selectOption(day);
    await page.locator('.slots button:not([disabled])').first().click();
    await page.getByLabel('姓名').fill('王小红');
    await page.getByLabel('证件号码').pressSequentially(no);
    await page.getByRole('button', { name: '确认预约' }).click();
    await page.getByRole('alert').getByText('不能重复预约').waitFor();
    expect(realErrors(page)).toEqual([]);
    await page.context().close();
  }, 180_000);
});
