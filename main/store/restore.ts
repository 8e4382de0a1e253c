/**
 * Putting a backup back (`govhall restore`): the backup is checked first (integrity, schema
 * version, the data key it needs), the hub must be stopped (the restore holds the hub lock for its
 * whole length, so no hub can start meanwhile), the database it replaces is kept aside under a
 * dated name — never deleted — and the restored file is opened once (migrations of an older
 * backup run then) before the lock is let go.
 */
import {
  chmodSync,
  closeSync,
  copyFileSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  renameSync,
  statSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { type BackupInspection, DATA_KEY_ID_META, inspectBackup, type RowCounts } from './backup.js';
import { KEY_COPY_SUFFIX } from './backup-schedule.js';
import { keyFileId } from './crypto.js';
import { openDatabase } from './database.js';
import { takeHubLock } from './hub-lock.js';
import { SCHEMA_VERSION } from './migrations.js';
import { StoreError } from './store-error.js';

export const DB_FILE = 'govhall.db';

export interface RestorePlan {
  dataDir: string;
  backupPath: string;
  backup: BackupInspection;
  /** The database that would be replaced; null when the data folder has none. */
  current: {
    path: string;
    bytes: number;
    modifiedAt: number;
    counts: RowCounts | null;
    /** Where it will be kept. */
    asidePath: string;
  } | null;
  key: {
    /** `keys/data.key` of the data folder. */
    path: string;
    id: string | null;
    /** The key file given with --key, or found beside the backup (`….data.key`). */
    offered: { path: string; id: string | null } | null;
    /** True when the key that will be in place after the restore is the backup's own. */
    matches: boolean | null;
  };
  /** Reasons the restore cannot go ahead (Chinese). */
  problems: string[];
  /** Things to know that do not stop it (Chinese). */
  warnings: string[];
}

const pad = (n: number) => String(n).padStart(2, '0');
const stamp = (ms: number) => {
  const d = new Date(ms);
  return `${d.getFullYear()}${pad(d.getMonth() + 1)}${pad(d.getDate())}-${pad(d.getHours())}${pad(d.getMinutes())}${pad(d.getSeconds())}`;
};

function countsOf(path: string): RowCounts | null {
  try {
    return inspectBackup(path).counts;
  } catch {
    return null;
  }
}

/** What a restore of `backupPath` into `dataDir` would do, and whether it can. Changes nothing. */
export function planRestore(
  dataDir: string,
  backupPath: string,
  opts: { keyFile?: string; now?: number } = {},
): RestorePlan {
  const now = opts.now ?? Date.now();
  const backup = inspectBackup(backupPath);
  const problems: string[] = [];
  const warnings: string[] = [];
  if (backup.integrity !== 'ok') problems.push(`备份文件完整性检查未通过：${backup.integrity}`);
  if (backup.schemaVersion > SCHEMA_VERSION) {
    problems.push(
      `备份由更新版本的 govhall 写入（结构版本 ${backup.schemaVersion}，本程序只认识到 ${SCHEMA_VERSION}）：请先升级 govhall`,
    );
  } else if (backup.schemaVersion === 0) {
    problems.push('备份文件不是大厅数据库（没有结构版本）');
  } else if (backup.schemaVersion < SCHEMA_VERSION) {
    warnings.push(`备份的结构版本为 ${backup.schemaVersion}，恢复后打开时会升级到 ${SCHEMA_VERSION}`);
  }

  const dbPath = join(dataDir, DB_FILE);
  const current = existsSync(dbPath)
    ? {
        path: dbPath,
        bytes: statSync(dbPath).size,
        modifiedAt: statSync(dbPath).mtimeMs,
        counts: countsOf(dbPath),
        asidePath: join(dataDir, `${DB_FILE}.before-restore-${stamp(now)}`),
      }
    : null;

  const keyPath = join(dataDir, 'keys', 'data.key');
  const keyId = keyFileId(keyPath);
  const beside = `${backupPath}${KEY_COPY_SUFFIX}`;
  const offeredPath = opts.keyFile ?? (existsSync(beside) ? beside : null);
  const offered = offeredPath ? { path: offeredPath, id: keyFileId(offeredPath) } : null;
  if (opts.keyFile && !offered?.id)
    problems.push(`--key 给出的 ${opts.keyFile} 不是有效的密钥文件（应为 32 字节的 base64）`);
  // With --key the given key will be in place; otherwise the data folder's own.
  const inPlace = opts.keyFile ? (offered?.id ?? null) : keyId;
  let matches: boolean | null = null;
  if (backup.keyId) {
    matches = inPlace === backup.keyId;
    if (!matches) {
      const hint =
        offered?.id === backup.keyId
          ? `与备份配套的密钥是 ${offered.path}：加上 --key ${offered.path} 一并放回`
          : '请找到与备份配套的密钥文件（备份时另行保管的 data.key），用 --key 指定';
      problems.push(
        inPlace
          ? `备份中的证件号用另一把密钥加密（备份需要密钥编号 ${backup.keyId}，恢复后在用的是 ${inPlace}）：${hint}`
          : `数据目录中没有密钥文件 ${keyPath}，备份需要密钥编号 ${backup.keyId}：${hint}`,
      );
    }
  } else {
    warnings.push('备份没有记录密钥编号（较早版本的备份）：无法核对密钥，请确认 keys/data.key 与备份配套');
  }
  return {
    dataDir,
    backupPath,
    backup,
    current,
    key: { path: keyPath, id: keyId, offered, matches },
    problems,
    warnings,
  };
}

export interface RestoreResult {
  plan: RestorePlan;
  /** Where the replaced database (and its -wal/-shm) now is; null when there was none. */
  keptAside: string | null;
  /** Where the replaced key file now is, when --key put another one in place. */
  keyKeptAside: string | null;
}

function syncFile(path: string): void {
  const fd = openSync(path, 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Restores the backup of `plan`. Throws DB_LOCKED while a hub runs, RESTORE_FAILED when the plan
 * has problems. The replaced database is renamed, never deleted.
 */
export function restoreDatabase(
  plan: RestorePlan,
  opts: { appVersion: string; keyFile?: string; now?: number },
): RestoreResult {
  if (plan.problems.length) throw new StoreError('RESTORE_FAILED', `无法恢复：${plan.problems.join('；')}`);
  let lock: ReturnType<typeof takeHubLock>;
  try {
    lock = takeHubLock(plan.dataDir, { waitMs: 0 });
  } catch (e) {
    if (e instanceof StoreError && e.code === 'DB_LOCKED') {
      throw new StoreError(
        'DB_LOCKED',
        `数据目录 ${plan.dataDir} 的中枢正在运行：恢复前请先停止中枢（恢复会替换它正在使用的数据库），恢复完成后再启动。`,
      );
    }
    throw e;
  }
  try {
    const dbPath = join(plan.dataDir, DB_FILE);
    let keptAside: string | null = null;
    if (existsSync(dbPath)) {
      // The WAL holds committed data of the old database: it moves with it, under the matching name.
      keptAside =
        plan.current?.asidePath ?? join(plan.dataDir, `${DB_FILE}.before-restore-${stamp(opts.now ?? Date.now())}`);
      for (const suffix of ['-wal', '-shm', '']) {
        if (existsSync(`${dbPath}${suffix}`)) renameSync(`${dbPath}${suffix}`, `${keptAside}${suffix}`);
      }
    }
    const incoming = `${dbPath}.restoring`;
    copyFileSync(plan.backupPath, incoming);
    syncFile(incoming);
    renameSync(incoming, dbPath);

    let keyKeptAside: string | null = null;
    if (opts.keyFile) {
      const keyPath = plan.key.path;
      mkdirSync(dirname(keyPath), { recursive: true, mode: 0o700 });
      if (existsSync(keyPath)) {
        keyKeptAside = join(dirname(keyPath), `${basename(keyPath)}.before-restore-${stamp(opts.now ?? Date.now())}`);
        renameSync(keyPath, keyKeptAside);
      }
      copyFileSync(opts.keyFile, keyPath);
      chmodSync(keyPath, 0o600);
      syncFile(keyPath);
    }

    // Open it as the hub will (migrations of an older backup run now) and check it once more.
    const opened = openDatabase({ dataDir: plan.dataDir, appVersion: opts.appVersion });
    try {
      const check = String(opened.db.pragma('integrity_check', { simple: true }));
      if (check !== 'ok') throw new StoreError('RESTORE_FAILED', `恢复后的数据库完整性检查未通过：${check}`);
      const keyId = plan.backup.keyId;
      if (!keyId && plan.key.id) {
        // An older backup without the key's id: record the key in place, as a hub start would.
        opened.db
          .prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO NOTHING')
          .run(DATA_KEY_ID_META, opts.keyFile ? (plan.key.offered?.id ?? plan.key.id) : plan.key.id);
      }
    } finally {
      opened.close();
    }
    return { plan, keptAside, keyKeptAside };
  } finally {
    lock.release();
  }
}
