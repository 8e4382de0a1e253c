/**
 * Opens a hall's database for the maintenance commands (token, audit, backup, stats). They run
 * beside a live hub (WAL allows it), so they never take the hub's single-writer lock.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase } from '../store/database.js';
import { CliError } from './cli-error.js';
import { defaultDataDir } from './data-dir.js';
import { appVersion } from './main.js';

export async function openDatabaseForTools(dataFlag: string | undefined, opts: { create?: boolean } = {}) {
  const dataDir = dataFlag ?? defaultDataDir();
  if (!opts.create && !existsSync(join(dataDir, 'govhall.db'))) {
    throw new CliError(
      `数据目录 ${dataDir} 中没有大厅数据库（govhall.db）。请用 --data 指定，或先运行 govhall start。`,
      1,
    );
  }
  const handle = openDatabase({ dataDir, appVersion: await appVersion(), lock: false });
  return { db: handle, dataDir, close: () => handle.close() };
}
