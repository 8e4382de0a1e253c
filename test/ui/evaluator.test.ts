import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { waitFor } from '../../drivers/testing/wait-for.js';
import { defaultReasons, padPlugin } from '../../main/server/pad-plugin.js';
import { call } from '../support/hub-client.js';
import { decodeQr } from './qr.js';
import { closeClean, uiSuite } from './suite.js';
import {
  axeScan,
  openRole,
  screenshot,
  screenshotBoth,
  startUiHub,
  type UiHub,
  VIEWPORTS,
  type Viewport,
} from './support.js';

const ui = uiSuite();
let staff: string;
beforeAll(async () => {
  staff = await ui.hub.staffSession(1, '8001');
});

/** Serves one ticket at window 1 and finishes it: the hub then asks the window's pad for a rating. */
async function finishCase(): Promise<string> {
  await call(ui.hub.url, 'POST', '/tickets', ui.hub.tokens.kiosk, { serviceCode: 'ZHZX', channel: 'kiosk' });
  const called = await call(ui.hub.url, 'POST', '/windows/1/call-next', staff);
  expect(called.status).toBe(200);
  const fin = await call(ui.hub.url, 'POST', '/windows/1/finish', staff, {
    case: { taskCode: '11330106MB1234567X4000112001000', taskName: '社保参保登记', result: '1' },
  });
  expect(fin.status).toBe(200);
  return fin.body.caseId as string;
}

/**
 * The rating screen's own timeout: long enough that a test on a loaded machine always finishes its
 * clicks before it; a test that wants it to pass moves the page clock on instead of waiting.
 */
const RATE_TIMEOUT_S = 60;

async function openPad(viewport: Viewport = VIEWPORTS.evaluatorPortrait, query: Record<string, string> = {}) {
  const page = await openRole(ui.browser, ui.hub, 'evaluator', {
    token: await ui.hub.token('evaluator', 1, 'pad-1'),
    viewport,
    query: { window: '1', rateTimeout: String(RATE_TIMEOUT_S), ...query },
    clock: true,
  });
  await page.getByText('工号 8001').waitFor();
  await page.locator('.conn.open').waitFor();
  return page;
}

describe('evaluator', () => {
  it('idle shows the window and its staff; axe clean; screenshots portrait and landscape', async () => {
    const page = await openPad();
    await page.getByText('1 号窗口').waitFor();
    expect(await axeScan(page)).toEqual([]);
    await screenshotBoth(page, 'evaluator-idle', ['portrait', 'landscape'], VIEWPORTS.evaluatorLandscape);
    await closeClean(page);
  });

  it('rates 不满意 with a reason: nothing preselected, submit waits for a reason, the hub records it', async () => {
    const page = await openPad();
    const caseId = await finishCase();
    await page.getByText('请对本次服务进行评价').waitFor();
    const levels = page.locator('.rating-level');
    expect(await levels.count()).toBe(5);
    expect(await levels.evaluateAll((els: any[]) => els.map((e) => e.getAttribute('aria-pressed')))).toEqual([
      'false',
      'false',
      'false',
      'false',
      'false',
    ]);
    expect(await page.getByRole('button', { name: '请先选择满意程度' }).isDisabled()).toBe(true);
    // For a citizen who would rather rate on their phone: the case's 扫码评价 page as a QR.
    const qr = await decodeQr(page.getByTestId('pad-rating-qr').locator('img'));
    expect(qr).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/r\/[0-9A-HJKMNP-TV-Z]{24}$/);
    expect(await axeScan(page)).toEqual([]);
    await screenshot(page, 'evaluator-rate-portrait');
    await page.getByRole('button', { name: /^不满意/ }).click();
    await page.locator('.rating-reasons').waitFor();
    expect(await page.getByRole('button', { name: '请选择原因后提交' }).isDisabled()).toBe(true);
    await page.getByRole('button', { name: /等候时间太长/ }).click();
    await screenshotBoth(page, 'evaluator-reasons', ['portrait', 'landscape'], VIEWPORTS.evaluatorLandscape);
    await page.getByRole('button', { name: '提交评价' }).click();
    await page.getByText('感谢您的评价！').waitFor();
    await screenshot(page, 'evaluator-thanks-landscape');
    const c = await call(ui.hub.url, 'GET', `/cases/${caseId}`, ui.hub.tokens.admin);
    expect(c.body.evaluations).toHaveLength(1);
    expect(c.body.evaluations[0]).toMatchObject({ level: 'dissatisfied', reasons: ['L01'], channel: 'pad' });
    await closeClean(page);
  });

  it('a request left unanswered returns to idle and is kept as not evaluated; the staff name shows', async () => {
    const page = await openPad(VIEWPORTS.evaluatorLandscape);
    const caseId = await finishCase();
    await page.getByText('请对本次服务进行评价').waitFor();
    await screenshot(page, 'evaluator-rate-landscape');
    await page.clock.runFor(RATE_TIMEOUT_S * 1000);
    await page.locator('[data-phase="idle"]').waitFor();
    const notEvaluated = (await page.evaluate('window.govhallNotEvaluated')) as { caseId: string; reason: string }[];
    expect(notEvaluated).toEqual([expect.objectContaining({ caseId, reason: 'timeout' })]);
    await page.getByText('陈建国').waitFor();
    const c = await call(ui.hub.url, 'GET', `/cases/${caseId}`, ui.hub.tokens.admin);
    expect(c.body.evaluations).toEqual([]);
    await page.context().close();
  });
});

