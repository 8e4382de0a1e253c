/**
 * The hub and Chromium a browser test file shares (kept apart from support.ts, which the
 * benchmarks import outside vitest).
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import {
  launchBrowser,
  openRole,
  realErrors,
  startUiHub,
  type UiHub,
  type UiPage,
  VIEWPORTS,
  type Viewport,
} from './support.js';

export interface UiSuite {
  readonly hub: UiHub;
  readonly browser: Browser;
}

/**
 * A test file's hub and Chromium: registers `beforeAll` (the hub from `start`, by default
 * `startUiHub()`, then the browser) and `afterAll` (both closed); tests read `ui.hub`, `ui.browser`.
 */
export function uiSuite(start: () => Promise<UiHub> = () => startUiHub()): UiSuite {
  const s: { hub?: UiHub; browser?: Browser } = {};
  beforeAll(async () => {
    s.hub = await start();
    s.browser = await launchBrowser();
  }, 60_000);
  afterAll(async () => {
    await s.browser?.close();
    await s.hub?.close();
  });
  return {
    get hub() {
      if (!s.hub) throw new Error('uiSuite: the hub is not started (use ui.hub inside tests)');
      return s.hub;
    },
    get browser() {
      if (!s.browser) throw new Error('uiSuite: the browser is not started (use ui.browser inside tests)');
      return s.browser;
    },
  };
}

/**
 * Ends a page's test: no console errors that are real problems (see `realErrors`), then its browser
 * context closed.
 */
export async function closeClean(page: UiPage): Promise<void> {
  expect(realErrors(page)).toEqual([]);
  await page.context().close();
}

/** Opens the kiosk of the suite's hub with its kiosk token (or `token`) and `query`, once its home screen is there. */
export async function openKiosk(
  ui: UiSuite,
  query: Record<string, string>,
  viewport: Viewport = VIEWPORTS.kioskPortrait,
  token: string = ui.hub.tokens.kiosk,
): Promise<UiPage> {
  const page = await openRole(ui.browser, ui.hub, 'kiosk', { token, viewport, query });
  await page.getByRole('button', { name: /^取号/ }).waitFor();
  return page;
}
