/**
 * Shared helpers for browser tests of the role UIs (Playwright driving Debian's Chromium).
 *
 *   import { it } from 'vitest';
 *   import { openRole, screenshot, VIEWPORTS } from './support.js';
 *   import { uiSuite } from './suite.js';
 *   const ui = uiSuite(); // or uiSuite(() => startUiHub({ plugins: [...] }))
 *   it('…', async () => {
 *     const page = await openRole(ui.browser, ui.hub, 'display', { viewport: VIEWPORTS.display1080 });
 *     await page.getByText('…').waitFor();
 *     await screenshot(page, 'display-1080');
 *   });
 *
 * - `startUiHub()` builds the renderer once if stale (locked, so parallel test files don't race),
 *   starts a real hub on 127.0.0.1 port 0 with a temp data dir, the demo hall and the UI plugin,
 *   and creates kiosk/display/admin tokens (`hub.tokens`); `hub.token(role, windowNo)` makes more;
 *   `hub.staffSession(windowNo)` signs staff in over the API (demo staff, PIN 123456).
 * - `openRole()` opens `/<role>/?token=…` in a fresh context (own localStorage) with extra query
 *   parameters (e.g. `{ bridge: 'sim', window: '1' }`); console errors are collected on `page.errors`.
 * - `screenshot()` writes `test-results/screenshots/<name>.png` (gitignored).
 * - `axeScan()` injects node_modules/axe-core and returns serious and critical violations only.
 * - `contrastOf()`, `fontPx()`, `boxOf()` measure what the elder mode promises.
 * Evaluate callbacks run in the page: the root tsconfig has no DOM lib, so they use `any` globals.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { gb11643CheckChar } from '../../common/cert-number.js';
import type { DeviceRole } from '../../common/roles.js';
import type { HallConfig } from '../../kiosk-config/hall-config.js';
import { type HubApp, startHubApp } from '../../main/hall/hub-app.js';
import { devicesPlugin } from '../../main/server/devices-plugin.js';
import type { HubPlugin } from '../../main/server/hub-plugin.js';
import type { SignInLimits } from '../../main/server/sign-in-guard.js';
import { uiPlugin } from '../../main/server/ui-plugin.js';
import type { PlatformOverride } from '../../main/sync/platform-settings.js';
import type { Clock } from '../../main/time/clock.js';
import { buildRenderer } from '../../scripts/build-renderer.mjs';
import { call, demoConfig, tempDir } from '../support/hub-client.js';
import { type KioskStandIns, startKioskStandIns } from '../support/terminal-service.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const SCREENSHOT_DIR = join(ROOT, 'test-results', 'screenshots');

export const VIEWPORTS = {
  kioskPortrait: { width: 1080, height: 1920 },
  kioskLandscape: { width: 1920, height: 1080 },
  evaluatorPortrait: { width: 800, height: 1280 },
  evaluatorLandscape: { width: 1280, height: 800 },
  display1080: { width: 1920, height: 1080 },
  display4k: { width: 3840, height: 2160 },
  displayPortrait: { width: 1080, height: 1920 },
  counter: { width: 1366, height: 768 },
  admin: { width: 1440, height: 900 },
} as const;

export type Viewport = { width: number; height: number };

let built: Promise<boolean> | null = null;
/** Builds dist/renderer once per test process when the sources are newer than the build. */
export function ensureRendererBuilt(): Promise<boolean> {
  built ??= buildRenderer({ ifStale: true, quiet: true });
  return built;
}

export interface UiHub {
  app: HubApp;
  url: string;
  dataDir: string;
  tokens: { kiosk: string; display: string; admin: string };
  token(role: DeviceRole, windowNo?: number, name?: string): Promise<string>;
  /** A staff session token for a window (demo staff 8001 may sign in at windows 1 and 2, etc.). */
  staffSession(windowNo: number, staffNo?: string): Promise<string>;
  close(): Promise<void>;
}

