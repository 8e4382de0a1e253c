/**
 * 差评整改 in Chromium: the dashboard shows the hall's alarms (an overdue item, a long wait), the
 * 差评整改 tab asks the manager to sign in, lists the items by due date with the overdue one in
 * red, and the manager takes an item to `closed` step by step with the call-back recorded; the
 * counter of a window that serves the waiting service shows the long-wait notice. The hub runs on
 * an injected clock moved by hand (no waiting for real time). Screenshots in test-artifacts/.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { startOfDay } from '../../common/hall-time.js';
import { adminPlugins } from '../../main/server/admin-plugins.js';
import { ManualClock } from '../../main/time/clock.js';
import { call, demoConfig, tempDir } from '../support/hub-client.js';
import { closeClean, uiSuite } from './suite.js';
import { axeScan, openRole, ROOT, startUiHub, type UiPage, VIEWPORTS } from './support.js';

const TZ = 'Asia/Shanghai';
const ADMIN_VIEWPORT = { width: 1920, height: 1080 };
const ARTIFACTS = join(ROOT, 'test-artifacts');
const clock = new ManualClock(startOfDay('2026-11-02', TZ) + 10 * 3600_000);
const config = demoConfig();
const window2Staff = config.staff.find((s) => s.windows.includes(2) && s.no !== '8001')!.no;

const ui = uiSuite(() => {
  const dataDir = tempDir('govhall-ui-rect-');
  return startUiHub({ config, clock, dataDir, plugins: adminPlugins({ dataDir, persist: false }) });
});
let overdueCase: string;
let freshCase: string;

async function shot(page: Page, name: string) {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), animations: 'disabled', timeout: 60_000 });
}

/** A case finished at window 1 and rated 差评 on its pad. */
async function badRating(text: string, reasons: string[]): Promise<string> {
  const hub = ui.hub;
  const staff = await hub.staffSession(1, '8001');
  expect(
    (await call(hub.url, 'POST', '/tickets', hub.tokens.kiosk, { serviceCode: 'ZHZX', channel: 'kiosk' })).status,
  ).toBe(201);
  expect((await call(hub.url, 'POST', '/windows/1/call-next', staff)).status).toBe(200);
  const f = await call(hub.url, 'POST', '/windows/1/finish', staff, {
    case: { taskCode: '11330106MB1234567X4000112001000', result: 'approved' },
  });
  expect(f.status).toBe(200);
  const pad = await hub.token('evaluator', 1, `pad-${text.length}`);
  const r = await call(hub.url, 'POST', '/evaluations', pad, {
    caseId: f.body.caseId,
    level: 'dissatisfied',
    reasons,
    text,
    channel: 'pad',
  });
  expect(r.status).toBe(201);
  return f.body.caseId as string;
}

beforeAll(async () => {
  overdueCase = await badRating('窗口人员态度生硬', ['R101']);
  // Three weeks later (past the first item's 15 working days) a second 差评, and a citizen waiting.
  clock.set(startOfDay('2026-11-24', TZ) + 9 * 3600_000);
  freshCase = await badRating('材料要求前后说法不一', ['R102']);
  expect(
    (await call(ui.hub.url, 'POST', '/tickets', ui.hub.tokens.kiosk, { serviceCode: 'ZHZX', channel: 'kiosk' })).status,
  ).toBe(201);
  clock.advance(41 * 60_000);
  ui.hub.app.alarms.tick();
}, 120_000);

