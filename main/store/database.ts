/**
 * Opens the hall's SQLite database: WAL, synchronous=FULL (a committed ticket survives a power cut),
 * busy timeout, foreign keys, migrations, and a refusal to touch a database from a newer govhall.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { takeHubLock } from './hub-lock.js';
import { MIGRATIONS, SCHEMA_VERSION } from './migrations.js';
import { storageStartError } from './storage-health.js';
import { StoreError } from './store-error.js';

export interface OpenOptions {
  dataDir: string;
  fileName?: string;
  appVersion: string;
  /** Take the single-writer hub lock (`hub.lock.db`; the hub does, maintenance commands do not). */
  lock?: boolean;
}

export interface HallDatabase {
  readonly db: Database.Database;
  readonly dataDir: string;
  readonly path: string;
  close(): void;
}

export const PRAGMAS = ['journal_mode = WAL', 'synchronous = FULL', 'busy_timeout = 5000', 'foreign_keys = ON'];

export function openDatabase(opts: OpenOptions): HallDatabase {
  mkdirSync(opts.dataDir, { recursive: true, mode: 0o700 });
  const lock = opts.lock ? takeHubLock(opts.dataDir) : null;
  const release = () => lock?.release();
  const path = join(opts.dataDir, opts.fileName ?? 'govhall.db');
  let db: Database.Database | null = null;
  try {
    const fresh = !existsSync(path);
    db = new Database(path);
    for (const p of PRAGMAS) db.pragma(p);
    const current = db.pragma('user_version', { simple: true }) as number;
    if (current > SCHEMA_VERSION) {
      db.close();
      throw new StoreError(
        'DB_TOO_NEW',
        `数据库 ${path} 由更新版本的 govhall 写入（数据库结构版本 ${current}，本程序只认识到 ${SCHEMA_VERSION}）。` +
          `请升级 govhall 后再打开；本程序未改动该文件。`,
      );
    }
    if (fresh || current < SCHEMA_VERSION) migrate(db, current, opts.appVersion);
  } catch (e) {
    // A half-opened database keeps its file open (and a disk busy): close it before giving up.
    if (db?.open) db.close();
    release();
    if (e instanceof StoreError) throw e;
    throw (
      storageStartError(e, opts.dataDir) ??
      new StoreError('DB_OPEN_FAILED', `无法打开数据库 ${path}：${(e as Error).message}`)
    );
  }
  return {
    db,
    dataDir: opts.dataDir,
    path,
    close() {
      if (db.open) db.close();
      release();
    },
  };
}

function migrate(db: Database.Database, from: number, appVersion: string): void {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL, app_version TEXT NOT NULL)`);
  for (const m of MIGRATIONS) {
    if (m.version <= from) continue;
    db.transaction(() => {
      m.up(db);
      db.prepare('INSERT INTO schema_migrations VALUES (?, ?, ?, ?)').run(
        m.version,
        m.name,
        new Date().toISOString(),
        appVersion,
      );
      db.pragma(`user_version = ${m.version}`);
    })();
  }
}
