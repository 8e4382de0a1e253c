/**
 * Hub routes of the platform sync (docs/sync.md, docs/hub-api-extensions.md): outbox status,
 * set-aside records and retry for the admin console, the cached service catalogue (办事指南) and
 * case lookups (办件查询) for kiosks. Alarms of the sync service become `sync.alarm` events.
 */
import { z } from 'zod';
import { isoInZone } from '../../common/hall-time.js';
import { maskName } from '../../common/mask.js';
import type { CaseRecord } from '../store/case-repository.js';
import { type SyncService, syncStatusJson } from '../sync/sync-service.js';
import { ApiError, readJsonBody, sendJson, validate } from './http-kit.js';
import type { HubPlugin } from './hub-plugin.js';

const retryBody = z.object({ ids: z.array(z.string().min(1).max(64)).min(1).max(1000).optional() }).strict();

const lookupBody = z
  .object({
    certNo: z.string().trim().min(6).max(40).optional(),
    caseId: z.string().trim().min(1).max(64).optional(),
    projectNo: z.string().trim().min(1).max(64).optional(),
  })
  .strict()
  .refine((b) => [b.certNo, b.caseId, b.projectNo].filter((x) => x !== undefined).length === 1, {
    message: '需要且只能给出 certNo、caseId、projectNo 之一',
    path: ['certNo'],
  });

/** How long a kiosk waits for the platform's progress before answering from the hall's records. */
const PROGRESS_WAIT_MS = 3000;

export function syncRoutesPlugin(sync: SyncService): HubPlugin {
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

      ctx.router.add('GET', '/api/v1/sync/status', ({ req, res }) => {
        ctx.requireRole(req, ['admin'], false);
        sendJson(res, 200, syncStatusJson(sync.status(), ctx.timeZone()));
      });

      ctx.router.add('GET', '/api/v1/sync/rejected', ({ req, res, url }) => {
        ctx.requireRole(req, ['admin'], false);
        const after = Number(url.searchParams.get('after') ?? 0);
        const limit = Number(url.searchParams.get('limit') ?? 100);
        if (!Number.isInteger(after) || after < 0) throw new ApiError(400, 'INVALID_INPUT', '字段 after：应为非负整数');
        if (!Number.isInteger(limit) || limit < 1 || limit > 500)
          throw new ApiError(400, 'INVALID_INPUT', '字段 limit：应为 1 到 500 的整数');
        const rows = sync.outbox.rejectedPage(after, limit);
        sendJson(res, 200, {
          records: rows.map((r) => ({ ...r, at: iso(r.at) })),
          next: rows.length === limit ? rows[rows.length - 1]!.seq : null,
        });
      });

      ctx.router.add('POST', '/api/v1/sync/retry', async ({ req, res }) => {
        const c = ctx.requireRole(req, ['admin'], false);
        const body = validate(retryBody, await readJsonBody(req));
        const n = sync.retry(body.ids);
        ctx.repo.transaction(() =>
          ctx.repo.appendAudit({
            at: ctx.clock.now(),
            actor: ctx.actorOf(c),
            action: 'sync.retry',
            subject: null,
            result: 'ok',
            detail: { requeued: n, ids: body.ids?.length ?? 'all' },
          }),
        );
        sendJson(res, 200, { requeued: n });
      });

      ctx.router.add('GET', '/api/v1/catalog', ({ req, res, url }) => {
        ctx.requireCaller(req);
        const cached = sync.catalogue.get();
        if (!cached) {
          throw new ApiError(
            503,
            'CATALOGUE_UNAVAILABLE',
            sync.client
              ? '尚未从省级平台取得事项目录，请稍后再试'
              : '未配置省级平台，没有事项目录：请管理员在大厅配置的 platform 段填写平台地址和密钥',
          );
        }
        const taskCode = url.searchParams.get('taskCode');
        const items = taskCode ? cached.catalogue.items.filter((i) => i.taskCode === taskCode) : cached.catalogue.items;
        sendJson(res, 200, {
          version: cached.catalogue.version,
          fetchedAt: iso(cached.fetchedAt),
          checkedAt: iso(cached.checkedAt),
          items,
          evaluationReasons: cached.catalogue.evaluationReasons,
        });
      });

      ctx.router.add('POST', '/api/v1/cases/lookup', async ({ req, res }) => {
        const c = ctx.requireRole(req, ['kiosk', 'counter', 'admin'], true);
        const body = validate(lookupBody, await readJsonBody(req));
        let found: CaseRecord[];
        if (body.certNo) found = ctx.cases.findByCertNo(body.certNo);
        else if (body.projectNo) found = [ctx.cases.findByProjectNo(body.projectNo)].filter((x) => x !== null);
        else found = [ctx.cases.get(body.caseId!)].filter((x) => x !== null);
        if (body.certNo) {
          // Who looked up whose cases: by keyed hash only, never the number itself.
          ctx.repo.transaction(() =>
            ctx.repo.appendAudit({
              at: ctx.clock.now(),
              actor: ctx.actorOf(c),
              action: 'case.lookup',
              subject: null,
              result: 'ok',
              detail: { by: 'certNo', found: found.length },
            }),
          );
        }
        const one = found.length === 1 ? found[0]! : null;
        const progress = one?.projectNo ? await platformProgress(sync, one.projectNo) : null;
        sendJson(res, 200, {
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
            source: k === one && progress ? 'platform' : 'hall',
          })),
        });
      });
      return { close: () => void unsubscribe() };
    },
  };
}

function applicantNameOf(cases: { applicantName(id: string): string | null }, id: string): string | null {
  const n = cases.applicantName(id);
  return n ? maskName(n) : null;
}

async function platformProgress(sync: SyncService, projectNo: string): Promise<Record<string, unknown> | null> {
  if (!sync.client) return null;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), PROGRESS_WAIT_MS);
  });
  try {
    const out = await Promise.race([sync.client.getProgress(projectNo), timeout]);
    return out && out.kind === 'ok' ? out.value : null;
  } catch {
    return null;
  } finally {
    clearTimeout(timer);
  }
}
