/**
 * `govhall sync status|retry|drain` against a hall's data folder (docs/sync.md).
 * status and retry work beside a running hub (WAL); drain sends by itself and therefore takes the
 * hub's lock: it refuses while a hub runs on the same data (that hub's relay is already sending).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { outboxKindName } from '../../common/outbox-kind.js';
import { DEMO_HALL_PATH } from '../../kiosk-config/demo-hall.js';
import { formatProblem, loadHallConfigFile } from '../../kiosk-config/load.js';
import { FieldCipher, loadOrCreateDataKey } from '../store/crypto.js';
import { openDatabase } from '../store/database.js';
import { alarmThresholds, resolvePlatform } from '../sync/platform-settings.js';
import { SyncService, syncStatusJson } from '../sync/sync-service.js';
import { systemClock } from '../time/clock.js';
import { parseFlags } from './args.js';
import { CliError } from './cli-error.js';
import { defaultDataDir } from './data-dir.js';
import { appVersion } from './main.js';
import { openDatabaseForTools } from './open-store.js';
import { PLATFORM_FLAGS, PLATFORM_USAGE, platformFlags } from './platform-flags.js';

const USAGE = `用法 / usage:
  govhall sync status [--data DIR] [--json]
      发件箱状态：待上报、最早等待、被拒收搁置、最近成功、最近错误 / outbox status
  govhall sync retry [--data DIR] [--id ID[,ID…]] [--json]
      把被拒收搁置的记录（默认全部）重新排队，中枢会随后发送 / put set-aside records back in line
  govhall sync drain [--data DIR] [--config FILE] [--platform-url URL --platform-secret-file FILE [--platform-alg ALG]] [--json]
      不启动中枢，直接发送直到发件箱为空或发送失败（中枢运行时不可用）
      send until the outbox is empty or a send fails (not while a hub runs on the data)
${PLATFORM_USAGE}
退出码 / exit: 0 成功，1 失败（drain 未发完），2 用法错误`;

const FLAGS = {
  data: { type: 'string' },
  config: { type: 'string' },
  json: { type: 'boolean' },
  id: { type: 'string' },
  ...PLATFORM_FLAGS,
} as const;

const TZ = 'Asia/Shanghai';

export async function syncCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (!sub || sub === '--help' || sub === '-h') throw new CliError(USAGE, sub ? 0 : 2);
  const { values, positionals } = parseFlags(rest, FLAGS, USAGE);
  if (positionals.length) throw new CliError(`多余的参数：${positionals.join(' ')}\n\n${USAGE}`);
  const out = process.stdout;

  if (sub === 'status' || sub === 'retry') {
    const store = await openDatabaseForTools(values.data);
    try {
      const sync = new SyncService({
        db: store.db,
        cipher: null,
        platform: null,
        alarm: { pending: Number.MAX_SAFE_INTEGER, oldestSeconds: Number.MAX_SAFE_INTEGER },
        timeZone: () => TZ,
        clock: systemClock,
      });
      if (sub === 'retry') {
        const ids = values.id
          ?.split(',')
          .map((s) => s.trim())
          .filter(Boolean);
        const n = sync.retry(ids);
        if (values.json) out.write(`${JSON.stringify({ requeued: n })}\n`);
        else out.write(`已重新排队 ${n} 条记录；运行中的中枢会在下次发送时上报 / ${n} record(s) requeued\n`);
        return 0;
      }
      const s = syncStatusJson(sync.status(), TZ);
      const rejected = sync.outbox.rejectedPage(0, 20);
      if (values.json) {
        out.write(
          `${JSON.stringify({
            ...s,
            // What only the running hub's relay knows is left out rather than shown as a false "off".
            configured: undefined,
            running: undefined,
            platformUrl: undefined,
            failures: undefined,
            nextAttemptAt: undefined,
            alarm: undefined,
            clockOffsetMs: Number(sync.outbox.getState('clockOffsetMs') ?? 0),
            rejectedRecords: rejected,
          })}\n`,
        );
        return 0;
      }
      out.write(`待上报 / pending:            ${s.pending}\n`);
      out.write(`最早等待 / oldest (s):       ${s.oldestPendingSeconds ?? '-'}\n`);
      out.write(`已送达 / delivered:          ${s.delivered}\n`);
      out.write(`拒收搁置 / rejected:         ${s.rejected}\n`);
      out.write(`最近成功 / last success:     ${s.lastSuccessAt ?? '-'}\n`);
      out.write(`最近错误 / last error:       ${s.lastError ?? '-'}\n`);
      out.write(
        `事项目录 / catalogue:        ${s.catalogue ? `${s.catalogue.version}（${s.catalogue.items} 项，${s.catalogue.fetchedAt}）` : '-'}\n`,
      );
      for (const r of rejected) {
        out.write(`  ${outboxKindName(r.kind)} ${r.caseId ?? '-'} v${r.version} ${r.id}  ${r.code}：${r.message}\n`);
      }
      return 0;
    } finally {
      store.close();
    }
  }

  if (sub === 'drain') {
    const dataDir = values.data ?? defaultDataDir();
    if (!existsSync(join(dataDir, 'govhall.db'))) {
      throw new CliError(`数据目录 ${dataDir} 中没有大厅数据库（govhall.db）。请用 --data 指定。`, 1);
    }
    const configPath = values.config ?? DEMO_HALL_PATH;
    const loaded = loadHallConfigFile(configPath);
    if (!loaded.ok) {
      throw new CliError(
        `大厅配置有 ${loaded.problems.length} 个问题：\n${loaded.problems.map(formatProblem).join('\n')}`,
        1,
      );
    }
    const platform = resolvePlatform(loaded.config, platformFlags(values), configPath);
    if (!platform) {
      throw new CliError('未配置省级平台：请在配置的 platform 段或用 --platform-url、--platform-secret-file 给出', 1);
    }
    const db = openDatabase({ dataDir, appVersion: await appVersion(), lock: true });
    const tz = loaded.config.hall.timeZone;
    const sync = new SyncService({
      db,
      cipher: new FieldCipher(loadOrCreateDataKey(dataDir).master),
      platform,
      alarm: alarmThresholds(loaded.config),
      timeZone: () => tz,
      clock: systemClock,
    });
    try {
      const before = sync.status();
      const ok = await sync.relay!.drain();
      const after = sync.status();
      const sent = after.delivered - before.delivered;
      const newlyRejected = after.rejected - before.rejected;
      const report = { ok, sent, newlyRejected, status: syncStatusJson(after, tz) };
      if (values.json) out.write(`${JSON.stringify(report)}\n`);
      else {
        out.write(`已送达 ${sent} 条，新搁置 ${newlyRejected} 条，剩余 ${after.pending} 条 / delivered ${sent}\n`);
        if (!ok) out.write(`发送失败 / failed: ${after.lastError ?? '未知错误'}\n`);
      }
      return ok ? 0 : 1;
    } finally {
      await sync.stop();
      db.close();
    }
  }
  throw new CliError(`未知的子命令「${sub}」\n\n${USAGE}`);
}
