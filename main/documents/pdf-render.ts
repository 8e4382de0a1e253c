/**
 * The PDF edge: a `DocumentLayout` drawn with pdfkit on A4, Chinese text in the embedded subset of
 * the chosen CJK font (cjk-font.ts). Blocks flow down the page and move to the next one when they
 * do not fit; tables repeat their header; every page carries the hall line and 第 n 页 共 m 页.
 */
import PDFDocument from 'pdfkit';
import { barChartShapes, type Shape } from './bar-chart.js';
import { type FontChoice, fontSource } from './cjk-font.js';
import type { Block, DocumentLayout, Tone } from './layout.js';
import type { QrMatrix } from './qr-matrix.js';

const A4 = { w: 595.28, h: 841.89 };
const M = { top: 56, bottom: 60, left: 56, right: 56 };
const CONTENT_W = A4.w - M.left - M.right;
const BOTTOM = A4.h - M.bottom;

const COLORS: Record<Tone, string> = { normal: '#1a202c', muted: '#4a5568', alert: '#c53030', strong: '#1a202c' };
const RULE = '#a0aec0';

type Doc = PDFKit.PDFDocument;

export interface RenderOptions {
  font: FontChoice;
  /** Fixed creation time (ms), so the same document renders to the same bytes. */
  createdAt?: number;
}

