/**
 * `govhall updates [--data DIR] [--json]` and `govhall updates stage PERCENT [--data DIR]`: what the
 * hub's `updates/` folder offers the terminals (each latest*.yml: version, stage, files present or
 * missing) and the staged rollout (docs/deployment.md 7.2–7.3).
 */
import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { intFlag, parseFlags } from './args.js';
import { CliError } from './cli-error.js';
import { defaultDataDir } from './data-dir.js';
import { describeChannel, isChannelFile, withStaging } from './update-releases.js';

const USAGE = `用法 / usage:
  govhall updates [--data DIR] [--json]
      列出中枢 updates/ 文件夹提供给终端的版本：每个 latest*.yml 的版本、分批比例、安装包是否都在
      list what the hub's updates/ folder offers the terminals
  govhall updates stage PERCENT [--data DIR]
      只向约 PERCENT% 的终端提供（写入每个 latest*.yml 的 stagingPercentage；100 为全部，删去这一行）
      offer the release to PERCENT% of the terminals (100: all)`;

export async function updatesCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseFlags(args, { data: { type: 'string' }, json: { type: 'boolean' } }, USAGE);
  const dir = join(values.data ?? defaultDataDir(), 'updates');
  if (!existsSync(dir))
    throw new CliError(`没有更新文件夹 ${dir}：中枢启动后会建好它；请用 --data 指定中枢的数据目录\n\n${USAGE}`);
  const names = readdirSync(dir);
  const channels = names.filter(isChannelFile).sort();
  const [sub, arg, ...extra] = positionals;

  if (sub === 'stage') {
    const percent = intFlag(arg, 'PERCENT', 1, 100);
    if (percent === undefined || extra.length) throw new CliError(USAGE);
    if (!channels.length) throw new CliError(`${dir} 中没有 latest*.yml：请先放入发行文件`);
    for (const file of channels) {
      const path = join(dir, file);
      // Aside and renamed: a terminal reading it meanwhile gets the old file or the new one.
      writeFileSync(`${path}.tmp`, withStaging(readFileSync(path, 'utf8'), percent));
      renameSync(`${path}.tmp`, path);
    }
    process.stdout.write(
      `${percent === 100 ? '已向全部终端提供' : `已只向约 ${percent}% 的终端提供`}：${channels.join('、')}\n`,
    );
    return 0;
  }
  if (sub !== undefined) throw new CliError(USAGE);

  const present = new Set(names);
  const described = channels.map((f) => describeChannel(f, readFileSync(join(dir, f), 'utf8'), present));
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ dir, channels: described }, null, 2)}\n`);
  } else {
    const out = [`更新文件夹 / updates folder: ${dir}`];
    if (!described.length) out.push('没有 latest*.yml：终端没有可用的更新 / nothing offered');
    for (const c of described) {
      const stage = c.stagingPercentage === null ? '全部终端' : `约 ${c.stagingPercentage}% 的终端`;
      out.push(`${c.file}: 版本 ${c.version ?? '?'}，提供给${stage}`);
      for (const f of c.files) out.push(`  ${f.present ? '✓' : '✗'} ${f.name}`);
      for (const p of c.problems) out.push(`  问题：${p}`);
    }
    process.stdout.write(`${out.join('\n')}\n`);
  }
  return described.some((c) => c.problems.length) ? 1 : 0;
}
