/**
 * Pages of the end-to-end test: each role in its own browser context (its own localStorage, like
 * a separate terminal) of one Chromium, opened at the address `govhall start` printed. Init
 * scripts go in before the first load (the display's speech recorder), and the page's WebSockets
 * are watched from the start so the test can wait for the device bridge to be live.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page, WebSocket } from 'playwright-core';
import { SCREENSHOT_DIR, type UiPage, type Viewport } from '../ui/support.js';

export type E2ePage = UiPage & {
  /** Frames received on sockets whose URL contains the key (e.g. `/devices/bridge`), parsed when JSON. */
  framesOn(key: string): unknown[];
  /** Frames the page sent on sockets whose URL contains the key, parsed when JSON. */
  sentOn(key: string): unknown[];
};

export async function openAt(
  browser: Browser,
  url: string,
  opts: { viewport: Viewport; touch?: boolean; initScript?: string; query?: Record<string, string> },
): Promise<E2ePage> {
  const context = await browser.newContext({
    viewport: opts.viewport,
    deviceScaleFactor: 1,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    hasTouch: opts.touch ?? false,
  });
  if (opts.initScript) await context.addInitScript(opts.initScript);
  const page = (await context.newPage()) as E2ePage;
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') page.errors.push(m.text());
  });
  const sockets: { url: string; frames: unknown[]; sent: unknown[] }[] = [];
  const parsed = (payload: string | Buffer) => {
    const text = typeof payload === 'string' ? payload : payload.toString('utf8');
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  };
  page.on('websocket', (ws: WebSocket) => {
    const rec = { url: ws.url(), frames: [] as unknown[], sent: [] as unknown[] };
    sockets.push(rec);
    ws.on('framereceived', (f) => rec.frames.push(parsed(f.payload)));
    ws.on('framesent', (f) => rec.sent.push(parsed(f.payload)));
  });
  page.framesOn = (key) => sockets.filter((s) => s.url.includes(key)).flatMap((s) => s.frames);
  page.sentOn = (key) => sockets.filter((s) => s.url.includes(key)).flatMap((s) => s.sent);
  page.setDefaultTimeout(15_000);
  const u = new URL(url);
  for (const [k, v] of Object.entries(opts.query ?? {})) u.searchParams.set(k, v);
  await page.goto(u.toString(), { waitUntil: 'domcontentloaded' });
  return page;
}

/** `test-results/screenshots/e2e-<name>.png`. */
export async function shot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `e2e-${name}.png`);
  await page.screenshot({ path, animations: 'disabled' });
  return path;
}

/**
 * Replaces speechSynthesis before the display's code runs: every utterance is recorded in
 * `window.__spoken` and "said" in 30 ms; `window.__maxConcurrent` proves none overlapped.
 */
export const SPEECH_RECORDER = `
  window.__spoken = [];
  window.__speaking = 0;
  window.__maxConcurrent = 0;
  class FakeUtterance { constructor(text) { this.text = text; this.onend = null; this.onerror = null; } }
  const synth = {
    speak(u) {
      window.__spoken.push(u.text);
      window.__speaking++;
      window.__maxConcurrent = Math.max(window.__maxConcurrent, window.__speaking);
      setTimeout(() => { window.__speaking--; u.onend && u.onend(); }, 30);
    },
    cancel() {},
    getVoices() { return []; },
  };
  Object.defineProperty(window, 'speechSynthesis', { value: synth, configurable: true });
  window.SpeechSynthesisUtterance = FakeUtterance;
`;

export const spokenOn = (page: Page) => page.evaluate('window.__spoken') as Promise<string[]>;

/**
 * Console errors that point at a real problem. Dropped: the browser's own "Failed to load
 * resource" lines (expected 4xx answers, e.g. the catalogue on a hall without a platform) — every
 * other console error counts.
 */
export function pageProblems(p: UiPage): string[] {
  return p.errors.filter((e) => !e.startsWith('Failed to load resource'));
}
