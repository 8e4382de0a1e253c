import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../support/hub-client.js';
import { BENCH_DOC, benchDocProblems, renderResults, writeBenchDoc } from './bench-docs.js';
import { type BenchRun, LATEST } from './bench-results.js';

describe('docs/benchmarks.md and the committed results', () => {
  it('quotes exactly what bench-results/latest.json holds', () => {
    expect(benchDocProblems()).toEqual([]);
  });
});

const RUN: BenchRun = {
  at: '2026-12-03T22:30:05.000Z',
  file: 'bench-results/2026-12-03T2230Z.json',
  quick: false,
  skipped: [],
  durationS: 300,
  note: '共享机器',
  machine: { cpus: 2, cpuModel: 'cpu', memoryGiB: 8, os: 'linux', arch: 'x64', node: 'v20.20.2' },
  load: { start1m: 1, end1m: 2, max1m: 3, mean1m: 2, samples: 60 },
  git: { commit: '0123456789abcdef0123456789abcdef01234567', dirty: false },
  rows: [
    { id: 'a', name: '甲', value: '12 ms', baseline: '10 ms', ratio: '1.20', goal: '< 20 ms', pass: true },
    { id: 'b', name: '乙 | 丙', value: '5 MB', baseline: '4 MB', ratio: '1.25', goal: '仅记录', pass: null },
  ],
};

const roots: string[] = [];
afterAll(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

/** A checkout in a temp folder: the results of RUN, and docs/benchmarks.md around `prose`. */
function checkout(prose: string, run: BenchRun = RUN): string {
  const root = tempDir('govhall-bench-docs-');
  roots.push(root);
  mkdirSync(join(root, 'bench-results'));
  mkdirSync(join(root, 'docs'));
  const text = `${JSON.stringify(run, null, 2)}\n`;
  writeFileSync(join(root, run.file), text);
  writeFileSync(join(root, LATEST), text);
  writeFileSync(join(root, 'README.md'), '# hall\n');
  writeFileSync(join(root, BENCH_DOC), `# 基准\n\n${prose}\n\n${renderResults(run)}\n`);
  return root;
}

describe('benchDocProblems', () => {
  it('accepts a page whose table is rendered from latest.json and whose prose quotes goals only', () => {
    expect(benchDocProblems(checkout('出票 p99 目标 < 20 ms，见 `a` 行。'))).toEqual([]);
  });

  it('finds a figure changed in the table, and rewriting the table fixes it', () => {
    const root = checkout('');
    writeFileSync(
      join(root, BENCH_DOC),
      `# 基准\n\n${renderResults({ ...RUN, rows: [{ ...RUN.rows[0]!, value: '11 ms' }, RUN.rows[1]!] })}\n`,
    );
    expect(benchDocProblems(root).join()).toContain('结果表与 bench-results/latest.json 不符');
    writeBenchDoc(root);
    expect(benchDocProblems(root)).toEqual([]);
  });

  it('finds measured figures outside the generated table', () => {
    const problems = benchDocProblems(checkout('出票约 12 ms，空闲 110 MB，比值 1.01×。'));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('12 ms、110 MB、1.01×');
  });

  it('finds a latest.json that is not the copy of the run file it names, or a missing referenced file', () => {
    const root = checkout('');
    writeFileSync(join(root, RUN.file), '{}\n');
    writeFileSync(join(root, 'docs', 'other.md'), '见 bench-results/2026-01-01T0000Z.json\n');
    const problems = benchDocProblems(root).join('\n');
    expect(problems).toContain('内容不同');
    expect(problems).toContain('docs/other.md 引用的 bench-results/2026-01-01T0000Z.json 不存在');
  });

  it('refuses results of a partial run', () => {
    expect(benchDocProblems(checkout('', { ...RUN, partial: true })).join()).toContain('部分运行');
  });

  it('refuses results of a quick run', () => {
    expect(benchDocProblems(checkout('', { ...RUN, quick: true })).join()).toContain('快速模式');
  });
});
