/**
 * The layout model of the hall's documents: what a page says, as plain data. The documents
 * (receipt.ts, notice.ts, refusal.ts, report.ts) are pure functions from the hall's facts to a
 * `DocumentLayout`; only pdf-render.ts knows pdfkit. So a document's content is tested without a
 * PDF, and the PDF edge is tested once with poppler.
 */
import type { QrMatrix } from './qr-matrix.js';

/** How a piece of text stands out: `alert` is red (a missing material, a refusal's reason). */
export type Tone = 'normal' | 'muted' | 'alert' | 'strong';

export interface ChartSeries {
  name: string;
  values: number[];
}

/** A grouped bar chart, drawn as vectors (bar-chart.ts computes the geometry). */
export interface BarChartSpec {
  title: string;
  categories: string[];
  series: ChartSeries[];
  /** Unit shown after the axis maximum, e.g. `件`, `分钟`. */
  unit?: string;
  /** Height in points; default 170. */
  height?: number;
}

export type Block =
  | { kind: 'title'; text: string; subtitle?: string }
  | { kind: 'heading'; text: string }
  | { kind: 'paragraph'; text: string; size?: number; tone?: Tone; align?: 'left' | 'center' | 'right' }
  | { kind: 'fields'; rows: { label: string; value: string; tone?: Tone }[] }
  | {
      kind: 'table';
      columns: { title: string; width: number; align?: 'left' | 'center' | 'right' }[];
      rows: { cells: string[]; tone?: Tone }[];
      /** Shown in one row when there are no rows. */
      empty?: string;
    }
  | { kind: 'qrs'; codes: { matrix: QrMatrix; caption: string; note?: string }[] }
  | { kind: 'chart'; chart: BarChartSpec }
  | { kind: 'signature'; lines: string[] }
  | { kind: 'gap'; height: number };

export interface DocumentLayout {
  /** PDF metadata title. */
  title: string;
  /** Small line at the top of every page (the hall). */
  header: string;
  /** Small line at the bottom of every page, beside the page number. */
  footer?: string;
  blocks: Block[];
}
