/** What every benchmark module shares: the row it reports and the statistics it reports with. */
import { pathToFileURL } from 'node:url';

/** One line of the benchmark table, as printed and as stored in bench-results/*.json. */
export interface BenchRow {
  /** Stable key: the docs quote a row by it, so it survives rewording the name. */
  id: string;
  name: string;
  value: string;
  baseline: string;
  ratio: string;
  goal: string;
  /** null: recorded only, no goal. */
  pass: boolean | null;
}

export interface BenchOptions {
  quick: boolean;
  progress: (message: string) => void;
}

/** The `p`th percentile by nearest rank (p99 of 100 samples is the 99th smallest). */
export function percentile(xs: readonly number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? 0;
}

export const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
};

/** Runs a benchmark module on its own (`node --import tsx test/bench/<name>.ts [--quick]`) and prints its rows. */
export async function runAlone(bench: (opts: BenchOptions) => Promise<BenchRow[]> | BenchRow[]): Promise<void> {
  const rows = await bench({
    quick: process.argv.includes('--quick'),
    progress: (m) => process.stderr.write(`  … ${m}\n`),
  });
  for (const r of rows) console.log(`${r.name}: ${r.value}（基线 ${r.baseline}，比值 ${r.ratio}，目标 ${r.goal}）`);
}

/** True when `moduleUrl` is the script node was started with. */
export const isMain = (moduleUrl: string): boolean =>
  !!process.argv[1] && moduleUrl === pathToFileURL(process.argv[1]).href;
