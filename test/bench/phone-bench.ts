/**
 * Phone page benchmark (called from run.ts): first paint of the ticket page `/t/{ticketCode}` in
 * Chromium on a throttled 3G profile at phone size (goal < 2 s), against a baseline measured in the
 * same run on the same profile: the hub's plain start page `/` (one small HTML document, no script)
 * — the floor the network alone sets. Throttling with the DevTools protocol
 * (`Network.emulateNetworkConditions`), cache disabled, 360×780.
 */
import type { Browser } from 'playwright-core';
import { call } from '../support/hub-client.js';
import { launchBrowser, startUiHub, type UiHub } from '../ui/support.js';
import { type BenchOptions, type BenchRow, median } from './bench-kit.js';

/**
 * Chrome DevTools' "Fast 3G" preset: latency 562.5 ms, 1.6 Mbit/s × 0.9 down, 750 kbit/s × 0.9 up.
 * The network only: this shared 2-core machine is already slower than a phone's CPU.
 */
export const THREE_G = {
  offline: false,
  latency: 562.5,
  downloadThroughput: (1.6 * 1024 * 1024 * 0.9) / 8,
  uploadThroughput: (750 * 1024 * 0.9) / 8,
};

/** Navigation start → `selector` painted, inside the page, on the 3G profile with an empty cache. */
async function paint3g(browser: Browser, url: string, selector: string): Promise<number> {
  const context = await browser.newContext({ viewport: { width: 360, height: 780 }, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  try {
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    await cdp.send('Network.emulateNetworkConditions', THREE_G);
    await page.goto(url, { waitUntil: 'commit', timeout: 60_000 });
    await page.waitForSelector(selector, { timeout: 60_000 });
    return (await page.evaluate(`new Promise(r => requestAnimationFrame(() => r(performance.now())))`)) as number;
  } finally {
    await context.close();
  }
}

export async function phoneBenchmarks(opts: BenchOptions): Promise<BenchRow[]> {
  const n = opts.quick ? 3 : 7;
  let hub: UiHub | null = null;
  let browser: Browser | null = null;
  try {
    opts.progress('手机页面：构建（如需要）并启动中枢与 Chromium');
    hub = await startUiHub();
    browser = await launchBrowser();
    const t = await call(hub.url, 'POST', '/tickets', hub.tokens.kiosk, { serviceCode: 'ZHZX', channel: 'kiosk' });
    const code = t.body.ticketCode as string;
    opts.progress(`手机页面：3G 下首次绘制，号票页与基线交替各 ${n} 次`);
    const page: number[] = [];
    const base: number[] = [];
    for (let i = 0; i < n; i++) {
      base.push(await paint3g(browser, `${hub.url}/`, 'h1'));
      page.push(await paint3g(browser, `${hub.url}/t/${code}`, '[data-testid="number"]'));
    }
    const v = median(page);
    const b = median(base);
    return [
      {
        id: 'phone-paint-3g',
        name: '手机号票页 3G 首次绘制 / phone page first paint, 3G',
        value: `${v.toFixed(0)} ms`,
        baseline: `3G 静态首页 ${b.toFixed(0)} ms`,
        ratio: (v / b).toFixed(2),
        goal: '< 2000 ms',
        pass: v < 2000,
      },
    ];
  } finally {
    await browser?.close();
    await hub?.close();
  }
}
