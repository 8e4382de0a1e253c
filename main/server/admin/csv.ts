/**
 * CSV for the hall manager's spreadsheet: UTF-8 with a byte-order mark (so Excel on a Chinese
 * Windows opens it as UTF-8, not GBK), CRLF lines, RFC 4180 quoting, and a leading apostrophe on
 * cells that a spreadsheet would run as a formula (CSV injection).
 */
import type { PeriodStats } from '../../queue/engine-api.js';

export const BOM = '\uFEFF';

export function csvCell(v: string | number | null | undefined): string {
  if (v === null || v === undefined) return '';
  let s = String(v);
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export function csvText(rows: (string | number | null | undefined)[][]): string {
  return BOM + rows.map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

export const STATS_HEADER = [
  '分组',
  '项目',
  '取号',
  '办结',
  '过号',
  '平均等候（秒）',
  'P90等候（秒）',
  '平均办理（秒）',
  'P90办理（秒）',
];

export function statsRow(group: string, label: string, s: PeriodStats): (string | number | null)[] {
  return [
    group,
    label,
    s.issued,
    s.served,
    s.skipped,
    s.meanWaitSeconds,
    s.p90WaitSeconds,
    s.meanServeSeconds,
    s.p90ServeSeconds,
  ];
}
