/**
 * The admin console in Chromium: the dashboard shows today's counts, charts and a 差评 with its
 * reason, live; a configuration change is checked, applied without restart, written back and
 * audited; the CSV export downloads as UTF-8 with BOM; devices and sync degrade gracefully; axe and
 * screenshots at 1920×1080.
 */
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_HALL_PATH } from '../../kiosk-config/demo-hall.js';
import { loadHallConfigFile } from '../../kiosk-config/load.js';
import { type LocalDevices, startLocalDevices } from '../../main/hall/local-devices.js';
import { adminPlugins } from '../../main/server/admin-plugins.js';
import { call, tempDir } from '../support/hub-client.js';
import { axeScan, launchBrowser, openRole, screenshot, startUiHub, type UiHub, type UiPage } from './support.js';

const ADMIN_VIEWPORT = { width: 1920, height: 1080 };
const APPLICANT = { name: '王五', certType: 'resident', certNo: '11010519491231002X' };

let hub: UiHub;
let browser: Browser;
let page: UiPage;
let cfgPath: string;
let devices: LocalDevices;

beforeAll(async () => {
  const dir = tempDir('govhall-ui-admin-');
  cfgPath = join(dir, 'hall.yaml');
  copyFileSync(DEMO_HALL_PATH, cfgPath);
  const loaded = loadHallConfigFile(cfgPath);
  if (!loaded.ok) throw new Error('demo hall broken');
  const dataDir = join(dir, 'data');
  // The demo hall's devices on their simulators, as `govhall start` runs them (for the test print).
  devices = await startLocalDevices({ config: loaded.config, mode: 'simulated' });
  hub = await startUiHub({
    config: loaded.config,
    dataDir,
    plugins: [...adminPlugins({ dataDir, configPath: cfgPath }), ...devices.plugins],
  });
  browser = await launchBrowser();

  // A morning at window 3: three tickets, one finished and rated 不满意 with a reason, one being served.
  const staff = await hub.staffSession(3, '8003');
  for (let i = 0; i < 3; i++) {
    const t = await call(hub.url, 'POST', '/tickets', hub.tokens.kiosk, {
      serviceCode: 'SBYB',
      channel: 'kiosk',
      applicant: APPLICANT,
    });
    expect(t.status).toBe(201);
  }
  await call(hub.url, 'POST', '/windows/3/call-next', staff);
  await call(hub.url, 'POST', '/windows/3/start', staff);
  const fin = await call(hub.url, 'POST', '/windows/3/finish', staff, {
    case: { taskCode: '11330106MB1234567X4000112001000', result: 'approved' },
  });
  expect(fin.status).toBe(200);
  const pad = await hub.token('evaluator', 3, 'pad-3');
  const ev = await call(hub.url, 'POST', '/evaluations', pad, {
    caseId: fin.body.caseId,
    level: 'dissatisfied',
    // A pad code the hub knows, a kiosk built-in code, and one nobody knows (shown as is).
    reasons: ['R103', 'L05', 'X99'],
    text: '只开了一个窗口',
    channel: 'pad',
  });
  expect(ev.status).toBe(201);
  await call(hub.url, 'POST', '/windows/3/call-next', staff);

  page = await openRole(browser, hub, 'admin', { token: hub.tokens.admin, viewport: ADMIN_VIEWPORT });
});
afterAll(async () => {
  await browser?.close();
  await hub?.close();
  await devices?.stop();
});

