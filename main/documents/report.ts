/**
 * The manager's daily and monthly reports: the admin console's figures (tickets, waits, serving
 * times by service, window and staff; satisfaction; the 差评 list), with vector bar charts. Pure.
 */
import type { Block, DocumentLayout } from './layout.js';

/** One row of figures (the queue statistics' `PeriodStats`). */
export interface StatsFigures {
  issued: number;
  served: number;
  skipped: number;
  meanWaitSeconds: number | null;
  p90WaitSeconds: number | null;
  meanServeSeconds: number | null;
  p90ServeSeconds: number | null;
}

export interface ReportFacts {
  hallName: string;
  kind: 'day' | 'month';
  /** `YYYY-MM-DD` or `YYYY-MM`. */
  period: string;
  generatedAt: string;
  total: StatsFigures;
  byService: { label: string; stats: StatsFigures }[];
  byWindow: { label: string; stats: StatsFigures }[];
  byStaff: { label: string; stats: StatsFigures }[];
  /** By hour of the day, or by day of the month, in order. */
  timeline: { label: string; stats: StatsFigures }[];
  /** Satisfaction levels in order (非常满意 … 非常不满意) with their counts. */
  satisfaction: { level: string; count: number }[];
  bad: { time: string; window: string; staff: string; task: string; level: string; reasons: string; text: string }[];
}

const minutes = (s: number | null) => (s === null ? '—' : (s / 60).toFixed(1));

function statsTable(title: string, rows: { label: string; stats: StatsFigures }[], empty: string): Block[] {
  return [
    { kind: 'heading', text: title },
    {
      kind: 'table',
      columns: [
        { title: '名称', width: 3.2 },
        { title: '取号', width: 1, align: 'right' },
        { title: '办理', width: 1, align: 'right' },
        { title: '过号', width: 1, align: 'right' },
        { title: '平均等候(分)', width: 1.6, align: 'right' },
        { title: 'P90等候(分)', width: 1.6, align: 'right' },
        { title: '平均办理(分)', width: 1.6, align: 'right' },
      ],
      rows: rows.map((r) => ({
        cells: [
          r.label,
          String(r.stats.issued),
          String(r.stats.served),
          String(r.stats.skipped),
          minutes(r.stats.meanWaitSeconds),
          minutes(r.stats.p90WaitSeconds),
          minutes(r.stats.meanServeSeconds),
        ],
      })),
      empty,
    },
  ];
}

/** 满意率: 非常满意 + 满意 + 基本满意 over all ratings (the 好差评 convention), one decimal. */
export function satisfactionRate(levels: { level: string; count: number }[]): string {
  const total = levels.reduce((a, l) => a + l.count, 0);
  if (!total) return '—';
  const good = levels.slice(0, 3).reduce((a, l) => a + l.count, 0);
  return `${((good * 100) / total).toFixed(1)}%`;
}

export function reportLayout(r: ReportFacts): DocumentLayout {
  const name = r.kind === 'day' ? '日报' : '月报';
  const periodText = r.kind === 'day' ? r.period : `${r.period.slice(0, 4)}年${Number(r.period.slice(5, 7))}月`;
  const ratings = r.satisfaction.reduce((a, l) => a + l.count, 0);
  const blocks: Block[] = [
    { kind: 'title', text: `${r.hallName}${name}`, subtitle: `${periodText}    生成于 ${r.generatedAt}` },
    {
      kind: 'fields',
      rows: [
        { label: '取号', value: `${r.total.issued} 人次`, tone: 'strong' },
        { label: '办理', value: `${r.total.served} 人次（过号 ${r.total.skipped}）` },
        {
          label: '等候时间',
          value: `平均 ${minutes(r.total.meanWaitSeconds)} 分钟，90% 的人不超过 ${minutes(r.total.p90WaitSeconds)} 分钟`,
        },
        { label: '办理时间', value: `平均 ${minutes(r.total.meanServeSeconds)} 分钟` },
        { label: '评价', value: `${ratings} 次，满意率 ${satisfactionRate(r.satisfaction)}，差评 ${r.bad.length} 次` },
      ],
    },
    {
      kind: 'chart',
      chart: {
        title: r.kind === 'day' ? '按小时：取号与办理（人次）' : '按日：取号与办理（人次）',
        categories: r.timeline.map((t) => t.label),
        series: [
          { name: '取号', values: r.timeline.map((t) => t.stats.issued) },
          { name: '办理', values: r.timeline.map((t) => t.stats.served) },
        ],
      },
    },
    {
      kind: 'chart',
      chart: {
        title: '评价等级分布（次）',
        categories: r.satisfaction.map((s) => s.level),
        series: [{ name: '次数', values: r.satisfaction.map((s) => s.count) }],
        height: 130,
      },
    },
    ...statsTable('按业务', r.byService, '本期没有取号'),
    {
      kind: 'chart',
      chart: {
        title: '按窗口：办理人次',
        categories: r.byWindow.map((w) => w.label),
        series: [{ name: '办理人次', values: r.byWindow.map((w) => w.stats.served) }],
        height: 150,
      },
    },
    ...statsTable('按窗口', r.byWindow, '本期没有窗口办理'),
    ...statsTable('按工作人员', r.byStaff, '本期没有工作人员办理'),
    { kind: 'heading', text: `差评（${r.bad.length}）` },
    {
      kind: 'table',
      columns: [
        { title: '时间', width: 2.2 },
        { title: '窗口', width: 0.8, align: 'center' },
        { title: '工号', width: 0.9, align: 'center' },
        { title: '事项', width: 3.7 },
        { title: '等级', width: 1.5, align: 'center' },
        { title: '原因与意见', width: 3.1 },
      ],
      rows: r.bad.map((b) => ({
        cells: [b.time, b.window, b.staff, b.task, b.level, [b.reasons, b.text].filter(Boolean).join('；') || '—'],
      })),
      empty: '本期没有差评',
    },
  ];
  return {
    title: `${r.hallName}${name} ${r.period}`,
    header: `${r.hallName} · ${name} ${r.period}`,
    blocks,
  };
}
