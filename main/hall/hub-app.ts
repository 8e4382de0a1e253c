/**
 * A running hub: store, engine, server, and the timers that keep it honest — the business-day
 * rollover at local midnight and the daily purge of applicant data.
 */

import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { addDays } from '../../common/hall-calendar.js';
import { isoInZone, nextMidnight } from '../../common/hall-time.js';
import type { DeviceRole } from '../../common/roles.js';
import type { HallConfig } from '../../kiosk-config/hall-config.js';
import { loadHallConfigFile } from '../../kiosk-config/load.js';
import { NoShowScheduler } from '../appointments/no-show-scheduler.js';
import { AppointmentRegister } from '../appointments/register.js';
import { type Logger, silentLogger } from '../log/logger.js';
import { createIdGenerator, QueueEngine } from '../queue/engine.js';
import { appointmentPlugin } from '../server/appointment-plugin.js';
import { backupPlugin } from '../server/backup-plugin.js';
import { casePlugin } from '../server/case-plugin.js';
import { documentsPlugin } from '../server/documents-plugin.js';
import type { HubPlugin } from '../server/hub-plugin.js';
import { createHubServer } from '../server/hub-server.js';
import { materialPlugin } from '../server/material-plugin.js';
import { phonePagesPlugin } from '../server/phone-pages-plugin.js';
import { rectificationPlugin } from '../server/rectification-plugin.js';
import type { SignInLimits } from '../server/sign-in-guard.js';
import { syncPlugin } from '../server/sync-plugin.js';
import { terminalPlugin } from '../server/terminal-plugin.js';
import { updatesPlugin } from '../server/updates-plugin.js';
import { SqliteAppointmentRepository } from '../store/appointment-repository.js';
import { DATA_KEY_ID_META } from '../store/backup.js';
import { BackupScheduler } from '../store/backup-schedule.js';
import { CaseRepository } from '../store/case-repository.js';
import { dataKeyId, FieldCipher, loadOrCreateDataKey } from '../store/crypto.js';
import { openDatabase } from '../store/database.js';
import { MaterialStore } from '../store/material-store.js';
import { pruneEvents, purgeApplicantData } from '../store/purge.js';
import { SqliteQueueRepository } from '../store/queue-repository.js';
import { RectificationStore } from '../store/rectifications.js';
import { StorageMonitor, storageStartError } from '../store/storage-health.js';
import { StoreError } from '../store/store-error.js';
import { TerminalStore } from '../store/terminals.js';
import { TicketCodeStore } from '../store/ticket-codes.js';
import { TokenStore } from '../store/tokens.js';
import { AlarmWebhook } from '../sync/alarm-webhook.js';
import { AppointmentPull, type AppointmentPullResult } from '../sync/appointment-pull.js';
import { hallCatalogue } from '../sync/hall-catalogue.js';
import { enqueueRecord } from '../sync/outbox-records.js';
import { alarmThresholds, type PlatformOverride, resolvePlatform } from '../sync/platform-settings.js';
import { rectificationReporter } from '../sync/rectification-records.js';
import { SyncService } from '../sync/sync-service.js';
import { type Clock, systemClock } from '../time/clock.js';

export interface HubAppOptions {
  config?: HallConfig;
  configPath?: string;
  dataDir: string;
  host?: string;
  port?: number;
  /** The renderer build the phone pages are served from (default `dist/renderer`). */
  uiRoot?: string;
  /** Overrides `public.listen.port` of the config (tests pass 0 for a free port). */
  publicPort?: number;
  clock?: Clock;
  version?: string;
  logger?: Logger;
  rateLimit?: { perSecond: number; burst: number };
  /** Limits of the PIN sign-ins (main/server/sign-in-guard.ts has the defaults). */
  signInLimits?: Partial<SignInLimits>;
  /** Features beside the core API: sync status, devices, pad endpoint, UIs. */
  plugins?: HubPlugin[];
  /** Recheck period of a full or read-only disk (ms, default 5000; tests shorten it). */
  storageRecheckMs?: number;
  /** `--platform-url`, `--platform-secret-file`, `--platform-alg`: override the config's platform section. */
  platform?: PlatformOverride;
  /** Test hook: the alarm webhook's backoff jitter. */
  webhookRandom?: () => number;
  /** Test hooks of the relay (randomness of the backoff jitter, sleeping). */
  syncHooks?: { random?: () => number; sleep?: (ms: number, signal: AbortSignal) => Promise<void> };
}