export async function startUiHub(
  opts: {
    config?: HallConfig;
    clock?: Clock;
    plugins?: HubPlugin[];
    dataDir?: string;
    platform?: PlatformOverride;
    signInLimits?: Partial<SignInLimits>;
  } = {},
): Promise<UiHub> {
  await ensureRendererBuilt();
  const dataDir = opts.dataDir ?? tempDir('govhall-ui-');
  const app = await startHubApp({
    config: opts.config ?? demoConfig(),
    dataDir,
    port: 0,
    version: 'test',
    ...(opts.clock ? { clock: opts.clock } : {}),
    ...(opts.platform ? { platform: opts.platform } : {}),
    ...(opts.signInLimits ? { signInLimits: opts.signInLimits } : {}),
    plugins: [uiPlugin(), ...(opts.plugins ?? [])],
  });
  const config = opts.config ?? demoConfig();
  return {
    app,
    url: app.url,
    dataDir,
    tokens: {
      kiosk: await app.createToken('kiosk', undefined, 'ui-kiosk'),
      display: await app.createToken('display', undefined, 'ui-display'),
      admin: await app.createToken('admin', undefined, 'ui-admin'),
    },
    token: (role, windowNo, name) => app.createToken(role, windowNo, name),
    staffSession: async (windowNo, staffNo) => {
      const no = staffNo ?? config.staff.find((s) => s.windows.includes(windowNo))?.no;
      if (!no) throw new Error(`no staff for window ${windowNo}`);
      const r = await call(app.url, 'POST', '/staff/sessions', null, { staffNo: no, pin: '123456', windowNo });
      if (r.status !== 200 && r.status !== 201) throw new Error(`sign-in failed: ${JSON.stringify(r.body)}`);
      return r.body.token as string;
    },
    close: () => app.close(),
  };
}

/**
 * A UI hub with the device bridge of the demo hall's terminal `kiosk-1` on stand-in drivers
 * (`startKioskStandIns`): everything between them and the screen is real. Closing the hub also
 * stops the device service.
 */
export async function startKioskBridgeHub(clock?: Clock): Promise<{ hub: UiHub; kiosk: KioskStandIns }> {
  const config = demoConfig();
  const { service, kiosk } = await startKioskStandIns(config);
  const hub = await startUiHub({ config, plugins: [devicesPlugin({ service })], ...(clock ? { clock } : {}) });
  return {
    hub: {
      ...hub,
      close: async () => {
        await hub.close();
        await service.stop();
      },
    },
    kiosk,
  };
}

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--font-render-hinting=none',
];

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS, timeout: 30_000 });
}

export type UiPage = Page & { errors: string[] };

export async function openRole(
  browser: Browser,
  hub: Pick<UiHub, 'url'>,
  role: 'kiosk' | 'counter' | 'display' | 'evaluator' | 'admin',
  opts: {
    token?: string | null;
    viewport?: Viewport;
    query?: Record<string, string>;
    deviceScaleFactor?: number;
    /**
     * Put the page on Playwright's controllable clock: it runs as usual, and a test moves it on
     * with `page.clock.runFor(ms)` to let a page timeout pass without waiting for it.
     */
    clock?: boolean;
    /** Keep the hub's CSP in force (no axe injection on that page then). */
    enforceCsp?: boolean;
  } = {},
): Promise<UiPage> {
  const context = await browser.newContext({
    viewport: opts.viewport ?? VIEWPORTS.kioskPortrait,
    deviceScaleFactor: opts.deviceScaleFactor ?? 1,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    hasTouch: role === 'kiosk' || role === 'evaluator',
    // The hub's CSP forbids inline scripts; axe-core is injected as one.
    bypassCSP: !opts.enforceCsp,
  });
  const page = (await context.newPage()) as UiPage;
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') page.errors.push(m.text());
  });
  page.setDefaultTimeout(10_000);
  if (opts.clock) await page.clock.install();
  const q = new URLSearchParams(opts.query ?? {});
  if (opts.token) q.set('token', opts.token);
  await page.goto(`${hub.url}/${role}/?${q}`, { waitUntil: 'domcontentloaded' });
  return page;
}

