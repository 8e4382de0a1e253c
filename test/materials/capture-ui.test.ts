/**
 * 高拍仪 capture at the counter, in Chromium with a fake camera that films a generated document
 * page: two pages captured (one turned and cropped by hand), combined into one PDF, uploaded while
 * serving and named at 办结. The material is stored sealed (none of its bytes in the data folder),
 * under the right hash, and the case lists it. The platform is away meanwhile; once it is back, the
 * simulator receives the file exactly once, before the case that names it. Screens are saved to
 * test-artifacts/materials/.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../drivers/testing/wait-for.js';
import { type PlatformSim, startPlatformSim } from '../../main/platform-sim/platform-sim.js';
import { call, tempDir } from '../support/hub-client.js';
import { CHROMIUM_ARGS, ROOT, startUiHub, type UiHub, VIEWPORTS } from '../ui/support.js';
import { previewPlaying, writeDocumentVideo } from './fake-document-video.js';

const ARTIFACTS = join(ROOT, 'test-artifacts', 'materials');
const SECRET = 'materials-ui-secret-0123456789';
const TASK = '11330106MB1234567X4000112001000';
let sim: PlatformSim;
let hub: UiHub;
let browser: Browser;
const dir = tempDir('govhall-ui-materials-');

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  const video = join(dir, 'document.y4m');
  writeDocumentVideo(video);
  sim = await startPlatformSim({ halls: [{ hallCode: 'DEMO-HALL-01', secret: SECRET }] });
  const secretFile = join(dir, 'platform.secret');
  writeFileSync(secretFile, `${SECRET}\n`, { mode: 0o600 });
  hub = await startUiHub({ platform: { url: sim.url, secretFile }, dataDir: join(dir, 'data') });
  await waitFor(
    'the catalogue at the hub',
    async () => (await call(hub.url, 'GET', '/catalog', hub.tokens.kiosk)).status === 200,
    60_000,
  );
  // The platform goes away after the catalogue came: the whole visit happens during the outage.
  sim.setFaults({ partitioned: true });
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      ...CHROMIUM_ARGS,
      '--use-fake-device-for-media-stream',
      `--use-file-for-fake-video-capture=${video}`,
      '--use-fake-ui-for-media-stream',
    ],
    timeout: 60_000,
  });
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await hub?.close();
  await sim?.close();
});

const shot = (page: Page, name: string) =>
  page.screenshot({ path: join(ARTIFACTS, `${name}.png`), animations: 'disabled', timeout: 60_000 });

describe('高拍仪 capture at the counter', () => {
  it('captures two pages into one PDF material, finishes the case, stores it sealed', async () => {
    const context = await browser.newContext({
      viewport: VIEWPORTS.counter,
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
    });
    await context.grantPermissions(['camera'], { origin: hub.url });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.setDefaultTimeout(30_000);
    const token = await hub.token('counter', 1, 'win-1');
    await page.goto(`${hub.url}/counter/?window=1&token=${token}`);
    await page.getByLabel('工号').fill('8001');
    await page.getByLabel('PIN').fill('123456');
    await page.getByRole('button', { name: '签到' }).click();
    await page.getByRole('heading', { name: /1号窗口/ }).waitFor();

    const t = await call(hub.url, 'POST', '/tickets', hub.tokens.kiosk, {
      serviceCode: 'SBYB',
      channel: 'kiosk',
      applicant: { name: '张三丰', certType: 'resident', certNo: '11010519491231002X' },
    });
    expect(t.status).toBe(201);
    await page.keyboard.press('F1');
    await page.getByTestId('current-ticket').getByText(t.body.number).waitFor();
    // Capture needs the ticket being served.
    expect(await page.getByRole('button', { name: /采集材料/ }).isDisabled()).toBe(true);
    await page.keyboard.press('F8');
    await page.getByTestId('current-ticket').getByText('办理中').waitFor();
    await page.keyboard.press('F10');
    const dialog = page.getByRole('dialog', { name: `采集材料 · ${t.body.number}` });
    await dialog.waitFor();
    // Not a terminal with a configured camera here: the first camera, and a notice that says so.
    await dialog.getByText(/本窗口未配置高拍仪，已使用/).waitFor();
    await previewPlaying(page);
    // The 事项's materials from the catalogue are offered, the first one picked.
    await dialog.getByLabel('办理事项').selectOption(TASK);
    expect(await dialog.locator('select[name=materialName]').inputValue()).toBe('居民身份证');
    await shot(page, 'capture-live-1366x768');

    // Page 1: the suggested crop, accepted.
    await dialog.getByRole('button', { name: '拍摄', exact: true }).click();
    await dialog.getByRole('img', { name: /拍摄的页面/ }).waitFor();
    const corners = await dialog
      .locator('.c-crop-handle')
      .evaluateAll((cs) => cs.map((c) => [Number(c.getAttribute('cx')), Number(c.getAttribute('cy'))]));
    // The suggestion found the page on the desk (corners near those of the generated page).
    const want = [
      [380, 70],
      [960, 110],
      [910, 900],
      [330, 860],
    ];
    corners.forEach(([x, y], i) => {
      expect(Math.abs(x! - want[i]![0]!)).toBeLessThan(25);
      expect(Math.abs(y! - want[i]![1]!)).toBeLessThan(25);
    });
    await shot(page, 'capture-crop-suggested-1366x768');
    await dialog.getByRole('button', { name: '确认本页' }).click();
    await dialog.getByText('本份材料 1 页').waitFor();

    // Page 2: turned right, then a corner dragged by hand.
    await dialog.getByRole('button', { name: '拍摄下一页' }).click();
    await dialog.getByRole('button', { name: '向右转' }).click();
    const handle = dialog.locator('.c-crop-handle').first();
    const box = (await handle.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 + 20, box.y + box.height / 2 + 15, { steps: 4 });
    await page.mouse.up();
    await shot(page, 'capture-crop-rotated-1366x768');
    await dialog.getByRole('button', { name: '确认本页' }).click();
    await dialog.getByText('本份材料 2 页').waitFor();
    await shot(page, 'capture-two-pages-1366x768');
    await dialog.getByRole('button', { name: /完成并上传（2 页）/ }).click();
    await dialog.getByText(/已上传「居民身份证」：2 页/).waitFor();
    await shot(page, 'capture-uploaded-1366x768');
    await dialog.getByRole('button', { name: /关闭/ }).click();
    await page.getByRole('region', { name: '材料' }).getByText('居民身份证').waitFor();
    await shot(page, 'counter-materials-panel-1366x768');

    await page.keyboard.press('F9');
    const fin = page.getByRole('dialog', { name: `办结 ${t.body.number}` });
    await fin.getByLabel('办理事项').selectOption(TASK);
    await fin.getByText(/居民身份证 · 2 页/).waitFor();
    await shot(page, 'capture-finish-form-1366x768');
    await fin.getByRole('button', { name: '确认办结' }).click();
    await page.getByTestId('rating-status').getByText('等待评价').waitFor();
    expect(errors).toEqual([]);
    await context.close();

    // The case lists the material; its bytes hash to the listed SHA-256 and make a 2-page PDF.
    const db = (await import('../../main/store/database.js')).openDatabase({
      dataDir: hub.dataDir,
      appVersion: 'test',
    });
    const caseId = (db.db.prepare('SELECT id FROM cases ORDER BY rowid DESC LIMIT 1').get() as { id: string }).id;
    db.close();
    const list = await call(hub.url, 'GET', `/cases/${caseId}/materials`, hub.tokens.admin);
    expect(list.body).toEqual([expect.objectContaining({ name: '居民身份证', contentType: 'application/pdf' })]);
    const m = list.body[0] as { sha256: string; bytes: number };
    const res = await fetch(`${hub.url}/api/v1/cases/${caseId}/materials/${m.sha256}`, {
      headers: { authorization: `Bearer ${hub.tokens.admin}` },
    });
    const pdf = Buffer.from(await res.arrayBuffer());
    expect(createHash('sha256').update(pdf).digest('hex')).toBe(m.sha256);
    expect(pdf.length).toBe(m.bytes);
    const file = join(ARTIFACTS, 'material.pdf');
    writeFileSync(file, pdf);
    expect(execFileSync('pdfinfo', [file], { encoding: 'utf8' })).toMatch(/Pages:\s+2/);
    const images = execFileSync('pdfimages', ['-list', file], { encoding: 'utf8' }).trim().split('\n').slice(2);
    expect(images).toHaveLength(2);
    for (const l of images) expect(l).toMatch(/\bjpeg\b/);
    // Each page within the size target.
    execFileSync('pdfimages', ['-j', file, join(ARTIFACTS, 'page')]);
    for (const f of ['page-000.jpg', 'page-001.jpg'])
      expect(readFileSync(join(ARTIFACTS, f)).length).toBeLessThanOrEqual(500 * 1024);
    execFileSync('pdftoppm', ['-r', '40', '-png', file, join(ARTIFACTS, 'material-page')]);

    // Sealed at rest: no run of its bytes in any file of the data folder.
    const runs = [pdf.subarray(0, 64), pdf.subarray(pdf.length >> 1, (pdf.length >> 1) + 64), pdf.subarray(-200, -136)];
    for (const e of readdirSync(hub.dataDir, { withFileTypes: true, recursive: true })) {
      if (!e.isFile()) continue;
      const bytes = readFileSync(join(e.parentPath, e.name));
      for (const r of runs) expect(bytes.includes(r), `${e.name} holds plaintext`).toBe(false);
    }

    // The platform comes back: the file reaches it once, before the case, byte for byte.
    const status = await call(hub.url, 'GET', '/sync/status', hub.tokens.admin);
    expect(status.body.pending).toBeGreaterThanOrEqual(2);
    sim.setFaults({});
    await waitFor('the case at the platform', () => sim.records().find((r) => r.localCaseId === caseId), 150_000);
    const held = sim.materials().filter((x) => x.sha256 === m.sha256);
    expect(held).toHaveLength(1);
    expect(held[0]).toMatchObject({ name: '居民身份证', contentType: 'application/pdf', size: pdf.length, puts: 1 });
    expect(sim.materialBytes(m.sha256)!.equals(pdf)).toBe(true);
    const caseRecords = sim.records().filter((r) => r.localCaseId === caseId && r.kind === 'case');
    expect(caseRecords).toHaveLength(1);
    expect(Date.parse(held[0]!.storedAt)).toBeLessThanOrEqual(Date.parse(caseRecords[0]!.acceptedAt));
    expect(caseRecords[0]!.data.materials).toEqual([expect.objectContaining({ name: '居民身份证', sha256: m.sha256 })]);
    expect(sim.stats().rejectedByCode.UNKNOWN_MATERIAL ?? 0).toBe(0);
  }, 400_000);
});
