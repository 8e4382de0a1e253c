/**
 * 办事指南 with a real catalogue: the hub syncs with the platform simulator, caches its catalogue,
 * and the kiosk shows categories, materials and promise days from it.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../drivers/testing/wait-for.js';
import { type PlatformSim, startPlatformSim } from '../../main/platform-sim/platform-sim.js';
import { call, tempDir } from '../support/hub-client.js';
import { closeClean, openKiosk, uiSuite } from './suite.js';
import { screenshot, startUiHub } from './support.js';

const SECRET = 'ui-test-secret-0123456789';
let sim: PlatformSim;
const ui = uiSuite(async () => {
  sim = await startPlatformSim({ halls: [{ hallCode: 'DEMO-HALL-01', secret: SECRET }] });
  const dir = tempDir('govhall-ui-cat-');
  const secretFile = join(dir, 'platform.secret');
  writeFileSync(secretFile, `${SECRET}\n`, { mode: 0o600 });
  const hub = await startUiHub({ platform: { url: sim.url, secretFile } });
  await waitFor(
    'the catalogue at the hub',
    async () => (await call(hub.url, 'GET', '/catalog', hub.tokens.kiosk)).status === 200,
  );
  return hub;
});
afterAll(async () => {
  await sim?.close();
});

describe('kiosk 办事指南 with the platform catalogue', () => {
  it('browses by category and shows materials and promise days', async () => {
    const page = await openKiosk(ui, { bridge: 'sim' });
    await page.getByRole('button', { name: /^办事指南/ }).click();
    await page.getByRole('button', { name: /城乡居民基本养老保险参保登记/ }).waitFor();
    expect(await page.getByText('办事指南详情暂未从省级平台同步').count()).toBe(0);
    await page.getByRole('button', { name: '社会保障', exact: true }).click();
    await screenshot(page, 'kiosk-guide-catalogue-portrait');
    await page.getByRole('button', { name: /城乡居民基本养老保险参保登记/ }).click();
    await page.getByText('区人力资源和社会保障局').waitFor();
    await page.getByText('户口簿').waitFor();
    await page.getByText('即办').waitFor();
    await screenshot(page, 'kiosk-guide-item-portrait');
    await closeClean(page);
  });
});
