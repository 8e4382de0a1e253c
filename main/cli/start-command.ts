/**
 * `govhall start` (everything in one process, demo hall by default) and `govhall hub` (the hub
 * alone, explicit config and data). Both run until SIGINT/SIGTERM and close the database cleanly.
 */
import { join } from 'node:path';
import { DEMO_HALL_PATH } from '../../kiosk-config/demo-hall.js';
import { formatProblem, loadHallConfigFile } from '../../kiosk-config/load.js';
import { startEmbeddedHall } from '../hall/embedded-hall.js';
import { createLogger } from '../log/logger.js';
import { intFlag, parseFlags, requireFlag } from './args.js';
import { CliError } from './cli-error.js';
import { defaultDataDir } from './data-dir.js';
import { checkoutUiBuilder, ensureUiBuilt } from './ensure-ui.js';
import { appVersion } from './main.js';
import { PLATFORM_FLAGS, PLATFORM_USAGE, platformFlags } from './platform-flags.js';
import { formatRoleUrls, roleUrls } from './ui-urls.js';

const START_USAGE = `用法 / usage: govhall start [--config FILE] [--data DIR] [--host H] [--port N]
  --config FILE  大厅配置（默认内置演示大厅）/ hall config (default: the demo hall)
  --data DIR     数据目录（默认 ${defaultDataDir()}）/ data folder
  --host H       监听地址（默认 127.0.0.1；局域网内其他终端访问时用 0.0.0.0）
  --port N       端口（默认 8800）
${PLATFORM_USAGE}`;

const HUB_USAGE = `用法 / usage: govhall hub --config FILE --data DIR [--host H] [--port N] [--platform-url URL --platform-secret-file FILE [--platform-alg ALG]]
${PLATFORM_USAGE}`;

const FLAGS = {
  config: { type: 'string' },
  data: { type: 'string' },
  host: { type: 'string' },
  port: { type: 'string' },
  ...PLATFORM_FLAGS,
} as const;

interface RunOptions {
  configPath: string;
  dataDir: string;
  host: string;
  port: number;
  embedded: boolean;
  platform: ReturnType<typeof platformFlags>;
}

async function runHall(opts: RunOptions): Promise<number> {
  const loaded = loadHallConfigFile(opts.configPath);
  if (!loaded.ok) {
    const lines = loaded.problems.map(formatProblem).join('\n');
    throw new CliError(`大厅配置有 ${loaded.problems.length} 个问题，未启动：\n${lines}`, 1);
  }
  await ensureUiBuilt(await checkoutUiBuilder(), (text) => process.stdout.write(text));
  const logger = createLogger({ dir: join(opts.dataDir, 'logs') });
  const version = await appVersion();
  // govhall start runs every configured device on its simulator; govhall hub runs none itself.
  // The composition (UIs, devices, admin routes) lives in main/hall/embedded-hall.ts, shared with the e2e test.
  const hall = await startEmbeddedHall({
    config: loaded.config,
    configPath: opts.configPath,
    dataDir: opts.dataDir,
    host: opts.host,
    port: opts.port,
    version,
    logger,
    platform: opts.platform,
    devices: opts.embedded ? 'simulated' : 'none',
  });
  const { app, devices } = hall;
  const out = process.stdout;
  out.write(`\ngovhall ${version} — ${loaded.summary}\n`);
  out.write(`中枢 / hub:        ${app.url}/api/v1  （健康检查 ${app.url}/api/v1/health）\n`);
  out.write(`接口文档 / OpenAPI: ${app.url}/api/v1/openapi.json\n`);
  out.write(`数据目录 / data:   ${opts.dataDir}\n`);
  const sync = app.sync.status();
  out.write(
    sync.configured
      ? `省级平台 / platform: ${sync.platformUrl}（待上报 ${sync.pending} 条 / pending）\n`
      : `省级平台 / platform: 未配置，办件和评价在发件箱中等待（${sync.pending} 条）/ not configured, the outbox waits\n`,
  );
  out.write(`界面 / UIs:        ${app.url}/\n`);
  if (devices.service)
    out.write(
      `设备 / devices:    ${devices.service.statuses().length} 台模拟设备（govhall devices 查看状态；评价器接口 ${app.url.replace('http', 'ws')}/api/v1/pads）\n`,
    );
  if (opts.embedded) {
    const urls = roleUrls(hall.pages);
    out.write(formatRoleUrls(urls));
    out.write(
      `  中枢首页可一键打开以上地址 / one click from the hub's start page: ${app.url.replace('://0.0.0.0:', '://127.0.0.1:')}/\n`,
    );
    out.write('  窗口登录 / sign in at a window: 工号 8001，PIN 123456\n');
    const kiosk = urls.find((u) => u.role === 'kiosk');
    if (kiosk) {
      // The kiosk terminal forwards with its own credentials: no token in the example either.
      out.write(`  取号示例 / issue a ticket through the kiosk terminal: curl -X POST \\\n`);
      out.write(
        `      -H 'content-type: application/json' -d '{"serviceCode":"ZHZX","channel":"kiosk"}' ${new URL(kiosk.url).origin}/api/v1/tickets\n`,
      );
    }
  }
  out.write('\n按 Ctrl+C 停止 / press Ctrl+C to stop\n');

  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  logger.info('正在停止中枢 / stopping');
  await hall.close();
  return 0;
}

export async function startCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseFlags(args, FLAGS, START_USAGE);
  if (positionals.length) throw new CliError(`多余的参数：${positionals.join(' ')}\n\n${START_USAGE}`);
  return runHall({
    configPath: values.config ?? DEMO_HALL_PATH,
    dataDir: values.data ?? defaultDataDir(),
    host: values.host ?? '127.0.0.1',
    port: intFlag(values.port, 'port', 0, 65535) ?? 8800,
    embedded: true,
    platform: platformFlags(values),
  });
}

export async function hubCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseFlags(args, FLAGS, HUB_USAGE);
  if (positionals.length) throw new CliError(`多余的参数：${positionals.join(' ')}\n\n${HUB_USAGE}`);
  return runHall({
    configPath: requireFlag(values.config, 'config', HUB_USAGE),
    dataDir: requireFlag(values.data, 'data', HUB_USAGE),
    host: values.host ?? '127.0.0.1',
    port: intFlag(values.port, 'port', 0, 65535) ?? 8800,
    embedded: false,
    platform: platformFlags(values),
  });
}
