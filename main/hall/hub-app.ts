/**
 * A running hub: store, engine, server, and the timers that keep it honest — the business-day
 * rollover at local midnight and the daily purge of applicant data.
 */

import { nextMidnight } from '../../common/hall-time.js';
import type { DeviceRole } from '../../common/roles.js';
import type { HallConfig } from '../../kiosk-config/hall-config.js';
import { loadHallConfigFile } from '../../kiosk-config/load.js';
import { type Logger, silentLogger } from '../log/logger.js';
import { QueueEngine } from '../queue/engine.js';
import { casePlugin } from '../server/case-plugin.js';
import type { HubPlugin } from '../server/hub-plugin.js';
import { createHubServer } from '../server/hub-server.js';
import { syncPlugin } from '../server/sync-plugin.js';
import { terminalPlugin } from '../server/terminal-plugin.js';
import { CaseRepository } from '../store/case-repository.js';
import { FieldCipher, loadOrCreateDataKey } from '../store/crypto.js';
import { openDatabase } from '../store/database.js';
import { pruneEvents, purgeApplicantData } from '../store/purge.js';
import { SqliteQueueRepository } from '../store/queue-repository.js';
import { TerminalStore } from '../store/terminals.js';
import { TokenStore } from '../store/tokens.js';
import { alarmThresholds, type PlatformOverride, resolvePlatform } from '../sync/platform-settings.js';
import { SyncService } from '../sync/sync-service.js';
import { type Clock, systemClock } from '../time/clock.js';

export interface HubAppOptions {
  config?: HallConfig;
  configPath?: string;
  dataDir: string;
  host?: string;
  port?: number;
  clock?: Clock;
  version?: string;
  logger?: Logger;
  rateLimit?: { perSecond: number; burst: number };
  /** Features beside the core API: sync status, devices, pad endpoint, UIs. */
  plugins?: HubPlugin[];
  /** `--platform-url`, `--platform-secret-file`, `--platform-alg`: override the config's platform section. */
  platform?: PlatformOverride;
  /** Test hooks of the relay (randomness of the backoff jitter, sleeping). */
  syncHooks?: { random?: () => number; sleep?: (ms: number, signal: AbortSignal) => Promise<void> };
}

export interface HubApp {
  url: string;
  port: number;
  engine: QueueEngine;
  /** The platform sync: outbox, relay (when configured), catalogue. */
  sync: SyncService;
  createToken(role: DeviceRole, windowNo?: number, name?: string): Promise<string>;
  /** Paired terminals (the embedded hall pairs its own simulated terminals through it). */
  terminals: TerminalStore;
  /** Every HTTP route the hub answers (method and path), to check each one is documented. */
  routes(): { method: string; path: string }[];
  close(): Promise<void>;
}

const EVENT_KEEP_DAYS = 7;

