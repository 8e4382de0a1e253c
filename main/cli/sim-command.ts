/**
 * `govhall sim <family> …`: device simulators for tests and by hand. Each family lives in its own
 * module `./sim-<family>.js` whose default export is `(args) => Promise<exitCode>`; add a family by
 * adding its module and one line to FAMILIES.
 */
import { CliError } from './cli-error.js';

type SimEntry = (args: string[]) => Promise<number>;

const FAMILIES: Record<string, { help: string; load: () => Promise<{ default: SimEntry }> }> = {
  idcard: {
    help: '身份证读卡器（SAM_V）/ ID card reader',
    load: () => import('./sim-idcard.js'),
  },
  printer: {
    help: '小票打印机（ESC/POS）/ ticket printer',
    load: () => import('./sim-printer.js'),
  },
  keypad: {
    help: 'RS-485 呼叫器与评价键盘 / RS-485 keypads',
    load: () => import('./sim-keypad.js'),
  },
  ledstrip: {
    help: '窗口 LED 条屏 / LED window strip',
    load: () => import('./sim-ledstrip.js'),
  },
};

export const SIM_USAGE = `用法 / usage: govhall sim <设备> (--port PATH | --create-pty) …
${Object.entries(FAMILIES)
  .map(([name, f]) => `  ${name.padEnd(9)} ${f.help}`)
  .join('\n')}
  每种设备都支持 --help / every family has --help`;

export async function simCommand(args: string[]): Promise<number> {
  const [family, ...rest] = args;
  if (!family || family === '--help' || family === '-h' || family === 'help') {
    process.stdout.write(`${SIM_USAGE}\n`);
    return family ? 0 : 2;
  }
  const entry = FAMILIES[family];
  if (!entry) throw new CliError(`未知的设备「${family}」\n\n${SIM_USAGE}`);
  let mod: { default: SimEntry };
  try {
    mod = await entry.load();
  } catch {
    throw new CliError(
      `「${family}」模拟器尚未提供：请用 govhall sim --help 查看可用的设备 / the ${family} simulator is not available`,
      1,
    );
  }
  return mod.default(rest);
}
