/** Online backup with SQLite's backup API: consistent while the hub keeps writing. */
import { existsSync, rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import type { HallDatabase } from './database.js';
import { StoreError } from './store-error.js';

export interface BackupProgress {
  totalPages: number;
  remainingPages: number;
}

export async function backupDatabase(
  handle: HallDatabase,
  dest: string,
  opts: { overwrite?: boolean; onProgress?: (p: BackupProgress) => void } = {},
): Promise<{ pages: number }> {
  if (existsSync(dest)) {
    if (!opts.overwrite) throw new StoreError('BACKUP_EXISTS', `备份文件 ${dest} 已存在；如要覆盖请加 --overwrite`);
    rmSync(dest);
  }
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
  const copy = new Database(dest, { readonly: true });
  try {
    const check = copy.pragma('integrity_check', { simple: true });
    if (check !== 'ok') throw new StoreError('BACKUP_FAILED', `备份文件完整性检查未通过：${String(check)}`);
  } finally {
    copy.close();
  }
  return { pages };
}