describe('差评整改 in the admin console', () => {
  let page: UiPage;

  it('shows the overdue item and the long wait on the dashboard', async () => {
    page = await openRole(ui.browser, ui.hub, 'admin', { token: ui.hub.tokens.admin, viewport: ADMIN_VIEWPORT });
    const alarms = page.getByTestId('hall-alarms');
    await alarms.getByTestId('alarm-overdue').getByText('差评整改逾期 1 件').waitFor({ timeout: 30_000 });
    await alarms
      .getByTestId('alarm-wait-ZHZX')
      .getByText(/综合咨询」最长已等候 41 分钟/)
      .waitFor();
    await shot(page, 'admin-dashboard-alarms-1920x1080');
  });

  it('asks for the manager’s sign-in, then lists the items by due date with the overdue one in red', async () => {
    await page.getByRole('button', { name: '差评整改' }).click();
    await page.getByRole('heading', { name: '差评整改需要管理人员登录' }).waitFor();
    expect(await axeScan(page)).toEqual([]);
    await page.getByTestId('rect-staff').fill('8001');
    await page.getByTestId('rect-pin').fill('123456');
    await page.getByRole('button', { name: '登录' }).click();
    const list = page.getByTestId('rect-list');
    await list.getByTestId(`rect-row-${overdueCase}`).waitFor({ timeout: 30_000 });
    const rows = await list
      .locator('tbody tr')
      .evaluateAll((trs) =>
        trs.map((tr) => ({ text: tr.textContent ?? '', overdue: tr.classList.contains('a-overdue') })),
      );
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ overdue: true });
    expect(rows[0]!.text).toContain('2026-11-23');
    expect(rows[0]!.text).toContain('窗口人员态度生硬');
    expect(rows[1]).toMatchObject({ overdue: false });
    expect(rows[1]!.text).toContain(freshCase);
    const color = await list
      .getByTestId(`rect-row-${overdueCase}`)
      .locator('td')
      .first()
      .evaluate((td) => td.ownerDocument.defaultView?.getComputedStyle(td).color ?? '');
    expect(color).not.toBe('rgb(0, 0, 0)');
    await page.getByTestId(`rect-row-${overdueCase}`).click();
    await page.getByTestId('rect-detail').getByText('（已逾期）').waitFor();
    expect(await axeScan(page)).toEqual([]);
    await shot(page, 'admin-rectification-list-1920x1080');
  });

  it('takes the item to closed with the call-back recorded', async () => {
    const detail = page.getByTestId('rect-detail');
    const step = async (testId: string, note: string) => {
      await detail.getByTestId('rect-note').fill(note);
      await detail.getByTestId(testId).click();
      await detail
        .getByTestId('rect-note')
        .and(page.locator(':not([value])'))
        .waitFor()
        .catch(() => undefined);
    };
    await step('rect-step-verifying', '调取窗口录像核实');
    await detail.getByText('核实中').first().waitFor();
    await step('rect-step-rectifying', '情况属实，已约谈窗口人员');
    await detail.getByText('整改中').first().waitFor();
    await step('rect-step-revisit', '已组织窗口培训，材料清单统一');
    await detail.getByText('待回访').first().waitFor();
    await detail.getByTestId('rect-note').fill('电话回访，办事人表示认可');
    await detail.getByTestId('rect-level').selectOption('satisfied');
    await shot(page, 'admin-rectification-revisit-1920x1080');
    await detail.getByTestId('rect-step-closed').click();
    await detail.getByText('本条整改已结束。').waitFor();
    const history = await detail.getByTestId('rect-history').locator('li').allTextContents();
    expect(history.map((h) => h.replace(/^\S+ \S+ /, ''))).toEqual([
      expect.stringContaining('待核实 系统：收到差评'),
      expect.stringContaining('核实中 工号 8001：调取窗口录像核实'),
      expect.stringContaining('整改中 工号 8001：情况属实'),
      expect.stringContaining('待回访 工号 8001：已组织窗口培训'),
      expect.stringContaining('已办结 工号 8001：电话回访'),
    ]);
    await detail.getByText('已联系，满意').waitFor();
    // The closed item leaves the default (open items) list; the figures count it.
    await page.getByTestId(`rect-row-${overdueCase}`).waitFor({ state: 'detached' });
    await page.getByTestId('kpi-rectified').getByText('50.0%').waitFor();
    await page.getByTestId('rect-status').selectOption('');
    await page.getByTestId(`rect-row-${overdueCase}`).click();
    expect(await axeScan(page)).toEqual([]);
    await shot(page, 'admin-rectification-closed-1920x1080');
    await closeClean(page);
  });

  it('shows the long wait on the counter of a window that serves it', async () => {
    const counter = await openRole(ui.browser, ui.hub, 'counter', {
      token: await ui.hub.token('counter', 2, 'win-2'),
      viewport: VIEWPORTS.counter,
      query: { window: '2' },
    });
    await counter.getByLabel('工号').fill(window2Staff);
    await counter.getByLabel('PIN').fill('123456');
    await counter.getByRole('button', { name: '签到' }).click();
    await counter
      .getByTestId('wait-alarm')
      .getByText(/建议增开窗口/)
      .waitFor({ timeout: 30_000 });
    await shot(counter, 'counter-wait-alarm-1366x768');
    await closeClean(counter);
  });
});
