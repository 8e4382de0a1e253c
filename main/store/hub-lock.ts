/**
 * One hub per data folder, held by the operating system rather than by a process number.
 *
 * A PID in a file cannot tell a live hub from a stranger: after a power cut the number may belong
 * to some other program, and a killed hub stays a zombie for a moment. Here the lock is an open
 * transaction on a tiny SQLite file of its own (`hub.lock.db`): `locking_mode=EXCLUSIVE` and
 * `BEGIN EXCLUSIVE` take the file lock (fcntl on Unix, LockFileEx on Windows) and keep it for the
 * hub's lifetime; the kernel drops it when the process dies, however it dies. It sits beside the
 * database, not on it, so the maintenance commands still open `govhall.db` while the hub runs.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { probeDirectory } from './storage-health.js';
import { StoreError } from './store-error.js';

export const HUB_LOCK_FILE = 'hub.lock.db';
/** The PID file of earlier versions: ignored, and removed once the new lock is held. */
const LEGACY_LOCK_FILE = 'hub.lock';

export interface HubLock {
  readonly path: string;
  release(): void;
}

const code = (e: unknown) => String((e as { code?: unknown }).code ?? '');

function refusal(dataDir: string): StoreError {
  return new StoreError(
    'DB_LOCKED',
    `数据目录 ${dataDir} 已有中枢在运行，一个数据目录只能运行一个中枢。` +
      `请先停止正在运行的中枢（或改用其他 --data 目录）再启动；维护命令（token、backup、stats 等）无需停止中枢。`,
  );
}

function openFailure(dataDir: string, path: string, e: unknown): StoreError {
  const c = code(e);
  const probe = c.startsWith('SQLITE_IOERR') || c === 'SQLITE_CANTOPEN' ? probeDirectory(dataDir) : 'ok';
  if (probe === 'full') return openFailure(dataDir, path, { code: 'SQLITE_FULL' });
  if (c === 'SQLITE_READONLY' || c.startsWith('SQLITE_READONLY_') || probe === 'read-only') {
    return new StoreError(
      'STORAGE_READ_ONLY',
      `无法在数据目录 ${dataDir} 中创建中枢锁文件 ${path}（目录只读或没有写权限）。` +
        `请检查磁盘是否被以只读方式挂载（dmesg、mount）以及目录权限，恢复可写后再启动中枢。`,
    );
  }
  if (c === 'SQLITE_FULL') {
    return new StoreError(
      'STORAGE_FULL',
      `数据目录 ${dataDir} 所在磁盘已满，无法创建中枢锁文件。请清理磁盘空间后再启动中枢。`,
    );
  }
  return new StoreError('DB_OPEN_FAILED', `无法获得数据目录 ${dataDir} 的中枢锁（${path}）：${(e as Error).message}`);
}

/**
 * Takes the hub lock or throws `DB_LOCKED` with a Chinese message. `waitMs` rides out a moment's
 * contention (a `hubLockHeld` probe, a restore finishing); a running hub is refused after it.
 */
export function takeHubLock(dataDir: string, opts: { waitMs?: number } = {}): HubLock {
  const path = join(dataDir, HUB_LOCK_FILE);
  let db: Database.Database;
  try {
    db = new Database(path, { timeout: opts.waitMs ?? 1000 });
  } catch (e) {
    throw openFailure(dataDir, path, e);
  }
  try {
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE');
  } catch (e) {
    db.close();
    if (code(e).startsWith('SQLITE_BUSY') || code(e).startsWith('SQLITE_LOCKED')) throw refusal(dataDir);
    throw openFailure(dataDir, path, e);
  }
  rmSync(join(dataDir, LEGACY_LOCK_FILE), { force: true });
  return {
    path,
    release() {
      // Closing ends the transaction and the lock with it.
      if (db.open) db.close();
    },
  };
}

/** True while a hub holds the lock of `dataDir` (for status reports; never blocks). */
export function hubLockHeld(dataDir: string): boolean {
  try {
    takeHubLock(dataDir, { waitMs: 0 }).release();
    return false;
  } catch (e) {
    return e instanceof StoreError && e.code === 'DB_LOCKED';
  }
}
