/**
 * The busy signal from real role pages: the kiosk and the counter in Chromium on a terminal's local
 * origin (the terminal in process, paired with a real hub on loopback) report a citizen mid-flow to
 * the terminal's activity board, and idle again when they are done.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../drivers/testing/wait-for.js';
import { type HubApp, startHubApp } from '../../main/hall/hub-app.js';
import { startTerminal, type TerminalApp } from '../../main/terminal/terminal-app.js';
import { call, demoConfig, tempDir } from '../support/hub-client.js';
import { ensureRendererBuilt, launchBrowser } from '../ui/support.js';

let hub: HubApp;
let admin: string;
let browser: Browser;
const terminals: TerminalApp[] = [];

/** A terminal of the demo hall, paired through the admin as in a hall. */
async function pairedTerminal(id: string): Promise<TerminalApp> {
  const t = await startTerminal({ terminal: { id, hub: hub.url }, dataDir: tempDir('govhall-activity-term-') });
  terminals.push(t);
  await waitFor('a pairing code', () => t.agent.state.kind === 'pairing' && !!t.agent.state.code);
  const code = t.agent.state.kind === 'pairing' ? t.agent.state.code : null;
  expect((await call(hub.url, 'POST', '/admin/pairings/approve', admin, { code })).status).toBe(200);
  await waitFor('the terminal running', () => t.agent.state.kind === 'running');
  return t;
}

beforeAll(async () => {
  await ensureRendererBuilt();
  hub = await startHubApp({
    config: demoConfig(),
    dataDir: tempDir('govhall-activity-hub-'),
    port: 0,
    version: 'test',
  });
  admin = await hub.createToken('admin', undefined, 'a1');
  browser = await launchBrowser();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  for (const t of terminals) await t.close();
  await hub?.close();
});

describe('role pages report a citizen mid-flow to their terminal', () => {
  it('the kiosk is busy off its home screen and idle again back home', async () => {
    const t = await pairedTerminal('kiosk-1');
    const page = await browser.newPage({ viewport: { width: 1080, height: 1920 } });
    await page.goto(`${t.origin.url}/kiosk/?terminal=kiosk-1`);
    await page.getByRole('button', { name: /^取号/ }).waitFor();
    expect(t.activity.busyPages()).toEqual([]);
    await page.getByRole('button', { name: /^取号/ }).click();
    await waitFor('the kiosk to report busy', () => t.activity.busyPages().includes('kiosk'));
    expect(t.activity.idle(0)).toBe(false);
    await page.getByRole('button', { name: '返回首页' }).click();
    await waitFor('the kiosk to report idle', () => t.activity.busyPages().length === 0);
    expect(t.activity.idle(0)).toBe(true);
    await page.close();
  }, 120_000);

  it('the counter is busy while its window has a citizen called, the evaluator while it asks for a rating', async () => {
    const t = await pairedTerminal('counter-1');
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    await page.goto(`${t.origin.url}/counter/?terminal=counter-1&window=1`);
    await page.getByLabel('工号').fill('8001');
    await page.getByLabel('PIN').fill('123456');
    await page.getByRole('button', { name: '签到' }).click();
    await page.getByRole('heading', { name: /1号窗口/ }).waitFor();
    expect(t.activity.busyPages()).toEqual([]);
    const kiosk = await hub.createToken('kiosk', undefined, 'k1');
    const ticket = await call(hub.url, 'POST', '/tickets', kiosk, { serviceCode: 'ZHZX', channel: 'kiosk' });
    expect(ticket.status).toBe(201);
    await page.getByRole('button', { name: /叫号/ }).getByText('F1').waitFor();
    await page.keyboard.press('F1');
    await page.getByTestId('current-ticket').getByText(ticket.body.number).waitFor();
    await waitFor('the counter to report busy', () => t.activity.busyPages().includes('counter-1'));

    // The window's evaluator (second screen of the same terminal) is busy while it asks for a rating;
    // the counter, its citizen served, is not.
    const pad = await browser.newPage({ viewport: { width: 800, height: 1280 } });
    await pad.goto(`${t.origin.url}/evaluator/?terminal=counter-1&window=1`);
    await page.keyboard.press('F9');
    const dialog = page.getByRole('dialog', { name: `办结 ${ticket.body.number}` });
    await dialog.waitFor();
    // No platform catalogue here: the hall's local catalogue names the 事项.
    await dialog.getByLabel('办理事项').selectOption('11330106MB1234567X4000112002000');
    await dialog.getByLabel('办结结果').selectOption('approved');
    await dialog.getByRole('button', { name: '确认办结' }).click();
    await page.getByTestId('rating-status').getByText('等待评价').waitFor();
    await pad.getByText('请对本次服务进行评价').waitFor();
    await waitFor('the evaluator to report busy', () => t.activity.busyPages().includes('evaluator-1'));
    await waitFor('the counter to report idle', () => !t.activity.busyPages().includes('counter-1'));
    expect(t.activity.idle(0)).toBe(false);
    await pad.close();
    await page.close();
  }, 120_000);
});
