/**
 * UI benchmarks (called from run.ts): first meaningful paint of each role, card read → filled form
 * and 取号 tap → number on screen on loopback (goal < 300 ms each), and bundle size per role.
 * Each timing is printed next to a baseline measured in the same run: the hub's plain index page
 * for paints, a no-op page round trip for interactions, the smallest role for bundle sizes.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Browser, Page } from 'playwright-core';
import { idNumber, launchBrowser, ROOT, startKioskBridgeHub, type UiHub, VIEWPORTS } from '../ui/support.js';
import { type BenchOptions, type BenchRow, median } from './bench-kit.js';

const ROLES = ['kiosk', 'counter', 'display', 'evaluator', 'admin'] as const;
/** What "meaningful" means per role: the first thing a user needs to see. */
const MEANINGFUL: Record<(typeof ROLES)[number], string> = {
  kiosk: '.kiosk-tile',
  counter: '#root button, #root input',
  display: '#root h1, #root h2, #root main',
  evaluator: '.ev-idle .avatar',
  admin: '#root h1, #root nav, #root main',
};

const ms = (x: number) => `${x.toFixed(0)} ms`;

/** Navigation start → selector present, measured inside the page (no test-runner overhead). */
async function paintTime(browser: Browser, url: string, selector: string): Promise<number> {
  const context = await browser.newContext({ viewport: VIEWPORTS.kioskPortrait });
  const page = await context.newPage();
  try {
    await page.goto(url, { waitUntil: 'commit' });
    await page.waitForSelector(selector, { timeout: 15_000 });
    return (await page.evaluate(`new Promise(r => requestAnimationFrame(() => r(performance.now())))`)) as number;
  } finally {
    await context.close();
  }
}

