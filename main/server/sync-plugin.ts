/**
 * Hub routes of the platform sync (docs/sync.md, docs/hub-api-extensions.md): outbox status,
 * set-aside records and retry for the admin console, the cached service catalogue (办事指南) and
 * case lookups (办件查询) for kiosks. Alarms of the sync service become `sync.alarm` events.
 */
import type { z } from 'zod';
import type { lookupBody } from '../../common/api/requests.js';
import { progressAnswer } from '../../common/api/responses.js';
import { syncRoutes as api } from '../../common/api/routes.js';
import { isoInZone } from '../../common/hall-time.js';
import { maskName } from '../../common/mask.js';
import type { CaseRecord } from '../store/case-repository.js';
import { hallCatalogue } from '../sync/hall-catalogue.js';
import { type SyncService, syncStatusJson } from '../sync/sync-service.js';
import { ApiError } from './http-kit.js';
import type { Caller, HubContext, HubPlugin } from './hub-plugin.js';

/** How long a kiosk waits for the platform's progress before answering from the hall's records. */
const PROGRESS_WAIT_MS = 3000;

export function syncPlugin(sync: SyncService): HubPlugin {
  return {
    name: 'sync',
    install(ctx) {
      const iso = (ms: number | null) => (ms === null ? null : isoInZone(ms, ctx.timeZone()));
      sync.onAlarm = (a) => {
        try {
          ctx.emit({ type: 'sync.alarm', ...a });
        } catch (e) {
          ctx.log('error', '无法发出同步告警事件', { error: (e as Error).message });
        }
      };

      // A finished case (its rating is requested at the same moment) goes out now, not at the next poll.
      const unsubscribe = ctx.engine.onEvents((events) => {
        if (events.some((e) => e.event.type === 'evaluation.requested')) sync.nudge();
      });

      ctx.defineRoute(api.syncStatus, () => syncStatusJson(sync.status(), ctx.timeZone()));

      ctx.defineRoute(api.syncRejected, ({ query }) => {
        const limit = query.limit ?? 100;
        const rows = sync.outbox.rejectedPage(query.after ?? 0, limit);
        return {
          records: rows.map((r) => ({ ...r, at: iso(r.at) })),
          next: rows.length === limit ? (rows[rows.length - 1]?.seq ?? null) : null,
        };
      });

      ctx.defineRoute(api.syncRetry, ({ caller, body }) => {
        const n = sync.retry(body.ids);
        ctx.audit({
          actor: ctx.actorOf(caller),
          action: 'sync.retry',
          subject: null,
          result: 'ok',
          detail: { requeued: n, ids: body.ids?.length ?? 'all' },
        });
        return { requeued: n };
      });

      ctx.defineRoute(api.catalog, ({ query }) => {
        // The platform's copy merged with the hall's local catalogue: names from the first minute.
        const merged = hallCatalogue(sync.catalogue, ctx.engine.config);
        if (!merged) {
          throw new ApiError(
            503,
            'CATALOGUE_UNAVAILABLE',
            sync.client
              ? '尚未从省级平台取得事项目录，大厅配置也没有本地目录（catalogue），请稍后再试'
              : '没有事项目录：请在大厅配置的 catalogue 段写本地目录，或在 platform 段填写平台地址和密钥',
          );
        }
        const cached = sync.catalogue.get();
        const taskCode = query.taskCode;
        const all = merged.catalogue.items;
        const items = taskCode ? all.filter((i) => i.taskCode === taskCode) : all;
        return {
          version: merged.catalogue.version,
          fetchedAt: iso(cached?.fetchedAt ?? null),
          checkedAt: iso(cached?.checkedAt ?? null),
          items,
          evaluationReasons: merged.catalogue.evaluationReasons,
          source: merged.source,
        };
      });

      ctx.defineRoute(api.caseLookup, async ({ caller: c, body }) => {
        const { found, by } = lookUp(ctx, c, body);
        if (by !== 'code') {
          // Who looked up whose cases: how, and how many — never the number itself.
          ctx.audit({
            actor: ctx.actorOf(c),
            action: 'case.lookup',
            subject: null,
            result: 'ok',
            detail: { by, found: found.length },
          });
        }
        const one = found.length === 1 ? (found[0] ?? null) : null;
        const progress = one?.projectNo ? await platformProgress(sync, one.projectNo) : null;
        return {
          cases: found.map((k) => ({
            id: k.id,
            projectNo: k.projectNo,
            taskCode: k.taskCode,
            taskName: k.taskName,
            status: k.status,
            result: k.result,
            caseType: k.caseType,
            windowNo: k.windowNo,
            staffNo: k.staffNo,
            ticketId: k.ticketId,
            version: k.version,
            acceptTime: iso(k.acceptTime),
            finishTime: iso(k.finishTime),
            applicantName: applicantNameOf(ctx.cases, k.id),
            synced: k.syncedVersion !== null,
            progress: k === one ? progress : null,
            source: k === one && progress ? ('platform' as const) : ('hall' as const),
          })),
        };
      });
      return { close: () => void unsubscribe() };
    },
  };
}

