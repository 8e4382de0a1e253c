/**
 * The record of one `npm run bench`: its rows plus the facts needed to judge them later (machine,
 * Node, git commit, how loaded the machine was while it ran). A full run is written to
 * `bench-results/<UTC stamp>.json` and copied to `bench-results/latest.json`, both committed, so
 * every figure the docs quote has a file behind it. A `--quick` run is a smoke test, not a result:
 * it goes to `bench-results/quick/` (git-ignored) and leaves latest.json alone; so does a partial
 * run (`--only`), to `bench-results/partial/`, so that latest.json always holds one whole run.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchRow } from './bench-kit.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const RESULTS_DIR = 'bench-results';
export const LATEST = `${RESULTS_DIR}/latest.json`;

export interface LoadFacts {
  /** 1-minute load average when the run started and ended, and the highest and mean seen in between. */
  start1m: number;
  end1m: number;
  max1m: number;
  mean1m: number;
  samples: number;
}

export interface BenchRun {
  /** When the run finished (ISO, UTC). */
  at: string;
  /** This run's own file; latest.json is a copy of it. */
  file: string;
  quick: boolean;
  /** Only some groups were run (`--only`): not a result for the docs. */
  partial?: boolean;
  /** Parts left out by flags (`ui` for --no-ui, `soak` without --soak). */
  skipped: string[];
  durationS: number;
  /** What the person running it said about the circumstances (`--note`), e.g. a shared, busy machine. */
  note: string | null;
  machine: { cpus: number; cpuModel: string; memoryGiB: number; os: string; arch: string; node: string };
  load: LoadFacts;
  git: { commit: string | null; dirty: boolean | null };
  rows: BenchRow[];
}

/** `2026-12-03T22:30:05.123Z` → `2026-12-03T2230Z` (one file per minute). */
export const stampOf = (iso: string): string => `${iso.slice(0, 10)}T${iso.slice(11, 13)}${iso.slice(14, 16)}Z`;

/** Samples the 1-minute load average every few seconds while the benchmarks run. */
export function sampleLoad(everyMs = 5000): { stop(): LoadFacts } {
  const xs = [loadavg()[0]!];
  const timer = setInterval(() => xs.push(loadavg()[0]!), everyMs);
  timer.unref();
  const round = (x: number) => Math.round(x * 100) / 100;
  return {
    stop() {
      clearInterval(timer);
      xs.push(loadavg()[0]!);
      return {
        start1m: round(xs[0]!),
        end1m: round(xs[xs.length - 1]!),
        max1m: round(Math.max(...xs)),
        mean1m: round(xs.reduce((a, b) => a + b, 0) / xs.length),
        samples: xs.length,
      };
    },
  };
}

export function machineFacts(): BenchRun['machine'] {
  const list = cpus();
  return {
    cpus: list.length,
    cpuModel: list[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    os: `${process.platform} ${release()}`,
    arch: process.arch,
    node: process.version,
  };
}

/** The commit the benchmark code ran at, and whether tracked files differed from it. */
export function gitFacts(root = ROOT): BenchRun['git'] {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim();
  try {
    return { commit: git('rev-parse', 'HEAD'), dirty: git('status', '--porcelain', '--untracked-files=no') !== '' };
  } catch {
    return { commit: null, dirty: null };
  }
}

/** Writes the run's files; returns the paths written, relative to `root`. */
export function writeRun(run: Omit<BenchRun, 'file'>, root = ROOT): { run: BenchRun; written: string[] } {
  const scratch = run.quick ? 'quick' : run.partial ? 'partial' : null;
  const dir = scratch ? `${RESULTS_DIR}/${scratch}` : RESULTS_DIR;
  const { at, ...rest } = run;
  const full: BenchRun = { at, file: `${dir}/${stampOf(at)}.json`, ...rest };
  const text = `${JSON.stringify(full, null, 2)}\n`;
  mkdirSync(join(root, dir), { recursive: true });
  const written = scratch ? [full.file] : [full.file, LATEST];
  for (const f of written) writeFileSync(join(root, f), text);
  return { run: full, written };
}
