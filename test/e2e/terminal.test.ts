/**
 * A terminal in browser mode, end to end: `govhall hub` and `govhall terminal --browser
 * /usr/bin/chromium` as child processes, the terminal's ID card reader and ticket printer as
 * simulators on socat pty pairs (real kernel tty I/O), the admin console in a second Chromium.
 *
 *   1. the terminal shows a pairing code; the admin approves it on the 终端 tab;
 *   2. the kiosk opens on the terminal's local origin with no token in its address;
 *   3. a card on the terminal's reader fills the kiosk; the ticket prints on the terminal's printer;
 *   4. a second terminal's token is refused this terminal's devices;
 *   5. the kiosk's renderer is crashed (CDP Page.crash) and the terminal loads it again;
 *   6. the hub stops: the kiosk window shows the offline page; the hub returns: the kiosk is back;
 *   7. the admin changes the printer's width in the hall config: it reaches the terminal;
 *   8. the admin revokes the terminal: it shows a new pairing code.
 *
 * The test attaches Playwright to the terminal's Chromium through `--remote-debugging-port=0`
 * (passed with GOVHALL_BROWSER_FLAGS, for this test only; the terminal itself drives the browser
 * over its DevTools pipe). Generous bounds, no timing assertions.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateCardJson } from '../../drivers/idcard/card-json.js';
import { CardReaderSimulator } from '../../drivers/idcard/card-reader-simulator.js';
import { PrinterSimulator } from '../../drivers/printer/printer-simulator.js';
import { ptyPair } from '../../drivers/testing/pty-pair.js';
import { waitFor } from '../../drivers/testing/wait-for.js';
import { openSerialLink, type SerialLink } from '../../drivers/transport/serial-link.js';
import { DEMO_HALL_PATH } from '../../kiosk-config/demo-hall.js';
import { openJsonSocket } from '../devices/ws-client.js';
import { call, tempDir } from '../support/hub-client.js';
import { ensureRendererBuilt, launchBrowser, ROOT, SCREENSHOT_DIR } from '../ui/support.js';
import { openAt } from './pages.js';

const BIN = join(ROOT, 'bin', 'govhall.mjs');
const CARD = validateCardJson(
  JSON.parse(readFileSync(join(ROOT, 'drivers', 'idcard', 'sample-cards', 'resident.json'), 'utf8')),
);
const TERMINAL = 'kiosk-e2e';

const cleanups: (() => Promise<unknown> | unknown)[] = [];
const hubData = tempDir('govhall-e2e-hub-');
const termData = tempDir('govhall-e2e-terminal-');
let hubUrl = '';
let hub: ChildProcess | null = null;
let terminal: ChildProcess;
let local = '';
let admin = '';
let reader: CardReaderSimulator;
let printer: PrinterSimulator;
let adminBrowser: Browser;
let terminalBrowser: Browser | null = null;
const terminalOut: string[] = [];

/** A bounded poll that treats a throw (a page not there yet) as "not yet". */
const until = <T>(what: string, fn: () => T | Promise<T>, timeoutMs = 60_000): Promise<NonNullable<T>> =>
  waitFor(
    what,
    async () => {
      try {
        return await fn();
      } catch {
        return undefined;
      }
    },
    timeoutMs,
  );

/** Starts a govhall command and collects its stdout lines. */
function govhall(args: string[], env: Record<string, string> = {}, lines: string[] = []): ChildProcess {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  createInterface({ input: child.stdout! }).on('line', (l) => lines.push(l));
  child.stderr!.resume();
  return child;
}

const stopped = (c: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (c.exitCode !== null || c.signalCode !== null) return resolve();
    c.once('exit', () => resolve());
    c.kill('SIGTERM');
  });