function bundleBytes(role: string): { raw: number; gz: number } {
  const dir = join(ROOT, 'dist', 'renderer');
  const html = readFileSync(join(dir, role, 'index.html'), 'utf8');
  const files = new Set([...html.matchAll(/(?:src|href)="\.\.\/(assets\/[^"]+)"/g)].map((m) => m[1] as string));
  let raw = 0;
  let gz = 0;
  for (const f of files) {
    const p = join(dir, f);
    raw += statSync(p).size;
    gz += gzipSync(readFileSync(p)).length;
  }
  return { raw, gz };
}

async function waitFast(page: Page, fn: string) {
  await page.waitForFunction(fn, undefined, { polling: 'raf', timeout: 10_000 });
}

export async function uiBenchmarks(opts: BenchOptions): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const n = opts.quick ? 3 : 7;
  let hub: UiHub | null = null;
  let browser: Browser | null = null;
  try {
    opts.progress('界面：构建（如需要）并启动中枢与 Chromium');
    const started = await startKioskBridgeHub();
    hub = started.hub;
    const kiosk = started.kiosk;
    browser = await launchBrowser();
    const b = browser;
    const h = hub;

    // Paint ----------------------------------------------------------------------------------
    opts.progress(`界面：各角色首次有效绘制，各 ${n} 次`);
    const base = [];
    for (let i = 0; i < n; i++) base.push(await paintTime(b, `${h.url}/`, 'h1'));
    const baseMs = median(base);
    for (const role of ROLES) {
      const token = role === 'counter' || role === 'evaluator' ? await h.token(role, 1) : h.tokens.admin;
      const realToken = role === 'kiosk' ? h.tokens.kiosk : role === 'display' ? h.tokens.display : token;
      const url = `${h.url}/${role}/?token=${realToken}&window=1`;
      const xs = [];
      try {
        for (let i = 0; i < n; i++) xs.push(await paintTime(b, url, MEANINGFUL[role]));
      } catch {
        rows.push({
          id: `ui-paint-${role}`,
          name: `首次有效绘制 ${role} / first paint`,
          value: '未测得',
          baseline: ms(baseMs),
          ratio: '-',
          goal: '< 1500 ms',
          pass: null,
        });
        continue;
      }
      const v = median(xs);
      rows.push({
        id: `ui-paint-${role}`,
        name: `首次有效绘制 ${role} / first paint`,
        value: ms(v),
        baseline: `静态首页 ${ms(baseMs)}`,
        ratio: (v / baseMs).toFixed(2),
        goal: '< 1500 ms',
        pass: v < 1500,
      });
    }

    // Interactions -----------------------------------------------------------------------------
    opts.progress(`界面：读卡 → 填表、取号 → 号码上屏，各 ${n} 次`);
    const context = await b.newContext({ viewport: VIEWPORTS.kioskPortrait, bypassCSP: true });
    const page = await context.newPage();
    // The hub's device bridge opens only with kiosk-1's own paired token (as in the embedded hall).
    const kioskTerminal = h.app.terminals.pair('kiosk-1', null, Date.now());
    await page.goto(`${h.url}/kiosk/?token=${kioskTerminal}&terminal=kiosk-1`);
    await page.waitForSelector('.kiosk-tile');
    const noop: number[] = [];
    for (let i = 0; i < n; i++) {
      const t0 = performance.now();
      await page.evaluate('1');
      noop.push(performance.now() - t0);
    }
    // Wait until the bridge is connected: a card makes the kiosk leave home.
    for (let i = 0; i < 100 && (await page.locator('[data-testid="applicant"]').count()) === 0; i++) {
      kiosk.card({
        name: '测试',
        gender: '男',
        birthDate: '1990-01-01',
        certNo: idNumber('19900101'),
        certType: 'resident',
      });
      await page.waitForTimeout(50);
    }
    const card: number[] = [];
    const tap: number[] = [];
    for (let i = 0; i < n; i++) {
      await page.evaluate(`document.querySelector('.kiosk-home-btn')?.click()`);
      await waitFast(page, `document.querySelector('[data-screen="home"]')`);
      const t0 = performance.now();
      kiosk.card({
        name: '测试',
        gender: '男',
        birthDate: '1990-01-01',
        certNo: idNumber('19900101', String(100 + i)),
        certType: 'resident',
      });
      await waitFast(page, `document.querySelector('[data-testid="applicant"]')`);
      card.push(performance.now() - t0);
      const t1 = performance.now();
      await page.evaluate(
        `[...document.querySelectorAll('.kiosk-service')].find(b => b.textContent.includes('综合咨询')).click()`,
      );
      await waitFast(page, `document.querySelector('[data-testid="ticket-number"]')`);
      tap.push(performance.now() - t1);
    }
    await context.close();
    const noopMs = median(noop);
    for (const [id, name, xs] of [
      ['ui-card-form', '读卡 → 填入申请人 / card → filled form', card],
      ['ui-tap-number', '取号点击 → 号码上屏 / tap → number', tap],
    ] as const) {
      const v = median(xs);
      rows.push({
        id,
        name,
        value: `${v.toFixed(1)} ms`,
        baseline: `页面往返 ${noopMs.toFixed(1)} ms`,
        ratio: (v / Math.max(noopMs, 0.1)).toFixed(1),
        goal: '< 300 ms',
        pass: v < 300,
      });
    }

    // Bundles ----------------------------------------------------------------------------------
    const sizes = ROLES.map((r) => ({ r, ...bundleBytes(r) }));
    const smallest = Math.min(...sizes.map((s) => s.gz));
    for (const s of sizes)
      rows.push({
        id: `ui-bundle-${s.r}`,
        name: `包大小 ${s.r} / bundle (gzip)`,
        value: `${(s.gz / 1024).toFixed(0)} KiB（原始 ${(s.raw / 1024).toFixed(0)} KiB）`,
        baseline: `最小角色 ${(smallest / 1024).toFixed(0)} KiB`,
        ratio: (s.gz / smallest).toFixed(2),
        goal: '-',
        pass: null,
      });
  } finally {
    await browser?.close();
    await hub?.close();
  }
  return rows;
}
