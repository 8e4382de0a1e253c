/**
 * Online backup with SQLite's backup API: consistent while the hub keeps writing. Each copy is
 * checked — opened read-only, `PRAGMA integrity_check`, and its row counts compared with the
 * source's — before it is called a backup.
 */
import { existsSync, rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import type { HallDatabase } from './database.js';
import { StoreError } from './store-error.js';

export interface BackupProgress {
  totalPages: number;
  remainingPages: number;
}

/**
 * Tables whose rows are never deleted (the audit and evaluations by trigger): a sound copy holds at
 * least as many rows as the source had when the backup started, and at most as many as it has now.
 */
export const COUNTED_TABLES = ['tickets', 'cases', 'evaluations', 'audit', 'device_tokens'] as const;
export type RowCounts = Record<(typeof COUNTED_TABLES)[number], number>;

/** Meta key of the data key's id (crypto.ts `dataKeyId`), written by the hub at start. */
export const DATA_KEY_ID_META = 'dataKeyId';

function countRows(db: Database.Database): RowCounts {
  const out = {} as RowCounts;
  for (const t of COUNTED_TABLES) {
    const exists = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(t);
    out[t] = exists ? (db.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n : 0;
  }
  return out;
}

export interface BackupResult {
  pages: number;
  /** Rows in the copy, per counted table. */
  counts: RowCounts;
}

export async function backupDatabase(
  handle: HallDatabase,
  dest: string,
  opts: { overwrite?: boolean; onProgress?: (p: BackupProgress) => void } = {},
): Promise<BackupResult> {
  if (existsSync(dest)) {
    if (!opts.overwrite) throw new StoreError('BACKUP_EXISTS', `备份文件 ${dest} 已存在；如要覆盖请加 --overwrite`);
    rmSync(dest);
  }
  const before = countRows(handle.db);
  let pages = 0;
  try {
    await handle.db.backup(dest, {
      progress: (p) => {
        pages = p.totalPages;
        opts.onProgress?.(p);
        return 200; // pages per step: small steps keep the hub responsive
      },
    });
  } catch (e) {
    throw new StoreError('BACKUP_FAILED', `备份失败：${(e as Error).message}`);
  }
  const after = countRows(handle.db);
  const copy = inspectBackup(dest);
  if (copy.integrity !== 'ok') throw new StoreError('BACKUP_FAILED', `备份文件完整性检查未通过：${copy.integrity}`);
  for (const t of COUNTED_TABLES) {
    const n = copy.counts[t];
    if (n < before[t] || n > after[t]) {
      throw new StoreError(
        'BACKUP_FAILED',
        `备份文件的 ${t} 表有 ${n} 行，与数据库不符（备份开始时 ${before[t]} 行，结束时 ${after[t]} 行）`,
      );
    }
  }
  return { pages, counts: copy.counts };
}

export interface BackupInspection {
  /** 'ok', or what `PRAGMA integrity_check` found. */
  integrity: string;
  schemaVersion: number;
  counts: RowCounts;
  /** The id of the data key the backup's ID numbers are encrypted with; null in older backups. */
  keyId: string | null;
}

/** Opens a backup read-only and reports what it holds. Throws BACKUP_FAILED when it is no database. */
export function inspectBackup(path: string): BackupInspection {
  if (!existsSync(path)) throw new StoreError('BACKUP_FAILED', `备份文件 ${path} 不存在`);
  let db: Database.Database;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
  } catch (e) {
    throw new StoreError('BACKUP_FAILED', `无法打开备份文件 ${path}：${(e as Error).message}`);
  }
  try {
    const integrity = String(db.pragma('integrity_check', { simple: true }));
    const meta = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").get()
      ? (db.prepare('SELECT value FROM meta WHERE key = ?').get(DATA_KEY_ID_META) as { value: string } | undefined)
      : undefined;
    return {
      integrity,
      schemaVersion: db.pragma('user_version', { simple: true }) as number,
      counts: countRows(db),
      keyId: meta?.value ?? null,
    };
  } catch (e) {
    throw new StoreError('BACKUP_FAILED', `备份文件 ${path} 不是可读的大厅数据库：${(e as Error).message}`);
  } finally {
    db.close();
  }
}
