/**
 * Document benchmark: the time and size of one 受理回执 PDF (layout, two QR codes as vectors, the
 * CJK font subset embedded), and of a month report (four pages, charts, 40 差评 rows), next to a
 * baseline measured in the same run: an A4 PDF with the same CJK font and one line of text — the
 * floor of any Chinese PDF, dominated by parsing the font and subsetting it.
 *
 * Called from run.ts; also runs alone: node --import tsx test/bench/documents-bench.ts [--quick]
 */
import { existsSync } from 'node:fs';
import PDFDocument from 'pdfkit';
import { createHallCalendar } from '../../common/hall-calendar.js';
import { type CaseFacts, promiseDate } from '../../main/documents/case-facts.js';
import { chooseFont, type FontChoice, fontSource } from '../../main/documents/cjk-font.js';
import { renderPdf } from '../../main/documents/pdf-render.js';
import { receiptLayout } from '../../main/documents/receipt.js';
import { type ReportFacts, reportLayout } from '../../main/documents/report.js';
import { type BenchOptions, type BenchRow, isMain, median, runAlone } from './bench-kit.js';

/** A receipt is printed while the citizen waits at the window: well under a second. */
const GOAL_MS = 500;

const FACTS: CaseFacts = {
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
    materials: [{ name: '不动产登记申请书', required: true }],
  },
  applicantName: '王*明',
  status: 'finished',
  result: 'approved',
  acceptedAt: '2026-09-30 10:15',
  acceptDay: '2026-09-30',
  received: [
    { name: '不动产登记申请书', copies: 1, pages: 2 },
    { name: '申请人身份证明', copies: 2, pages: null },
    { name: '房屋买卖合同', copies: 1, pages: 6 },
  ],
};

function monthFacts(): ReportFacts {
  const s = (issued: number) => ({
    issued,
    served: issued - 5,
    skipped: 5,
    meanWaitSeconds: 420,
    p90WaitSeconds: 900,
    meanServeSeconds: 380,
    p90ServeSeconds: 700,
  });
  return {
    hallName: '演示市民服务中心',
    kind: 'month',
    period: '2026-11',
    generatedAt: '2026-12-01 08:00',
    total: s(5200),
    byService: Array.from({ length: 6 }, (_, i) => ({ label: `业务${i + 1}`, stats: s(800 + i) })),
    byWindow: Array.from({ length: 8 }, (_, i) => ({ label: `${i + 1}号窗口`, stats: s(600 + i) })),
    byStaff: Array.from({ length: 10 }, (_, i) => ({ label: `${8001 + i}`, stats: s(500 + i) })),
    timeline: Array.from({ length: 30 }, (_, i) => ({ label: `${i + 1}日`, stats: s(150 + i) })),
    satisfaction: ['非常满意', '满意', '基本满意', '不满意', '非常不满意'].map((level, i) => ({
      level,
      count: 100 >> i,
    })),
    bad: Array.from({ length: 40 }, (_, i) => ({
      time: `2026-11-${String((i % 28) + 1).padStart(2, '0')} 10:00`,
      window: '3',
      staff: '8003',
      task: '城乡居民基本养老保险参保登记',
      level: '不满意',
      reasons: '等候时间过长',
      text: '',
    })),
  };
}

/** The floor: the same font, one line of Chinese on an A4 page. */
function baselinePdf(font: FontChoice): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4' });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
  });
  doc.registerFont('R', fontSource(font.regular) as Buffer, font.regular.name as string);
  doc.font('R').fontSize(20).text('受理回执');
  doc.end();
  return done;
}

async function timed(n: number, make: () => Promise<Buffer>): Promise<{ ms: number; bytes: number }> {
  await make(); // warm-up: reads the font file once (cached) and compiles the code paths
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    bytes = (await make()).length;
    times.push(performance.now() - t0);
  }
  return { ms: median(times), bytes };
}

export async function documentBenchmarks({ quick, progress }: BenchOptions): Promise<BenchRow[]> {
  progress('文书 PDF：受理回执与月报');
  const font = chooseFont({ exists: existsSync });
  const n = quick ? 5 : 20;
  const calendar = createHallCalendar({});
  const promise = promiseDate(calendar, FACTS.acceptDay, 5);
  const links = { progress: FACTS.caseId, rating: 'http://10.8.0.2:8801/r/0123456789ABCDEFGHJKMNPQ' };
  // Interleaved in one loop each, so a busy moment of the machine hits both alike.
  const base = await timed(n, () => baselinePdf(font));
  const receipt = await timed(n, () => renderPdf(receiptLayout(FACTS, promise, links), { font, createdAt: 0 }));
  const month = await timed(Math.max(3, n / 4), () => renderPdf(reportLayout(monthFacts()), { font, createdAt: 0 }));
  const kb = (b: number) => `${(b / 1024).toFixed(0)} KB`;
  const baseline = `同字体一行字的 A4 ${base.ms.toFixed(0)} ms，${kb(base.bytes)}`;
  return [
    {
      id: 'documents-receipt',
      name: '受理回执 PDF 生成 / receipt PDF',
      value: `${receipt.ms.toFixed(0)} ms/份，${kb(receipt.bytes)}`,
      baseline,
      ratio: (receipt.ms / base.ms).toFixed(2),
      goal: `< ${GOAL_MS} ms/份`,
      pass: receipt.ms < GOAL_MS,
    },
    {
      id: 'documents-report-month',
      name: '月报 PDF 生成 / monthly report PDF',
      value: `${month.ms.toFixed(0)} ms/份，${kb(month.bytes)}`,
      baseline,
      ratio: (month.ms / base.ms).toFixed(2),
      goal: '仅记录',
      pass: null,
    },
  ];
}

if (isMain(import.meta.url)) await runAlone(documentBenchmarks);