export interface HubApp {
  url: string;
  port: number;
  /** The public listener (config `public.listen`), or null when the hall has none. */
  publicUrl: string | null;
  engine: QueueEngine;
  /** The platform sync: outbox, relay (when configured), catalogue. */
  sync: SyncService;
  /** The disk under the data folder (full, read-only, or fine). */
  storage: StorageMonitor;
  /** The appointment register (booking, check-in, no-shows, the platform's bookings). */
  appointments: AppointmentRegister;
  /** Pulls the platform's appointments now (also done every few minutes); an error without a platform. */
  pullPlatformAppointments(): Promise<AppointmentPullResult>;
  /** The daily backup when the config has a `backup` section, else null. */
  backup: BackupScheduler | null;
  createToken(role: DeviceRole, windowNo?: number, name?: string): Promise<string>;
  /** Paired terminals (the embedded hall pairs its own simulated terminals through it). */
  terminals: TerminalStore;
  /** Every HTTP route the hub answers (method and path), to check each one is documented. */
  routes(): { method: string; path: string }[];
  /** 差评整改, 承诺件 and long-wait alarms: `tick()` raises those due now on the hub's clock. */
  alarms: { tick(): void; webhook: AlarmWebhook | null };
  close(): Promise<void>;
}

/**
 * Events kept for resume (docs/security.md): a week at most and never more than this many, checked
 * every minute — far more than one resume replays (`DEFAULT_EVENT_LIMITS.maxReplay`).
 */
export const EVENT_RETENTION = { keepDays: 7, keepCount: 10_000 } as const;

