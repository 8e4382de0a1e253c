/**
 * The disk under the data folder: full (`SQLITE_FULL`, ENOSPC) or read-only (a disk the kernel
 * remounted read-only after errors, lost permissions). A write the disk refuses is told apart from
 * other failures, the hub keeps answering reads and reports itself degraded, and a recheck — after
 * each refused write, on `GET /health` and every few seconds while the problem lasts — clears the
 * problem as soon as writes work again, without a restart.
 *
 * SQLite reports a read-only disk only as `SQLITE_IOERR_WRITE` (the errno is not passed on), so an
 * I/O error is classified by writing a small probe file in the data folder: EROFS/EACCES is
 * read-only, ENOSPC/EDQUOT is full.
 */
import { closeSync, fsyncSync, openSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { StoreError } from './store-error.js';

export type StorageProblemCode = 'STORAGE_FULL' | 'STORAGE_READ_ONLY';

export interface StorageProblem {
  code: StorageProblemCode;
  /** Chinese: what happened and what to do. */
  message: string;
  /** When it was first seen (epoch ms). */
  since: number;
}

export type DirectoryProbe = 'ok' | 'full' | 'read-only' | 'error';

const PROBE_FILE = '.govhall-write-probe';
/** Enough to need fresh blocks on any file system, small enough to cost nothing. */
const PROBE_BYTES = 64 * 1024;

/** Writes, syncs and removes a small file in `dir`: can the disk take new data? */
export function probeDirectory(dir: string): DirectoryProbe {
  const path = join(dir, PROBE_FILE);
  let fd: number | null = null;
  try {
    fd = openSync(path, 'w', 0o600);
    writeSync(fd, Buffer.alloc(PROBE_BYTES));
    fsyncSync(fd);
    return 'ok';
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOSPC' || code === 'EDQUOT') return 'full';
    if (code === 'EROFS' || code === 'EACCES' || code === 'EPERM') return 'read-only';
    return 'error';
  } finally {
    if (fd !== null) closeSync(fd);
    try {
      rmSync(path, { force: true });
    } catch {
      // On a read-only disk the probe file could not be made, nor can it be removed.
    }
  }
}

const sqliteCode = (e: unknown) => {
  const c = (e as { code?: unknown } | null)?.code;
  return typeof c === 'string' && c.startsWith('SQLITE_') ? c : null;
};

/** The storage problem a failed database call shows, or null when it is something else. */
export function classifyStorageError(e: unknown, probe: () => DirectoryProbe): StorageProblemCode | null {
  const c = sqliteCode(e);
  if (!c) return null;
  if (c === 'SQLITE_FULL') return 'STORAGE_FULL';
  if (c === 'SQLITE_READONLY' || c.startsWith('SQLITE_READONLY_')) return 'STORAGE_READ_ONLY';
  if (c.startsWith('SQLITE_IOERR') || c === 'SQLITE_CANTOPEN') {
    const p = probe();
    if (p === 'full') return 'STORAGE_FULL';
    if (p === 'read-only') return 'STORAGE_READ_ONLY';
  }
  return null;
}

export function storageMessage(code: StorageProblemCode, dataDir: string): string {
  return code === 'STORAGE_FULL'
    ? `数据目录 ${dataDir} 所在磁盘已满，新的业务（取号、叫号、评价等）暂时无法保存；查询照常可用。` +
        `请立即清理该磁盘（旧备份、旧日志、无关文件），空间恢复后自动继续，无需重启。已保存的数据不受影响。`
    : `数据目录 ${dataDir} 变为只读（磁盘故障后被系统改为只读挂载，或目录权限被改），新的业务暂时无法保存；查询照常可用。` +
        `请检查磁盘（dmesg、mount）并恢复读写；恢复后自动继续，磁盘有故障时请先备份数据再修复。`;
}

/** For a start that fails on the disk: the typed error with what to do, or null for anything else. */
export function storageStartError(e: unknown, dataDir: string): StoreError | null {
  const code = classifyStorageError(e, () => probeDirectory(dataDir));
  return code
    ? new StoreError(
        code,
        `${storageMessage(code, dataDir).split('；')[0]}，中枢无法启动。` +
          (code === 'STORAGE_FULL' ? '请清理该磁盘后再启动。' : '请检查磁盘（dmesg、mount）并恢复读写后再启动。'),
      )
    : null;
}

export interface StorageMonitorOptions {
  dataDir: string;
  db: Database.Database;
  now?: () => number;
  /** Recheck period while a problem lasts (ms, default 5000). */
  recheckMs?: number;
  log?: (level: 'info' | 'warn' | 'error', msg: string, fields?: Record<string, unknown>) => void;
}

export class StorageMonitor {
  private current: StorageProblem | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;
  private readonly now: () => number;

  constructor(private readonly o: StorageMonitorOptions) {
    this.now = o.now ?? Date.now;
  }

  /** The standing problem, or null while writes work. */
  get problem(): StorageProblem | null {
    return this.current;
  }

  /**
   * A database call failed: when the disk is the reason, records it (once) and returns it, so the
   * caller can answer 503 with its code and message; null for anything else.
   */
  noteFailure(e: unknown): StorageProblem | null {
    const code = classifyStorageError(e, () => probeDirectory(this.o.dataDir));
    if (!code) return null;
    if (this.current?.code !== code) {
      this.current = { code, message: storageMessage(code, this.o.dataDir), since: this.now() };
      this.o.log?.('error', `存储故障 ${code}：${this.current.message}`, { error: (e as Error).message });
      this.armRecheck();
    }
    return this.current;
  }

  /**
   * For `GET /health`: the problem after a fresh recheck, so a monitor sees the recovery at once
   * (a 64 KiB probe, and only while degraded).
   */
  status(): StorageProblem | null {
    if (this.current) this.recheck();
    return this.current;
  }

  /** Tries a real write (a probe file and a database row); clears the problem when both work. */
  recheck(): StorageProblem | null {
    if (!this.current) return null;
    const dir = probeDirectory(this.o.dataDir);
    if (dir === 'full' || dir === 'read-only') return this.current;
    try {
      this.o.db
        .prepare(
          `INSERT INTO meta (key, value) VALUES ('storage.checkedAt', ?)
           ON CONFLICT(key) DO UPDATE SET value = excluded.value`,
        )
        .run(String(this.now()));
    } catch (e) {
      return this.noteFailure(e) ?? this.current;
    }
    const was = this.current;
    this.current = null;
    this.stopRecheck();
    this.o.log?.('info', '存储已恢复，写入继续', { code: was.code, since: new Date(was.since).toISOString() });
    return null;
  }

  close(): void {
    this.stopRecheck();
  }

  private armRecheck(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      try {
        this.recheck();
      } catch (e) {
        this.o.log?.('error', '存储检查失败', { error: (e as Error).message });
      }
    }, this.o.recheckMs ?? 5000);
    this.timer.unref?.();
  }

  private stopRecheck(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
