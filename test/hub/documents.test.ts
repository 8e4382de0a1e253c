/**
 * The hall's PDF documents over HTTP (docs/documents.md): who may fetch them, what they say
 * (read back with poppler), what the QR codes hold (read back with jsQR from the rendered page),
 * and the local catalogue that names every 事项 before any platform has answered.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import jsQRModule from 'jsqr';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appFileUrl } from '../../common/app-root.js';
import { gb11643CheckChar } from '../../common/cert-number.js';
import type { HallConfig } from '../../kiosk-config/hall-config.js';
import { call, demoConfig, signInStaff, startTestHub, tempDir } from '../support/hub-client.js';

// jsqr is CommonJS with a `default` in its typings only; at runtime the default import is the function.
const jsQR = ((jsQRModule as unknown as { default?: unknown }).default ?? jsQRModule) as (typeof jsQRModule)['default'];

const ARTIFACTS = fileURLToPath(appFileUrl('test-artifacts/documents-http'));
const TRANSFER = '11330106MB0987654Y4000115001000';
const APPLICANT = (() => {
  const s = '33010619800101002';
  return s + gb11643CheckChar(s);
})();

let hub: Awaited<ReturnType<typeof startTestHub>>;
let staff5: string;
let staff1: string;
let served: { caseId: string; ratingCode: string };

async function pdf(path: string, token: string | null) {
  const res = await fetch(`${hub.url}/api/v1${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  const bytes = Buffer.from(await res.arrayBuffer());
  return { status: res.status, type: res.headers.get('content-type'), bytes, json: () => JSON.parse(bytes.toString()) };
}

/** The PDF on disk (test-artifacts/), its text, fonts, page info and page 1 as PNG. */
function poppler(name: string, bytes: Buffer) {
  mkdirSync(ARTIFACTS, { recursive: true });
  const file = join(ARTIFACTS, `${name}.pdf`);
  writeFileSync(file, bytes);
  execFileSync('pdftoppm', ['-png', '-r', '100', file, join(ARTIFACTS, name)]);
  execFileSync('pdftoppm', ['-gray', '-r', '150', '-f', '1', '-l', '1', '-singlefile', file, join(ARTIFACTS, name)]);
  return {
    text: execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' '),
    fonts: execFileSync('pdffonts', [file], { encoding: 'utf8' }),
    info: execFileSync('pdfinfo', [file], { encoding: 'utf8' }),
    pgm: join(ARTIFACTS, `${name}.pgm`),
  };
}

/** The QR codes of a page: left and right half apart (the receipt prints two side by side), else the whole. */
function qrTexts(pgmFile: string): string[] {
  // pdftoppm -gray writes binary PGM: "P5 width height 255" then one byte a pixel.
  const raw = readFileSync(pgmFile);
  const head = /^P5\s+(\d+)\s+(\d+)\s+255\s/.exec(raw.subarray(0, 40).toString('latin1'));
  if (!head) throw new Error('not a PGM file');
  const png = { width: Number(head[1]), height: Number(head[2]), data: new Uint8ClampedArray(0) };
  const gray = raw.subarray(head[0].length);
  png.data = new Uint8ClampedArray(png.width * png.height * 4);
  for (let i = 0; i < png.width * png.height; i++) {
    const v = gray[i] ?? 255;
    png.data.set([v, v, v, 255], i * 4);
  }
  const out: string[] = [];
  for (const half of [0, 1]) {
    const w = Math.floor(png.width / 2);
    const data = new Uint8ClampedArray(w * png.height * 4);
    for (let y = 0; y < png.height; y++) {
      const from = (y * png.width + half * w) * 4;
      data.set(png.data.subarray(from, from + w * 4), y * w * 4);
    }
    const code = jsQR(data, w, png.height);
    if (code) out.push(code.data);
  }
  if (out.length) return out;
  // One code alone is printed in the middle, across both halves.
  const whole = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
  return whole ? [whole.data] : [];
}

