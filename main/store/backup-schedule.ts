/**
 * The hub's daily backup (config `backup: { dir, keep, time, copyKey }`, docs/store.md): at the
 * configured local time an online backup goes to `dir` as
 * `govhall-<hall>-YYYYMMDD-HHMMSS.db`, is verified (integrity and row counts, backup.ts) under a
 * temporary name and only then given its real one; the oldest beyond `keep` are deleted. A failure
 * raises an alarm (the hub turns it into a `backup.alarm` event); the next success clears it.
 * A hub that was off at backup time makes one shortly after it starts when the newest is over a
 * day old.
 */
import { chmodSync, copyFileSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { businessDayOf, localParts, nextMidnight, parseTimeOfDay, startOfDay } from '../../common/hall-time.js';
import type { BackupConfig } from '../../kiosk-config/backup-schema.js';
import { backupDatabase, type RowCounts } from './backup.js';
import type { HallDatabase } from './database.js';

export interface BackupAlarm {
  level: 'alarm' | 'clear';
  /** Chinese: what failed and what to do (or that backups work again). */
  reason: string;
  /** The backup attempted, when there was one. */
  path: string | null;
}

export interface BackupRun {
  ok: boolean;
  path: string | null;
  /** Where the data key was copied (copyKey), else null. */
  keyCopy: string | null;
  counts: RowCounts | null;
  deleted: string[];
  error: string | null;
}

export interface BackupSchedulerOptions {
  handle: HallDatabase;
  /** `dir` already resolved against the config file's folder. */
  config: BackupConfig;
  hallCode: string;
  timeZone: () => string;
  now: () => number;
  /** The data key file (`keys/data.key`). */
  keyPath: string;
  /** Delay of the catch-up backup after start when the newest is over a day old (ms, default 60 s). */
  catchUpDelayMs?: number;
  log?: (level: 'info' | 'warn' | 'error', msg: string, fields?: Record<string, unknown>) => void;
}

/** The next instant, strictly after `now`, at local time `hhmm` in `timeZone`. */
export function nextBackupAt(now: number, hhmm: string, timeZone: string): number {
  const minutes = parseTimeOfDay(hhmm) * 60_000;
  const today = startOfDay(businessDayOf(now, timeZone), timeZone) + minutes;
  if (today > now) return today;
  return startOfDay(businessDayOf(nextMidnight(now, timeZone), timeZone), timeZone) + minutes;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** `govhall-<hall>-YYYYMMDD-HHMMSS.db` in the hall's local time: names sort by age. */
export function backupFileName(hallCode: string, at: number, timeZone: string): string {
  const p = localParts(at, timeZone);
  return `govhall-${hallCode}-${p.year}${pad(p.month)}${pad(p.day)}-${pad(p.hour)}${pad(p.minute)}${pad(p.second)}.db`;
}

export const KEY_COPY_SUFFIX = '.data.key';

export class BackupScheduler {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private alarmOn = false;
  private running: Promise<BackupRun> | null = null;
  private next: number | null = null;
  private stopped = false;
  /** Set by the hub: alarms become `backup.alarm` events. */
  onAlarm: ((a: BackupAlarm) => void) | null = null;

  constructor(private readonly o: BackupSchedulerOptions) {}

  get options(): Readonly<BackupSchedulerOptions> {
    return this.o;
  }

  /** When the next scheduled backup runs (epoch ms), null before `start`. */
  get nextRunAt(): number | null {
    return this.next;
  }

  /** Backups in the folder, oldest first. */
  list(): string[] {
    const re = new RegExp(`^govhall-${this.o.hallCode.replace(/[^A-Za-z0-9_-]/g, '')}-\\d{8}-\\d{6}\\.db$`);
    try {
      return readdirSync(this.o.config.dir)
        .filter((f) => re.test(f))
        .sort()
        .map((f) => join(this.o.config.dir, f));
    } catch {
      return [];
    }
  }

  /** When a backup of the folder was taken, read from its name (hall local time). */
  takenAt(path: string): number | null {
    const m = /-(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})(\d{2})\.db$/.exec(path);
    if (!m) return null;
    const [y, mo, d, h, mi, se] = m.slice(1) as [string, string, string, string, string, string];
    return startOfDay(`${y}-${mo}-${d}`, this.o.timeZone()) + ((+h * 60 + +mi) * 60 + +se) * 1000;
  }

  start(): void {
    this.stopped = false;
    if (this.timer) clearTimeout(this.timer);
    const newest = this.list().at(-1);
    const taken = newest ? this.takenAt(newest) : null;
    const age = taken === null ? Number.POSITIVE_INFINITY : this.o.now() - taken;
    if (age > 24 * 3600_000) {
      const t = setTimeout(() => void this.runNow(), this.o.catchUpDelayMs ?? 60_000);
      t.unref?.();
      this.timer = t;
      this.next = this.o.now() + (this.o.catchUpDelayMs ?? 60_000);
      return;
    }
    this.arm();
  }

  stop(): Promise<unknown> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    return this.running ?? Promise.resolve();
  }

  /** Makes one backup now (never throws: the outcome says how it went). */
  runNow(): Promise<BackupRun> {
    if (!this.running) {
      this.running = this.run().finally(() => {
        this.running = null;
        this.arm();
      });
    }
    return this.running;
  }

  private arm(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.stopped) return;
    const at = nextBackupAt(this.o.now(), this.o.config.time, this.o.timeZone());
    this.next = at;
    const t = setTimeout(() => void this.runNow(), Math.min(Math.max(1000, at - this.o.now()), 2 ** 31 - 1));
    t.unref?.();
    this.timer = t;
  }

  private async run(): Promise<BackupRun> {
    const { dir, keep, copyKey } = this.o.config;
    const path = join(dir, backupFileName(this.o.hallCode, this.o.now(), this.o.timeZone()));
    const partial = `${path}.partial`;
    try {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      // Verified under a temporary name: a file with the real name is always a checked backup.
      const result = await backupDatabase(this.o.handle, partial, { overwrite: true });
      renameSync(partial, path);
      let keyCopy: string | null = null;
      if (copyKey) {
        keyCopy = `${path}${KEY_COPY_SUFFIX}`;
        copyFileSync(this.o.keyPath, keyCopy);
        chmodSync(keyCopy, 0o600);
      }
      const deleted = this.prune(keep);
      this.o.log?.('info', '已完成定时备份并通过校验', { path, counts: result.counts, deleted });
      if (this.alarmOn) this.raise({ level: 'clear', reason: `定时备份已恢复正常：${path}`, path });
      return { ok: true, path, keyCopy, counts: result.counts, deleted, error: null };
    } catch (e) {
      try {
        rmSync(partial, { force: true });
      } catch {
        // the folder itself is the trouble; nothing was left in it
      }
      const message = (e as Error).message;
      const reason =
        `定时备份失败（${path}）：${message}。请检查备份目录 ${dir} 是否存在、可写、空间足够；` +
        `已有的备份没有被删除。也可以手动运行 govhall backup 补做一次。`;
      this.o.log?.('error', reason);
      this.raise({ level: 'alarm', reason, path });
      return { ok: false, path: null, keyCopy: null, counts: null, deleted: [], error: message };
    }
  }

  /** Deletes the oldest backups (and their key copies) beyond `keep`. */
  private prune(keep: number): string[] {
    const all = this.list();
    const old = all.slice(0, Math.max(0, all.length - keep));
    for (const f of old) {
      rmSync(f, { force: true });
      rmSync(`${f}${KEY_COPY_SUFFIX}`, { force: true });
    }
    return old;
  }

  private raise(a: BackupAlarm): void {
    this.alarmOn = a.level === 'alarm';
    try {
      this.onAlarm?.(a);
    } catch (e) {
      this.o.log?.('error', '无法发出备份告警事件', { error: (e as Error).message });
    }
  }
}
