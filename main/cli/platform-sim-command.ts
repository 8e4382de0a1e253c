/**
 * `govhall platform-sim`: runs the provincial platform simulator (main/platform-sim) until
 * SIGINT/SIGTERM, so a hall can sync against something real on a developer's machine or in CI.
 */
import { readFileSync } from 'node:fs';
import { startPlatformSim } from '../platform-sim/platform-sim.js';
import type { PlatformFaults } from '../platform-sim/types.js';
import { intFlag, parseFlags } from './args.js';
import { CliError } from './cli-error.js';

export const DEFAULT_SIM_PORT = 8900;
export const DEFAULT_SIM_HALL = 'DEMO-HALL-01';

const USAGE = `用法 / usage: govhall platform-sim --secret-file FILE [--hall-code CODE] [--port N] [--host H] [--data DIR]
        [--latency MS] [--error-rate R] [--rate-limit-rate R] [--retry-after S] [--drop-after-commit R]
        [--clock-offset=MS] [--partitioned] [--seed N]
  运行省级一体化政务服务平台模拟器（仅供测试）/ run the provincial platform simulator (for testing)
  --secret-file FILE       该大厅的签名密钥文件（去掉末尾换行，不能为空）/ the hall's signing secret
  --hall-code CODE         大厅编码（默认 ${DEFAULT_SIM_HALL}）/ hall code
  --port N                 端口（默认 ${DEFAULT_SIM_PORT}，0 为任意空闲端口）/ port
  --host H                 监听地址（默认 127.0.0.1）/ listen address
  --data DIR               保存接收记录的目录（默认临时目录，退出时删除）/ where records are kept
  --latency MS             每个应答前的延迟毫秒数 / delay before each answer
  --error-rate R           0 到 1：以 503 应答的比例 / share of 503 answers
  --rate-limit-rate R      0 到 1：以 429 应答的比例 / share of 429 answers
  --retry-after S          Retry-After 秒数（默认 1）/ seconds in Retry-After
  --drop-after-commit R    0 到 1：提交后断开连接的批次比例 / share of batches cut after commit
  --clock-offset=MS        平台时钟偏移毫秒数，可为负 / platform clock offset, may be negative
  --partitioned            启动即“断网”（用 POST /sim/faults 恢复）/ start unreachable
  --seed N                 故障随机数种子（默认 1）/ fault random seed
签名算法 HMAC-SHA256 与 HMAC-SM3 均接受，按请求头 X-Signature-Alg。
测试接口（无需签名）：GET / 概览页，GET /sim/records，GET /sim/stats，POST /sim/faults。`;

const FLAGS = {
  'secret-file': { type: 'string' },
  'hall-code': { type: 'string' },
  port: { type: 'string' },
  host: { type: 'string' },
  data: { type: 'string' },
  latency: { type: 'string' },
  'error-rate': { type: 'string' },
  'rate-limit-rate': { type: 'string' },
  'retry-after': { type: 'string' },
  'drop-after-commit': { type: 'string' },
  'clock-offset': { type: 'string' },
  partitioned: { type: 'boolean' },
  seed: { type: 'string' },
} as const;

function rateFlag(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = /^\d+(\.\d+)?$/.test(value) ? Number(value) : Number.NaN;
  if (!(n >= 0 && n <= 1)) throw new CliError(`选项 --${flag} 应为 0 到 1 之间的小数，收到「${value}」`);
  return n;
}

function signedIntFlag(value: string | undefined, flag: string, limit: number): number | undefined {
  if (value === undefined) return undefined;
  if (!/^-?\d+$/.test(value) || Math.abs(Number(value)) > limit) {
    throw new CliError(`选项 --${flag} 应为 -${limit} 到 ${limit} 之间的整数，收到「${value}」`);
  }
  return Number(value);
}

function readSecret(file: string): string {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new CliError(`无法读取密钥文件 ${file}：请确认文件存在且当前用户可读`);
  }
  const secret = text.replace(/\r?\n$/, '');
  if (secret.trim() === '') throw new CliError(`密钥文件 ${file} 是空的：请在文件中写入平台密钥（一行）`);
  return secret;
}

export async function platformSimCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseFlags(args, FLAGS, USAGE);
  if (positionals.length) throw new CliError(`多余的参数：${positionals.join(' ')}\n\n${USAGE}`);
  const secretFile = values['secret-file'];
  if (!secretFile) throw new CliError(`缺少必需的选项 --secret-file\n\n${USAGE}`);
  const hallCode = values['hall-code'] ?? DEFAULT_SIM_HALL;
  if (!/^[0-9A-Za-z_-]{1,64}$/.test(hallCode)) {
    throw new CliError(`选项 --hall-code 应为 1 到 64 位字母、数字、- 或 _，收到「${hallCode}」`);
  }
  const port = intFlag(values.port, 'port', 0, 65535) ?? DEFAULT_SIM_PORT;
  const faults: PlatformFaults = {};
  const latency = intFlag(values.latency, 'latency', 0, 600_000);
  if (latency !== undefined) faults.latencyMs = latency;
  const errorRate = rateFlag(values['error-rate'], 'error-rate');
  if (errorRate !== undefined) faults.errorRate = errorRate;
  const rateLimit = rateFlag(values['rate-limit-rate'], 'rate-limit-rate');
  if (rateLimit !== undefined) faults.rateLimitRate = rateLimit;
  const retryAfter = intFlag(values['retry-after'], 'retry-after', 0, 86_400);
  if (retryAfter !== undefined) faults.retryAfterSeconds = retryAfter;
  const drop = rateFlag(values['drop-after-commit'], 'drop-after-commit');
  if (drop !== undefined) faults.dropAfterCommitRate = drop;
  const offset = signedIntFlag(values['clock-offset'], 'clock-offset', 10 * 365 * 86_400_000);
  if (offset !== undefined) faults.clockOffsetMs = offset;
  if (values.partitioned) faults.partitioned = true;
  const seed = intFlag(values.seed, 'seed', 0, 2 ** 32 - 1);
  const secret = readSecret(secretFile);

  let sim: Awaited<ReturnType<typeof startPlatformSim>>;
  try {
    sim = await startPlatformSim({
      port,
      host: values.host ?? '127.0.0.1',
      halls: [{ hallCode, secret }],
      faults,
      ...(values.data ? { dataDir: values.data } : {}),
      ...(seed !== undefined ? { seed } : {}),
    });
  } catch (err) {
    const e = err as { code?: string; message?: string };
    if (e.code === 'EADDRINUSE')
      throw new CliError(`端口 ${port} 已被占用：请用 --port 换一个端口，或关闭占用它的程序`, 1);
    throw new CliError(
      `模拟器启动失败：${e.message ?? String(err)}。请检查参数（govhall platform-sim --help）后重试`,
      1,
    );
  }
  const out = process.stdout;
  out.write(`${sim.url}\n`);
  out.write(`省级平台模拟器 / platform simulator: ${sim.url}/api/v1  大厅 / hall ${hallCode}\n`);
  out.write(`概览页 / overview: ${sim.url}/   故障 / faults: POST ${sim.url}/sim/faults\n`);
  if (Object.keys(faults).length) out.write(`故障注入 / faults: ${JSON.stringify(faults)}\n`);
  out.write(`数据 / data: ${values.data ?? '临时目录（退出时删除）/ temporary'}\n`);
  out.write('按 Ctrl+C 停止 / press Ctrl+C to stop\n');
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await sim.close();
  return 0;
}
