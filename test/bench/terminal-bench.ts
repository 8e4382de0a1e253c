/**
 * Terminal cold start (called from run.ts, group `terminal`): a paired `govhall terminal --browser
 * /usr/bin/chromium` started from nothing — its Node process, the local origin, the hub's
 * configuration, the devices, Chromium — until its kiosk page is interactive (the 取号 tiles are on
 * screen). Baseline, in the same run: Chromium started cold on the same kiosk page opened directly
 * from the hub with a token, so the ratio is what the terminal adds to a bare browser.
 *
 *   node --import tsx test/bench/terminal-bench.ts [--quick]
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { startLocalDevices } from '../../main/hall/local-devices.js';
import { TerminalFiles } from '../../main/terminal/terminal-files.js';
import { call, demoConfig, tempDir } from '../support/hub-client.js';
import { ensureRendererBuilt, launchBrowser, ROOT, startUiHub } from '../ui/support.js';
import { type BenchOptions, type BenchRow, isMain, median, runAlone } from './bench-kit.js';

const BIN = join(ROOT, 'bin', 'govhall.mjs');
const TILE = '.kiosk-tile';
const LIMIT_MS = 120_000;

async function until<T>(what: string, fn: () => Promise<T | null | undefined> | T | null | undefined): Promise<T> {
  const end = Date.now() + LIMIT_MS;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch {
      // not there yet
    }
    if (Date.now() > end) throw new Error(`等待超时：${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Pairs `id` over the API the way an admin does and leaves the token where the terminal keeps it. */
async function pairInto(hubUrl: string, admin: string, id: string, dataDir: string): Promise<void> {
  const asked = await call(hubUrl, 'POST', '/terminals/pairings', null, { terminalId: id });
  await call(hubUrl, 'POST', '/admin/pairings/approve', admin, { code: asked.body.code });
  const token = (await call(hubUrl, 'GET', `/terminals/pairings/${asked.body.pairingId}`)).body.token as string;
  new TerminalFiles(dataDir).saveToken(id, token);
}

/** One cold start of the terminal, ms until its kiosk's tiles are on screen. */
async function terminalColdStart(hubUrl: string, admin: string): Promise<number> {
  const dataDir = tempDir('govhall-bench-terminal-');
  await pairInto(hubUrl, admin, 'kiosk-1', dataDir);
  const file = join(dataDir, 'terminal.yaml');
  writeFileSync(file, `terminal: { id: kiosk-1, hub: "${hubUrl}" }\n`);
  let child: ChildProcess | null = null;
  let browser: Browser | null = null;
  const started = Date.now();
  try {
    child = spawn(
      process.execPath,
      [BIN, 'terminal', '--config', file, '--data', dataDir, '--browser', '/usr/bin/chromium'],
      {
        env: {
          ...process.env,
          GOVHALL_BROWSER_FLAGS:
            '--headless --no-sandbox --disable-gpu --remote-debugging-port=0 --window-size=1080,1920',
        },
        stdio: 'ignore',
      },
    );
    const portFile = join(dataDir, 'browser-profile', 'DevToolsActivePort');
    const port = await until('终端的浏览器', () =>
      existsSync(portFile) ? readFileSync(portFile, 'utf8').split('\n')[0] : null,
    );
    const b = await chromium.connectOverCDP(`http://127.0.0.1:${port}`, { timeout: 30_000 });
    browser = b;
    await until('取号机的业务按钮', async () => {
      for (const page of b.contexts().flatMap((c) => c.pages()))
        if (page.url().includes('/kiosk/') && (await page.$(TILE))) return true;
      return null;
    });
    return Date.now() - started;
  } finally {
    await browser?.close().catch(() => undefined);
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child!.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
  }
}

/** Baseline: Chromium started cold on the hub's own kiosk page, ms until the same tiles show. */
async function browserColdStart(hubUrl: string, token: string): Promise<number> {
  const started = Date.now();
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage({ viewport: { width: 1080, height: 1920 } });
    await page.goto(`${hubUrl}/kiosk/?token=${token}`, { waitUntil: 'commit' });
    await page.waitForSelector(TILE, { timeout: LIMIT_MS });
    return Date.now() - started;
  } finally {
    await browser.close();
  }
}

export async function terminalBenchmarks(opts: BenchOptions): Promise<BenchRow[]> {
  const n = opts.quick ? 1 : 3;
  opts.progress('终端：构建界面（如需要）并启动中枢');
  await ensureRendererBuilt();
  const config = demoConfig();
  const devices = await startLocalDevices({ config, mode: 'none' });
  const hub = await startUiHub({ config, plugins: devices.plugins });
  try {
    const admin = hub.tokens.admin;
    const kiosk = hub.tokens.kiosk;
    const base: number[] = [];
    const cold: number[] = [];
    for (let i = 0; i < n; i++) {
      opts.progress(`终端：冷启动 ${i + 1}/${n}（浏览器基线与终端各一次）`);
      base.push(await browserColdStart(hub.url, kiosk));
      cold.push(await terminalColdStart(hub.url, admin));
    }
    const t = median(cold);
    const b = median(base);
    return [
      {
        id: 'terminal-cold-start',
        name: `终端冷启动到取号页可操作（浏览器模式，${n} 次中位数）/ terminal cold start`,
        value: `${(t / 1000).toFixed(1)} s`,
        baseline: `Chromium 直接打开中枢的取号页 ${(b / 1000).toFixed(1)} s`,
        ratio: (t / b).toFixed(2),
        // The terminal is a Node process run through tsx plus Chromium: what it adds, not the machine's speed.
        goal: '< 3× 基线',
        pass: t < 3 * b,
      },
    ];
  } finally {
    await hub.close();
  }
}

if (isMain(import.meta.url)) await runAlone(terminalBenchmarks);