export async function screenshot(page: Page, name: string, fullPage = false): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  // A 4K screenshot on a loaded 2-core machine can take longer than Playwright's default 10 s.
  await page.screenshot({ path, fullPage, animations: 'disabled', timeout: 60_000 });
  return path;
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/** Runs axe-core on the page; answers the serious and critical violations (empty = pass). */
export async function axeScan(page: Page): Promise<AxeViolation[]> {
  const src = readFileSync(join(ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
  await page.addScriptTag({ content: src });
  const result =
    (await page.evaluate(`axe.run(document, { resultTypes: ['violations'] }).then(r => r.violations.map(v => ({
      id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' ' + (n.failureSummary || '')) })))`)) as AxeViolation[];
  return result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** Computed font size in CSS px of the first element matching `selector`. */
export async function fontPx(page: Page, selector: string): Promise<number> {
  return page
    .locator(selector)
    .first()
    .evaluate((el: any) => Number.parseFloat((globalThis as any).getComputedStyle(el).fontSize));
}

export async function boxOf(page: Page, selector: string): Promise<{ width: number; height: number }[]> {
  const boxes = await page.locator(selector).evaluateAll((els: any[]) =>
    els.map((el) => {
      const r = el.getBoundingClientRect();
      return { width: r.width, height: r.height };
    }),
  );
  return boxes;
}

/**
 * WCAG contrast ratio between an element's text colour and the first opaque background found by
 * walking up its ancestors (white when none).
 */
export async function contrastOf(page: Page, selector: string): Promise<number> {
  return page
    .locator(selector)
    .first()
    .evaluate((el: any) => {
      const g = globalThis as any;
      const parse = (c: string): any[] => {
        const m = c.match(/rgba?\(([^)]+)\)/);
        if (!m) return [255, 255, 255, 1];
        const p = String(m[1])
          .split(/[ ,/]+/)
          .filter(Boolean)
          .map(Number);
        return [p[0], p[1], p[2], p[3] ?? 1];
      };
      const lum = ([r, gg, b]: number[]) => {
        const f = (v: number) => {
          const s = v / 255;
          return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
        };
        return 0.2126 * f(r as number) + 0.7152 * f(gg as number) + 0.0722 * f(b as number);
      };
      const fg = parse(g.getComputedStyle(el).color);
      let bg: any[] = [255, 255, 255, 1];
      for (let n = el; n; n = n.parentElement) {
        const c = parse(g.getComputedStyle(n).backgroundColor);
        if ((c[3] as number) > 0.5) {
          bg = c;
          break;
        }
      }
      const a = lum(fg);
      const b = lum(bg);
      return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    });
}

/** A valid resident ID number (GB 11643) born on `yyyymmdd`, area 330106. */
export function idNumber(yyyymmdd: string, seq = '123'): string {
  const first = `330106${yyyymmdd}${seq}`;
  return first + gb11643CheckChar(first);
}

/**
 * Console errors that are real problems: drops the browser's own "failed to load resource" lines
 * (expected 404s while probing optional hub endpoints) and the device bridge or the evaluator's
 * pad link retrying against a hub without those plugins.
 */
export function realErrors(p: UiPage): string[] {
  return p.errors.filter(
    (e) =>
      !e.includes('/api/v1/devices/bridge') && !e.includes('/api/v1/pads') && !e.startsWith('Failed to load resource'),
  );
}

/** Screenshots `page` as it is (`<name>-<first>`), then resized to `viewport` (`<name>-<second>`); it stays resized. */
export async function screenshotBoth(
  page: Page,
  name: string,
  [first, second]: [string, string],
  viewport: Viewport,
): Promise<void> {
  await screenshot(page, `${name}-${first}`);
  await page.setViewportSize(viewport);
  await screenshot(page, `${name}-${second}`);
}