beforeAll(async () => {
  const config = { ...demoConfig(), public: { baseUrl: 'http://10.8.0.2:8801/' } } as HallConfig;
  hub = await startTestHub({ config, dataDir: tempDir('govhall-docs-') });
  staff5 = await signInStaff(hub.url, '8006', 5);
  staff1 = await signInStaff(hub.url, '8001', 1);
  const t = await call(hub.url, 'POST', '/tickets', hub.kiosk, {
    serviceCode: 'BDCDJ',
    channel: 'kiosk',
    applicant: { name: '王小明', certType: 'resident', certNo: APPLICANT },
  });
  expect(t.status).toBe(201);
  expect((await call(hub.url, 'POST', '/windows/5/call-next', staff5)).status).toBe(200);
  const f = await call(hub.url, 'POST', '/windows/5/finish', staff5, {
    case: {
      taskCode: TRANSFER,
      result: 'returned',
      caseType: '2',
      materials: ['不动产登记申请书', '申请人身份证明', '房屋买卖合同'],
    },
  });
  expect(f.status).toBe(200);
  served = f.body;
});
afterAll(async () => {
  await hub?.close();
});

describe('local catalogue before the platform', () => {
  it('GET /catalog answers the hall config’s catalogue: names, materials, promise days', async () => {
    const c = await call(hub.url, 'GET', '/catalog', hub.kiosk);
    expect(c.status).toBe(200);
    expect(c.body).toMatchObject({ source: 'local', fetchedAt: null, evaluationReasons: [] });
    const item = c.body.items.find((i: { taskCode: string }) => i.taskCode === TRANSFER);
    expect(item).toMatchObject({ taskName: '国有建设用地使用权及房屋所有权转移登记', caseType: 2, promiseDays: 5 });
    expect(item.materials).toHaveLength(6);
    const one = await call(hub.url, 'GET', `/catalog?taskCode=${TRANSFER}`, hub.counter);
    expect(one.body.items).toHaveLength(1);
  });
});

