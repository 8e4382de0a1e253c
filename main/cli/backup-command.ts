import { join, resolve } from 'node:path';
import { backupDatabase } from '../store/backup.js';
import { keyFileId } from '../store/crypto.js';
import { parseFlags } from './args.js';
import { CliError } from './cli-error.js';
import { openDatabaseForTools } from './open-store.js';

const USAGE = `用法 / usage: govhall backup PATH [--data DIR] [--overwrite]
  用 SQLite 在线备份把数据库复制到 PATH（中枢运行时也可以），完成后做完整性检查并核对行数。
  注意：加密密钥 keys/data.key 不在数据库里，请另行备份（不要和数据库备份放在同一处）。`;

export async function backupCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseFlags(args, { data: { type: 'string' }, overwrite: { type: 'boolean' } }, USAGE);
  const dest = positionals[0];
  if (!dest || positionals.length > 1) throw new CliError(`请给出备份文件路径 / one PATH please\n\n${USAGE}`);
  const { db, close, dataDir } = await openDatabaseForTools(values.data);
  try {
    let last = -1;
    const result = await backupDatabase(db, resolve(dest), {
      overwrite: values.overwrite === true,
      onProgress: (p: { totalPages: number; remainingPages: number }) => {
        const pct = p.totalPages ? Math.floor(((p.totalPages - p.remainingPages) / p.totalPages) * 100) : 100;
        if (pct !== last && process.stderr.isTTY) process.stderr.write(`\r备份中 / backing up… ${pct}%`);
        last = pct;
      },
    });
    if (process.stderr.isTTY) process.stderr.write('\n');
    const c = result.counts;
    process.stdout.write(
      `已备份到 ${resolve(dest)}（来自 ${dataDir}），完整性检查通过，行数相符（票 ${c.tickets}，办件 ${c.cases}，审计 ${c.audit}）。\n`,
    );
    const keyPath = join(dataDir, 'keys', 'data.key');
    process.stdout.write(
      `密钥文件不在备份里：${keyPath}（密钥编号 ${keyFileId(keyPath) ?? '无'}），请另行备份并与数据库备份分开保管 / back up the key file separately\n`,
    );
    return 0;
  } finally {
    close();
  }
}
