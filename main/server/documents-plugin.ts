/**
 * The hall's PDF documents over HTTP (hub-api.md v1.1 "Documents and materials", docs/documents.md):
 * - `GET /cases/{caseId}/receipt.pdf[?ratingCode=]`  受理回执;
 * - `GET /cases/{caseId}/notice.pdf`                 一次性告知书;
 * - `GET /cases/{caseId}/refusal.pdf?reason=`        不予受理通知书 (a hall extension);
 * - `GET /admin/reports/daily.pdf?day=`, `/admin/reports/monthly.pdf?month=` the manager's reports.
 * Case documents: the staff session of the window that took the case, or admin. Made on the hub,
 * so every terminal prints the same file; each one made is audited (who, which case, which kind).
 */
import { existsSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { documentRoutes as api } from '../../common/api/document-routes.js';
import type { HallCatalogue } from '../../common/catalogue-merge.js';
import { EVALUATION_LEVELS, isBadRating, LEVEL_NAMES } from '../../common/evaluation.js';
import { createHallCalendar } from '../../common/hall-calendar.js';
import { businessDayOf, isoInZone, localParts, startOfDay } from '../../common/hall-time.js';
import { maskName } from '../../common/mask.js';
import type { HallConfig } from '../../kiosk-config/hall-config.js';
import { type CaseFacts, caseCode, promiseDate } from '../documents/case-facts.js';
import { chooseFont, type FontChoice, FontNotFoundError } from '../documents/cjk-font.js';
import type { DocumentLayout } from '../documents/layout.js';
import { noticeLayout } from '../documents/notice.js';
import { renderPdf } from '../documents/pdf-render.js';
import { receiptLayout } from '../documents/receipt.js';
import { refusalLayout } from '../documents/refusal.js';
import { type ReportFacts, reportLayout, type StatsFigures } from '../documents/report.js';
import type { PeriodStats } from '../queue/engine-api.js';
import { computeMonthStatistics, daysOfMonth } from '../queue/month-statistics.js';
import { AdminReader } from '../store/admin-reader.js';
import type { CaseRecord } from '../store/case-repository.js';
import { ApiError } from './http-kit.js';
import type { Caller, HubContext, HubPlugin } from './hub-plugin.js';
import { defaultReasons } from './pad-plugin.js';

export interface DocumentsPluginOptions {
  /** The merged catalogue (platform + the config's local one): names and materials of the 事项. */
  catalogue: () => HallCatalogue | null;
  /** The folder of the hall config (relative font paths are read from it); null without a file. */
  configDir: string | null;
  /** The hub's data folder (ratings for the reports are read on a read-only connection). */
  dataDir: string;
  /** Font files' existence, for tests of the search (default: the file system). */
  exists?: (path: string) => boolean;
}

/** The public base URL phones reach (`public.baseUrl` of the config, where the hall has one). */
function publicBaseUrl(config: HallConfig): string | null {
  const pub = (config as { public?: { baseUrl?: unknown } }).public;
  return typeof pub?.baseUrl === 'string' && pub.baseUrl ? pub.baseUrl.replace(/\/+$/, '') : null;
}

export function documentsPlugin(opts: DocumentsPluginOptions): HubPlugin {
  return {
    name: 'documents',
    install(ctx: HubContext) {
      const tz = () => ctx.timeZone();
      let reader: AdminReader | null = null;
      const read = () => {
        reader ??= new AdminReader(join(opts.dataDir, 'govhall.db'));
        return reader;
      };

      const font = (): FontChoice => {
        const d = ctx.engine.config.documents;
        const at = (p: string | undefined) =>
          p === undefined ? undefined : isAbsolute(p) || !opts.configDir ? resolve(p) : resolve(opts.configDir, p);
        try {
          return chooseFont({
            fontFile: at(d?.fontFile),
            boldFontFile: at(d?.boldFontFile),
            fontName: d?.fontName,
            exists: opts.exists ?? existsSync,
            windir: process.env.WINDIR,
          });
        } catch (e) {
          if (e instanceof FontNotFoundError) throw new ApiError(503, 'FONT_NOT_FOUND', e.message);
          throw e;
        }
      };

      /** Renders and sends one PDF; the file name carries the code so a download is recognisable. */
      const send = async (res: import('node:http').ServerResponse, layout: DocumentLayout, file: string) => {
        const f = font();
        let pdf: Buffer;
        try {
          pdf = await renderPdf(layout, { font: f, createdAt: ctx.clock.now() });
        } catch (e) {
          if (e instanceof FontNotFoundError) throw new ApiError(503, 'FONT_NOT_FOUND', e.message);
          throw e;
        }
        res.writeHead(200, {
          'content-type': 'application/pdf',
          'content-length': pdf.length,
          'cache-control': 'no-store',
          'content-disposition': `inline; filename="${file.replace(/[^\w.-]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(file)}`,
        });
        res.end(pdf);
      };

      /** The case, if this caller may print its documents: its own window's staff, or admin. */
      const caseFor = (caller: Caller, caseId: string): CaseRecord => {
        const c = ctx.cases.get(caseId);
        if (!c) throw new ApiError(404, 'UNKNOWN_CASE', `办件不存在：${caseId}`);
        if (caller.kind === 'staff' && caller.session.windowNo !== c.windowNo)
          throw new ApiError(403, 'WRONG_WINDOW', `该办件由 ${c.windowNo ?? '-'} 号窗口受理，本窗口不能打印它的文书`);
        return c;
      };

      const factsOf = (c: CaseRecord): CaseFacts => {
        const cfg = ctx.engine.config;
        const item = opts.catalogue()?.catalogue.items.find((i) => i.taskCode === c.taskCode) ?? null;
        const details = ctx.cases.recordedDetails(c.id);
        const at = c.acceptTime ?? c.finishTime ?? ctx.clock.now();
        const p = localParts(at, tz());
        const pad = (n: number) => String(n).padStart(2, '0');
        const name = ctx.cases.applicantName(c.id);
        const w = cfg.windows.find((x) => x.no === c.windowNo);
        return {
          hallName: cfg.hall.name,
          window: c.windowNo === null ? null : { no: c.windowNo, name: w?.name ?? `${c.windowNo}号窗口` },
          staffNo: c.staffNo,
          caseId: c.id,
          projectNo: c.projectNo,
          ticketNumber: details?.ticketNumber ?? null,
          task: {
            code: c.taskCode,
            // The name recorded with the case, else the catalogue's, never the bare code alone.
            name: c.taskName ?? item?.taskName ?? `事项 ${c.taskCode}`,
            deptName: item?.deptName ?? '',
            caseType: Number(c.caseType ?? item?.caseType ?? 1),
            promiseDays: item?.promiseDays ?? 0,
            materials: item ? item.materials : null,
          },
          applicantName: name ? maskName(name) : null,
          status: c.status,
          result: c.result,
          acceptedAt: `${p.year}-${pad(p.month)}-${pad(p.day)} ${pad(p.hour)}:${pad(p.minute)}`,
          acceptDay: businessDayOf(at, tz()),
          received: (details?.materials ?? []).map((m) =>
            typeof m === 'string'
              ? { name: m, copies: null, pages: null }
              : { name: m.name, copies: m.copies ?? null, pages: m.pages ?? null },
          ),
        };
      };

      const audit = (caller: Caller, action: string, subject: string | null, detail: Record<string, unknown> = {}) =>
        ctx.audit({ actor: ctx.actorOf(caller), action, subject, result: 'ok', detail });

      ctx.defineRoute(api.receiptPdf, async ({ caller, params, query, res }) => {
        const c = caseFor(caller, params.caseId);
        if (query.ratingCode !== undefined && !ctx.cases.hasRatingCode(c.id, query.ratingCode))
          throw new ApiError(404, 'UNKNOWN_RATING_CODE', '评价码与该办件不符：请用办结时得到的评价码');
        const facts = factsOf(c);
        const calendar = createHallCalendar(ctx.engine.config.calendar ?? {});
        const promise = promiseDate(calendar, facts.acceptDay, facts.task.caseType === 2 ? facts.task.promiseDays : 0);
        const code = caseCode(facts);
        const progressUrl = ctx.engine.config.documents?.progressUrl;
        const base = publicBaseUrl(ctx.engine.config);
        const layout = receiptLayout(facts, promise, {
          progress: progressUrl ? progressUrl.replaceAll('{code}', encodeURIComponent(code)) : code,
          rating: base && query.ratingCode ? `${base}/r/${encodeURIComponent(query.ratingCode)}` : null,
        });
        await send(res, layout, `受理回执-${code}.pdf`);
        audit(caller, 'document.receipt', c.id);
        return undefined;
      });

      ctx.defineRoute(api.noticePdf, async ({ caller, params, res }) => {
        const c = caseFor(caller, params.caseId);
        const facts = factsOf(c);
        await send(res, noticeLayout(facts), `一次性告知书-${caseCode(facts)}.pdf`);
        audit(caller, 'document.notice', c.id);
        return undefined;
      });

      ctx.defineRoute(api.refusalPdf, async ({ caller, params, query, res }) => {
        const c = caseFor(caller, params.caseId);
        if (c.result !== 'rejected')
          throw new ApiError(409, 'CASE_NOT_REFUSED', '该办件的办理结果不是“不予办理”，不能出具不予受理通知书');
        const facts = factsOf(c);
        await send(
          res,
          refusalLayout(facts, query.reason, ctx.engine.businessDay()),
          `不予受理通知书-${caseCode(facts)}.pdf`,
        );
        audit(caller, 'document.refusal', c.id, { reasonLength: query.reason.length });
        return undefined;
      });

      const reasonTexts = () => {
        const m = new Map(defaultReasons().map((r) => [r.code, r.text]));
        for (const r of opts.catalogue()?.catalogue.evaluationReasons ?? []) m.set(r.code, r.text);
        return m;
      };

      /** Ratings of the days (business days in the hall's zone), with the 差评 rows for the report. */
      const ratingsOf = (days: string[]) => {
        const first = days[0] ?? '';
        const last = days[days.length - 1] ?? '';
        const rows = read()
          .list(startOfDay(first, tz()) - 86_400_000, startOfDay(last, tz()) + 2 * 86_400_000)
          .filter((r) => {
            const d = businessDayOf(r.createdAt, tz());
            return d >= first && d <= last;
          });
        const texts = reasonTexts();
        const cfg = ctx.engine.config;
        const catalogue = opts.catalogue();
        return {
          satisfaction: EVALUATION_LEVELS.map((l) => ({
            level: LEVEL_NAMES[l],
            count: rows.filter((r) => r.level === l).length,
          })),
          bad: rows
            .filter((r) => isBadRating(r.level))
            .map((r) => ({
              time: isoInZone(r.createdAt, tz()).slice(0, 16).replace('T', ' '),
              window: r.windowNo === null ? '—' : String(r.windowNo),
              staff: r.staffNo ?? '—',
              task:
                r.taskName ??
                catalogue?.catalogue.items.find((i) => i.taskCode === r.taskCode)?.taskName ??
                r.taskCode ??
                '—',
              level: LEVEL_NAMES[r.level],
              reasons: r.reasons.map((c) => texts.get(c) ?? c).join('、'),
              text: r.text ?? '',
            })),
          staffName: (no: string) => `${no} ${cfg.staff.find((s) => s.no === no)?.name ?? ''}`.trim(),
        };
      };

      const figures = (s: PeriodStats): StatsFigures => s;
      const grouped = (m: Record<string, PeriodStats>, label: (k: string) => string) =>
        Object.entries(m)
          .sort(([a], [b]) => a.localeCompare(b, 'zh-CN', { numeric: true }))
          .map(([k, v]) => ({ label: label(k), stats: figures(v) }));

      /** The hours of a day from 8 to 18 at least (a quiet day still reads as a day), with zeros. */
      const hoursOf = (m: Record<string, PeriodStats>) => {
        const hours = Object.keys(m).map(Number);
        const from = Math.min(8, ...hours);
        const to = Math.max(18, ...hours);
        const zero: PeriodStats = {
          issued: 0,
          served: 0,
          skipped: 0,
          meanWaitSeconds: null,
          p90WaitSeconds: null,
          meanServeSeconds: null,
          p90ServeSeconds: null,
        };
        return Array.from({ length: to - from + 1 }, (_, i) => ({
          label: `${from + i}时`,
          stats: m[String(from + i).padStart(2, '0')] ?? zero,
        }));
      };

      const generatedAt = () => isoInZone(ctx.clock.now(), tz()).slice(0, 16).replace('T', ' ');

      ctx.defineRoute(api.dailyReportPdf, async ({ caller, query, res }) => {
        const day = query.day ?? ctx.engine.businessDay();
        const s = ctx.engine.statistics(day);
        const cfg = ctx.engine.config;
        const r = ratingsOf([day]);
        const facts: ReportFacts = {
          hallName: cfg.hall.name,
          kind: 'day',
          period: day,
          generatedAt: generatedAt(),
          total: s.total,
          byService: grouped(s.byService, (k) => cfg.services.find((x) => x.code === k)?.name ?? k),
          byWindow: grouped(s.byWindow, (k) => `${k}号窗口`),
          byStaff: grouped(s.byStaff, r.staffName),
          timeline: hoursOf(s.byHour),
          satisfaction: r.satisfaction,
          bad: r.bad,
        };
        await send(res, reportLayout(facts), `${cfg.hall.name}日报-${day}.pdf`);
        audit(caller, 'document.report', null, { day });
        return undefined;
      });

      ctx.defineRoute(api.monthlyReportPdf, async ({ caller, query, res }) => {
        const month = query.month ?? ctx.engine.businessDay().slice(0, 7);
        const s = computeMonthStatistics(month, (d) => ctx.repo.listTicketsOfDay(d), tz());
        const cfg = ctx.engine.config;
        const r = ratingsOf(daysOfMonth(month));
        const facts: ReportFacts = {
          hallName: cfg.hall.name,
          kind: 'month',
          period: month,
          generatedAt: generatedAt(),
          total: s.total,
          byService: grouped(s.byService, (k) => cfg.services.find((x) => x.code === k)?.name ?? k),
          byWindow: grouped(s.byWindow, (k) => `${k}号窗口`),
          byStaff: grouped(s.byStaff, r.staffName),
          timeline: s.days.map((d) => ({ label: `${Number(d.day.slice(8))}日`, stats: figures(d) })),
          satisfaction: r.satisfaction,
          bad: r.bad,
        };
        await send(res, reportLayout(facts), `${cfg.hall.name}月报-${month}.pdf`);
        audit(caller, 'document.report', null, { month });
        return undefined;
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
