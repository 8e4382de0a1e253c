/**
 * `govhall restore PATH [--data DIR] [--key FILE] [--dry-run]`: puts a backup back. The dry run
 * checks the backup and says what would be replaced; the real restore refuses while the hub runs
 * and keeps the replaced database aside. See docs/store.md.
 */
import { resolve } from 'node:path';
import type { RowCounts } from '../store/backup.js';
import { planRestore, type RestorePlan, restoreDatabase } from '../store/restore.js';
import { parseFlags } from './args.js';
import { CliError } from './cli-error.js';
import { defaultDataDir } from './data-dir.js';
import { appVersion } from './main.js';

const USAGE = `用法 / usage: govhall restore PATH [--data DIR] [--key FILE] [--dry-run]
  用备份文件 PATH 替换数据目录中的数据库 / replace the data folder's database with the backup PATH
  --data DIR   数据目录 / data folder
  --key FILE   同时放回与备份配套的密钥文件（备份旁的 .data.key 或另行保管的 data.key）
               also put back the data key that belongs to the backup
  --dry-run    只检查备份并说明将替换什么，不做任何改动 / check and tell, change nothing
  中枢运行时不能恢复（先停止中枢）；被替换的数据库改名保留为 govhall.db.before-restore-时间，不删除。
  退出码 / exit: 0 已恢复（或 --dry-run 可以恢复），1 不能恢复`;

const TABLE_NAMES: Record<keyof RowCounts, string> = {
  tickets: '票',
  cases: '办件',
  evaluations: '评价',
  audit: '审计记录',
  device_tokens: '设备令牌',
};

const counts = (c: RowCounts | null) =>
  c ? (Object.keys(TABLE_NAMES) as (keyof RowCounts)[]).map((k) => `${TABLE_NAMES[k]} ${c[k]}`).join('，') : '无法读取';

function describe(plan: RestorePlan, dryRun: boolean): string {
  const lines = [
    `备份 / backup: ${plan.backupPath}`,
    `  完整性 / integrity: ${plan.backup.integrity === 'ok' ? '通过 ok' : plan.backup.integrity}；结构版本 ${plan.backup.schemaVersion}`,
    `  内容 / rows: ${counts(plan.backup.counts)}`,
    `  密钥编号 / key id: ${plan.backup.keyId ?? '未记录（较早的备份）'}`,
    `数据目录 / data folder: ${plan.dataDir}`,
  ];
  if (plan.current) {
    lines.push(
      `  将被替换 / would replace: ${plan.current.path}（${(plan.current.bytes / 1024).toFixed(0)} KiB，` +
        `修改于 ${new Date(plan.current.modifiedAt).toLocaleString('zh-CN')}；${counts(plan.current.counts)}）`,
      `  ${dryRun ? '将保留为' : '保留为'} / kept aside as: ${plan.current.asidePath}（连同 -wal、-shm，不删除）`,
    );
  } else {
    lines.push('  数据目录中还没有数据库 / no database yet');
  }
  lines.push(`密钥 / data key: ${plan.key.path}（编号 ${plan.key.id ?? '无'}）`);
  if (plan.key.offered)
    lines.push(`  配套密钥 / offered key: ${plan.key.offered.path}（编号 ${plan.key.offered.id ?? '无效'}）`);
  if (plan.key.matches === true) lines.push('  恢复后的密钥与备份配套 / the key matches the backup');
  for (const w of plan.warnings) lines.push(`注意：${w}`);
  for (const p of plan.problems) lines.push(`不能恢复：${p}`);
  return `${lines.join('\n')}\n`;
}

export async function restoreCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseFlags(
    args,
    { data: { type: 'string' }, key: { type: 'string' }, 'dry-run': { type: 'boolean' } },
    USAGE,
  );
  const source = positionals[0];
  if (!source || positionals.length > 1) throw new CliError(`请给出一个备份文件路径 / one PATH please\n\n${USAGE}`);
  const dataDir = resolve(values.data ?? defaultDataDir());
  const keyFile = values.key ? resolve(values.key) : undefined;
  const dryRun = values['dry-run'] === true;
  const plan = planRestore(dataDir, resolve(source), keyFile ? { keyFile } : {});
  process.stdout.write(describe(plan, dryRun));
  if (plan.problems.length) {
    process.stderr.write(`错误 RESTORE_FAILED：备份不能恢复，数据目录未改动 / nothing was changed\n`);
    return 1;
  }
  if (dryRun) {
    process.stdout.write('检查通过，可以恢复；这是试运行，没有改动任何文件 / dry run: nothing changed\n');
    return 0;
  }
  const result = restoreDatabase(plan, { appVersion: await appVersion(), ...(keyFile ? { keyFile } : {}) });
  process.stdout.write(`已恢复 / restored: ${plan.backupPath} → ${dataDir}/govhall.db\n`);
  if (result.keptAside) process.stdout.write(`原数据库保留在 / previous database kept at: ${result.keptAside}\n`);
  if (result.keyKeptAside) process.stdout.write(`原密钥文件保留在 / previous key kept at: ${result.keyKeptAside}\n`);
  process.stdout.write('现在可以启动中枢 / the hub can be started now\n');
  return 0;
}
