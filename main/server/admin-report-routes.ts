/**
 * Reports for the hall manager (docs/hub-api-extensions.md), all admin-only:
 * - `GET /admin/evaluations?day=|month=`  satisfaction distribution and the 差评 list;
 * - `GET /stats/month?month=YYYY-MM`      the month by day, service, window and staff;
 * - `GET /stats/export.csv?day=|month=`   the same as CSV (UTF-8 with BOM, for Excel);
 * - `GET /admin/audit?prefix=config.`     the newest audit entries of one kind.
 * Ratings and the audit trail are read on a read-only connection of their own.
 */
import { join } from 'node:path';
import { EVALUATION_LEVELS, LEVEL_NAMES } from '../../common/evaluation.js';
import { businessDayOf, isoInZone, startOfDay } from '../../common/hall-time.js';
import type { DayStatistics, PeriodStats } from '../queue/engine-api.js';
import { computeMonthStatistics, daysOfMonth } from '../queue/month-statistics.js';
import { AdminReader, type EvaluationReportRow } from '../store/admin-reader.js';
import { csvText, STATS_HEADER, statsRow } from './admin/csv.js';
import type { AdminEvaluationReport, EvaluationLevelName, MonthStatistics } from './admin/types.js';
import { ApiError, sendJson } from './http-kit.js';
import type { HubContext, HubPlugin } from './hub-plugin.js';
import { defaultReasons } from './pad-endpoint.js';

export interface AdminReportPluginOptions {
  /** The hub's data folder (its `govhall.db` is opened read-only). */
  dataDir: string;
}

type Period = { kind: 'day'; day: string } | { kind: 'month'; month: string };

const DAY = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

function periodOf(url: URL, today: string): Period {
  const day = url.searchParams.get('day');
  const month = url.searchParams.get('month');
  if (day !== null && month !== null) throw new ApiError(400, 'INVALID_INPUT', '字段 day：day 与 month 只能给一个');
  if (month !== null) {
    if (!MONTH.test(month)) throw new ApiError(400, 'INVALID_INPUT', '字段 month：月份格式应为 YYYY-MM');
    return { kind: 'month', month };
  }
  const d = day ?? today;
  if (!DAY.test(d)) throw new ApiError(400, 'INVALID_INPUT', '字段 day：日期格式应为 YYYY-MM-DD');
  return { kind: 'day', day: d };
}

const emptyCounts = (): Record<EvaluationLevelName, number> =>
  Object.fromEntries(EVALUATION_LEVELS.map((l) => [l, 0])) as Record<EvaluationLevelName, number>;

const isBad = (l: string) => l === 'dissatisfied' || l === 'very_dissatisfied';

