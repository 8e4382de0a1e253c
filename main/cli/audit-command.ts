import { verifyAuditChain } from '../store/audit.js';
import { parseFlags } from './args.js';
import { CliError } from './cli-error.js';
import { openDatabaseForTools } from './open-store.js';

const USAGE = `用法 / usage: govhall audit verify [--data DIR] [--json]
  逐条重算审计日志的哈希链，报告第一个断开的链接；完好时退出码 0，断开时 1。`;

export async function auditCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'verify') throw new CliError(USAGE);
  const { values } = parseFlags(rest, { data: { type: 'string' }, json: { type: 'boolean' } }, USAGE);
  const { db, close } = await openDatabaseForTools(values.data);
  try {
    const result = verifyAuditChain(db);
    if (values.json) process.stdout.write(`${JSON.stringify(result)}\n`);
    else if (result.ok) process.stdout.write(`审计日志完好：${result.count} 条记录，哈希链连续 / audit chain intact\n`);
    else
      process.stdout.write(
        `审计日志在第 ${result.firstBrokenId} 条处断开：${result.reason}（已检查 ${result.count} 条）/ audit chain broken\n`,
      );
    return result.ok ? 0 : 1;
  } finally {
    close();
  }
}
