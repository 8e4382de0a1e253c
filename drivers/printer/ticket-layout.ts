/**
 * The queue ticket on a roll: 58 mm (32 half-width columns, 384 dots) or 80 mm (48 columns, 576
 * dots); never A4. Hall name, the big number, service, people ahead, estimated wait, time, a QR
 * code, the masked applicant name and a short notice. Pure: same input, same bytes (golden tests).
 */
import { maskName as maskFullName } from '../../common/mask.js';
import type { TicketPrint } from '../../common/ticket-print.js';
import { type Align, EscPos, type QrLevel, qrRaster, textColumns } from './escpos.js';

export type PaperWidth = 58 | 80;

export const PAPER: Record<PaperWidth, { columns: number; dots: number }> = {
  58: { columns: 32, dots: 384 },
  80: { columns: 48, dots: 576 },
};

/** What goes on a ticket: the shape the device service prints (`ticketId` only feeds the QR URL). */
export type TicketLayoutInput = TicketPrint;

export interface LayoutOptions {
  width: PaperWidth;
  /** `native` = the printer's `GS ( k`; `raster` = we draw the QR as a `GS v 0` image. */
  qrMode?: 'native' | 'raster';
  qrLevel?: QrLevel;
}

/** Masks a name as everywhere in govhall (common/mask.ts): 张三 → 张*, 张小三 → 张*三. Already masked stays. */
export function maskName(name: string): string {
  const t = name.trim();
  return t.includes('*') ? t : maskFullName(t);
}

/**
 * Fills a QR URL template: `{publicBaseUrl}` (config `public.baseUrl`, the address phones reach),
 * `{ticketCode}` (the ticket's unguessable code), `{baseUrl}`, `{ticketId}`, `{number}` (values
 * URL-encoded, the bases without a trailing slash).
 */
export function qrUrlFor(
  template: string,
  v: { ticketId: string; number: string; baseUrl?: string; publicBaseUrl?: string; ticketCode?: string },
): string {
  return template
    .replaceAll('{publicBaseUrl}', (v.publicBaseUrl ?? v.baseUrl ?? '').replace(/\/+$/, ''))
    .replaceAll('{ticketCode}', encodeURIComponent(v.ticketCode ?? ''))
    .replaceAll('{baseUrl}', (v.baseUrl ?? '').replace(/\/+$/, ''))
    .replaceAll('{ticketId}', encodeURIComponent(v.ticketId))
    .replaceAll('{number}', encodeURIComponent(v.number));
}

/** Splits text into lines of at most `columns` half-width columns (CJK counts two). */
export function wrapColumns(text: string, columns: number): string[] {
  const lines: string[] = [];
  for (const para of text.split(/\r?\n/)) {
    let cur = '';
    let used = 0;
    for (const ch of para) {
      const w = textColumns(ch);
      if (used + w > columns && cur) {
        lines.push(cur);
        cur = '';
        used = 0;
      }
      cur += ch;
      used += w;
    }
    lines.push(cur);
  }
  return lines;
}

function formatTime(issuedAt: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})/.exec(issuedAt);
  return m ? `${m[1]} ${m[2]}` : issuedAt;
}

function formatWait(seconds: number): string {
  if (seconds < 60) return '不到 1 分钟';
  return `约 ${Math.ceil(seconds / 60)} 分钟`;
}

/** Keeps only what a ticket line may hold: no control characters that would become commands. */
function clean(s: string): string {
  return s.replace(/[\x00-\x1f\x7f]/g, ' ');
}

/** The ESC/POS bytes of one ticket, cut at the end. */
export function layoutTicket(t: TicketLayoutInput, opts: LayoutOptions): Uint8Array {
  const { columns, dots } = PAPER[opts.width];
  const wide = opts.width === 80;
  const p = new EscPos().init().chineseMode(true);
  const block = (text: string, align: Align, size: number, bold: boolean) => {
    p.align(align).size(size).bold(bold);
    for (const l of wrapColumns(clean(text), Math.floor(columns / size))) p.line(l);
  };
  const rule = () => p.align('left').size(1).bold(false).line('-'.repeat(columns));

  if (t.header) block(t.header, 'center', 1, false);
  block(t.hallName, 'center', 2, true);
  rule();
  block(t.serviceName, 'center', wide ? 2 : 1, true);
  block(t.number, 'center', wide ? 4 : 3, true);
  if (t.priority) block(`（${t.priority}）`, 'center', 1, false);
  p.size(1).bold(false).align('left');
  p.line(`您前面还有 ${Math.max(0, Math.trunc(t.ahead))} 人等候`);
  if (t.estimatedWaitSeconds !== undefined && t.estimatedWaitSeconds >= 0) {
    p.line(`预计等候：${formatWait(t.estimatedWaitSeconds)}`);
  }
  p.line(`取号时间：${clean(formatTime(t.issuedAt))}`);
  if (t.applicantName) p.line(`申请人：${clean(maskName(t.applicantName))}`);
  if (t.qr) {
    const level = opts.qrLevel ?? 'M';
    const moduleSize = wide ? 6 : 5;
    p.align('center').line();
    if (opts.qrMode === 'raster') {
      // Shrink the modules until the image fits the paper (long URLs make big codes).
      let scale = moduleSize;
      let img = qrRaster(t.qr, { scale, level });
      while (img.widthDots > dots && scale > 1) img = qrRaster(t.qr, { scale: --scale, level });
      p.raster(img);
    } else {
      p.qr(t.qr, { moduleSize, level });
    }
    p.line('扫码查看排队进度');
  }
  if (t.footer) {
    rule();
    block(t.footer, 'left', 1, false);
  }
  return p.feed(1).cut('partial', 3).bytes();
}

/** A fixed sample for `govhall printer test` and the golden tests. */
export function sampleTicket(): TicketLayoutInput {
  return {
    header: '欢迎来到演示市民服务中心',
    hallName: '演示市民服务中心',
    number: 'A012',
    serviceName: '社保医保',
    ahead: 5,
    estimatedWaitSeconds: 1260,
    issuedAt: '2026-11-23T09:05:00+08:00',
    priority: null,
    applicantName: '张小三',
    qr: 'http://127.0.0.1:8800/t/0b7e6c1e-5f0a-4f7e-9d0c-1a2b3c4d5e6f',
    footer: '请留意叫号，过号请到窗口说明。办事不满意，请扫码评价。收费标准¥0。',
  };
}