export function adminReportPlugin(opts: AdminReportPluginOptions): HubPlugin {
  return {
    name: 'admin-report',
    install(ctx: HubContext) {
      let reader: AdminReader | null = null;
      // Opened on first use: the hub has created and migrated the database by then.
      const read = () => {
        reader ??= new AdminReader(join(opts.dataDir, 'govhall.db'));
        return reader;
      };
      const tz = () => ctx.timeZone();
      // The manager reads 差评 reasons as words, not codes (the pads offer these codes).
      const reasonText = new Map(defaultReasons().map((r) => [r.code, r.text]));

      const evaluationsOf = (p: Period): { from: string; to: string; rows: EvaluationReportRow[] } => {
        const days = p.kind === 'day' ? [p.day] : daysOfMonth(p.month);
        const first = days[0]!;
        const last = days[days.length - 1]!;
        // A generous instant window, then the exact business-day filter in the hall's zone.
        const from = startOfDay(first, tz()) - 86_400_000;
        const to = startOfDay(last, tz()) + 2 * 86_400_000;
        const rows = read()
          .list(from, to)
          .filter((r) => {
            const d = businessDayOf(r.createdAt, tz());
            return d >= first && d <= last;
          });
        return { from: first, to: last, rows };
      };

      const evaluationReport = (p: Period): AdminEvaluationReport => {
        const { from, to, rows } = evaluationsOf(p);
        const counts = emptyCounts();
        for (const r of rows) counts[r.level] = (counts[r.level] ?? 0) + 1;
        return {
          from,
          to,
          total: rows.length,
          counts,
          bad: rows
            .filter((r) => isBad(r.level))
            .slice(0, 200)
            .map((r) => ({
              ...r,
              reasonTexts: r.reasons.map((c) => reasonText.get(c) ?? c),
              createdAt: isoInZone(r.createdAt, tz()),
            })),
        };
      };

      const monthStats = (month: string): MonthStatistics => {
        const s = computeMonthStatistics(month, (d) => ctx.repo.listTicketsOfDay(d), tz());
        return { ...s, satisfaction: evaluationReport({ kind: 'month', month }).counts };
      };

      ctx.router.add('GET', '/api/v1/admin/evaluations', ({ req, res, url }) => {
        ctx.requireRole(req, ['admin'], false);
        sendJson(res, 200, evaluationReport(periodOf(url, ctx.engine.businessDay())));
      });

      ctx.router.add('GET', '/api/v1/stats/month', ({ req, res, url }) => {
        ctx.requireRole(req, ['admin'], false);
        const month = url.searchParams.get('month') ?? ctx.engine.businessDay().slice(0, 7);
        if (!MONTH.test(month)) throw new ApiError(400, 'INVALID_INPUT', '字段 month：月份格式应为 YYYY-MM');
        sendJson(res, 200, monthStats(month));
      });

      ctx.router.add('GET', '/api/v1/stats/export.csv', ({ req, res, url }) => {
        ctx.requireRole(req, ['admin'], false);
        const p = periodOf(url, ctx.engine.businessDay());
        const cfg = ctx.engine.config;
        const svc = (c: string) => cfg.services.find((s) => s.code === c)?.name ?? c;
        const staffName = (n: string) => `${n} ${cfg.staff.find((s) => s.no === n)?.name ?? ''}`.trim();
        const rows: (string | number | null)[][] = [STATS_HEADER];
        const groups = (s: Pick<DayStatistics, 'byService' | 'byWindow' | 'byStaff'>) => {
          const add = (group: string, m: Record<string, PeriodStats>, label: (k: string) => string) => {
            for (const [k, v] of Object.entries(m)) rows.push(statsRow(group, label(k), v));
          };
          add('业务', s.byService, svc);
          add('窗口', s.byWindow, (k) => `${k}号窗口`);
          add('人员', s.byStaff, staffName);
        };
        let title: string;
        let counts: Record<EvaluationLevelName, number>;
        if (p.kind === 'day') {
          const s = ctx.engine.statistics(p.day);
          rows.push(statsRow('合计', p.day, s.total));
          groups(s);
          for (const [h, v] of Object.entries(s.byHour)) rows.push(statsRow('小时', `${h}:00`, v));
          counts = evaluationReport(p).counts;
          title = p.day;
        } else {
          const s = monthStats(p.month);
          rows.push(statsRow('合计', p.month, s.total));
          groups(s);
          for (const d of s.days) rows.push(statsRow('日期', d.day, d));
          counts = s.satisfaction;
          title = p.month;
        }
        rows.push([]);
        rows.push(['评价等级', '次数']);
        for (const l of EVALUATION_LEVELS) rows.push([LEVEL_NAMES[l], counts[l] ?? 0]);
        const body = csvText(rows);
        const name = `${cfg.hall.name}-统计-${title}.csv`;
        res.writeHead(200, {
          'content-type': 'text/csv; charset=utf-8',
          'cache-control': 'no-store',
          'content-length': Buffer.byteLength(body),
          'content-disposition': `attachment; filename="govhall-stats-${title}.csv"; filename*=UTF-8''${encodeURIComponent(name)}`,
        });
        res.end(body);
      });

      ctx.router.add('GET', '/api/v1/admin/audit', ({ req, res, url }) => {
        ctx.requireRole(req, ['admin'], false);
        const prefix = url.searchParams.get('prefix') ?? 'config.';
        const limit = Math.min(200, Math.max(1, Number(url.searchParams.get('limit') ?? 50) || 50));
        if (prefix.length > 64) throw new ApiError(400, 'INVALID_INPUT', '字段 prefix：最多 64 个字符');
        sendJson(
          res,
          200,
          read()
            .auditTrail(prefix, limit)
            .map((r) => ({ ...r, at: isoInZone(r.at, tz()) })),
        );
      });

      return {
        close() {
          reader?.close();
          reader = null;
        },
      };
    },
  };
}
