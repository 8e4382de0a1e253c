/**
 * 差评整改 in the hub (hub-api.md v1.1, docs/rectification.md): a bad rating opens (or joins) its
 * item inside the rating's transaction; the admin console lists items and takes steps; a scheduler
 * on the injected clock raises `rectification.alarm` when an item nears or passes its deadline,
 * `promise.alarm` for 承诺件 near or past their promised date, and `wait.alarm` for long waits.
 * Alarms also go to the hall's webhook when one is configured; the steps `rectifying`, `closed`
 * and `invalid` go to the platform through the outbox (`reportStep`).
 */
import type { z } from 'zod';
import type { rectificationAnswer } from '../../common/api/rectification.js';
import { rectificationRoutes as api } from '../../common/api/routes.js';
import { isBadRating } from '../../common/evaluation.js';
import { createHallCalendar, type HallCalendar } from '../../common/hall-calendar.js';
import { businessDayOf, isoInZone, startOfDay } from '../../common/hall-time.js';
import { DEMO_EVALUATION_REASONS } from '../../kiosk-config/evaluation-reasons.js';
import { DEFAULT_ALARMS, DEFAULT_RECTIFICATION } from '../../kiosk-config/rectification-schema.js';
import {
  type AcceptedTransition,
  checkTransition,
  isFinished,
  RectificationError,
  type RectificationStatus,
} from '../cases/rectification.js';
import { deadlineOf, dueAlarm, workingDaysLeft } from '../cases/rectification-deadline.js';
import { figureTable } from '../cases/rectification-figures.js';
import type { StoredEvent } from '../queue/repository.js';
import type { QueueEvent } from '../queue/types.js';
import { type RectificationItem, type RectificationStore, ratingSummary } from '../store/rectifications.js';
import { ApiError } from './http-kit.js';
import type { HubPlugin } from './hub-plugin.js';

export interface RectificationOptions {
  store: RectificationStore;
  /** 事项 of the cached catalogue: names and 承诺件 days (empty without a catalogue). */
  catalogue?: () => { taskCode: string; taskName: string; promiseDays: number }[];
  /** Reason codes of the cached catalogue with their texts (the demo hall's are always known). */
  reasonTexts?: () => ReadonlyMap<string, string> | null;
  /** Puts an alarm in the webhook's queue; called inside the transaction that raises it. */
  webhook?: { enqueue(alarm: Record<string, unknown>, now: number): void } | null;
  /** Reports a step to the platform (outbox); called inside the step's transaction. */
  reportStep?: ((item: RectificationItem, step: AcceptedTransition, at: number) => void) | null;
  /** How often the scheduler looks (ms, default 30 s); tests call `tick()` instead. */
  tickMs?: number;
}

export interface RectificationHandle {
  plugin: HubPlugin;
  /** Raises whatever alarms are due now on the hub's clock (the scheduler calls it; tests too). */
  tick(): void;
}

type Answer = z.output<typeof rectificationAnswer>;

const STATUS_OF_CODE: Record<RectificationError['code'], number> = {
  ILLEGAL_TRANSITION: 409,
  NOTE_REQUIRED: 400,
  REVISIT_REQUIRED: 400,
  REVISIT_NOT_ALLOWED: 400,
  REVISIT_LEVEL_REQUIRED: 400,
  UNKNOWN_RECTIFICATION: 404,
};