describe('evaluator with the hub pad endpoint', () => {
  let padHub: UiHub;
  let padStaff: string;
  beforeAll(async () => {
    padHub = await startUiHub({ plugins: [padPlugin()] });
    padStaff = await padHub.staffSession(2, '8002');
  });
  afterAll(async () => {
    await padHub?.close();
  });

  async function finishAt2(): Promise<string> {
    await call(padHub.url, 'POST', '/tickets', padHub.tokens.kiosk, { serviceCode: 'ZHZX', channel: 'kiosk' });
    expect((await call(padHub.url, 'POST', '/windows/2/call-next', padStaff)).status).toBe(200);
    const fin = await call(padHub.url, 'POST', '/windows/2/finish', padStaff, {
      case: { taskCode: '11330106MB1234567X4000112001000', result: '1' },
    });
    return fin.body.caseId as string;
  }

  it('learns the staff name and the hub reason codes, and tells the hub when a request goes unanswered', async () => {
    const events: any[] = [];
    const ws = new WebSocket(`${padHub.url.replace('http', 'ws')}/api/v1/events?token=${padHub.tokens.admin}`);
    ws.on('message', (d) => events.push(JSON.parse(d.toString())));
    await new Promise((r) => ws.once('open', r));
    const page = await openRole(ui.browser, padHub, 'evaluator', {
      token: await padHub.token('evaluator', 2, 'pad-2'),
      viewport: VIEWPORTS.evaluatorPortrait,
      query: { window: '2', rateTimeout: String(RATE_TIMEOUT_S) },
      clock: true,
    });
    // The name comes with the pad welcome, before any request.
    await page.getByText('李秀英').waitFor();
    const rated = await finishAt2();
    await page.getByText('请对本次服务进行评价').waitFor();
    await page.getByRole('button', { name: /^非常不满意/ }).click();
    const first = page.locator('.rating-reason').first();
    const text = (await first.textContent())?.replace(/^[☐☑]\s*/, '') ?? '';
    const codes = defaultReasons()
      .filter((r) => r.text === text)
      .map((r) => r.code);
    expect(codes).toHaveLength(1);
    await first.click();
    await page.getByRole('button', { name: '提交评价' }).click();
    await page.getByText('感谢您的评价！').waitFor();
    const c = await call(padHub.url, 'GET', `/cases/${rated}`, padHub.tokens.admin);
    expect(c.body.evaluations[0]).toMatchObject({ level: 'very_dissatisfied', reasons: codes });

    const skipped = await finishAt2();
    await page.getByText('请对本次服务进行评价').waitFor();
    await page.clock.runFor(RATE_TIMEOUT_S * 1000);
    await page.locator('[data-phase="idle"]').waitFor();
    const mine = (await page.evaluate('window.govhallNotEvaluated')) as any[];
    expect(mine).toEqual([expect.objectContaining({ caseId: skipped, reason: 'timeout', reportedToHub: true })]);
    await waitFor('evaluation.expired', () => events.some((e) => e.type === 'evaluation.expired'));
    expect(events.filter((e) => e.type === 'evaluation.expired').map((e) => e.caseId)).toEqual([skipped]);
    ws.close();
    await closeClean(page);
  });
});
