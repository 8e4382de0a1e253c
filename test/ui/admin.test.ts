/**
 * The admin console in Chromium: the dashboard shows today's counts, charts and a 差评 with its
 * reason, live; a configuration change is checked, applied without restart, written back and
 * audited; the CSV export downloads as UTF-8 with BOM; devices and sync degrade gracefully; axe and
 * screenshots at 1920×1080.
 */
import { copyFileSync, readFileSync } from 'node:fs';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO_HALL_PATH } from '../../kiosk-config/demo-hall.js';
import { loadHallConfigFile } from '../../kiosk-config/load.js';
import { startLocalDevices } from '../../main/hall/local-devices.js';
import { adminPlugins } from '../../main/server/admin-plugins.js';
import { call, tempDir } from '../support/hub-client.js';
import { uiSuite } from './suite.js';
import { axeScan, openRole, screenshot, startUiHub, type UiPage } from './support.js';

const ADMIN_VIEWPORT = { width: 1920, height: 1080 };
const APPLICANT = { name: '王五', certType: 'resident', certNo: '11010519491231002X' };

let page: UiPage;
let cfgPath: string;

const ui = uiSuite(async () => {
  const dir = tempDir('govhall-ui-admin-');
  cfgPath = join(dir, 'hall.yaml');
  copyFileSync(DEMO_HALL_PATH, cfgPath);
  const loaded = loadHallConfigFile(cfgPath);
  if (!loaded.ok) throw new Error('demo hall broken');
  const dataDir = join(dir, 'data');
  // The demo hall's devices on their simulators, as `govhall start` runs them (for the test print).
  const devices = await startLocalDevices({ config: loaded.config, mode: 'simulated' });
  const hub = await startUiHub({
    config: loaded.config,
    dataDir,
    plugins: [...adminPlugins({ dataDir, configPath: cfgPath }), ...devices.plugins],
    // Three failures block an address here, so the alarm test needs no long run of wrong PINs.
    signInLimits: { slowAfter: 100, blockAfter: 3 },
  });
  return {
    ...hub,
    close: async () => {
      await hub.close();
      await devices.stop();
    },
  };
});

