/**
 * `govhall` — one command for the hall: run it, check its configuration, manage tokens, verify the
 * audit log, back up, print statistics. Each subcommand lives in its own module, loaded on demand so
 * a quick `config check` does not open SQLite.
 */
import { appFileUrl } from '../../common/app-root.js';
import { CliError } from './cli-error.js';

export const HELP = `govhall — 实体政务大厅设备软件 / government service hall software

用法 / usage: govhall <命令> [选项]

  start   [--config FILE] [--data DIR] [--host H] [--port N]
          一个进程运行整个大厅（默认演示大厅、模拟设备、本地 SQLite），并打印各角色的访问地址
          run the whole hall in one process (demo hall by default) and print where to open each role
  hub     --config FILE --data DIR [--host H] [--port N]
          只运行大厅中枢（队列引擎、数据库、局域网接口） / run the hub alone
          start 与 hub 都接受 --platform-url URL --platform-secret-file FILE [--platform-alg HMAC-SHA256|HMAC-SM3]
          （覆盖配置的 platform 段 / override the config's platform section）
  terminal [--config FILE] [--data DIR] [--browser PATH] [--port N]
          本机作为大厅的一台终端：与中枢配对，在 127.0.0.1 上提供本终端的界面并转发到中枢，打开本机设备；
          --browser 用系统 Chromium 全屏显示 / run this PC as a terminal of the hall (pairs with the hub)
  token create --data DIR --role kiosk|counter|display|evaluator|admin [--window N] [--name NAME]
          创建设备令牌，标准输出只打印令牌 / create a device token; prints only the token
  token list --data DIR [--json]        列出设备令牌 / list device tokens
  token revoke --data DIR --id ID       吊销设备令牌 / revoke a device token
  config check FILE                     检查大厅配置文件 / check a hall configuration file
  config hash-pin [--pin PIN]           生成工作人员 PIN 的加盐哈希（默认从标准输入读取）
                                        hash a staff PIN (reads stdin unless --pin)
  audit verify [--data DIR] [--json]    校验审计日志哈希链 / verify the audit hash chain
  backup PATH [--data DIR] [--overwrite] 在线备份数据库并校验 / online backup of the database, verified
  restore PATH [--data DIR] [--key FILE] [--dry-run]
                                        用备份恢复数据库（须先停止中枢，原库改名保留）/ restore a backup
  stats [--day YYYY-MM-DD] [--data DIR] [--config FILE] [--json]
                                        当日或指定日的统计 / statistics of a business day
  platform-sim --secret-file FILE [--hall-code CODE] [--port N] [--latency MS] [--error-rate R] …
                                        省级平台模拟器（测试用）/ provincial platform simulator for tests
  devices [--config FILE] [--data DIR] [--json]  串口、HID 与配置的设备及状态 / serial, HID and configured devices
  sync status|retry|drain [--data DIR] [--json]  省级平台发件箱：状态、重试搁置记录、直接发送 / platform outbox
  idcard read --port PATH [--baud N] [--timeout S] [--json] [--full]
                                        读一张身份证（默认脱敏；退出码 2 无卡，3 设备错误）/ read one ID card
  printer test|status (--port PATH [--baud N] | --host HOST[:PORT] | --lp PATH) [--width 58|80] [--json]
                                        打印样票或查询小票打印机状态（退出码 1 缺纸/开盖/脱机，3 无应答）
                                        print a sample ticket or read a ticket printer's status
  sim idcard|printer|keypad|ledstrip (--port PATH | --create-pty) …
                                        设备模拟器（测试与调试用）/ device simulators
  updates [stage PERCENT] [--data DIR] [--json]
                                        中枢 updates/ 文件夹提供给终端的版本；stage 分批放开（1–100%）
                                        what the hub offers the terminals to update to; staged rollout
  version                               版本 / version

数据目录默认为 / default data folder: $GOVHALL_DATA，否则 ~/.local/share/govhall
（Windows: %APPDATA%\\govhall）。每个命令都支持 --help。`;

type Command = (args: string[]) => Promise<number>;

const commands: Record<string, () => Promise<Command>> = {
  start: async () => (await import('./start-command.js')).startCommand,
  hub: async () => (await import('./start-command.js')).hubCommand,
  terminal: async () => (await import('./terminal-command.js')).terminalCommand,
  token: async () => (await import('./token-command.js')).tokenCommand,
  config: async () => (await import('./config-command.js')).configCommand,
  audit: async () => (await import('./audit-command.js')).auditCommand,
  backup: async () => (await import('./backup-command.js')).backupCommand,
  restore: async () => (await import('./restore-command.js')).restoreCommand,
  stats: async () => (await import('./stats-command.js')).statsCommand,
  sync: async () => (await import('./sync-command.js')).syncCommand,
  devices: async () => (await import('./devices-command.js')).devicesCommand,
  'platform-sim': async () => (await import('./platform-sim-command.js')).platformSimCommand,
  idcard: async () => (await import('./idcard-command.js')).idcardCommand,
  printer: async () => (await import('./printer-command.js')).printerCommand,
  sim: async () => (await import('./sim-command.js')).simCommand,
  updates: async () => (await import('./updates-command.js')).updatesCommand,
  version: async () => async () => {
    process.stdout.write(`govhall ${await appVersion()}\n`);
    return 0;
  },
};

export async function appVersion(): Promise<string> {
  const { readFileSync } = await import('node:fs');
  const pkg = JSON.parse(readFileSync(appFileUrl('package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    process.stdout.write(`${HELP}\n`);
    return name ? 0 : 2;
  }
  if (name === '--version' || name === '-v') return (await commands.version!())([]);
  const load = commands[name];
  if (!load) {
    process.stderr.write(`未知命令「${name}」/ unknown command\n\n${HELP}\n`);
    return 2;
  }
  try {
    return await (await load())(rest);
  } catch (err) {
    if (err instanceof CliError) {
      (err.exitCode === 0 ? process.stdout : process.stderr).write(`${err.message}\n`);
      return err.exitCode;
    }
    const e = err as { code?: string; message?: string };
    // Typed errors from the store and config carry a code and a Chinese message: show those plainly.
    if (e?.code && typeof e.message === 'string') {
      process.stderr.write(`错误 ${e.code}：${e.message}\n`);
      return 1;
    }
    process.stderr.write(
      `意外错误：${String(e?.message ?? err)}\n请检查命令和参数（govhall ${name} --help）后重试；仍失败请把这段输出发给运维 / unexpected error\n`,
    );
    return 1;
  }
}
