import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { appFileUrl } from '../../common/app-root.js';
import { createHallCalendar } from '../../common/hall-calendar.js';
import { axisTicks, barChartShapes } from './bar-chart.js';
import { type CaseFacts, promiseDate } from './case-facts.js';
import { chooseFont, FontNotFoundError, fontSearchPath } from './cjk-font.js';
import { materialChecklist, noticeLayout } from './notice.js';
import { renderPdf } from './pdf-render.js';
import { receiptLayout } from './receipt.js';
import { refusalLayout } from './refusal.js';
import { type ReportFacts, reportLayout, satisfactionRate } from './report.js';

const ARTIFACTS = fileURLToPath(appFileUrl('test-artifacts/documents'));
const font = chooseFont({ exists: existsSync });

const facts: CaseFacts = {
  hallName: '演示市民服务中心',
  window: { no: 5, name: '不动产登记窗口' },
  staffNo: '8006',
  caseId: 'C0123456789ABCDEF0123',
  projectNo: null,
  ticketNumber: 'B012',
  task: {
    code: '11330106MB0987654Y4000115001000',
    name: '国有建设用地使用权及房屋所有权转移登记',
    deptName: '区不动产登记中心',
    caseType: 2,
    promiseDays: 5,
    materials: [
      { name: '不动产登记申请书', required: true },
      { name: '申请人身份证明', required: true },
      { name: '不动产权属证书', required: true },
      { name: '房屋买卖合同', required: true },
      { name: '完税凭证', required: true },
      { name: '婚姻状况证明', required: false },
    ],
  },
  applicantName: '王*明',
  status: 'finished',
  result: 'returned',
  acceptedAt: '2026-09-30 10:15',
  acceptDay: '2026-09-30',
  received: [
    { name: '不动产登记申请书', copies: 1, pages: 2 },
    { name: '申请人身份证明', copies: 2, pages: null },
    { name: '房屋买卖合同', copies: 1, pages: 6 },
  ],
};

const calendar = createHallCalendar({
  '2026': {
    holidays: ['2026-10-01', '2026-10-02', '2026-10-03', '2026-10-04', '2026-10-05', '2026-10-06', '2026-10-07'],
    makeUpWorkdays: ['2026-10-10'],
  },
});

const pdftotext = (file: string) => execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });

/** Writes the PDF and its pages as PNG under test-artifacts/ (to look at), and answers its poppler facts. */
function inspect(name: string, pdf: Buffer) {
  mkdirSync(ARTIFACTS, { recursive: true });
  const file = join(ARTIFACTS, `${name}.pdf`);
  for (const f of readdirSync(ARTIFACTS)) if (f.startsWith(`${name}-`)) rmSync(join(ARTIFACTS, f));
  writeFileSync(file, pdf);
  execFileSync('pdftoppm', ['-png', '-r', '60', file, join(ARTIFACTS, name)]);
  const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
  const fonts = execFileSync('pdffonts', [file], { encoding: 'utf8' });
  // -raw: in drawing order, so a wrapped table cell reads as one piece once spaces are removed.
  const raw = execFileSync('pdftotext', ['-raw', file, '-'], { encoding: 'utf8' }).replace(/\s/g, '');
  return { file, info, fonts, text: pdftotext(file).replace(/\s+/g, ' '), raw };
}

/** pdffonts lines: every font embedded (`yes`) as a subset (`ABCDEF+` and `yes`), with CJK. */
function expectEmbeddedCjkSubset(fonts: string) {
  const rows = fonts.split('\n').slice(2).filter(Boolean);
  expect(rows.length).toBeGreaterThan(0);
  for (const r of rows) {
    expect(r).toMatch(/^[A-Z]{6}\+\S*(CJK|SimSun|YaHei|SimHei)/i);
    const cols = r.split(/\s+/);
    // name type… encoding emb sub uni id gen: emb and sub are the 4th and 3rd from the end but two.
    expect(cols.slice(-5, -3)).toEqual(['yes', 'yes']);
  }
}