beforeAll(async () => {
  const hub = ui.hub;
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

  page = await openRole(ui.browser, hub, 'admin', { token: hub.tokens.admin, viewport: ADMIN_VIEWPORT });
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
    await call(ui.hub.url, 'POST', '/tickets', ui.hub.tokens.kiosk, { serviceCode: 'ZHZX', channel: 'kiosk' });
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
    expect(ui.hub.app.engine.config.announcement.template).toBe('请{number}号到{window}号窗口（{service}）');
    const staff = await ui.hub.staffSession(1, '8001');
    const c = await call(ui.hub.url, 'POST', '/windows/1/call-next', staff);
    expect(c.status).toBe(200);
    const v = ui.hub.app.engine.getTicket(c.body.id)!;
    expect(ui.hub.app.engine.announcementFor(v.ticket, 1)).toMatch(/号到1号窗口（/);
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
    expect(ui.hub.app.engine.config.services[5]?.name).toBe('综合咨询台');

    // 窗口: rename window 8 and drop one of its services.
    await page.getByRole('button', { name: '窗口', exact: true }).click();
    await page.getByLabel('窗口名称').nth(7).fill('绿色通道（老年人）');
    await page.getByRole('button', { name: '保存并生效' }).click();
    await page.getByText(/已保存并生效（窗口）/).waitFor();
    await screenshot(page, 'admin-config-windows-1920x1080');
    expect(ui.hub.app.engine.config.windows.find((w) => w.no === 8)?.name).toBe('绿色通道（老年人）');

    // 优先规则: the interleave ratio, labelled by its visible caption.
    await page.getByRole('button', { name: '优先规则' }).click();
    await page.getByLabel(/穿插比例/).fill('3');
    await page.getByRole('button', { name: '保存并生效' }).click();
    await page.getByText(/已保存并生效（优先规则）/).waitFor();
    expect(ui.hub.app.engine.config.priority.normalPerPriority).toBe(3);
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
    // The same day as the hub's PDF report (docs/documents.md).
    const [pdf] = await Promise.all([page.waitForEvent('download'), page.getByTestId('report-pdf').click()]);
    expect(
      readFileSync(await pdf.path())
        .subarray(0, 5)
        .toString('latin1'),
    ).toBe('%PDF-');
    expect(pdf.suggestedFilename()).toMatch(/日报-\d{4}-\d{2}-\d{2}\.pdf$/);
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
    expect(url).toMatch(new RegExp(`^${ui.hub.url}/display/\\?token=ght_`));
    const token = new URL(url).searchParams.get('token')!;
    expect((await call(ui.hub.url, 'GET', '/hall', token)).status).toBe(200);
    expect(await axeScan(page)).toEqual([]);
    await screenshot(page, 'admin-tokens-1920x1080');

    page.once('dialog', (d) => void d.accept());
    await page
      .getByTestId('token-table')
      .getByRole('row', { name: /二楼显示屏/ })
      .getByRole('button', { name: '吊销' })
      .click();
    await page.getByTestId('token-table').getByText('二楼显示屏').waitFor({ state: 'detached' });
    expect((await call(ui.hub.url, 'GET', '/hall', token)).status).toBe(401);
  });

  it('lists every terminal’s devices with live health, and says plainly when the sync is not there', async () => {
    await page.getByRole('button', { name: '设备', exact: true }).click();
    const row = page.getByRole('row', { name: /kiosk-1-printer/ });
    await row.getByText('票据打印机').waitFor();
    // Every device the hub knows has its row, with its terminal.
    const listed = (await call(ui.hub.url, 'GET', '/devices', ui.hub.tokens.admin)).body.devices as {
      deviceId: string;
      terminal: string | null;
    }[];
    expect(listed.length).toBeGreaterThan(3);
    for (const d of listed) {
      const r = page.getByRole('row', { name: new RegExp(d.deviceId) });
      await r.getByRole('cell', { name: d.deviceId, exact: true }).waitFor();
      if (d.terminal) await r.getByRole('cell', { name: d.terminal, exact: true }).waitFor();
    }
    // A terminal reports its printer out of paper: the admin sees it without reloading, in words.
    const r = await call(ui.hub.url, 'POST', '/devices/status', ui.hub.tokens.admin, {
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
    // This hub has no platform: the panel says so, and what happens to the records meanwhile.
    await page.getByText('未配置省级平台：办件和评价保存在本地发件箱，配置平台后自动补传。').waitFor();
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

  it('talks only to the hub that served it: `?hub=` is ignored and the CSP blocks every other host', async () => {
    const seen: string[] = [];
    const other = createServer((req, res) => {
      seen.push(`${req.method} ${req.url}`);
      res.writeHead(200, { 'access-control-allow-origin': '*' }).end('{}');
    });
    other.on('upgrade', (req, socket) => {
      seen.push(`upgrade ${req.url}`);
      socket.destroy();
    });
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.2', resolve));
    const elsewhere = `http://127.0.0.2:${(other.address() as AddressInfo).port}`;
    try {
      const headers = (await fetch(`${ui.hub.url}/admin/`)).headers;
      expect(headers.get('content-security-policy')).toContain("connect-src 'self';");
      const p = await openRole(ui.browser, ui.hub, 'admin', {
        token: ui.hub.tokens.admin,
        viewport: ADMIN_VIEWPORT,
        query: { hub: elsewhere },
        enforceCsp: true,
      });
      // The dashboard's data and its live events come from the page's own origin (ws: included).
      await p.getByTestId('kpi-waiting').waitFor();
      await p.locator('.conn.open').waitFor();
      const tries = await p.evaluate(`(async () => {
        const f = await fetch('${elsewhere}/api/v1/hall').then(() => 'sent', () => 'blocked');
        const w = await new Promise((r) => {
          try {
            const s = new WebSocket('${elsewhere.replace('http', 'ws')}/api/v1/events');
            s.onopen = () => r('open');
            s.onerror = () => r('blocked');
          } catch { r('blocked'); }
        });
        const self = await new Promise((r) => {
          const s = new WebSocket(location.origin.replace('http', 'ws') + '/api/v1/events?token=${ui.hub.tokens.admin}');
          s.onopen = () => { s.close(); r('open'); };
          s.onerror = () => r('error');
        });
        return [f, w, self];
      })()`);
      expect(tries).toEqual(['blocked', 'blocked', 'open']);
      // Not a single request, saved token or otherwise, reached the other host.
      expect(seen).toEqual([]);
      await p.context().close();
    } finally {
      other.close();
    }
  });

  it('shows a security alarm on the dashboard when an address keeps failing to sign in', async () => {
    const u = new URL(ui.hub.url);
    const tryPin = (staffNo: string) =>
      new Promise<number>((resolve, reject) => {
        const body = JSON.stringify({ staffNo, pin: '000000', windowNo: 1 });
        const req = request(
          {
            host: u.hostname,
            port: u.port,
            path: '/api/v1/staff/sessions',
            method: 'POST',
            localAddress: '127.0.0.3',
            headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
          },
          (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode ?? 0));
          },
        );
        req.on('error', reject);
        req.end(body);
      });
    expect([await tryPin('7001'), await tryPin('7002'), await tryPin('7003')]).toEqual([401, 401, 401]);
    expect(await tryPin('8001')).toBe(429);
    await page.getByRole('button', { name: '运行概览' }).click();
    const alarms = page.getByTestId('security-alarms');
    await alarms.getByText(/地址 127\.0\.0\.3 登录连续失败 3 次/).waitFor();
    expect(await axeScan(page)).toEqual([]);
    await screenshot(page, 'admin-security-alarm-1920x1080');
  });
});
