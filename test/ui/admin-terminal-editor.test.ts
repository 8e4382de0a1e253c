/**
 * The 终端 tab's entry editor in Chromium: the admin edits a terminal's entry of the hall config
 * beside what the terminal reported it can see (a serial port inserted with one click), checks it
 * like `config check`, saves it (written back, audited), and a broken entry is refused with its
 * problems. The terminal's report is made over the API with its own token, as a terminal does.
 */
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../drivers/testing/wait-for.js';
import { DEMO_HALL_PATH } from '../../kiosk-config/demo-hall.js';
import { adminPlugins } from '../../main/server/admin-plugins.js';
import { call, demoConfig, tempDir } from '../support/hub-client.js';
import { uiSuite } from './suite.js';
import { openRole, screenshot, startUiHub } from './support.js';

let cfgPath: string;
const ui = uiSuite(async () => {
  const dir = tempDir('govhall-ui-terminal-editor-');
  cfgPath = join(dir, 'hall.yaml');
  copyFileSync(DEMO_HALL_PATH, cfgPath);
  const dataDir = join(dir, 'data');
  return startUiHub({ config: demoConfig(), dataDir, plugins: adminPlugins({ dataDir, configPath: cfgPath }) });
});

beforeAll(async () => {
  const hub = ui.hub;
  const asked = await call(hub.url, 'POST', '/terminals/pairings', null, { terminalId: 'kiosk-1' });
  await call(hub.url, 'POST', '/admin/pairings/approve', hub.tokens.admin, { code: asked.body.code });
  const token = (await call(hub.url, 'GET', `/terminals/pairings/${asked.body.pairingId}`)).body.token as string;
  const seen = await call(hub.url, 'PUT', '/terminals/me/inventory', token, {
    serialPorts: [{ path: '/dev/ttyUSB7', manufacturer: 'FTDI' }],
    hid: [{ vendorId: 0x0c2e, productId: 0x0b61, product: 'Honeywell' }],
    cameras: [{ label: '良田 S500 高拍仪' }],
    displays: [{ id: 0, label: '触摸屏', primary: true, width: 1080, height: 1920 }],
  });
  expect(seen.status).toBe(204);
});

describe('the terminal entry editor (Chromium)', () => {
  it('offers what the terminal sees, checks like config check, saves into the hall config', async () => {
    const hub = ui.hub;
    const page = await openRole(ui.browser, hub, 'admin', {
      token: hub.tokens.admin,
      viewport: { width: 1920, height: 1080 },
    });
    await page.getByRole('button', { name: '终端', exact: true }).click();
    await page.locator('tr[data-terminal="kiosk-1"]').getByRole('button', { name: '编辑配置' }).click();
    const editor = page.getByTestId('terminal-editor');
    const seen = page.getByTestId('terminal-seen');
    await seen.getByRole('button', { name: '/dev/ttyUSB7（FTDI）' }).waitFor();
    await seen.getByRole('button', { name: '良田 S500 高拍仪' }).waitFor();
    await seen.getByRole('button', { name: /0x0c2e:0x0b61 Honeywell/ }).waitFor();
    await seen.getByRole('button', { name: /触摸屏 1080×1920/ }).waitFor();
    const area = editor.locator('textarea[name="terminal-entry"]');
    await waitFor('the entry in the editor', async () => (await area.inputValue()).includes('kiosk-1-idcard'));

    // Put the reader on the reported port: the port is inserted where the placeholder is selected.
    const entry = JSON.parse(await area.inputValue());
    const reader = entry.devices.find((d: { id: string }) => d.id === 'kiosk-1-idcard');
    reader.transport = { type: 'serial', path: '__PORT__', baud: 115200 };
    await area.fill(JSON.stringify(entry, null, 2));
    await area.evaluate((t: { value: string; setSelectionRange(a: number, b: number): void }) => {
      const at = t.value.indexOf('"__PORT__"');
      t.setSelectionRange(at, at + '"__PORT__"'.length);
    });
    await seen.getByRole('button', { name: '/dev/ttyUSB7（FTDI）' }).click();
    expect(await area.inputValue()).toContain('"path": "/dev/ttyUSB7"');
    await editor.getByRole('button', { name: '检查' }).click();
    await editor.getByText('检查通过，可以保存').waitFor();
    await screenshot(page, 'admin-terminal-editor');

    // A broken entry is refused with its problem, and nothing is written.
    const good = await area.inputValue();
    await area.fill(good.replace('"role": "kiosk"', '"role": "nobody"'));
    await editor.getByRole('button', { name: '保存' }).click();
    await editor
      .getByRole('alert')
      .getByText(/界面角色应为/)
      .waitFor();
    await screenshot(page, 'admin-terminal-editor-refused');

    await area.fill(good);
    await editor.getByRole('button', { name: '保存' }).click();
    await page.getByText('终端 kiosk-1 的配置已保存，已推送给终端').waitFor();
    const view = (await call(hub.url, 'GET', '/admin/config', hub.tokens.admin)).body;
    const saved = view.devices.terminals[0];
    expect(saved.id).toBe('kiosk-1');
    expect(saved.devices.find((d: { id: string }) => d.id === 'kiosk-1-idcard').transport).toMatchObject({
      type: 'serial',
      path: '/dev/ttyUSB7',
    });
    expect(readFileSync(cfgPath, 'utf8')).toContain('/dev/ttyUSB7');
    // The refused save (400) and the sync card of a hall without a platform (503) are answers, not script errors.
    expect(page.errors.filter((e) => !e.startsWith('Failed to load resource'))).toEqual([]);
  }, 120_000);
});