describe('admin', () => {
  it('shows today’s counts, charts and the 差评 with its reason, live', async () => {
    await page.getByTestId('kpi-issued').getByText('3').waitFor({ timeout: 30_000 });
    await page.getByTestId('kpi-served').getByText('1').waitFor();
    await page.getByTestId('kpi-waiting').getByText('1').waitFor();
    await page.getByTestId('kpi-rate').getByText('0.0%').waitFor();
    const bad = page.getByTestId('bad-list');
    await bad.getByText('等候时间过长、要求提供不必要的材料、X99；只开了一个窗口').waitFor();
    await bad.getByText('不满意').waitFor();
    // Charts are SVG with titles, so they are named for assistive technology.
    for (const name of ['各业务当前等候人数', '今日各时段取号数', '今日评价等级分布']) {
      await page.getByRole('img', { name: new RegExp(name) }).waitFor();
    }
    expect(await axeScan(page)).toEqual([]);
    await screenshot(page, 'admin-dashboard-1920x1080');

    // Live: a ticket taken now shows up without reloading.
    await call(hub.url, 'POST', '/tickets', hub.tokens.kiosk, { serviceCode: 'ZHZX', channel: 'kiosk' });
    await page.getByTestId('kpi-issued').getByText('4').waitFor();
    await page.getByTestId('kpi-waiting').getByText('2').waitFor();
  });

  it('checks, previews and applies an announcement change live, written back and audited', async () => {
    await page.getByRole('button', { name: '配置' }).click();
    await page.getByRole('button', { name: '播报与公告' }).click();
    const template = page.getByLabel('播报模板');
    await template.fill('请{number}号到{windowName}');
    await page.getByTestId('announcement-preview').getByText('请A001号到综合窗口一').waitFor();

    // A template without the number is refused with the field named.
    await template.fill('请到窗口');
    await page.getByRole('button', { name: '保存并生效' }).click();
    await page.getByRole('alert').getByText('播报模板必须包含 {number}').waitFor();

    await template.fill('请{number}号到{window}号窗口（{service}）');
    await page.getByRole('button', { name: '检查' }).click();
    await page.getByText('检查通过，可以保存').waitFor();
    await page.getByRole('button', { name: '保存并生效' }).click();
    await page.getByText(/已保存并生效（播报、公告），已写入配置文件/).waitFor();
    await page.getByTestId('config-audit').getByText('✔ 已生效').first().waitFor();
    await page.getByTestId('config-audit').getByText('✖ 被拒绝（CONFIG_INVALID）').waitFor();
    await screenshot(page, 'admin-config-1920x1080');
    expect(await axeScan(page)).toEqual([]);

    // Applied to the running hall: the next call is announced with the new words.
    expect(hub.app.engine.config.announcement.template).toBe('请{number}号到{window}号窗口（{service}）');
    const staff = await hub.staffSession(1, '8001');
    const c = await call(hub.url, 'POST', '/windows/1/call-next', staff);
    expect(c.status).toBe(200);
    const v = hub.app.engine.getTicket(c.body.id)!;
    expect(hub.app.engine.announcementFor(v.ticket, 1)).toMatch(/号到1号窗口（/);
    const reloaded = loadHallConfigFile(cfgPath);
    expect(reloaded.ok && reloaded.config.announcement.template).toBe('请{number}号到{window}号窗口（{service}）');

    // The staff editor: no PIN hash anywhere on the page.
    await page.getByRole('button', { name: '工作人员' }).click();
    await page.getByRole('columnheader', { name: '新 PIN（留空不改）' }).waitFor();
    expect(await page.content()).not.toContain('scrypt$');
    await screenshot(page, 'admin-config-staff-1920x1080');
  });

  it('edits services, windows and priorities in their tables and applies them live', async () => {
    await page.getByRole('button', { name: '配置' }).click();
    // 业务: rename one, and an empty number field is refused by the hub with its path named.
    await page.getByRole('button', { name: '业务', exact: true }).click();
    const names = page.getByLabel('业务名称');
    await names.nth(5).fill('综合咨询台');
    const cap = page.getByLabel('每日上限（0 为不限）').first();
    await cap.fill('');
    await page.getByRole('button', { name: '检查' }).click();
    await page
      .getByRole('alert')
      .getByText(/services\[0\]\.dailyCap/)
      .waitFor();
    await cap.fill('0');
    await page.getByRole('button', { name: '保存并生效' }).click();
    await page.getByText(/已保存并生效（业务）/).waitFor();
    await screenshot(page, 'admin-config-services-1920x1080');
    expect(hub.app.engine.config.services[5]?.name).toBe('综合咨询台');

    // 窗口: rename window 8 and drop one of its services.
    await page.getByRole('button', { name: '窗口', exact: true }).click();
    await page.getByLabel('窗口名称').nth(7).fill('绿色通道（老年人）');
    await page.getByRole('button', { name: '保存并生效' }).click();
    await page.getByText(/已保存并生效（窗口）/).waitFor();
    await screenshot(page, 'admin-config-windows-1920x1080');
    expect(hub.app.engine.config.windows.find((w) => w.no === 8)?.name).toBe('绿色通道（老年人）');

    // 优先规则: the interleave ratio, labelled by its visible caption.
    await page.getByRole('button', { name: '优先规则' }).click();
    await page.getByLabel(/穿插比例/).fill('3');
    await page.getByRole('button', { name: '保存并生效' }).click();
    await page.getByText(/已保存并生效（优先规则）/).waitFor();
    expect(hub.app.engine.config.priority.normalPerPriority).toBe(3);
    await screenshot(page, 'admin-config-priority-1920x1080');
    expect(await axeScan(page)).toEqual([]);
  });

  it('exports the day as CSV (UTF-8 with BOM) and shows the month', async () => {
    await page.getByRole('button', { name: '统计报表' }).click();
    await page.getByRole('img', { name: /各时段取号/ }).waitFor();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: '导出 CSV（Excel）' }).click(),
    ]);
    const path = await download.path();
    const bytes = readFileSync(path);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.subarray(3).toString('utf8');
    expect(text).toContain('业务,社保医保,3,1,0');
    expect(text).toContain('不满意,1');
    expect(download.suggestedFilename()).toMatch(/^govhall-stats-\d{4}-\d{2}-\d{2}\.csv$/);
    await screenshot(page, 'admin-stats-day-1920x1080');

    await page.getByLabel('月报').check();
    await page.getByRole('img', { name: /每日办结/ }).waitFor();
    await screenshot(page, 'admin-stats-month-1920x1080');
  });

  it('creates a display token with its address, which opens the display, and revokes it', async () => {
    await page.getByRole('button', { name: '设备令牌' }).click();
    await page.getByLabel('终端角色').selectOption('display');
    await page.getByLabel(/名称/).fill('二楼显示屏');
    await page.getByRole('button', { name: '新建令牌' }).click();
    const url = (await page.getByTestId('created-url').textContent())!;
    expect(url).toMatch(new RegExp(`^${hub.url}/display/\\?token=ght_`));
    const token = new URL(url).searchParams.get('token')!;
    expect((await call(hub.url, 'GET', '/hall', token)).status).toBe(200);
    expect(await axeScan(page)).toEqual([]);
    await screenshot(page, 'admin-tokens-1920x1080');

    page.once('dialog', (d) => void d.accept());
    await page
      .getByTestId('token-table')
      .getByRole('row', { name: /二楼显示屏/ })
      .getByRole('button', { name: '吊销' })
      .click();
    await page.getByTestId('token-table').getByText('二楼显示屏').waitFor({ state: 'detached' });
    expect((await call(hub.url, 'GET', '/hall', token)).status).toBe(401);
  });

  it('lists every terminal’s devices with live health, and says plainly when the sync is not there', async () => {
    await page.getByRole('button', { name: '设备', exact: true }).click();
    const row = page.getByRole('row', { name: /kiosk-1-printer/ });
    await row.getByText('票据打印机').waitFor();
    // A terminal reports its printer out of paper: the admin sees it without reloading, in words.
    const r = await call(hub.url, 'POST', '/devices/status', hub.tokens.admin, {
      deviceId: 'kiosk-1-printer',
      state: 'error',
      detail: '打印机缺纸',
    });
    expect(r.status).toBe(204);
    await row.getByText('故障').waitFor();
    await row.getByText('打印机缺纸').waitFor();
    expect(await axeScan(page)).toEqual([]);
    await screenshot(page, 'admin-devices-1920x1080');
    await page.getByRole('button', { name: '平台同步' }).click();
    await page.getByRole('heading', { name: '省级平台同步' }).waitFor();
    await screenshot(page, 'admin-sync-1920x1080');
    const unexpected = page.errors.filter((e) => !e.startsWith('Failed to load resource'));
    expect(unexpected).toEqual([]);
  });

  it('runs a test print on the simulated printer and shows the result in the row', async () => {
    await page.getByRole('button', { name: '设备', exact: true }).click();
    const row = page.getByRole('row', { name: /kiosk-1-printer/ });
    await row.getByRole('button', { name: '测试打印' }).click();
    await row.getByText('测试页已打印').waitFor();
  });
});
