/**
 * Geometry of a grouped bar chart inside a box: axis, grid lines, bars, labels and legend as
 * shapes. Pure, so the numbers are tested without drawing; the PDF edge only paints the shapes.
 */
import type { BarChartSpec } from './layout.js';

export type Shape =
  | { kind: 'rect'; x: number; y: number; w: number; h: number; color: string }
  | { kind: 'line'; x1: number; y1: number; x2: number; y2: number; color: string; width: number }
  | { kind: 'text'; x: number; y: number; w: number; text: string; size: number; align: 'left' | 'center' | 'right' };

/** Series colours: distinguishable in print, also in grey. */
export const SERIES_COLORS = ['#2b6cb0', '#dd6b20', '#38a169', '#805ad5', '#718096'];

/** A round step (1, 2, 5 × 10^n, at least 1: the figures are counts) at or above `x`. */
function niceStep(x: number): number {
  if (x <= 1) return 1;
  const p = 10 ** Math.floor(Math.log10(x));
  for (const m of [1, 2, 5, 10]) if (m * p >= x) return m * p;
  return 10 * p;
}

/** The value axis: about four round steps up to a top at or above `max`. */
export function axisTicks(max: number): { top: number; step: number } {
  const step = niceStep(max / 4);
  return { step, top: Math.max(step, step * Math.ceil(max / step)) };
}

export function barChartShapes(spec: BarChartSpec, box: { x: number; y: number; w: number; h: number }): Shape[] {
  const shapes: Shape[] = [];
  const titleH = 20;
  const legendH = spec.series.length > 1 ? 14 : 0;
  const labelH = 14;
  const axisW = 34;
  const plot = {
    x: box.x + axisW,
    y: box.y + titleH + legendH,
    w: box.w - axisW,
    h: box.h - titleH - legendH - labelH,
  };
  shapes.push({ kind: 'text', x: box.x, y: box.y, w: box.w, text: spec.title, size: 10, align: 'left' });
  if (spec.series.length > 1)
    spec.series.forEach((s, i) => {
      const lx = box.x + axisW + i * 90;
      shapes.push({
        kind: 'rect',
        x: lx,
        y: box.y + titleH + 2,
        w: 8,
        h: 8,
        color: SERIES_COLORS[i % SERIES_COLORS.length]!,
      });
      shapes.push({ kind: 'text', x: lx + 11, y: box.y + titleH, w: 78, text: s.name, size: 8, align: 'left' });
    });
  const { top: max, step } = axisTicks(Math.max(0, ...spec.series.flatMap((s) => s.values)));
  for (let v = 0; v <= max; v += step) {
    const y = plot.y + plot.h - (plot.h * v) / max;
    shapes.push({
      kind: 'line',
      x1: plot.x,
      y1: y,
      x2: plot.x + plot.w,
      y2: y,
      color: v ? '#e2e8f0' : '#4a5568',
      width: v ? 0.5 : 0.8,
    });
    const label = `${v}${v === max && spec.unit ? spec.unit : ''}`;
    shapes.push({ kind: 'text', x: box.x, y: y - 4, w: axisW - 4, text: label, size: 7, align: 'right' });
  }
  const n = spec.categories.length;
  if (n === 0) return shapes;
  const slot = plot.w / n;
  // Bars stay slim when there are few categories (a quiet day has one hour with tickets).
  const groupW = Math.min(slot * 0.7, 26 * Math.max(1, spec.series.length));
  const barW = groupW / Math.max(1, spec.series.length);
  // Category labels thin out when crowded (a month has 31 days): every k-th label is written.
  const every = Math.max(1, Math.ceil((n * 22) / plot.w));
  spec.categories.forEach((cat, i) => {
    const gx = plot.x + slot * i + (slot - groupW) / 2;
    spec.series.forEach((s, j) => {
      const v = s.values[i] ?? 0;
      const h = (plot.h * v) / max;
      if (h > 0)
        shapes.push({
          kind: 'rect',
          x: gx + j * barW,
          y: plot.y + plot.h - h,
          w: Math.max(0.5, barW - 0.6),
          h,
          color: SERIES_COLORS[j % SERIES_COLORS.length]!,
        });
    });
    if (i % every === 0)
      shapes.push({
        kind: 'text',
        x: plot.x + slot * i - 10,
        y: plot.y + plot.h + 3,
        w: slot + 20,
        text: cat,
        size: 7,
        align: 'center',
      });
  });
  return shapes;
}