export function rectificationPlugin(opts: RectificationOptions): RectificationHandle {
  const { store } = opts;
  let tickImpl: () => void = () => {};
  const plugin: HubPlugin = {
    name: 'rectification',
    install(ctx) {
      const tz = () => ctx.timeZone();
      const cfg = () => ({
        rect: ctx.engine.config.rectification ?? DEFAULT_RECTIFICATION,
        alarms: ctx.engine.config.alarms ?? DEFAULT_ALARMS,
      });
      // The calendar is rebuilt only when the config object changes (an admin edit replaces it).
      let calendarOf: { from: unknown; cal: HallCalendar } | null = null;
      const calendar = () => {
        const c = ctx.engine.config.calendar;
        if (calendarOf && calendarOf.from === c) return calendarOf.cal;
        const cal = createHallCalendar(c ?? {});
        calendarOf = { from: c, cal };
        return cal;
      };
      const iso = (ms: number) => isoInZone(ms, tz());
      const staffName = (no: string | null) => ctx.engine.config.staff.find((s) => s.no === no)?.name ?? null;
      const reasonText = () => {
        const m = new Map(DEMO_EVALUATION_REASONS.map((r) => [r.code, r.text]));
        for (const [k, v] of opts.reasonTexts?.() ?? []) m.set(k, v);
        return m;
      };

      const toAnswer = (item: RectificationItem, now: number, texts = reasonText()): Answer => {
        const s = ratingSummary(item);
        return {
          id: item.id,
          evaluationIds: item.evaluations.map((e) => e.id),
          caseId: item.caseId,
          windowNo: item.windowNo,
          staffNo: item.staffNo,
          level: s.level,
          reasons: s.reasons,
          text: s.text,
          status: item.status,
          openedAt: iso(item.openedAt),
          dueAt: iso(item.dueAt),
          overdue: (item.finishedAt ?? now) > item.dueAt,
          history: item.history.map((h) => ({ ...h, at: iso(h.at) })),
          dueDate: item.dueDate,
          finishedAt: item.finishedAt === null ? null : iso(item.finishedAt),
          taskCode: item.taskCode,
          serviceCode: item.serviceCode,
          staffName: staffName(item.staffNo),
          reasonTexts: s.reasons.map((c) => texts.get(c) ?? c),
          calendarMissing: item.calendarMissing,
          revisit: item.revisit,
        };
      };

      /** An alarm as an event, and into the webhook's queue, inside the caller's transaction. */
      const raise = (event: QueueEvent, now: number): QueueEvent => {
        opts.webhook?.enqueue({ ...event, at: iso(now), hall: ctx.engine.config.hall.code }, now);
        return event;
      };
      const itemAlarm = (
        item: RectificationItem,
        kind: 'due_soon' | 'overdue' | 'calendar_missing',
        now: number,
        left?: number,
      ): QueueEvent => {
        const message =
          kind === 'overdue'
            ? `差评整改已逾期：办件 ${item.caseId}（${item.windowNo ?? '-'} 号窗口）应于 ${item.dueDate} 前办结`
            : kind === 'due_soon'
              ? `差评整改临近期限：办件 ${item.caseId} 还剩 ${left} 个工作日（${item.dueDate} 到期）`
              : `大厅日历缺少 ${item.calendarMissing.join('、')} 年的节假日安排，整改期限只按周末计算；请在配置 calendar 段补上`;
        return raise(
          {
            type: 'rectification.alarm',
            id: item.id,
            caseId: item.caseId,
            dueAt: iso(item.dueAt),
            kind,
            ...(kind === 'calendar_missing' ? { years: item.calendarMissing } : {}),
            message,
          },
          now,
        );
      };

      // A 差评 opens its item (or joins the case's item) in the rating's own transaction.
      ctx.onRating((rec, at) => {
        if (!isBadRating(rec.level)) {
          // A good follow-up still counts for nothing here; the item stays as it is.
          return [];
        }
        const { item, opened } = store.openOrJoin(rec, at, () =>
          deadlineOf(at, cfg().rect.deadlineWorkingDays, calendar(), tz()),
        );
        const events: QueueEvent[] = [
          { type: 'rectification.changed', id: item.id, caseId: item.caseId, status: item.status },
        ];
        if (opened && item.calendarMissing.length > 0 && store.markAlarm(item.id, 'calendar_missing')) {
          events.push(itemAlarm(item, 'calendar_missing', at));
        }
        return events;
      });

      const appendAndPublish = (events: QueueEvent[], at: number) => {
        const stored: StoredEvent[] = events.map((event) => ({ seq: ctx.repo.appendEvent(at, event), at, event }));
        return stored;
      };

      // ------------------------------------------------------------------ routes
      const requireSession = (caller: { kind: string }) => {
        if (caller.kind !== 'admin')
          throw new ApiError(
            403,
            'ADMIN_SESSION_REQUIRED',
            '差评整改只能由管理人员在管理后台以工号登录后办理，设备令牌不能操作',
          );
      };

      ctx.defineRoute(api.listRectifications, ({ caller, query }) => {
        requireSession(caller);
        const now = ctx.clock.now();
        const texts = reasonText();
        return store.list(query.status).map((i) => toAnswer(i, now, texts));
      });

      ctx.defineRoute(api.transitionRectification, ({ caller, params, body }) => {
        requireSession(caller);
        const actor = ctx.actorOf(caller);
        const { item, stored } = ctx.run(() =>
          ctx.repo.transaction(() => {
            const now = ctx.clock.now();
            const current = store.get(params.id);
            if (!current) throw new ApiError(404, 'UNKNOWN_RECTIFICATION', `差评整改不存在：${params.id}`);
            let step: AcceptedTransition;
            let item: RectificationItem;
            try {
              step = checkTransition(current.status, body);
              item = store.applyStep(current.id, step, actor.staffNo, now);
            } catch (e) {
              if (e instanceof RectificationError) throw new ApiError(STATUS_OF_CODE[e.code], e.code, e.message);
              throw e;
            }
            opts.reportStep?.(item, step, now);
            ctx.repo.appendAudit({
              at: now,
              actor,
              action: 'rectification.transition',
              subject: item.caseId,
              result: 'ok',
              detail: { id: item.id, from: step.from, to: step.to, revisit: step.revisit },
            });
            const stored = appendAndPublish(
              [{ type: 'rectification.changed', id: item.id, caseId: item.caseId, status: item.status }],
              now,
            );
            return { item, stored };
          }),
        );
        ctx.publish(stored);
        return toAnswer(item, ctx.clock.now());
      });

      ctx.defineRoute(api.rectificationFigures, ({ caller, query }) => {
        requireSession(caller);
        const now = ctx.clock.now();
        const month = query.month ?? businessDayOf(now, tz()).slice(0, 7);
        const prev = previousMonth(month);
        const names = {
          window: (k: string) => ctx.engine.config.windows.find((w) => String(w.no) === k)?.name ?? `${k} 号窗口`,
          staff: (k: string) => staffName(k) ?? k,
          service: (k: string) => ctx.engine.config.services.find((s) => s.code === k)?.name ?? k,
        };
        const table = (m: string) => {
          const from = startOfDay(`${m}-01`, tz());
          const to = startOfDay(`${nextMonth(m)}-01`, tz());
          const t = figureTable(store.openedBetween(from, to));
          return {
            month: m,
            total: t.total,
            byWindow: t.byWindow.map((r) => ({ ...r, name: names.window(r.key) })),
            byStaff: t.byStaff.map((r) => ({ ...r, name: names.staff(r.key) })),
            byService: t.byService.map((r) => ({ ...r, name: names.service(r.key) })),
          };
        };
        return { current: table(month), previous: table(prev) };
      });

      // ------------------------------------------------------------------ 承诺件 and long waits
      const promiseCases = (now: number) => {
        const items = new Map((opts.catalogue?.() ?? []).map((i) => [i.taskCode, i]));
        const soon = cfg().alarms.promiseDueSoonWorkingDays;
        return store
          .openCases()
          .flatMap((c) => {
            const task = items.get(c.taskCode);
            if (!task || task.promiseDays <= 0 || c.acceptTime === null) return [];
            const d = deadlineOf(c.acceptTime, task.promiseDays, calendar(), tz());
            const left = workingDaysLeft(now, d.dueDate, calendar(), tz());
            const overdue = now > d.dueAt;
            if (!overdue && left > soon) return [];
            return [
              {
                caseId: c.id,
                taskCode: c.taskCode,
                taskName: c.taskName ?? task.taskName,
                windowNo: c.windowNo,
                staffNo: c.staffNo,
                acceptTime: iso(c.acceptTime),
                promiseDays: task.promiseDays,
                promiseDate: d.dueDate,
                workingDaysLeft: left,
                overdue,
              },
            ];
          })
          .sort((a, b) => a.promiseDate.localeCompare(b.promiseDate));
      };

      const waitAlarms = (now: number) => {
        const thresholds = cfg().alarms.waitMinutes;
        return ctx.engine.config.services.flatMap((s) => {
          const limit = thresholds[s.code];
          if (!limit) return [];
          const waiting = ctx.engine.waitingTickets(s.code);
          const oldest = waiting.reduce((m, t) => Math.min(m, t.queuedAt), Number.POSITIVE_INFINITY);
          const minutes = waiting.length ? Math.floor((now - oldest) / 60_000) : 0;
          if (minutes < limit) return [];
          const windows = ctx.engine.config.windows
            .filter((w) => w.services.some((x) => x.code === s.code))
            .map((w) => w.no);
          return [
            {
              serviceCode: s.code,
              serviceName: s.name,
              waiting: waiting.length,
              oldestWaitMinutes: minutes,
              thresholdMinutes: limit,
              windows,
              message: `「${s.name}」最长已等候 ${minutes} 分钟（阈值 ${limit} 分钟），共 ${waiting.length} 人等候；建议增开窗口`,
            },
          ];
        });
      };

      ctx.defineRoute(api.hallAlarms, () => {
        const now = ctx.clock.now();
        const open = store.list(['open', 'verifying', 'rectifying', 'revisit']);
        const remind = Math.max(0, ...cfg().rect.remindBeforeWorkingDays);
        let dueSoon = 0;
        let overdue = 0;
        const missing = new Set<number>();
        for (const i of open) {
          if (now > i.dueAt) overdue++;
          else if (workingDaysLeft(now, i.dueDate, calendar(), tz()) <= remind) dueSoon++;
          for (const y of i.calendarMissing) if (!calendar().hasYear(y)) missing.add(y);
        }
        return {
          rectifications: { dueSoon, overdue, calendarMissing: [...missing].sort() },
          promises: promiseCases(now),
          waits: waitAlarms(now),
        };
      });

      ctx.defineRoute(api.waitAlarms, () => waitAlarms(ctx.clock.now()));

      // ------------------------------------------------------------------ the scheduler
      /** Services whose long-wait alarm is up (a live condition: raised again after a restart). */
      const waitRaised = new Set<string>();
      tickImpl = () => {
        const now = ctx.clock.now();
        const stored = ctx.repo.transaction(() => {
          const events: QueueEvent[] = [];
          for (const listed of store.list(['open', 'verifying', 'rectifying', 'revisit'])) {
            if (isFinished(listed.status as RectificationStatus)) continue;
            let item = listed;
            // The missing year was added to the calendar since: count the deadline again, with its holidays.
            if (item.calendarMissing.length && item.calendarMissing.every((y) => calendar().hasYear(y))) {
              store.recountDeadline(
                item.id,
                deadlineOf(item.openedAt, cfg().rect.deadlineWorkingDays, calendar(), tz()),
                now,
              );
              item = store.get(item.id) ?? item;
              events.push({ type: 'rectification.changed', id: item.id, caseId: item.caseId, status: item.status });
            }
            const a = dueAlarm(now, item, cfg().rect.remindBeforeWorkingDays, new Set(item.alarms), calendar(), tz());
            if (a && store.markAlarm(item.id, a.key)) events.push(itemAlarm(item, a.kind, now, a.left));
          }
          for (const p of promiseCases(now)) {
            const kind = p.overdue ? 'overdue' : 'due_soon';
            if (!store.raiseOnce(`promise:${p.caseId}:${kind}`, now)) continue;
            events.push(
              raise(
                {
                  type: 'promise.alarm',
                  caseId: p.caseId,
                  taskCode: p.taskCode,
                  promiseDate: p.promiseDate,
                  kind,
                  message: p.overdue
                    ? `承诺件已超期：办件 ${p.caseId}（${p.taskName ?? p.taskCode}）承诺 ${p.promiseDate} 前办结`
                    : `承诺件临近期限：办件 ${p.caseId}（${p.taskName ?? p.taskCode}）还剩 ${p.workingDaysLeft} 个工作日`,
                },
                now,
              ),
            );
          }
          const waits = waitAlarms(now);
          for (const w of waits) {
            if (waitRaised.has(w.serviceCode)) continue;
            waitRaised.add(w.serviceCode);
            events.push(raise({ type: 'wait.alarm', level: 'alarm', ...w }, now));
          }
          for (const code of [...waitRaised]) {
            if (waits.some((w) => w.serviceCode === code)) continue;
            waitRaised.delete(code);
            const s = ctx.engine.config.services.find((x) => x.code === code);
            events.push({
              type: 'wait.alarm',
              level: 'clear',
              serviceCode: code,
              serviceName: s?.name ?? code,
              waiting: ctx.engine.waitingTickets(code).length,
              oldestWaitMinutes: 0,
              thresholdMinutes: cfg().alarms.waitMinutes[code] ?? 0,
              windows: [],
              message: `「${s?.name ?? code}」等候时长已恢复正常`,
            });
          }
          return appendAndPublish(events, now);
        });
        if (stored.length) ctx.publish(stored);
      };
      const timer = setInterval(() => {
        try {
          tickImpl();
        } catch (e) {
          ctx.log('error', '整改与告警检查失败', { error: (e as Error).message });
        }
      }, opts.tickMs ?? 30_000);
      timer.unref();
      return { close: () => clearInterval(timer) };
    },
  };
  return { plugin, tick: () => tickImpl() };
}

function nextMonth(m: string): string {
  const [y, mo] = m.split('-').map(Number) as [number, number];
  return mo === 12 ? `${y + 1}-01` : `${y}-${String(mo + 1).padStart(2, '0')}`;
}

function previousMonth(m: string): string {
  const [y, mo] = m.split('-').map(Number) as [number, number];
  return mo === 1 ? `${y - 1}-12` : `${y}-${String(mo - 1).padStart(2, '0')}`;
}