describe('hall documents (pdfkit, checked with poppler)', () => {
  it('受理回执: A4, embedded CJK subset, the code, 事项, materials and the promise date after the holiday', async () => {
    const promise = promiseDate(calendar, facts.acceptDay, facts.task.promiseDays);
    // 9-30 + 5 working days: 10-1…10-7 off, 10-8, 10-9, 10-10 (调休), 10-12, 10-13.
    expect(promise).toEqual({ date: '2026-10-13', days: 5, missingYears: [] });
    const layout = receiptLayout(facts, promise, {
      progress: facts.caseId,
      rating: 'http://10.8.0.2:8801/r/0123456789ABCDEFGHJKMNPQ',
    });
    const pdf = await renderPdf(layout, { font, createdAt: 0 });
    const r = inspect('receipt', pdf);
    expect(r.info).toMatch(/Page size:\s+595\.2\d? x 841\.8\d? pts \(A4\)/);
    expect(r.info).toMatch(/Pages:\s+1\n/);
    expectEmbeddedCjkSubset(r.fonts);
    for (const s of [
      '受理回执',
      facts.caseId,
      '国有建设用地使用权及房屋所有权转移登记',
      '不动产登记申请书',
      '房屋买卖合同',
      '8006',
      '2026年10月13日前办结',
      '扫码评价',
    ]) {
      expect(r.text).toContain(s);
    }
    expect(r.text).not.toContain('王小明');
    expect(pdf.length).toBeLessThan(400_000);
  });

  it('一次性告知书 marks the missing required materials', async () => {
    expect(materialChecklist(facts).map((m) => [m.name, m.received])).toEqual([
      ['不动产登记申请书', true],
      ['申请人身份证明', true],
      ['不动产权属证书', false],
      ['房屋买卖合同', true],
      ['完税凭证', false],
      ['婚姻状况证明', false],
    ]);
    const r = inspect('notice', await renderPdf(noticeLayout(facts), { font, createdAt: 0 }));
    expectEmbeddedCjkSubset(r.fonts);
    expect(r.text).toContain('尚缺以下 2 项必交材料');
    expect(r.text).toMatch(/不动产权属证书 必交 尚缺/);
    expect(r.text).toMatch(/完税凭证 必交 尚缺/);
    expect(r.text).toMatch(/婚姻状况证明 视情况 未收/);
    expect(r.text).toMatch(/房屋买卖合同 必交 已收/);
  });

  it('不予受理通知书 carries the reason', async () => {
    const r = inspect(
      'refusal',
      await renderPdf(refusalLayout(facts, '申请人不是该不动产的权利人，且未提供授权委托书。', '2026-09-30'), {
        font,
        createdAt: 0,
      }),
    );
    expect(r.text).toContain('不予受理通知书');
    expect(r.text).toContain('申请人不是该不动产的权利人');
    expect(r.info).toMatch(/\(A4\)/);
  });

  it('daily and monthly reports: figures, vector charts and the 差评 list over several pages', async () => {
    const s = (issued: number, served: number) => ({
      issued,
      served,
      skipped: issued - served,
      meanWaitSeconds: 300 + issued * 3,
      p90WaitSeconds: 700,
      meanServeSeconds: 420,
      p90ServeSeconds: 900,
    });
    const month: ReportFacts = {
      hallName: '演示市民服务中心',
      kind: 'month',
      period: '2026-11',
      generatedAt: '2026-12-01 08:00',
      total: s(5200, 5000),
      byService: [
        { label: '社保医保', stats: s(2000, 1950) },
        { label: '不动产登记', stats: s(1200, 1150) },
      ],
      byWindow: Array.from({ length: 8 }, (_, i) => ({ label: `${i + 1}号窗口`, stats: s(600 + i * 10, 580 + i * 9) })),
      byStaff: [{ label: '8001 陈建国', stats: s(600, 590) }],
      timeline: Array.from({ length: 30 }, (_, i) => ({
        label: `${i + 1}日`,
        stats: s(150 + (i % 7) * 10, 140 + (i % 7) * 9),
      })),
      satisfaction: [
        { level: '非常满意', count: 3000 },
        { level: '满意', count: 1200 },
        { level: '基本满意', count: 300 },
        { level: '不满意', count: 30 },
        { level: '非常不满意', count: 10 },
      ],
      bad: Array.from({ length: 40 }, (_, i) => ({
        time: `2026-11-${String((i % 28) + 1).padStart(2, '0')} 10:${String(i).padStart(2, '0')}`,
        window: `${(i % 8) + 1}`,
        staff: '8003',
        task: '城乡居民基本养老保险参保登记',
        level: i % 4 ? '不满意' : '非常不满意',
        reasons: '等候时间过长',
        text: i % 3 ? '' : '排队一个多小时',
      })),
    };
    expect(satisfactionRate(month.satisfaction)).toBe('99.1%');
    const pdf = await renderPdf(reportLayout(month), { font, createdAt: 0 });
    const r = inspect('report-month', pdf);
    expect(r.info).toMatch(/\(A4\)/);
    expect(Number(/Pages:\s+(\d+)/.exec(r.info)?.[1])).toBeGreaterThan(1);
    expectEmbeddedCjkSubset(r.fonts);
    // Compared without spaces: a table cell may wrap anywhere in a line of Chinese.
    for (const t of [
      '演示市民服务中心月报',
      '5200 人次',
      '满意率 99.1%',
      '差评（40）',
      '排队一个多小时',
      '按窗口',
      '8001 陈建国',
    ])
      expect(r.raw).toContain(t.replace(/\s/g, ''));
    const day = inspect(
      'report-day',
      await renderPdf(
        reportLayout({
          ...month,
          kind: 'day',
          period: '2026-11-30',
          timeline: Array.from({ length: 10 }, (_, i) => ({ label: `${8 + i}时`, stats: s(40, 38) })),
          bad: [],
        }),
        { font, createdAt: 0 },
      ),
    );
    expect(day.text).toContain('演示市民服务中心日报');
    expect(day.text).toContain('本期没有差评');
  });

  it('bar chart geometry: a round axis, bars in proportion, crowded labels thinned', () => {
    expect([0, 2, 10, 11, 120, 480].map(axisTicks)).toEqual([
      { top: 1, step: 1 },
      { top: 2, step: 1 },
      { top: 10, step: 5 },
      { top: 15, step: 5 },
      { top: 150, step: 50 },
      { top: 600, step: 200 },
    ]);
    const shapes = barChartShapes(
      { title: 't', categories: ['a', 'b'], series: [{ name: 'x', values: [5, 10] }] },
      { x: 0, y: 0, w: 300, h: 130 },
    );
    const bars = shapes.filter((s) => s.kind === 'rect');
    expect(bars).toHaveLength(2);
    expect((bars[1] as { h: number }).h).toBeCloseTo(2 * (bars[0] as { h: number }).h);
    const many = barChartShapes(
      { title: 't', categories: Array.from({ length: 31 }, (_, i) => `${i + 1}`), series: [{ name: 'x', values: [] }] },
      { x: 0, y: 0, w: 300, h: 130 },
    );
    const labels = many.filter((s) => s.kind === 'text' && s.size === 7 && s.align === 'center');
    expect(labels.length).toBeLessThan(31);
    expect(labels.length).toBeGreaterThan(5);
  });

  it('finds the font by the documented search path, the config first, with a Chinese error when none', () => {
    const only = (paths: string[]) => (p: string) => paths.includes(p);
    expect(chooseFont({ exists: only(['C:\\Windows\\Fonts\\simsun.ttc']), windir: 'C:\\Windows' }).regular.name).toBe(
      'SimSun',
    );
    const noto = fontSearchPath()[0]!;
    expect(chooseFont({ exists: only([noto.regular.path]) })).toMatchObject({
      regular: noto.regular,
      bold: noto.regular,
      from: 'search',
    });
    expect(chooseFont({ exists: only(['/srv/f.ttf']), fontFile: '/srv/f.ttf' })).toMatchObject({
      from: 'config',
      regular: { path: '/srv/f.ttf' },
    });
    expect(() => chooseFont({ exists: () => false })).toThrow(FontNotFoundError);
    expect(() => chooseFont({ exists: () => false })).toThrow(/找不到中文字体.*fonts-noto-cjk.*documents\.fontFile/);
    expect(() => chooseFont({ exists: () => false, fontFile: '/srv/x.ttf' })).toThrow(/字体文件不存在：\/srv\/x\.ttf/);
  });
});
