import { readFileSync } from 'node:fs';
import { pinProblem } from '../../common/pin-policy.js';
import { formatProblem, loadHallConfigFile } from '../../kiosk-config/load.js';
import { hashPin } from '../../kiosk-config/pin-hash.js';
import { parseFlags } from './args.js';
import { CliError } from './cli-error.js';

const USAGE = `用法 / usage:
  govhall config check FILE           检查大厅配置：有问题时逐条打印 文件:行:列 说明，退出码 1
  govhall config hash-pin [--pin PIN] 生成 PIN 的加盐慢哈希，填入配置的 pinHash（6–12 位数字，不能是 123456 这类易猜的）`;

export async function configCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'check') {
    const { positionals } = parseFlags(rest, {}, USAGE);
    const file = positionals[0];
    if (!file || positionals.length > 1) throw new CliError(`请给出一个配置文件 / one FILE please\n\n${USAGE}`);
    const result = loadHallConfigFile(file);
    if (result.ok) {
      process.stdout.write(`${result.summary}\n`);
      return 0;
    }
    for (const p of result.problems) process.stdout.write(`${formatProblem(p)}\n`);
    process.stdout.write(`共 ${result.problems.length} 个问题 / ${result.problems.length} problem(s)\n`);
    return 1;
  }
  if (sub === 'hash-pin') {
    const { values } = parseFlags(rest, { pin: { type: 'string' } }, USAGE);
    const pin = values.pin ?? readFileSync(0, 'utf8').trim();
    // No hall is at hand here, so no exception for the demo PIN: the demo hall's hashes are in its file.
    const problem = pinProblem(pin);
    if (problem) throw new CliError(`${problem} / PIN must be 6–12 digits, no run, no repetition, not a common one`, 1);
    process.stdout.write(`${hashPin(pin)}\n`);
    return 0;
  }
  throw new CliError(USAGE, sub === undefined ? 2 : 2);
}
