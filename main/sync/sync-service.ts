/**
 * Everything the hub runs for the platform, in one object: the outbox view, the relay (when a
 * platform is configured), the catalogue cache and its periodic pull, and the backlog alarm.
 * The hub's sync routes (main/server/sync-plugin.ts) and `govhall sync` read it; without a
 * platform it still answers status and lookups, and the outbox simply waits.
 */

import { isoInZone } from '../../common/hall-time.js';
import type { FieldCipher } from '../store/crypto.js';
import type { HallDatabase } from '../store/database.js';
import type { Clock } from '../time/clock.js';
import { CatalogueCache, type PullResult } from './catalogue.js';
import { PlatformClock } from './clock-offset.js';
import { type OutboxStats, OutboxStore } from './outbox.js';
import { PlatformClient } from './platform-client.js';
import type { PlatformSettings } from './platform-settings.js';
import { type MaterialBytes, Relay, type RelayStatus } from './relay.js';

export interface SyncAlarm {
  level: 'alarm' | 'clear';
  pending: number;
  oldestPendingSeconds: number | null;
  reason: string;
}

export interface SyncServiceOptions {
  db: HallDatabase;
  cipher: FieldCipher | null;
  /** Null: no platform configured. */
  platform: PlatformSettings | null;
  alarm: { pending: number; oldestSeconds: number };
  timeZone: () => string;
  clock: Clock;
  random?: () => number;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  log?: (level: 'info' | 'warn' | 'error', msg: string, fields?: Record<string, unknown>) => void;
  /** Delivered outbox rows are kept this long (no payload), then pruned. */
  keepDeliveredDays?: number;
  /** Bytes of the hall's materials, for material records (see setMaterials). */
  materials?: MaterialBytes;
}

export interface SyncStatus {
  // hub-api.md core fields
  pending: number;
  oldestPendingSeconds: number | null;
  rejected: number;
  lastSuccessAt: number | null;
  lastError: string | null;
  // additions (docs/hub-api-extensions.md)
  configured: boolean;
  platformUrl: string | null;
  delivered: number;
  running: boolean;
  failures: number;
  nextAttemptAt: number | null;
  clockOffsetMs: number;
  alarm: boolean;
  catalogue: { version: string; fetchedAt: number; checkedAt: number; items: number } | null;
}

/** The status with its times as ISO strings in the hall's zone, as the hub API and the CLI show it. */
export function syncStatusJson(s: SyncStatus, timeZone: string) {
  const iso = (ms: number | null) => (ms === null ? null : isoInZone(ms, timeZone));
  return {
    ...s,
    lastSuccessAt: iso(s.lastSuccessAt),
    nextAttemptAt: iso(s.nextAttemptAt),
    catalogue: s.catalogue
      ? { ...s.catalogue, fetchedAt: iso(s.catalogue.fetchedAt), checkedAt: iso(s.catalogue.checkedAt) }
      : null,
  };
}

export class SyncService {
  readonly outbox: OutboxStore;
  readonly catalogue: CatalogueCache;
  readonly client: PlatformClient | null;
  readonly relay: Relay | null;
  /** Set by the hub plugin: turns alarms into `sync.alarm` events. */
  onAlarm: ((a: SyncAlarm) => void) | null = null;
  private alarmOn = false;
  private lastAlarmCheck = 0;
  private timers: NodeJS.Timeout[] = [];
  private catalogueError: string | null = null;
  private catalogueTriedAt = 0;
  private materials: MaterialBytes | undefined;

  constructor(private readonly o: SyncServiceOptions) {
    this.materials = o.materials;
    this.catalogue = new CatalogueCache(o.db);
    this.outbox = new OutboxStore(o.db, o.cipher, () => this.catalogue.reasonCodes());
    const p = o.platform;
    if (p) {
      this.client = new PlatformClient(
        { url: p.url, hallCode: p.hallCode, secret: p.secret, alg: p.alg, timeoutMs: p.requestTimeoutMs },
        new PlatformClock(o.clock, 0, (ms) => this.outbox.setState('clockOffsetMs', String(ms))),
      );
      this.relay = new Relay({
        outbox: this.outbox,
        client: this.client,
        hall: { hallCode: p.hallCode, areaCode: p.areaCode },
        timeZone: o.timeZone,
        clock: o.clock,
        batchSize: p.batchSize,
        intervalMs: p.intervalMs,
        backoff: p.backoff,
        // Read at each send, so the hall's material store may be attached after the service is built.
        materials: (sha256) => (this.materials ? this.materials(sha256) : Promise.resolve(null)),
        ...(o.random ? { random: o.random } : {}),
        ...(o.sleep ? { sleep: o.sleep } : {}),
        ...(o.log ? { log: o.log } : {}),
        onStep: (r) => {
          // An empty outbox is the moment to clear an alarm: check it then whatever the throttle says.
          this.checkAlarm(r.kind === 'idle');
          this.retryCatalogueIfBack();
        },
      });
    } else {
      this.client = null;
      this.relay = null;
    }
  }