/** How many cases of one person a lookup considers (newest first) when matching a receipt code. */
const PERSON_CASES_MAX = 200;

/**
 * The cases a lookup may show this caller (docs/security.md, 办件查询): by a card the hub read,
 * by number and receipt code, by number alone for staff, or one case by its code.
 */
function lookUp(
  ctx: HubContext,
  c: Caller,
  body: z.output<typeof lookupBody>,
): { found: CaseRecord[]; by: 'card' | 'certNo+code' | 'certNo' | 'code' } {
  if (body.cardRead) {
    const read = ctx.cardReads.find(body.cardRead, c.bearer);
    if (!read) throw new ApiError(404, 'UNKNOWN_CARD_READ', '读卡信息已失效或不属于本机，请重新把身份证放在感应区');
    return { found: ctx.cases.findByCertNo(read.certNo), by: 'card' };
  }
  if (body.certNo) {
    const code = body.caseId ?? body.projectNo;
    if (code === undefined) {
      if (c.kind === 'device' && c.token.role === 'kiosk') {
        throw new ApiError(403, 'RECEIPT_CODE_REQUIRED', '按证件号码查询，请同时输入回执上的办件编号；或刷身份证查询');
      }
      return { found: ctx.cases.findByCertNo(body.certNo), by: 'certNo' };
    }
    // The person's cases, shown only when the receipt's case is one of them: the same empty answer
    // for a wrong number and a wrong code, so neither can be probed.
    const all = ctx.cases.findByCertNo(body.certNo, PERSON_CASES_MAX);
    const holds = all.some((k) => (body.caseId ? k.id === body.caseId : k.projectNo === body.projectNo));
    return { found: holds ? all.slice(0, 20) : [], by: 'certNo+code' };
  }
  if (body.projectNo)
    return { found: [ctx.cases.findByProjectNo(body.projectNo)].filter((x) => x !== null), by: 'code' };
  return { found: [ctx.cases.get(body.caseId ?? '')].filter((x) => x !== null), by: 'code' };
}

function applicantNameOf(cases: { applicantName(id: string): string | null }, id: string): string | null {
  const n = cases.applicantName(id);
  return n ? maskName(n) : null;
}

/** The platform's answer is checked like any input: a malformed one is treated as no answer. */
async function platformProgress(sync: SyncService, projectNo: string): Promise<z.output<typeof progressAnswer> | null> {
  if (!sync.client) return null;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), PROGRESS_WAIT_MS);
  });
  try {
    const out = await Promise.race([sync.client.getProgress(projectNo), timeout]);
    if (out?.kind !== 'ok' || !out.value) return null;
    const parsed = progressAnswer.safeParse(out.value);
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  } finally {
    clearTimeout(timer);
  }
}
