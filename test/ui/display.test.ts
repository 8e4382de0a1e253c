/**
 * The hall TV in Chromium: a call made through the API shows large and its announcement is queued
 * (speechSynthesis is replaced in the page by a recorder), each call said N times in order; the
 * screen at 1080p, 4K and portrait; axe; and a hub restarted under an open display — the display
 * reconnects by itself and shows the calls made meanwhile.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../drivers/testing/wait-for.js';
import { type HubApp, startHubApp } from '../../main/hall/hub-app.js';
import { adminPlugins } from '../../main/server/admin-plugins.js';
import { uiPlugin } from '../../main/server/ui-plugin.js';
import { SPEECH_RECORDER } from '../e2e/pages.js';
import { call, demoConfig, tempDir } from '../support/hub-client.js';
import {
  axeScan,
  launchBrowser,
  openRole,
  screenshot,
  startUiHub,
  type UiHub,
  type UiPage,
  VIEWPORTS,
} from './support.js';

let hub: UiHub;
let browser: Browser;
/** The hub started again by the restart test (the first one is closed by then). */
let restarted: HubApp | null = null;
const dataDir = tempDir('govhall-ui-display-');

beforeAll(async () => {
  hub = await startUiHub({ dataDir, plugins: adminPlugins({ dataDir }) });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  if (restarted) await restarted.close();
  else await hub?.close();
});

async function openDisplay(viewport: { width: number; height: number }): Promise<UiPage> {
  const page = await openRole(browser, hub, 'display', { token: hub.tokens.display, viewport });
  await page.addInitScript(SPEECH_RECORDER);
  await page.reload({ waitUntil: 'domcontentloaded' });
  // Generous first waits: the machine's two cores are shared with other suites.
  await page.getByRole('heading', { name: '演示市民服务中心' }).waitFor({ timeout: 30_000 });
  await page.getByText('已连接').waitFor({ timeout: 30_000 });
  return page;
}

const spoken = (page: UiPage) => page.evaluate('window.__spoken') as Promise<string[]>;

async function issueAndCall(url: string, kioskToken: string, staff: string, windowNo: number) {
  const t = await call(url, 'POST', '/tickets', kioskToken, { serviceCode: 'ZHZX', channel: 'kiosk' });
  expect(t.status).toBe(201);
  const c = await call(url, 'POST', `/windows/${windowNo}/call-next`, staff);
  expect(c.status).toBe(200);
  return c.body.number as string;
}