export function renderPdf(layout: DocumentLayout, opts: RenderOptions): Promise<Buffer> {
  const created = new Date(opts.createdAt ?? Date.now());
  const doc = new PDFDocument({
    size: 'A4',
    margins: M,
    bufferPages: true,
    autoFirstPage: true,
    info: { Title: layout.title, Creator: 'govhall', Producer: 'govhall', CreationDate: created, ModDate: created },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const { regular, bold } = opts.font;
  // A parsed font object is accepted by pdfkit at run time; its typings name paths and buffers only.
  doc.registerFont('R', fontSource(regular) as Buffer, regular.name as string);
  // One face unless a bold file is configured: bold is then the regular face filled and stroked,
  // so a document embeds one font subset (subsetting a CJK font is most of the time it takes).
  const fakeBold = bold.path === regular.path && bold.name === regular.name;
  if (!fakeBold) doc.registerFont('B', fontSource(bold) as Buffer, bold.name as string);
  const w = new Writer(doc, fakeBold);
  for (const b of layout.blocks) w.block(b);
  // Page furniture last, when the page count is known.
  const range = doc.bufferedPageRange();
  for (let i = 0; i < range.count; i++) {
    doc.switchToPage(range.start + i);
    // Written inside the margins would make pdfkit open a new page; the margins are set aside here.
    const saved = doc.page.margins;
    doc.page.margins = { top: 0, bottom: 0, left: 0, right: 0 };
    doc.font('R').fontSize(8).fillColor(COLORS.muted);
    doc.text(layout.header, M.left, 30, { width: CONTENT_W, align: 'left', lineBreak: false });
    doc
      .moveTo(M.left, 42)
      .lineTo(A4.w - M.right, 42)
      .lineWidth(0.5)
      .strokeColor(RULE)
      .stroke();
    const footer = `${layout.footer ? `${layout.footer}    ` : ''}第 ${i + 1} 页 共 ${range.count} 页`;
    doc.text(footer, M.left, A4.h - 40, { width: CONTENT_W, align: 'center', lineBreak: false });
    doc.page.margins = saved;
  }
  doc.end();
  return done;
}

class Writer {
  private y = M.top;

  constructor(
    private readonly doc: Doc,
    private readonly fakeBold: boolean,
  ) {}

  /** Moves to a new page unless `h` more points fit on this one. */
  private room(h: number): void {
    if (this.y + h <= BOTTOM) return;
    this.doc.addPage();
    this.y = M.top;
  }

  private height(text: string, font: 'R' | 'B', size: number, width: number): number {
    return this.doc
      .font(this.fakeBold ? 'R' : font)
      .fontSize(size)
      .heightOfString(text || ' ', { width, lineGap: 2 });
  }

  private write(
    text: string,
    x: number,
    y: number,
    width: number,
    o: { font?: 'R' | 'B'; size?: number; tone?: Tone; align?: 'left' | 'center' | 'right' } = {},
  ): void {
    const tone = o.tone ?? 'normal';
    const size = o.size ?? 10.5;
    const bold = (o.font ?? (tone === 'strong' || tone === 'alert' ? 'B' : 'R')) === 'B';
    const stroke = bold && this.fakeBold;
    if (stroke) this.doc.lineWidth(size * 0.035).strokeColor(COLORS[tone]);
    this.doc
      .font(bold && !this.fakeBold ? 'B' : 'R')
      .fontSize(size)
      .fillColor(COLORS[tone])
      .text(text, x, y, {
        width,
        align: o.align ?? 'left',
        lineGap: 2,
        ...(stroke ? { stroke: true, fill: true } : {}),
      });
  }

  block(b: Block): void {
    switch (b.kind) {
      case 'title': {
        const h = 30 + (b.subtitle ? 16 : 0);
        this.room(h + 10);
        this.write(b.text, M.left, this.y, CONTENT_W, { font: 'B', size: 20, align: 'center' });
        this.y += 30;
        if (b.subtitle) {
          this.write(b.subtitle, M.left, this.y, CONTENT_W, { size: 9.5, tone: 'muted', align: 'center' });
          this.y += 16;
        }
        this.y += 10;
        return;
      }
      case 'heading': {
        this.room(40);
        this.y += 6;
        this.write(b.text, M.left, this.y, CONTENT_W, { font: 'B', size: 12.5 });
        this.y += 19;
        this.doc
          .moveTo(M.left, this.y)
          .lineTo(M.left + CONTENT_W, this.y)
          .lineWidth(0.8)
          .strokeColor('#2d3748')
          .stroke();
        this.y += 7;
        return;
      }
      case 'paragraph': {
        const size = b.size ?? 10.5;
        const font = b.tone === 'strong' || b.tone === 'alert' ? 'B' : 'R';
        const h = this.height(b.text, font, size, CONTENT_W);
        this.room(h);
        this.write(b.text, M.left, this.y, CONTENT_W, {
          size,
          ...(b.tone ? { tone: b.tone } : {}),
          align: b.align ?? 'left',
        });
        this.y += h + 5;
        return;
      }
      case 'fields': {
        const labelW = 96;
        const valueW = CONTENT_W - labelW;
        for (const r of b.rows) {
          const font = r.tone === 'strong' || r.tone === 'alert' ? 'B' : 'R';
          const h =
            Math.max(this.height(r.label, 'R', 10.5, labelW - 12), this.height(r.value, font, 10.5, valueW - 12)) + 8;
          this.room(h);
          this.doc.rect(M.left, this.y, labelW, h).fillColor('#edf2f7').fill();
          this.doc.rect(M.left, this.y, CONTENT_W, h).lineWidth(0.5).strokeColor(RULE).stroke();
          this.doc
            .moveTo(M.left + labelW, this.y)
            .lineTo(M.left + labelW, this.y + h)
            .stroke();
          this.write(r.label, M.left + 6, this.y + 4, labelW - 12, { tone: 'muted' });
          this.write(r.value, M.left + labelW + 6, this.y + 4, valueW - 12, r.tone ? { tone: r.tone } : {});
          this.y += h;
        }
        this.y += 8;
        return;
      }
      case 'table':
        this.table(b);
        return;
      case 'qrs':
        this.qrs(b.codes);
        return;
      case 'chart': {
        const h = b.chart.height ?? 170;
        this.room(h + 8);
        for (const s of barChartShapes(b.chart, { x: M.left, y: this.y, w: CONTENT_W, h })) this.shape(s);
        this.y += h + 12;
        return;
      }
      case 'signature': {
        const h = b.lines.length * 18 + 6;
        this.room(h);
        this.y += 6;
        for (const line of b.lines) {
          this.write(line, M.left + CONTENT_W / 2, this.y, CONTENT_W / 2, { align: 'right' });
          this.y += 18;
        }
        return;
      }
      case 'gap':
        this.y += b.height;
        return;
    }
  }

  private table(b: Extract<Block, { kind: 'table' }>): void {
    const total = b.columns.reduce((a, c) => a + c.width, 0);
    const widths = b.columns.map((c) => (CONTENT_W * c.width) / total);
    const xs = widths.map((_, i) => M.left + widths.slice(0, i).reduce((a, x) => a + x, 0));
    const size = 9.5;
    const rowH = (cells: string[], font: 'R' | 'B') =>
      Math.max(...cells.map((c, i) => this.height(c, font, size, (widths[i] ?? 10) - 8))) + 8;
    const header = () => {
      const h = rowH(
        b.columns.map((c) => c.title),
        'B',
      );
      this.doc.rect(M.left, this.y, CONTENT_W, h).fillColor('#e2e8f0').fill();
      this.doc.rect(M.left, this.y, CONTENT_W, h).lineWidth(0.5).strokeColor(RULE).stroke();
      b.columns.forEach((c, i) => {
        this.write(c.title, (xs[i] ?? 0) + 4, this.y + 4, (widths[i] ?? 0) - 8, {
          font: 'B',
          size,
          align: c.align ?? 'left',
        });
      });
      this.y += h;
    };
    const rows = b.rows.length ? b.rows : [{ cells: [b.empty ?? '（无）'], tone: 'muted' as Tone }];
    this.room(rowH(rows[0]?.cells ?? [''], 'R') * 2 + 4);
    header();
    for (const r of rows) {
      const font = r.tone === 'strong' || r.tone === 'alert' ? 'B' : 'R';
      const h = rowH(r.cells, font);
      if (this.y + h > BOTTOM) {
        this.doc.addPage();
        this.y = M.top;
        header();
      }
      this.doc.rect(M.left, this.y, CONTENT_W, h).lineWidth(0.5).strokeColor(RULE).stroke();
      const single = r.cells.length === 1 && b.columns.length > 1;
      r.cells.forEach((c, i) => {
        this.write(c, (xs[i] ?? 0) + 4, this.y + 4, single ? CONTENT_W - 8 : (widths[i] ?? 0) - 8, {
          size,
          ...(r.tone ? { tone: r.tone } : {}),
          align: single ? 'center' : (b.columns[i]?.align ?? 'left'),
        });
      });
      this.y += h;
    }
    this.y += 10;
  }

  private qrs(codes: { matrix: QrMatrix; caption: string; note?: string }[]): void {
    const side = 88;
    const h = side + 42;
    this.room(h);
    const slot = CONTENT_W / Math.max(1, codes.length);
    codes.forEach((c, i) => {
      const x = M.left + slot * i + (slot - side) / 2;
      this.qr(c.matrix, x, this.y, side);
      this.write(c.caption, M.left + slot * i, this.y + side + 4, slot, { font: 'B', size: 9.5, align: 'center' });
      if (c.note)
        this.write(c.note, M.left + slot * i + 8, this.y + side + 18, slot - 16, {
          size: 7.5,
          tone: 'muted',
          align: 'center',
        });
    });
    this.y += h + 6;
  }

  private qr(m: QrMatrix, x: number, y: number, side: number): void {
    // A quiet zone of two modules is part of the side, so the printed square scans as drawn.
    const cell = side / (m.size + 4);
    const ox = x + 2 * cell;
    const oy = y + 2 * cell;
    this.doc.fillColor('#000000');
    for (let r = 0; r < m.size; r++) {
      for (let c = 0; c < m.size; c++) {
        // A hair wider than the cell so neighbouring modules do not show seams on screen.
        if (m.dark[r * m.size + c]) this.doc.rect(ox + c * cell, oy + r * cell, cell + 0.05, cell + 0.05);
      }
    }
    this.doc.fill();
  }

  private shape(s: Shape): void {
    if (s.kind === 'rect') this.doc.rect(s.x, s.y, s.w, s.h).fillColor(s.color).fill();
    else if (s.kind === 'line')
      this.doc.moveTo(s.x1, s.y1).lineTo(s.x2, s.y2).lineWidth(s.width).strokeColor(s.color).stroke();
    else
      this.doc
        .font('R')
        .fontSize(s.size)
        .fillColor(COLORS.muted)
        .text(s.text, s.x, s.y, { width: s.w, align: s.align, lineBreak: false });
  }
}