export async function startHubApp(opts: HubAppOptions): Promise<HubApp> {
  const log = opts.logger ?? silentLogger;
  let config = opts.config;
  if (!config) {
    if (!opts.configPath) throw new Error('startHubApp 需要 config 或 configPath');
    const loaded = loadHallConfigFile(opts.configPath);
    if (!loaded.ok)
      throw new Error(`大厅配置有误：${loaded.problems.map((p) => `${p.line}:${p.column} ${p.message}`).join('；')}`);
    config = loaded.config;
  }
  const clock = opts.clock ?? systemClock;
  const version = opts.version ?? '0.0.0';
  // A platform that cannot work (no secret file) stops the start, before anything is opened.
  const platform = resolvePlatform(config, opts.platform ?? {}, opts.configPath);
  const db = openDatabase({ dataDir: opts.dataDir, appVersion: version, lock: true });
  let server: ReturnType<typeof createHubServer> | null = null;
  let sync: SyncService | null = null;
  const timers: NodeJS.Timeout[] = [];
  try {
    const key = loadOrCreateDataKey(opts.dataDir);
    for (const w of key.warnings) log.warn(w);
    const cipher = new FieldCipher(key.master);
    const repo = new SqliteQueueRepository(db, cipher);
    const engine = new QueueEngine({ config, repo, clock });
    const tokens = new TokenStore(db);
    const terminals = new TerminalStore(db);
    const timeZone = () => engine.config.hall.timeZone;
    const cases = new CaseRepository(db, { cipher, timeZone });
    // Cases and ratings wait in the outbox; a relay sends them when a platform is configured.
    sync = new SyncService({
      db,
      cipher,
      platform,
      alarm: alarmThresholds(config),
      timeZone,
      clock,
      ...(opts.syncHooks?.random ? { random: opts.syncHooks.random } : {}),
      ...(opts.syncHooks?.sleep ? { sleep: opts.syncHooks.sleep } : {}),
      log: (level, msg, fields) => log[level](msg, fields),
    });
    // The hub may have been off over midnight: close the old day before serving anyone.
    engine.rolloverIfDue();

    const housekeeping = () => {
      try {
        engine.rolloverIfDue();
        const n = purgeApplicantData(db, {
          olderThanDays: engine.config.privacy.purgeAfterDays,
          today: engine.businessDay(),
          now: clock.now(),
        });
        if (n) log.info('已清除过期的申请人信息', { tickets: n });
        // Cases: the same retention, once the platform has every version of them.
        const nc = cases.purgeApplicantData(
          clock.now() - engine.config.privacy.purgeAfterDays * 86400_000,
          clock.now(),
        );
        if (nc) log.info('已清除已上报办件的过期申请人信息', { cases: nc });
        pruneEvents(db, { keepDays: EVENT_KEEP_DAYS, now: clock.now() });
      } catch (e) {
        log.error('定时维护失败', { error: (e as Error).message });
      }
    };
    housekeeping();
    const armMidnight = () => {
      const wait = Math.max(1000, nextMidnight(clock.now(), engine.config.hall.timeZone) - clock.now() + 500);
      const t = setTimeout(
        () => {
          housekeeping();
          armMidnight();
        },
        Math.min(wait, 2 ** 31 - 1),
      );
      t.unref();
      timers[0] = t;
    };
    armMidnight();
    // A safety net for a clock that jumps (NTP, a laptop waking up): check every minute.
    const minute = setInterval(() => {
      try {
        engine.rolloverIfDue();
      } catch (e) {
        log.error('跨日检查失败', { error: (e as Error).message });
      }
    }, 60_000);
    minute.unref();
    timers.push(minute);

    server = createHubServer({
      engine,
      repo,
      tokens,
      cases,
      clock,
      version,
      ...(opts.rateLimit ? { rateLimit: opts.rateLimit } : {}),
      terminals,
      // Terminals first: it follows device health from the first status the devices publish.
      plugins: [terminalPlugin({ store: terminals }), ...(opts.plugins ?? []), syncPlugin(sync), casePlugin()],
      log: (level, msg, fields) => log[level](msg, fields),
    });
    const host = opts.host ?? '127.0.0.1';
    const { port, url } = await server.listen(opts.port ?? 8800, host);
    log.info('中枢已启动', { url, hall: config.hall.code, businessDay: engine.businessDay() });
    sync.start();
    log.info(platform ? '省级平台同步已启动' : '未配置省级平台：办件和评价在发件箱中等待', {
      platform: platform?.url ?? null,
    });
    const srv = server;
    const syncService = sync;
    return {
      url,
      port,
      engine,
      sync: syncService,
      createToken: async (role, windowNo, name) =>
        tokens.createDeviceToken({ role, windowNo: windowNo ?? null, name: name ?? null }, clock.now()).token,
      terminals,
      routes: () => srv.routes(),
      close: async () => {
        for (const t of timers) clearTimeout(t);
        await syncService.stop();
        await srv.close();
        db.close();
      },
    };
  } catch (e) {
    for (const t of timers) clearTimeout(t);
    await sync?.stop();
    await server?.close();
    db.close();
    throw e;
  }
}