  /** Starts the relay, the catalogue pull (now and periodically) and the alarm watch. */
  start(): void {
    this.prune();
    this.checkAlarm(true);
    const every = (ms: number, fn: () => void) => {
      const t = setInterval(fn, ms);
      t.unref();
      this.timers.push(t);
    };
    every(Math.max(1000, Math.min(60_000, this.o.platform?.intervalMs ?? 30_000)), () => this.checkAlarm(true));
    every(24 * 3600_000, () => this.prune());
    if (!this.relay || !this.o.platform) return;
    this.relay.start();
    void this.pullCatalogue();
    every(this.o.platform.catalogueRefreshMinutes * 60_000, () => void this.pullCatalogue());
  }

  async stop(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    await this.relay?.stop();
    this.client?.close();
  }

  /** A pull that failed while the platform was away is tried again once batches go through. */
  private retryCatalogueIfBack(): void {
    if (!this.catalogueError || !this.client) return;
    if (this.relay?.status().failures !== 0) return;
    if (this.o.clock.now() - this.catalogueTriedAt < 1000) return;
    void this.pullCatalogue();
  }

  async pullCatalogue(): Promise<PullResult> {
    if (!this.client) return { error: '未配置省级平台' };
    this.catalogueTriedAt = this.o.clock.now();
    let r: PullResult;
    try {
      r = await this.catalogue.pull(this.client, () => this.o.clock.now());
    } catch (e) {
      r = { error: `获取事项目录失败：${(e as Error).message}` };
    }
    const err = typeof r === 'object' ? r.error : null;
    if (err && err !== this.catalogueError) this.o.log?.('warn', err);
    if (r === 'updated') this.o.log?.('info', '事项目录已更新', { version: this.catalogue.get()?.catalogue.version });
    this.catalogueError = err;
    return r;
  }

  /** Emits `alarm` when the backlog crosses a threshold and `clear` when it is back under both. */
  checkAlarm(force: boolean, stats?: OutboxStats): void {
    const now = this.o.clock.now();
    // Counting 100 000 pending rows costs a few ms: at most once a second while draining.
    if (!force && now - this.lastAlarmCheck < 1000) return;
    this.lastAlarmCheck = now;
    const s = stats ?? this.outbox.stats();
    const oldest = s.oldestPendingAt === null ? null : Math.max(0, Math.floor((now - s.oldestPendingAt) / 1000));
    const over: string[] = [];
    if (s.pending >= this.o.alarm.pending) over.push(`待上报 ${s.pending} 条，达到告警阈值 ${this.o.alarm.pending}`);
    if (oldest !== null && oldest >= this.o.alarm.oldestSeconds)
      over.push(`最早一条已等待 ${oldest} 秒，超过 ${this.o.alarm.oldestSeconds} 秒`);
    const on = over.length > 0;
    if (on === this.alarmOn) return;
    this.alarmOn = on;
    const alarm: SyncAlarm = {
      level: on ? 'alarm' : 'clear',
      pending: s.pending,
      oldestPendingSeconds: oldest,
      reason: on ? over.join('；') : '积压已回到阈值以下',
    };
    this.o.log?.(on ? 'warn' : 'info', `平台同步${on ? '告警' : '告警解除'}：${alarm.reason}`);
    this.onAlarm?.(alarm);
  }

  status(): SyncStatus {
    const now = this.o.clock.now();
    const s = this.outbox.stats();
    const r: RelayStatus | null = this.relay?.status() ?? null;
    const last = this.outbox.getState('lastSuccessAt');
    const cat = this.catalogue.get();
    return {
      pending: s.pending,
      oldestPendingSeconds:
        s.oldestPendingAt === null ? null : Math.max(0, Math.floor((now - s.oldestPendingAt) / 1000)),
      rejected: s.rejected,
      lastSuccessAt: last ? Number(last) : null,
      lastError: r ? r.lastError : this.outbox.getState('lastError'),
      configured: this.o.platform !== null,
      platformUrl: this.o.platform?.url ?? null,
      delivered: s.delivered,
      running: r?.running ?? false,
      failures: r?.failures ?? 0,
      nextAttemptAt: r?.nextAttemptAt ?? null,
      clockOffsetMs: r?.clockOffsetMs ?? 0,
      alarm: this.alarmOn,
      catalogue: cat
        ? {
            version: cat.catalogue.version,
            fetchedAt: cat.fetchedAt,
            checkedAt: cat.checkedAt,
            items: cat.catalogue.items.length,
          }
        : null,
    };
  }

  /** Attaches the source of material bytes (the hall's material store). */
  setMaterials(source: MaterialBytes): void {
    this.materials = source;
  }

  /** Puts set-aside records back in line and sends at once. */
  retry(ids?: string[]): number {
    const n = this.outbox.retry(ids);
    this.relay?.wake();
    return n;
  }

  /** New records were written: send now rather than at the next poll (unless backing off). */
  nudge(): void {
    this.relay?.nudge();
  }

  private prune(): void {
    const days = this.o.keepDeliveredDays ?? 30;
    try {
      const n = this.outbox.pruneDelivered(this.o.clock.now() - days * 86400_000);
      if (n) this.o.log?.('info', '已清理已送达的发件箱记录', { rows: n });
    } catch (e) {
      this.o.log?.('error', '清理发件箱失败', { error: (e as Error).message });
    }
  }
}
