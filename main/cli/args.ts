/** Flag parsing on node:util with Chinese messages for every mistake a person can make. */
import { parseArgs } from 'node:util';
import { CliError } from './cli-error.js';

export type FlagSpec = Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: false }>;

export function parseFlags<S extends FlagSpec>(
  args: string[],
  spec: S,
  usage: string,
): { values: { [K in keyof S]?: S[K]['type'] extends 'string' ? string : boolean }; positionals: string[] } {
  try {
    const { values, positionals } = parseArgs({
      args,
      options: { ...spec, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
    if ((values as { help?: boolean }).help) throw new CliError(usage, 0);
    return { values: values as never, positionals };
  } catch (err) {
    if (err instanceof CliError) throw err;
    const e = err as { code?: string; message: string };
    const flag = /'(-{1,2}[^']+)'/.exec(e.message)?.[1] ?? '';
    const msg =
      e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION'
        ? `未知选项 ${flag}`
        : e.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE'
          ? `选项 ${flag} 需要一个值`
          : `参数有误：${e.message}`;
    throw new CliError(`${msg}\n\n${usage}`);
  }
}

export function requireFlag(value: string | undefined, flag: string, usage: string): string {
  if (value === undefined || value === '') throw new CliError(`缺少必需的选项 --${flag}\n\n${usage}`);
  return value;
}

export function intFlag(value: string | undefined, flag: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new CliError(`选项 --${flag} 应为 ${min} 到 ${max} 之间的整数，收到「${value}」`);
  }
  return Number(value);
}
