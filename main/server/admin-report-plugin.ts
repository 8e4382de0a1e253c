/**
 * Reports for the hall manager (docs/hub-api-extensions.md), all admin-only:
 * - `GET /admin/evaluations?day=|month=`  satisfaction distribution and the 差评 list;
 * - `GET /stats/month?month=YYYY-MM`      the month by day, service, window and staff;
 * - `GET /stats/export.csv?day=|month=`   the same as CSV (UTF-8 with BOM, for Excel);
 * - `GET /admin/audit?prefix=config.`     the newest audit entries of one kind.
 * Ratings and the audit trail are read on a read-only connection of their own.
 */
import { join } from 'node:path';
import { adminRoutes as api } from '../../common/api/routes.js';
import { EVALUATION_LEVELS, isBadRating, LEVEL_NAMES } from '../../common/evaluation.js';
import { businessDayOf, isoInZone, startOfDay } from '../../common/hall-time.js';
import type { DayStatistics, PeriodStats } from '../queue/engine-api.js';
import { computeMonthStatistics, daysOfMonth } from '../queue/month-statistics.js';
import { AdminReader, type EvaluationReportRow } from '../store/admin-reader.js';
import { csvText, STATS_HEADER, statsRow } from './admin/csv.js';
import type { AdminEvaluationReport, EvaluationLevelName, MonthStatistics } from './admin/types.js';
import type { HubContext, HubPlugin } from './hub-plugin.js';
import { defaultReasons } from './pad-plugin.js';

export interface AdminReportPluginOptions {
  /** The hub's data folder (its `govhall.db` is opened read-only). */
  dataDir: string;
}

type Period = { kind: 'day'; day: string } | { kind: 'month'; month: string };

function periodOf(q: { day?: string | undefined; month?: string | undefined }, today: string): Period {
  return q.month !== undefined ? { kind: 'month', month: q.month } : { kind: 'day', day: q.day ?? today };
}

const emptyCounts = (): Record<EvaluationLevelName, number> =>
  Object.fromEntries(EVALUATION_LEVELS.map((l) => [l, 0])) as Record<EvaluationLevelName, number>;

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
            .filter((r) => isBadRating(r.level as EvaluationLevelName))
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

      ctx.defineRoute(api.adminEvaluations, ({ query }) => evaluationReport(periodOf(query, ctx.engine.businessDay())));

      ctx.defineRoute(api.monthStats, ({ query }) => monthStats(query.month ?? ctx.engine.businessDay().slice(0, 7)));

      ctx.defineRoute(api.statsExport, ({ res, query }) => {
        const p = periodOf(query, ctx.engine.businessDay());
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
        return undefined;
      });

      ctx.defineRoute(api.adminAudit, ({ query }) => {
        const limit = Math.min(200, Math.max(1, Number(query.limit ?? 50) || 50));
        return read()
          .auditTrail(query.prefix ?? 'config.', limit)
          .map((r) => ({ ...r, at: isoInZone(r.at, tz()) }));
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