/** How often the platform's appointments are pulled (an unchanged day costs one 304). */
export const PLATFORM_APPOINTMENTS_EVERY_MS = 5 * 60_000;

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
  let backup: BackupScheduler | null = null;
  let webhook: AlarmWebhook | null = null;
  let noShows: NoShowScheduler | null = null;
  const timers: NodeJS.Timeout[] = [];
  const storage = new StorageMonitor({
    dataDir: opts.dataDir,
    db: db.db,
    now: () => clock.now(),
    ...(opts.storageRecheckMs ? { recheckMs: opts.storageRecheckMs } : {}),
    log: (level, msg, fields) => log[level](msg, fields),
  });
  try {
    const key = loadOrCreateDataKey(opts.dataDir);
    for (const w of key.warnings) log.warn(w);
    const cipher = new FieldCipher(key.master);
    const repo = new SqliteQueueRepository(db, cipher);
    // The database names the key its ID numbers are sealed with: a wrong key file stops the start
    // here, instead of failing on every encrypted field later.
    const keyId = dataKeyId(key.master);
    const recordedKeyId = repo.getMeta(DATA_KEY_ID_META);
    if (recordedKeyId === null) repo.transaction(() => repo.setMeta(DATA_KEY_ID_META, keyId));
    else if (recordedKeyId !== keyId) {
      throw new StoreError(
        'KEY_INVALID',
        `密钥文件 ${key.path} 与数据库不配套（数据库记录的密钥编号 ${recordedKeyId}，文件中的是 ${keyId}），` +
          `已加密的证件号将无法解密，中枢未启动。请放回与该数据库配套的密钥文件（另行保管的副本，或备份旁的 .data.key），` +
          `恢复备份时可用 govhall restore --key 一并放回。`,
      );
    }
    const engine = new QueueEngine({ config, repo, clock });
    const tokens = new TokenStore(db);
    const terminals = new TerminalStore(db);
    const ticketCodes = new TicketCodeStore(db);
    const timeZone = () => engine.config.hall.timeZone;
    const cases = new CaseRepository(db, { cipher, timeZone });
    // Scanned materials, sealed with the same data key; what a crash left half-written goes first.
    const materials = new MaterialStore(db, key.master, { now: () => clock.now() });
    const swept = materials.sweepOrphans();
    if (swept) log.warn('已清理上次异常退出留下的材料残余文件', { files: swept });
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
    // Material records of the outbox take their bytes from the store, decrypted only in memory.
    sync.setMaterials(async (sha256) => {
      const m = materials.read(sha256);
      return m ? { bytes: m.data, contentType: m.contentType, name: m.name ?? '' } : null;
    });
    // The hub may have been off over midnight: close the old day before serving anyone.
    engine.rolloverIfDue();
    const appointmentRepo = new SqliteAppointmentRepository(db, cipher);
    const appointments = new AppointmentRegister({
      config: () => engine.config,
      repo: appointmentRepo,
      clock,
      newId: createIdGenerator(clock),
      randomBytes: (n) => randomBytes(n),
      // Only the platform's own appointments are reported back, in the transaction of the change.
      onDecided: (a, status, at) => {
        if (!a.platformId) return;
        enqueueRecord(db, {
          kind: 'appointment',
          caseId: null,
          occurredAt: at,
          data: { appointmentId: a.platformId, status, at: isoInZone(at, engine.config.hall.timeZone) },
        });
      },
    });
    const platformClient = sync.client;
    const appointmentPull = platformClient
      ? new AppointmentPull({
          client: platformClient,
          hallCode: () => platform?.hallCode ?? engine.config.hall.code,
          days: () => ({
            today: engine.businessDay(),
            ahead: Math.max(0, ...appointments.bookableServices().map((x) => x.appointment.daysAhead)),
          }),
          merge: (items) => appointments.mergePlatform(items),
        })
      : null;
    // One pull at a time: a pull asked for while one runs starts after it (the timer and a test alike).
    let pulling: Promise<unknown> = Promise.resolve();
    const pullPlatformAppointments = (): Promise<AppointmentPullResult> => {
      const next = pulling.then(pullOnce);
      pulling = next;
      return next;
    };
    const pullOnce = async (): Promise<AppointmentPullResult> => {
      if (!appointmentPull) return { error: '未配置省级平台' };
      try {
        const r = await appointmentPull.pull();
        if ('error' in r) log.warn(r.error);
        else if (r.merged.added || r.merged.updated || r.merged.cancelled) {
          log.info('已合并平台预约', { ...r.merged, skipped: r.merged.skipped.length });
          noShows?.poke();
        }
        for (const sk of 'merged' in r ? r.merged.skipped : []) log.warn('平台预约未能合并', sk);
        return r;
      } catch (e) {
        return { error: `获取平台预约失败：${(e as Error).message}` };
      }
    };
    noShows = new NoShowScheduler({
      target: appointments,
      clock,
      onMarked: (marked) => log.info('已将过了签到时间的预约记为爽约', { count: marked.length }),
      onError: (e) => {
        if (!storage.noteFailure(e)) log.error('爽约标记失败', { error: e.message });
      },
    });

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
        // Materials: the case retention too; uploads never attached to a case go after two days.
        const nm = materials.purge({
          olderThan: clock.now() - engine.config.privacy.purgeAfterDays * 86400_000,
          uploadsOlderThan: clock.now() - 2 * 86400_000,
          now: clock.now(),
        });
        if (nm) log.info('已清除过期的办件材料', { files: nm });
        const na = appointmentRepo.purgeApplicantData(
          addDays(engine.businessDay(), -engine.config.privacy.purgeAfterDays),
        );
        if (na) log.info('已清除过期预约的申请人信息', { appointments: na });
        pruneEvents(db, { ...EVENT_RETENTION, now: clock.now() });
        // A phone follows a ticket on its day; yesterday's codes lead nowhere.
        ticketCodes.purgeBefore(engine.businessDay());
      } catch (e) {
        // A full or read-only disk shows in /health even when no request has written yet.
        if (!storage.noteFailure(e)) log.error('定时维护失败', { error: (e as Error).message });
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
    // A safety net for a clock that jumps (NTP, a laptop waking up): check every minute. The event
    // log's count bound is kept here too, so a burst of events is trimmed within the minute.
    const minute = setInterval(() => {
      try {
        engine.rolloverIfDue();
      } catch (e) {
        if (!storage.noteFailure(e)) log.error('跨日检查失败', { error: (e as Error).message });
      }
      try {
        pruneEvents(db, { ...EVENT_RETENTION, now: clock.now() });
      } catch (e) {
        log.error('事件清理失败', { error: (e as Error).message });
      }
    }, 60_000);
    minute.unref();
    timers.push(minute);

    if (config.backup) {
      const dir = config.backup.dir;
      backup = new BackupScheduler({
        handle: db,
        config: {
          ...config.backup,
          dir: isAbsolute(dir) || !opts.configPath ? resolve(dir) : resolve(dirname(opts.configPath), dir),
        },
        hallCode: config.hall.code,
        timeZone,
        now: () => clock.now(),
        keyPath: key.path,
        log: (level, msg, fields) => log[level](msg, fields),
      });
    }
    const syncForCatalogue = sync;
    const hook = config.alarms?.webhook;
    if (hook) {
      const file =
        isAbsolute(hook.secretFile) || !opts.configPath
          ? hook.secretFile
          : resolve(dirname(opts.configPath), hook.secretFile);
      let secret: string;
      try {
        secret = readFileSync(file, 'utf8').trim();
      } catch (e) {
        throw new Error(
          `无法读取告警推送的密钥文件 ${file}：${(e as NodeJS.ErrnoException).code ?? (e as Error).message}；请检查配置 alarms.webhook.secretFile`,
        );
      }
      if (!secret) throw new Error(`告警推送的密钥文件 ${file} 是空的；请写入一行密钥（至少 32 个字符）`);
      webhook = new AlarmWebhook({
        db: db.db,
        url: hook.url,
        secret,
        clock,
        ...(opts.webhookRandom ? { random: opts.webhookRandom } : {}),
        log: (level, msg, fields) => log[level](msg, fields),
      });
    }
    const rectification = rectificationPlugin({
      webhook,
      reportStep: rectificationReporter(db, timeZone),
      store: new RectificationStore(db),
      catalogue: () => syncForCatalogue.catalogue.get()?.catalogue.items ?? [],
      reasonTexts: () => syncForCatalogue.catalogue.reasonCodes(),
    });
    server = createHubServer({
      engine,
      repo,
      tokens,
      cases,
      ticketCodes,
      clock,
      version,
      ...(opts.rateLimit ? { rateLimit: opts.rateLimit } : {}),
      ...(opts.signInLimits ? { signInLimits: opts.signInLimits } : {}),
      terminals,
      appointments,
      // Terminals first: it follows device health from the first status the devices publish.
      plugins: [
        terminalPlugin({ store: terminals }),
        appointmentPlugin(appointments, () => noShows?.poke()),
        ...(opts.plugins ?? []),
        syncPlugin(sync),
        casePlugin(),
        materialPlugin({ store: materials }),
        documentsPlugin({
          catalogue: () => hallCatalogue(sync?.catalogue ?? null, engine.config),
          configDir: opts.configPath ? dirname(opts.configPath) : null,
          dataDir: opts.dataDir,
        }),
        rectification.plugin,
        // The citizen's phone pages, on the staff listener and the public one alike.
        phonePagesPlugin(opts.uiRoot ? { root: opts.uiRoot } : {}),
        ...(backup ? [backupPlugin(backup)] : []),
        updatesPlugin({ dir: join(opts.dataDir, 'updates') }),
      ],
      storage,
      log: (level, msg, fields) => log[level](msg, fields),
    });
    const host = opts.host ?? '127.0.0.1';
    const { port, url } = await server.listen(opts.port ?? 8800, host);
    log.info('中枢已启动', { url, hall: config.hall.code, businessDay: engine.businessDay() });
    // The guest Wi-Fi side: read once at start (a new address needs a restart, like the hub's own).
    const pub = config.public?.listen;
    const publicSide = pub ? await server.listenPublic(opts.publicPort ?? pub.port, pub.host) : null;
    if (publicSide) log.info('公开页面监听已启动（只提供群众手机页面和 /api/v1/public/）', { url: publicSide.url });
    sync.start();
    noShows.start();
    if (appointmentPull) {
      void pullPlatformAppointments();
      const t = setInterval(() => void pullPlatformAppointments(), PLATFORM_APPOINTMENTS_EVERY_MS);
      t.unref();
      timers.push(t);
    }
    log.info(platform ? '省级平台同步已启动' : '未配置省级平台：办件和评价在发件箱中等待', {
      platform: platform?.url ?? null,
    });
    backup?.start();
    webhook?.start();
    if (backup) log.info('定时备份已启用', { dir: backup.options.config.dir, time: backup.options.config.time });
    else log.warn('未配置定时备份（大厅配置 backup 段）：请配置，或定期手动运行 govhall backup');
    const srv = server;
    const syncService = sync;
    return {
      url,
      port,
      publicUrl: publicSide?.url ?? null,
      engine,
      sync: syncService,
      storage,
      appointments,
      pullPlatformAppointments,
      backup,
      createToken: async (role, windowNo, name) =>
        tokens.createDeviceToken({ role, windowNo: windowNo ?? null, name: name ?? null }, clock.now()).token,
      terminals,
      routes: () => srv.routes(),
      alarms: { tick: () => rectification.tick(), webhook },
      close: async () => {
        for (const t of timers) clearTimeout(t);
        webhook?.stop();
        noShows?.stop();
        await backup?.stop();
        storage.close();
        await syncService.stop();
        await srv.close();
        db.close();
      },
    };
  } catch (e) {
    for (const t of timers) clearTimeout(t);
    webhook?.stop();
    noShows?.stop();
    await backup?.stop();
    storage.close();
    await sync?.stop();
    await server?.close();
    db.close();
    // A disk that cannot take the start's own writes (the day's rollover, a new key) says so plainly.
    throw storageStartError(e, opts.dataDir) ?? e;
  }
}