/** The hall: the demo hall's services and windows, two terminals of this test with their devices. */
function writeHall(readerPath: string, printerPath: string): string {
  const demo = readFileSync(DEMO_HALL_PATH, 'utf8');
  const head = demo.slice(0, demo.indexOf('# 终端与设备'));
  const file = join(hubData, 'hall.yaml');
  writeFileSync(
    file,
    `${head}devices:
  terminals:
    - id: ${TERMINAL}
      name: 测试取号机
      windows:
        - { role: kiosk, display: primary, layout: portrait }
      devices:
        - { id: e2e-idcard, kind: idcard, transport: { type: serial, path: ${readerPath}, baud: 115200 }, pollMs: 200 }
        - { id: e2e-printer, kind: printer, transport: { type: serial, path: ${printerPath}, baud: 115200 }, width: 80 }
    - id: kiosk-other
      windows:
        - { role: kiosk }
`,
  );
  return file;
}

async function startHub(configFile: string, port: number): Promise<void> {
  const lines: string[] = [];
  hub = govhall(
    ['hub', '--config', configFile, '--data', hubData, '--host', '127.0.0.1', '--port', String(port)],
    {},
    lines,
  );
  const line = await until('the hub to start', () => lines.find((l) => l.includes('中枢 / hub:')), 120_000);
  hubUrl = /(http:\/\/127\.0\.0\.1:\d+)/.exec(line)![1]!;
}

/**
 * The terminal's kiosk window, found again after anything (a navigation). `fresh` attaches anew:
 * Playwright keeps a page it saw crash as crashed even after the terminal has loaded it again.
 */
async function terminalPage(fresh = false): Promise<Page> {
  if (fresh && terminalBrowser) {
    const old = terminalBrowser;
    terminalBrowser = null;
    await old.close().catch(() => undefined);
  }
  if (!terminalBrowser) {
    const portFile = join(termData, 'browser-profile', 'DevToolsActivePort');
    const port = await until('the terminal’s browser', () =>
      existsSync(portFile) ? readFileSync(portFile, 'utf8').split('\n')[0] : null,
    );
    terminalBrowser = await chromium.connectOverCDP(`http://127.0.0.1:${port}`, { timeout: 30_000 });
  }
  const b = terminalBrowser;
  return until('the terminal’s window', () =>
    b
      .contexts()
      .flatMap((c) => c.pages())
      .find((p) => p.url().startsWith(local)),
  );
}

async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOT_DIR, `terminal-${name}.png`) }).catch(() => undefined);
}

/** Pairs a terminal over the API the way a terminal and an admin do; its token. */
async function pairOver(id: string): Promise<string> {
  const asked = await call(hubUrl, 'POST', '/terminals/pairings', null, { terminalId: id });
  expect((await call(hubUrl, 'POST', '/admin/pairings/approve', admin, { code: asked.body.code })).status).toBe(200);
  return (await call(hubUrl, 'GET', `/terminals/pairings/${asked.body.pairingId}`)).body.token as string;
}

beforeAll(async () => {
  await ensureRendererBuilt();
  const pairs = [await ptyPair(cleanups), await ptyPair(cleanups)];
  const links: SerialLink[] = [
    await openSerialLink({ path: pairs[0]!.devicePath, baudRate: 115200 }),
    await openSerialLink({ path: pairs[1]!.devicePath, baudRate: 115200 }),
  ];
  cleanups.push(() => Promise.all(links.map((l) => l.close())));
  reader = new CardReaderSimulator(links[0]!);
  printer = new PrinterSimulator(links[1]!);
  cleanups.push(() => printer.close());
  const hall = writeHall(pairs[0]!.hostPath, pairs[1]!.hostPath);
  const token = spawnSync(
    process.execPath,
    [BIN, 'token', 'create', '--data', hubData, '--role', 'admin', '--name', 'e2e'],
    {
      encoding: 'utf8',
    },
  );
  admin = token.stdout.trim();
  expect(admin).toMatch(/^ght_/);
  await startHub(hall, 0);
  const termFile = join(termData, 'terminal.yaml');
  writeFileSync(termFile, `terminal: { id: ${TERMINAL}, hub: "${hubUrl}" }\n`);
  terminal = govhall(
    ['terminal', '--config', termFile, '--data', termData, '--browser', '/usr/bin/chromium'],
    {
      GOVHALL_BROWSER_FLAGS:
        '--headless --no-sandbox --disable-gpu --remote-debugging-port=0 --window-size=1080,1920 --lang=zh-CN',
    },
    terminalOut,
  );
  const line = await until(
    'the terminal to start',
    () => terminalOut.find((l) => l.includes('local origin:')),
    120_000,
  );
  local = /(http:\/\/127\.0\.0\.1:\d+)/.exec(line)![1]!;
  adminBrowser = await launchBrowser();
}, 300_000);