describe('display', () => {
  it('shows a call from the API large and says each announcement N times, one after another', async () => {
    const page = await openDisplay(VIEWPORTS.display1080);
    const staff1 = await hub.staffSession(1, '8001');
    const staff2 = await hub.staffSession(2, '8002');
    const first = await issueAndCall(hub.url, hub.tokens.kiosk, staff1, 1);
    await page.getByTestId('latest-call').getByText(first).waitFor();
    // A second call while the first is still being announced: queued, not cutting it off.
    const second = await issueAndCall(hub.url, hub.tokens.kiosk, staff2, 2);
    await page.getByTestId('latest-call').getByText(second).waitFor();
    await expect.poll(() => spoken(page), { timeout: 15_000 }).toHaveLength(4);
    expect(await spoken(page)).toEqual([
      `请${first}号到1号窗口办理`,
      `请${first}号到1号窗口办理`,
      `请${second}号到2号窗口办理`,
      `请${second}号到2号窗口办理`,
    ]);
    expect(await page.evaluate('window.__maxConcurrent')).toBe(1);
    // The windows' current numbers and the waiting counts are there too.
    await page.getByRole('region', { name: '各窗口' }).getByText(first).waitFor();
    await page.getByRole('region', { name: '等候人数' }).getByText('综合咨询').waitFor();

    // Mute: the switch says so in text; a call while muted is shown but not spoken.
    await page.getByRole('switch').click();
    await page.getByText('语音播报：已静音').waitFor();
    expect((await call(hub.url, 'POST', '/windows/1/skip', staff1, {})).status).toBe(200);
    const third = await issueAndCall(hub.url, hub.tokens.kiosk, staff1, 1);
    await page.getByTestId('latest-call').getByText(third).waitFor();
    await page.getByRole('switch').click();
    await page.getByText('语音播报：开').waitFor();
    // A later call, announced once sound is back: announcements go one after another, so once it
    // has been said twice, the muted call would have been said before it if it was ever queued.
    expect((await call(hub.url, 'POST', '/windows/1/skip', staff1, {})).status).toBe(200);
    const fourth = await issueAndCall(hub.url, hub.tokens.kiosk, staff1, 1);
    await expect
      .poll(async () => (await spoken(page)).filter((t) => t.includes(fourth)).length, { timeout: 15_000 })
      .toBe(2);
    expect((await spoken(page)).slice(4)).toEqual([`请${fourth}号到1号窗口办理`, `请${fourth}号到1号窗口办理`]);

    expect(await axeScan(page)).toEqual([]);
    await screenshot(page, 'display-1920x1080');
    expect(page.errors).toEqual([]);
    await page.context().close();
  });

  it('takes a configuration change live: the new repeat count and the new notice', async () => {
    const page = await openDisplay(VIEWPORTS.display1080);
    const before = await call(hub.url, 'GET', '/admin/config', hub.tokens.admin);
    const put = await call(hub.url, 'PUT', '/admin/config', hub.tokens.admin, {
      expectedVersion: before.body.version,
      announcement: { template: '{number}号请到{window}号窗口', repeat: 3 },
      ticketText: { ...before.body.ticketText, footer: '今日午间不休息，欢迎办理' },
    });
    expect(put.status).toBe(200);
    await page.getByRole('region', { name: '公告' }).getByText('今日午间不休息，欢迎办理').first().waitFor();
    const staff2 = await hub.staffSession(2, '8002');
    expect((await call(hub.url, 'POST', '/windows/2/skip', staff2, {})).status).toBe(200);
    const n = await issueAndCall(hub.url, hub.tokens.kiosk, staff2, 2);
    await expect
      .poll(async () => (await spoken(page)).filter((t) => t === `${n}号请到2号窗口`).length, { timeout: 15_000 })
      .toBe(3);
    await page.context().close();
  });

  it('lays out at 4K and in portrait', async () => {
    for (const [name, vp] of [
      ['display-3840x2160', VIEWPORTS.display4k],
      ['display-portrait-1080x1920', VIEWPORTS.displayPortrait],
    ] as const) {
      const page = await openDisplay(vp);
      await page.getByTestId('latest-call').waitFor();
      // Nothing spills off the screen: the page does not scroll.
      const overflow = await page.evaluate(
        '({ w: document.documentElement.scrollWidth - innerWidth, h: document.documentElement.scrollHeight - innerHeight })',
      );
      expect(overflow).toEqual({ w: 0, h: 0 });
      await screenshot(page, name);
      await page.context().close();
    }
  });

  it('recovers after the hub restarts and shows the calls made meanwhile', async () => {
    const page = await openDisplay(VIEWPORTS.display1080);
    const port = hub.app.port;
    await hub.app.close();
    await page.getByText('连接中断，正在重试').waitFor();
    const app = await startHubApp({
      config: demoConfig(),
      dataDir,
      port,
      version: 'test',
      plugins: [uiPlugin(), ...adminPlugins({ dataDir })],
    });
    restarted = app;
    try {
      // Calls right after the restart, possibly before the display is back: resume must deliver them.
      const s5 = await hub.staffSession(5, '8006');
      const s6 = await hub.staffSession(6, '8007');
      const applicant = { name: '李四', certType: 'resident', certNo: '11010519491231002X' };
      for (const code of ['BDCDJ', 'HJ']) {
        const t = await call(hub.url, 'POST', '/tickets', hub.tokens.kiosk, {
          serviceCode: code,
          channel: 'kiosk',
          applicant,
        });
        expect(t.status).toBe(201);
      }
      const a = await call(hub.url, 'POST', '/windows/5/call-next', s5);
      const b = await call(hub.url, 'POST', '/windows/6/call-next', s6);
      expect([a.status, b.status]).toEqual([200, 200]);
      await page.getByText('已连接').waitFor({ timeout: 15_000 });
      await page.getByTestId('latest-call').getByText(b.body.number).waitFor();
      await page.getByRole('region', { name: '最近叫号' }).getByText(a.body.number).waitFor();
      await waitFor('the call made meanwhile announced', async () =>
        (await spoken(page)).some((t) => t.includes(b.body.number)),
      );
      await screenshot(page, 'display-after-restart');
    } finally {
      await page.context().close();
    }
  });
});
