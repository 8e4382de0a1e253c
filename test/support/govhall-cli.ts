/**
 * The `govhall` command as a person runs it, for the CLI suites: the real bin/govhall.mjs in a child
 * process. Long-running commands (the simulators) are stopped after the test.
 */
import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from 'node:child_process';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { Cleanups } from '../../drivers/testing/cleanups.js';
import { waitFor } from '../../drivers/testing/wait-for.js';

export const GOVHALL_BIN = fileURLToPath(new URL('../../bin/govhall.mjs', import.meta.url));

export interface CliRun {
  code: number | null;
  out: string;
  err: string;
}

/** Everything a child has written to stdout and stderr so far. */
function collect(child: { stdout: Readable; stderr: Readable }): () => { out: string; err: string } {
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr.on('data', (d: Buffer) => {
    err += d.toString();
  });
  return () => ({ out, err });
}

/** A command still running after this long is killed (its test then fails on the exit code). */
const KILL_AFTER_MS = 60_000;

/**
 * Runs `govhall …` to its end without blocking this process, so a simulator or hub running here
 * can answer it.
 */
export function govhall(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [GOVHALL_BIN, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...env },
    });
    const text = collect(child);
    const timer = setTimeout(() => child.kill('SIGKILL'), KILL_AFTER_MS);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, ...text() });
    });
  });
}

/** Runs `govhall …` synchronously, with `input` on stdin: for commands that need nothing in this process. */
export function govhallSync(args: string[], opts: { input?: string; env?: Record<string, string> } = {}): CliRun {
  const r = spawnSync(process.execPath, [GOVHALL_BIN, ...args], {
    encoding: 'utf8',
    input: opts.input,
    env: { ...process.env, ...opts.env },
    timeout: KILL_AFTER_MS,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/**
 * Starts a long-running `govhall …` (a simulator), stopped with SIGTERM after the test. `said(re)`
 * waits for its output to match and returns the match.
 */
export function startGovhall(cleanups: Cleanups, args: string[]) {
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, [GOVHALL_BIN, ...args], { stdio: 'pipe' });
  const text = collect(child);
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  cleanups.push(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
  });
  return {
    child,
    exited,
    output: () => text().out,
    /** Waits until the output from `from` on matches `re`; fails at once if the command ended. */
    said: (re: RegExp, from = 0) =>
      waitFor(`govhall ${args.join(' ')} to print ${re}`, () => {
        const { out, err } = text();
        const m = re.exec(out.slice(from));
        if (m) return m;
        if (child.exitCode !== null)
          throw new Error(`govhall ${args.join(' ')} exited ${child.exitCode}: ${out}${err}`);
        return null;
      }),
  };
}