afterAll(async () => {
  await terminalBrowser?.close().catch(() => undefined);
  await adminBrowser?.close();
  if (terminal) await stopped(terminal);
  if (hub) await stopped(hub);
  for (const c of cleanups.reverse()) await c();
}, 120_000);

describe('a terminal in browser mode', () => {
  it('pairs, runs its kiosk on its own devices, heals, follows the hub, and is revoked', async () => {
    // ---------------------------------------------------------------- 1. pairing
    const code = await until('a pairing code', () => /pairing code: (\d{6})/.exec(terminalOut.join('\n'))?.[1]);
    let page = await terminalPage();
    await page.getByTestId('pairing-code').getByText(code).waitFor({ timeout: 60_000 });
    await shot(page, '01-pairing');

    const console_ = await openAt(adminBrowser, `${hubUrl}/admin/?token=${admin}`, {
      viewport: { width: 1920, height: 1080 },
    });
    console_.setDefaultTimeout(30_000);
    await console_.getByRole('button', { name: '终端', exact: true }).click();
    await console_.locator('input[name="pairing-code"]').fill(code);
    await console_.getByRole('button', { name: '批准配对' }).click();
    await console_.getByText(`终端 ${TERMINAL} 已配对`).waitFor();

    // ---------------------------------------------------------------- 2. the kiosk, no token in its address
    await until('the kiosk window', async () => (await terminalPage()).url().includes('/kiosk/'), 90_000);
    page = await terminalPage();
    expect(page.url()).toBe(`${local}/kiosk/?terminal=${TERMINAL}`);
    expect(page.url()).not.toContain('token');
    await page.getByRole('button', { name: /^取号/ }).waitFor({ timeout: 60_000 });
    await shot(page, '02-kiosk');

    // ---------------------------------------------------------------- 3. card and ticket on the terminal's devices
    await until(
      'the card to fill the kiosk',
      async () => {
        reader.lift();
        await new Promise((r) => setTimeout(r, 300));
        reader.presentCard(CARD);
        await new Promise((r) => setTimeout(r, 700));
        return (await page.getByTestId('applicant').count()) > 0;
      },
      90_000,
    );
    await page.getByTestId('applicant').getByText('已读取身份证').waitFor();
    const before = printer.tickets.length;
    await page.getByRole('button', { name: /社保医保/ }).click();
    const number = ((await page.getByTestId('ticket-number').textContent()) ?? '').trim();
    expect(number).toMatch(/^A\d{3}$/);
    await page.getByTestId('print-ok').waitFor({ timeout: 60_000 });
    const paper = await until('the printed ticket', () => printer.tickets[before]);
    const big = paper.items.flatMap((i) => (i.type === 'text' && i.width >= 2 ? [i.text.trim()] : []));
    expect(big).toContain(number);
    expect(paper.lines.join('\n')).not.toContain(CARD.idNumber);
    expect(paper.lines).toContain('-'.repeat(48));
    reader.lift();
    await shot(page, '03-ticket');
    // The terminal reported its devices' health to the hub.
    await until('the device health on the hub', async () => {
      const list = await call(hubUrl, 'GET', '/admin/terminals', admin);
      const t = list.body.find((x: { terminalId: string }) => x.terminalId === TERMINAL);
      return t?.devices.find((d: { deviceId: string; state: string }) => d.deviceId === 'e2e-printer')?.state === 'ok';
    });

    // ---------------------------------------------------------------- 4. another terminal's token gets nothing of it
    const other = await pairOver('kiosk-other');
    const ws = `${hubUrl.replace('http', 'ws')}/api/v1/devices/bridge`;
    await expect(openJsonSocket(`${ws}?token=${other}&terminal=${TERMINAL}`)).rejects.toThrow(/403/);
    const foreign = await call(hubUrl, 'POST', '/devices/status', other, { deviceId: 'e2e-printer', state: 'error' });
    expect(foreign.status).toBe(403);
    expect(foreign.body.code).toBe('FOREIGN_DEVICE');

    // ---------------------------------------------------------------- 5. renderer crash → loaded again
    const cdp = await page.context().newCDPSession(page);
    void cdp.send('Page.crash').catch(() => undefined);
    await until(
      'the kiosk to come back after the crash',
      async () => {
        const p = await terminalPage(true);
        return p.url().includes('/kiosk/') && (await p.getByRole('button', { name: /^取号/ }).isVisible());
      },
      90_000,
    );
    page = await terminalPage();
    await shot(page, '05-after-crash');

    // ---------------------------------------------------------------- 6. hub away → offline page → back
    const hubPort = Number(new URL(hubUrl).port);
    await stopped(hub!);
    await until(
      'the offline page',
      async () => {
        const p = await terminalPage();
        return p.url().includes('/terminal/offline') && (await p.getByText('自助取号暂停，请到咨询台').isVisible());
      },
      90_000,
    );
    await shot(await terminalPage(), '06-offline');
    await startHub(join(hubData, 'hall.yaml'), hubPort);
    await until(
      'the kiosk again once the hub is back',
      async () => {
        const p = await terminalPage();
        return p.url().includes('/kiosk/') && (await p.getByRole('button', { name: /^取号/ }).isVisible());
      },
      120_000,
    );

    // ---------------------------------------------------------------- 7. the admin changes the printer's width
    const view = (await call(hubUrl, 'GET', '/admin/config', admin)).body;
    const devices = structuredClone(view.devices);
    devices.terminals
      .find((t: { id: string }) => t.id === TERMINAL)
      .devices.find((d: { id: string }) => d.id === 'e2e-printer').width = 58;
    const changed = await call(hubUrl, 'PUT', '/admin/config', admin, { expectedVersion: view.version, devices });
    expect(changed.status).toBe(200);
    await until('the new width on the terminal', () => {
      const cached = JSON.parse(readFileSync(join(termData, 'terminal-config.json'), 'utf8'));
      return cached.entry.devices.find((d: { id: string }) => d.id === 'e2e-printer')?.width === 58;
    });
    const bridge = await until('the terminal’s device bridge', () =>
      openJsonSocket(`${local.replace('http', 'ws')}/api/v1/devices/bridge`),
    );
    const printedBefore = printer.tickets.length;
    await until(
      'a ticket printed 58 mm wide',
      async () => {
        bridge.send({
          type: 'print',
          id: `w${Date.now()}`,
          ticket: {
            hallName: 'x',
            number: 'F001',
            serviceName: '综合咨询',
            ahead: 0,
            issuedAt: new Date().toISOString(),
          },
        });
        await new Promise((r) => setTimeout(r, 1500));
        return printer.tickets.slice(printedBefore).some((t) => t.lines.includes('-'.repeat(32)));
      },
      90_000,
    );
    bridge.close();

    // ---------------------------------------------------------------- 8. revoked → pairing again
    await console_.reload();
    await console_.getByRole('button', { name: '终端', exact: true }).click();
    console_.once('dialog', (d) => void d.accept());
    await console_.locator(`tr[data-terminal="${TERMINAL}"]`).getByRole('button', { name: '吊销' }).click();
    await console_.getByText(`终端 ${TERMINAL} 已吊销`).waitFor();
    await until(
      'a new pairing code on the terminal',
      async () => {
        const p = await terminalPage();
        return (
          p.url().includes('/terminal/pairing') &&
          /\d{6}/.test((await p.getByTestId('pairing-code').textContent()) ?? '')
        );
      },
      90_000,
    );
    await shot(await terminalPage(), '08-revoked');
    expect(existsSync(join(termData, 'terminal.token'))).toBe(false);
  }, 900_000);
});