describe('documents over HTTP', () => {
  it('受理回执 for the serving window: A4, embedded CJK subset, code, 事项, materials, both QR codes', async () => {
    const r = await pdf(`/cases/${served.caseId}/receipt.pdf?ratingCode=${served.ratingCode}`, staff5);
    expect(r.status).toBe(200);
    expect(r.type).toBe('application/pdf');
    const p = poppler('receipt', r.bytes);
    expect(p.info).toMatch(/Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)/);
    expect(p.fonts).toMatch(/[A-Z]{6}\+NotoSansCJKsc-\w+\s+CID Type 0C\s+Identity-H\s+yes yes/);
    for (const s of [
      served.caseId,
      '国有建设用地使用权及房屋所有权转移登记',
      '不动产登记申请书',
      '房屋买卖合同',
      '8006',
      '5 号窗口',
      '王*明',
      '5 个工作日',
    ]) {
      expect(p.text).toContain(s);
    }
    expect(p.text).not.toContain('王小明');
    expect(p.text).not.toContain(APPLICANT);
    // The progress QR holds the case's code (no progress page configured); the rating QR the 扫码评价 page.
    expect(qrTexts(p.pgm)).toEqual([served.caseId, `http://10.8.0.2:8801/r/${served.ratingCode}`]);
  });

  it('without the rating code the receipt has no rating QR; a wrong one is refused', async () => {
    const r = await pdf(`/cases/${served.caseId}/receipt.pdf`, hub.admin);
    expect(r.status).toBe(200);
    const p = poppler('receipt-admin', r.bytes);
    expect(p.text).toContain('请在窗口的评价器上对本次服务作出评价');
    expect(qrTexts(p.pgm)).toEqual([served.caseId]);
    const wrong = await pdf(`/cases/${served.caseId}/receipt.pdf?ratingCode=NOTTHECODE`, staff5);
    expect(wrong.status).toBe(404);
    expect(wrong.json().code).toBe('UNKNOWN_RATING_CODE');
  });

  it('refuses another window’s staff, device tokens other than admin, and unknown cases', async () => {
    const other = await pdf(`/cases/${served.caseId}/receipt.pdf`, staff1);
    expect(other.status).toBe(403);
    expect(other.json()).toMatchObject({ code: 'WRONG_WINDOW' });
    expect((await pdf(`/cases/${served.caseId}/notice.pdf`, staff1)).status).toBe(403);
    for (const token of [hub.kiosk, hub.counter, hub.display, hub.evaluator]) {
      expect((await pdf(`/cases/${served.caseId}/receipt.pdf`, token)).status).toBe(403);
    }
    expect((await pdf(`/cases/${served.caseId}/receipt.pdf`, null)).status).toBe(401);
    const unknown = await pdf('/cases/CNOSUCHCASE000000000/receipt.pdf', hub.admin);
    expect(unknown.status).toBe(404);
    expect(unknown.json().code).toBe('UNKNOWN_CASE');
    expect((await pdf('/cases/CNOSUCHCASE000000000/notice.pdf', staff5)).status).toBe(404);
  });

  it('一次性告知书 lists the catalogue’s materials with the missing ones marked', async () => {
    const r = await pdf(`/cases/${served.caseId}/notice.pdf`, staff5);
    expect(r.status).toBe(200);
    const p = poppler('notice', r.bytes);
    expect(p.text).toContain('尚缺以下 2 项必交材料');
    expect(p.text).toMatch(/不动产权属证书 必交 尚缺/);
    expect(p.text).toMatch(/完税凭证 必交 尚缺/);
    expect(p.text).toMatch(/不动产登记申请书 必交 已收/);
  });

  it('不予受理通知书 only for a refused case, with its reason', async () => {
    const notRefused = await pdf(
      `/cases/${served.caseId}/refusal.pdf?reason=${encodeURIComponent('材料不全')}`,
      staff5,
    );
    expect(notRefused.status).toBe(409);
    expect(notRefused.json().code).toBe('CASE_NOT_REFUSED');
    await call(hub.url, 'POST', '/tickets', hub.kiosk, {
      serviceCode: 'BDCDJ',
      channel: 'kiosk',
      applicant: { name: '王小明', certType: 'resident', certNo: APPLICANT },
    });
    await call(hub.url, 'POST', '/windows/5/call-next', staff5);
    const f = await call(hub.url, 'POST', '/windows/5/finish', staff5, {
      case: { taskCode: TRANSFER, result: 'rejected' },
    });
    const missing = await pdf(`/cases/${f.body.caseId}/refusal.pdf`, staff5);
    expect(missing.status).toBe(400);
    const reason = '申请人不是该不动产的权利人，且未提供授权委托书';
    const r = await pdf(`/cases/${f.body.caseId}/refusal.pdf?reason=${encodeURIComponent(reason)}`, staff5);
    expect(r.status).toBe(200);
    const p = poppler('refusal', r.bytes);
    expect(p.text).toContain('不予受理通知书');
    expect(p.text).toContain(reason);
  });

  it('daily and monthly reports for the admin only', async () => {
    const today = (await call(hub.url, 'GET', '/health')).body.businessDay as string;
    const day = await pdf(`/admin/reports/daily.pdf?day=${today}`, hub.admin);
    expect(day.status).toBe(200);
    const d = poppler('report-daily', day.bytes);
    expect(d.text).toContain('演示市民服务中心日报');
    expect(d.text).toContain('不动产登记');
    expect(d.info).toMatch(/\(A4\)/);
    const month = await pdf(`/admin/reports/monthly.pdf?month=${today.slice(0, 7)}`, hub.admin);
    expect(month.status).toBe(200);
    expect(poppler('report-monthly', month.bytes).text).toContain('演示市民服务中心月报');
    expect((await pdf('/admin/reports/monthly.pdf?month=2026-13', hub.admin)).status).toBe(400);
    expect((await pdf('/admin/reports/daily.pdf', staff5)).status).toBe(403);
  });
});

describe('without a Chinese font', () => {
  it('answers 503 FONT_NOT_FOUND saying what to install or configure', async () => {
    const config = { ...demoConfig(), documents: { fontFile: '/nonexistent/font.ttf' } } as HallConfig;
    const other = await startTestHub({ config, dataDir: tempDir('govhall-docs-nofont-') });
    try {
      const r = await fetch(`${other.url}/api/v1/admin/reports/daily.pdf`, {
        headers: { authorization: `Bearer ${other.admin}` },
      });
      expect(r.status).toBe(503);
      const body = (await r.json()) as { code: string; message: string };
      expect(body.code).toBe('FONT_NOT_FOUND');
      expect(body.message).toMatch(/字体文件不存在：\/nonexistent\/font\.ttf.*fonts-noto-cjk.*documents\.fontFile/);
    } finally {
      await other.close();
    }
  });
});
