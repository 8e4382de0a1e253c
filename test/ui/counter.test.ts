import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { adminPlugins } from '../../main/server/admin-plugins.js';
import { call, tempDir } from '../support/hub-client.js';
import { decodeQr } from './qr.js';
import { uiSuite } from './suite.js';
import { axeScan, openRole, screenshot, startUiHub, VIEWPORTS } from './support.js';

const dataDir = tempDir('govhall-ui-counter-');
const ui = uiSuite(() => startUiHub({ dataDir, plugins: adminPlugins({ dataDir }) }));

const APPLICANT = { name: '张三丰', certType: 'resident', certNo: '11010519491231002X' };

describe('counter', () => {
  it('signs in, calls, starts, finishes with a case and sees the rating', async () => {
    const page = await openRole(ui.browser, ui.hub, 'counter', {
      token: await ui.hub.token('counter', 1, 'win-1'),
      viewport: VIEWPORTS.counter,
      query: { window: '1' },
    });
    await page.getByRole('heading', { name: '窗口签到' }).waitFor({ timeout: 30_000 });
    await screenshot(page, 'counter-signin-1366x768');
    expect(await axeScan(page)).toEqual([]);

    // A wrong PIN is said plainly, in Chinese.
    await page.getByLabel('工号').fill('8001');
    await page.getByLabel('PIN').fill('000000');
    await page.getByRole('button', { name: '签到' }).click();
    await page.getByRole('alert').getByText('工号或 PIN 不正确').waitFor();
    await page.getByLabel('PIN').fill('123456');
    await page.getByRole('button', { name: '签到' }).click();
    await page.getByRole('heading', { name: /1号窗口/ }).waitFor();
    await page.getByText('工号 8001 · 陈建国').waitFor();

    const t = await call(ui.hub.url, 'POST', '/tickets', ui.hub.tokens.kiosk, {
      serviceCode: 'SBYB',
      channel: 'kiosk',
      applicant: APPLICANT,
    });
    expect(t.status).toBe(201);
    // The queue length of the window's services is live.
    await page.getByRole('region', { name: '本窗口业务等候' }).getByText('1 人等候').waitFor();

    await page.getByRole('button', { name: /叫号/ }).getByText('F1').waitFor();
    await page.keyboard.press('F1');
    const current = page.getByTestId('current-ticket');
    await current.getByText(t.body.number).waitFor();
    // Full details for the serving staff (the hub masks them for everyone else).
    await current.getByText('张三丰（11010519491231002X）').waitFor();
    await current.getByText('老年人优先').waitFor();
    await current.getByText('已呼叫，等待到场').waitFor();

    await page.keyboard.press('F8');
    await current.getByText('办理中').waitFor();
    await screenshot(page, 'counter-serving-1366x768');
    expect(await axeScan(page)).toEqual([]);

    await page.keyboard.press('F9');
    const dialog = page.getByRole('dialog', { name: `办结 ${t.body.number}` });
    await dialog.waitFor();
    await dialog.getByLabel('办理事项').selectOption('11330106MB1234567X4000112002000');
    // The 事项 are named from the hall's local catalogue, never bare codes, before any platform.
    const taskOptions = await dialog.getByLabel('办理事项').locator('option').allTextContents();
    expect(taskOptions).toContain('城乡居民基本医疗保险参保登记（11330106MB1234567X4000112002000）');
    await dialog.getByLabel('办结结果').selectOption('approved');
    await dialog.getByLabel('承诺件').check();
    await dialog.getByLabel(/帮代办/).check();
    await dialog.getByLabel('代办人姓名').fill('张小明');
    await dialog.getByLabel(/其他材料/).fill('身份证复印件\n社保卡');
    await screenshot(page, 'counter-finish-form-1366x768');
    await dialog.getByRole('button', { name: '确认办结' }).click();
    await page.getByTestId('rating-status').getByText('等待评价').waitFor();
    // The citizen may rate on their phone instead: the case's 扫码评价 page as a QR, at the hall's public address.
    const qr = await decodeQr(page.getByTestId('rating-qr').locator('img'));
    expect(qr).toMatch(/^http:\/\/127\.0\.0\.1:8800\/r\/[0-9A-HJKMNP-TV-Z]{24}$/);
    expect(await axeScan(page)).toEqual([]);
    await screenshot(page, 'counter-rating-qr-1366x768');
    // The case's documents: the 受理回执 downloads as the hub's PDF (printing is the same file).
    const docs = page.getByTestId('case-documents');
    await docs.getByText('一次性告知书').waitFor();
    await screenshot(page, 'counter-finished-documents-1366x768');
    expect(await axeScan(page)).toEqual([]);
    const [receipt] = await Promise.all([page.waitForEvent('download'), docs.getByTestId('download-receipt').click()]);
    const receiptText = execFileSync('pdftotext', [await receipt.path(), '-'], { encoding: 'utf8' });
    expect(receiptText).toContain('受理回执');
    expect(receiptText).toContain('城乡居民基本医疗保险参保登记');
    expect(receipt.suggestedFilename()).toMatch(/^受理回执-C[0-9A-F]{20}\.pdf$/);
    await docs.getByText('已下载受理回执').waitFor();

    // The case is recorded as filled in, and the pad's rating shows up on the counter.
    const windows = await call(ui.hub.url, 'GET', '/windows/1', ui.hub.tokens.admin);
    expect(windows.body.state).toBe('idle');
    const pad = await ui.hub.token('evaluator', 1, 'pad-1');
    const ev = await fetchLatestCase(ui.hub.url, ui.hub.tokens.admin);
    expect(ev).toMatchObject({
      taskCode: '11330106MB1234567X4000112002000',
      result: 'approved',
      caseType: '2',
      windowNo: 1,
    });
    const r = await call(ui.hub.url, 'POST', '/evaluations', pad, {
      caseId: ev.id,
      level: 'satisfied',
      channel: 'pad',
    });
    expect(r.status).toBe(201);
    await page.getByTestId('rating-status').getByText('群众已评价：满意').waitFor();

    // Pause needs a reason; resume.
    await page.keyboard.press('F6');
    await page.getByRole('dialog', { name: '暂停服务' }).getByLabel('会议').check();
    await page.getByRole('button', { name: '暂停', exact: true }).click();
    await page.getByText('窗口已暂停：会议').first().waitFor();
    await page.locator('button.c-action:not([disabled])', { hasText: '恢复' }).waitFor();
    await page.keyboard.press('F7');
    await page.getByText('当前没有号码').waitFor();
    // The wrong PIN's 401 and a hub without the platform catalogue (404) are expected answers.
    expect(page.errors.filter((e) => !e.startsWith('Failed to load resource'))).toEqual([]);
    await page.context().close();
  });

  it('calls a chosen ticket from the queue at 1920×1080 and keeps the session over a reload', async () => {
    const page = await openRole(ui.browser, ui.hub, 'counter', {
      token: await ui.hub.token('counter', 3, 'win-3'),
      viewport: { width: 1920, height: 1080 },
      query: { window: '3' },
    });
    await page.getByLabel('工号').fill('8003');
    await page.getByLabel('PIN').fill('123456');
    await page.getByRole('button', { name: '签到' }).click();
    await page.getByRole('heading', { name: /3号窗口/ }).waitFor();
    const issued: string[] = [];
    for (let i = 0; i < 2; i++) {
      const t = await call(ui.hub.url, 'POST', '/tickets', ui.hub.tokens.kiosk, {
        serviceCode: 'SBYB',
        channel: 'kiosk',
        applicant: APPLICANT,
      });
      issued.push(t.body.number);
    }
    // Call the second one by number from the queue (masked names: nobody is served yet).
    await page.getByRole('button', { name: '查看队列 / 选号呼叫' }).click();
    const queue = page.getByRole('dialog', { name: '等候队列' });
    await queue.getByText('张*丰').first().waitFor();
    await screenshot(page, 'counter-queue-1920x1080');
    await queue.getByRole('button', { name: `呼叫 ${issued[1]}` }).click();
    await page.getByTestId('current-ticket').getByText(issued[1]!).waitFor();
    await screenshot(page, 'counter-1920x1080');
    // Reload keeps the session (token in localStorage, never personal data).
    await page.reload();
    await page.getByTestId('current-ticket').waitFor();
    const stored = (await page.evaluate('JSON.stringify(localStorage)')) as string;
    expect(stored).not.toContain('张三丰');
    expect(stored).not.toContain('11010519491231002X');
    await page.getByRole('button', { name: '签退' }).click();
    await page.getByRole('heading', { name: '窗口签到' }).waitFor();
    await page.context().close();
  });
});

/** The newest finished case, found through the audit trail (`case.finish`). */
async function fetchLatestCase(url: string, admin: string): Promise<any> {
  const stats = await call(url, 'GET', '/admin/audit?prefix=case.&limit=1', admin);
  const caseId = stats.body[0]?.subject as string;
  const c = await call(url, 'GET', `/cases/${caseId}`, admin);
  return c.body;
}
