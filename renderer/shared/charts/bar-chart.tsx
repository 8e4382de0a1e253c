/**
 * Hand-written SVG bar charts: no chart library. Accessible: the SVG is `role="img"` with a title
 * and a description listing every value, each bar has its own <title>, and the value is printed on
 * or beside the bar, so colour is never the only signal.
 */
import { useId } from 'react';
import { type Bar, niceMax, ticks } from './chart-data.js';

interface ChartProps {
  title: string;
  bars: Bar[];
  /** Unit after each value in the description, e.g. "人". */
  unit?: string;
  height?: number;
  color?: string;
}

const describe = (bars: Bar[], unit: string) => bars.map((b) => `${b.label} ${b.display ?? b.value}${unit}`).join('；');

/** Vertical bars (categories along the bottom), e.g. arrivals per hour. */
export function ColumnChart({ title, bars, unit = '', height = 250, color = '#0b4fa8' }: ChartProps) {
  const id = useId();
  const W = 480;
  const H = height;
  const left = 34;
  const bottom = 26;
  const top = 20;
  const max = niceMax(Math.max(0, ...bars.map((b) => b.value)));
  const plotH = H - top - bottom;
  const slot = (W - left - 8) / Math.max(1, bars.length);
  const bw = Math.max(4, slot * 0.62);
  const y = (v: number) => top + plotH - (v / max) * plotH;
  // Thin the category labels when they would overlap (e.g. 31 days of a month).
  const every = Math.max(1, Math.ceil(30 / slot));
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby={`${id}-t ${id}-d`} className="chart-svg">
        <title id={`${id}-t`}>{title}</title>
        <desc id={`${id}-d`}>{describe(bars, unit)}</desc>
        {ticks(max).map((t) => (
          <g key={t}>
            <line x1={left} x2={W - 4} y1={y(t)} y2={y(t)} stroke="#d5dbe5" />
            <text x={left - 6} y={y(t) + 4} textAnchor="end" fontSize="13" fill="#4a5566">
              {t}
            </text>
          </g>
        ))}
        {bars.map((b, i) => {
          const x = left + i * slot + (slot - bw) / 2;
          const h = y(0) - y(b.value);
          return (
            <g key={b.label}>
              <rect x={x} y={y(b.value)} width={bw} height={Math.max(0, h)} fill={b.color ?? color} rx="2">
                <title>{`${b.label}：${b.display ?? b.value}${unit}`}</title>
              </rect>
              {b.value > 0 ? (
                <text x={x + bw / 2} y={y(b.value) - 4} textAnchor="middle" fontSize="13" fill="#1a1f29">
                  {b.display ?? b.value}
                </text>
              ) : null}
              {i % every === 0 ? (
                <text x={x + bw / 2} y={H - 8} textAnchor="middle" fontSize="13" fill="#4a5566">
                  {b.label}
                </text>
              ) : null}
            </g>
          );
        })}
      </svg>
      <figcaption>{title}</figcaption>
    </figure>
  );
}

/** Horizontal bars (labels on the left), e.g. waiting now per service, satisfaction levels. */
export function BarChart({ title, bars, unit = '', color = '#0b4fa8' }: ChartProps) {
  const id = useId();
  const W = 480;
  const row = 34;
  const labelW = 100;
  const valueW = 84;
  const H = Math.max(1, bars.length) * row + 8;
  const max = niceMax(Math.max(0, ...bars.map((b) => b.value)));
  const plotW = W - labelW - valueW;
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby={`${id}-t ${id}-d`} className="chart-svg">
        <title id={`${id}-t`}>{title}</title>
        <desc id={`${id}-d`}>{describe(bars, unit)}</desc>
        {bars.map((b, i) => {
          const w = (b.value / max) * plotW;
          const yy = 4 + i * row;
          return (
            <g key={b.label}>
              <text x={labelW - 8} y={yy + row / 2 + 5} textAnchor="end" fontSize="15" fill="#1a1f29">
                {b.label}
              </text>
              <rect x={labelW} y={yy + 4} width={plotW} height={row - 10} fill="#eef1f6" rx="3" />
              <rect x={labelW} y={yy + 4} width={Math.max(0, w)} height={row - 10} fill={b.color ?? color} rx="3">
                <title>{`${b.label}：${b.display ?? b.value}${unit}`}</title>
              </rect>
              <text x={labelW + plotW + 8} y={yy + row / 2 + 5} fontSize="15" fill="#1a1f29" fontWeight="600">
                {b.display ?? b.value}
                {unit && !b.display ? ` ${unit}` : ''}
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption>{title}</figcaption>
    </figure>
  );
}
