/**
 * 受理回执: what the citizen takes home from the window — the hall, window and staff number, the
 * 事项, the code to quote (办件编号, or the local case id until the platform gives one), the
 * materials received, the promise date in working days, and two QR codes: the case's progress and
 * the 扫码评价 page. Pure: facts in, layout out.
 */
import { type CaseFacts, caseCode, chineseDate, type PromiseDate, RESULT_NAMES, STATUS_NAMES } from './case-facts.js';
import type { Block, DocumentLayout } from './layout.js';
import { qrMatrix } from './qr-matrix.js';

export interface ReceiptLinks {
  /** What the progress QR holds: a URL with the code, or the code itself (docs/documents.md). */
  progress: string;
  /** The 扫码评价 page (`{publicBaseUrl}/r/{ratingCode}`), or null when it cannot be printed. */
  rating: string | null;
}

export function receiptLayout(f: CaseFacts, promise: PromiseDate, links: ReceiptLinks): DocumentLayout {
  const code = caseCode(f);
  const promiseText =
    promise.date === null
      ? '即办件，当场办结'
      : `${chineseDate(promise.date)}前办结（${promise.days} 个工作日，节假日顺延）${
          promise.missingYears.length ? `；${promise.missingYears.join('、')} 年节假日安排未录入，仅按周末计算` : ''
        }`;
  const blocks: Block[] = [
    { kind: 'title', text: '受理回执', subtitle: `${f.hallName}` },
    {
      kind: 'fields',
      rows: [
        { label: '办件编号', value: code, tone: 'strong' },
        { label: '办理事项', value: f.task.name },
        { label: '事项编码', value: f.task.code },
        ...(f.task.deptName ? [{ label: '实施部门', value: f.task.deptName }] : []),
        { label: '申请人', value: f.applicantName ?? '—' },
        { label: '受理窗口', value: f.window ? `${f.window.no} 号窗口（${f.window.name}）` : '—' },
        { label: '受理人工号', value: f.staffNo ?? '—' },
        { label: '受理时间', value: f.acceptedAt },
        ...(f.ticketNumber ? [{ label: '排队号', value: f.ticketNumber }] : []),
        {
          label: '办件状态',
          value: `${STATUS_NAMES[f.status] ?? f.status}${f.result ? `（${RESULT_NAMES[f.result] ?? f.result}）` : ''}`,
        },
        { label: '承诺时限', value: promiseText, tone: promise.date ? 'strong' : 'normal' },
      ],
    },
    { kind: 'heading', text: '已收材料' },
    {
      kind: 'table',
      columns: [
        { title: '序号', width: 1, align: 'center' },
        { title: '材料名称', width: 7 },
        { title: '份数', width: 1.2, align: 'center' },
        { title: '页数', width: 1.2, align: 'center' },
      ],
      rows: f.received.map((m, i) => ({
        cells: [
          String(i + 1),
          m.name,
          m.copies === null ? '—' : String(m.copies),
          m.pages === null ? '—' : String(m.pages),
        ],
      })),
      empty: '本次未收取材料',
    },
    { kind: 'gap', height: 6 },
    {
      kind: 'qrs',
      codes: [
        {
          matrix: qrMatrix(links.progress),
          caption: '扫码查询办理进度',
          note: links.progress === code ? `二维码内容为办件编号，可在政务服务网或大厅取号机“办件查询”中输入` : '',
        },
        ...(links.rating
          ? [
              {
                matrix: qrMatrix(links.rating),
                caption: '扫码评价（好差评）',
                note: '对本次服务作出评价，差评将在规定时限内整改回访',
              },
            ]
          : []),
      ],
    },
    ...(links.rating
      ? []
      : [
          {
            kind: 'paragraph' as const,
            text: '请在窗口的评价器上对本次服务作出评价。',
            tone: 'muted' as const,
            size: 9.5,
          },
        ]),
    {
      kind: 'paragraph',
      text: `请妥善保管本回执，凭办件编号与申请人证件号码查询办理进度、领取结果。${
        f.projectNo ? '' : '上列为本地受理编号；省级平台赋予办件编号后，用任一编号均可查询。'
      }`,
      size: 9.5,
      tone: 'muted',
    },
    { kind: 'signature', lines: [`${f.hallName}（盖章）`, chineseDate(f.acceptDay)] },
  ];
  return { title: `受理回执 ${code}`, header: `${f.hallName} · 受理回执`, footer: `办件编号 ${code}`, blocks };
}
