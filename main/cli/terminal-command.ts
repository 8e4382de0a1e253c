/**
 * `govhall terminal [--config FILE] [--data DIR] [--browser PATH] [--port N]` (docs/terminal.md):
 * runs this PC as one terminal of the hall — pairs with the hub once, serves its role pages on
 * 127.0.0.1, opens the devices of its hall config entry and, with `--browser`, shows its windows in
 * the system Chromium. Runs until SIGINT/SIGTERM.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { formatProblem } from '../../kiosk-config/load.js';
import { loadTerminalFile } from '../../kiosk-config/terminal-file.js';
import { createLogger } from '../log/logger.js';
import { startTerminal } from '../terminal/terminal-app.js';
import { intFlag, parseFlags } from './args.js';
import { CliError } from './cli-error.js';
import { defaultDataDir } from './data-dir.js';

const USAGE = `用法 / usage: govhall terminal [--config FILE] [--data DIR] [--browser PATH] [--port N]
  --config FILE   本地文件，只写终端编号和中枢地址（默认 数据目录/terminal.yaml）：
                    terminal: { id: window-3, hub: "http://192.168.10.2:8800" }
  --data DIR      终端数据目录：令牌（0600 文件）、最近一次配置、日志、浏览器配置
                  （默认 ${join(defaultDataDir(), 'terminal')}）
  --browser PATH  浏览器模式：用系统 Chromium 以全屏应用方式显示本终端的界面，退出或崩溃后自动重启
                  browser mode: show the windows in the system Chromium, restarted when it exits
  --port N        本地页面端口（默认随机；只监听 127.0.0.1）/ local origin port (default: any free port)
环境变量 GOVHALL_BROWSER_FLAGS 给浏览器追加参数（测试用，如 "--headless --no-sandbox --disable-gpu"）。`;

const FLAGS = {
  config: { type: 'string' },
  data: { type: 'string' },
  browser: { type: 'string' },
  port: { type: 'string' },
} as const;

export async function terminalCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseFlags(args, FLAGS, USAGE);
  if (positionals.length) throw new CliError(`多余的参数：${positionals.join(' ')}\n\n${USAGE}`);
  const dataDir = values.data ?? join(defaultDataDir(), 'terminal');
  const configPath = values.config ?? join(dataDir, 'terminal.yaml');
  const loaded = loadTerminalFile(configPath);
  if (!loaded.ok) {
    const lines = loaded.problems.map(formatProblem).join('\n');
    throw new CliError(`终端配置有 ${loaded.problems.length} 个问题，未启动：\n${lines}\n\n${USAGE}`, 1);
  }
  const port = intFlag(values.port, 'port', 0, 65535);
  if (values.browser && !existsSync(values.browser))
    throw new CliError(`找不到浏览器 ${values.browser}（Debian/UOS：sudo apt-get install -y chromium）\n\n${USAGE}`);
  const logger = createLogger({ dir: join(dataDir, 'logs') });
  const extra = (process.env.GOVHALL_BROWSER_FLAGS ?? '').split(/\s+/).filter(Boolean);
  const app = await startTerminal({
    terminal: loaded.terminal,
    dataDir,
    ...(port !== undefined ? { port } : {}),
    ...(values.browser ? { browser: values.browser, browserArgs: extra } : {}),
    log: (level, msg, fields) => logger[level](msg, fields),
  });
  const out = process.stdout;
  out.write(`\ngovhall terminal ${loaded.terminal.id} — 中枢 / hub ${loaded.terminal.hub}\n`);
  out.write(`本地页面 / local origin: ${app.origin.url}/\n`);
  out.write(`数据目录 / data: ${dataDir}\n`);
  let lastCode: string | null = null;
  const say = () => {
    const s = app.agent.state;
    if (s.kind === 'pairing' && s.code && s.code !== lastCode) {
      lastCode = s.code;
      out.write(`配对码 / pairing code: ${s.code}（请在管理后台「终端」页输入 / enter it in the admin console）\n`);
    }
    if (s.kind === 'running' && lastCode !== null) {
      lastCode = null;
      out.write('已配对 / paired\n');
    }
  };
  app.agent.onState(say);
  say();
  out.write('按 Ctrl+C 停止 / press Ctrl+C to stop\n');
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  logger.info('正在停止终端 / stopping');
  await app.close();
  return 0;
}
