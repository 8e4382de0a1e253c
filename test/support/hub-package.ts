/**
 * The hub package as it is installed on a hall's server: exactly the files `npm pack` puts in the
 * tarball of `npm run dist:hub` (package.json "files"), copied into a temp folder with the checkout's
 * node_modules beside them. Running bin/govhall.mjs from there is running the installed hub: compiled
 * JavaScript, no sources to fall back on. The node_modules still hold tsx, so a test can show that
 * nothing loads it rather than that it is missing.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, realpathSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { tempDir } from './hub-client.js';
import { REPO } from './packaging.js';

export { REPO };

export const LOAD_RECORDER = fileURLToPath(new URL('./load-recorder.mjs', import.meta.url));

/** The files `npm pack` would put in the hub package (paths relative to the repository). */
export function packedFiles(root = REPO): string[] {
  const r = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: root,
    encoding: 'utf8',
    // npm prints its notices on stderr; only the JSON on stdout matters.
    env: { ...process.env, npm_config_loglevel: 'error' },
  });
  if (r.status !== 0) throw new Error(`npm pack --dry-run failed (${r.status}): ${r.stderr}`);
  const [pack] = JSON.parse(r.stdout) as { files: { path: string }[] }[];
  return pack!.files.map((f) => f.path);
}

/** Copies the packed files to a new temp folder, links node_modules, returns the folder (real path). */
export function stageHubPackage(root = REPO): string {
  const dest = realpathSync(tempDir('govhall-hub-package-'));
  for (const file of packedFiles(root)) {
    mkdirSync(dirname(join(dest, file)), { recursive: true });
    copyFileSync(join(root, file), join(dest, file));
  }
  symlinkSync(realpathSync(join(root, 'node_modules')), join(dest, 'node_modules'), 'dir');
  return dest;
}

/** The environment of an installed hub: none of the test runner's Node options or loaders. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  for (const key of Object.keys(env)) if (key === 'NODE_OPTIONS' || key.startsWith('TSX_')) delete env[key];
  return env;
}

/** Runs the staged `govhall` to completion. */
export function runStaged(stage: string, args: string[], env = cleanEnv()) {
  const r = spawnSync(process.execPath, [join(stage, 'bin', 'govhall.mjs'), ...args], { encoding: 'utf8', env });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

export interface StagedHub {
  child: ChildProcess;
  url: string;
  exited: Promise<number | null>;
  output: () => string;
}

/**
 * Starts `govhall hub` from the staged package and resolves once it prints its address. `nodeArgs`
 * go before the script (e.g. `--import` of the load recorder).
 */
export function startStagedHub(
  stage: string,
  hubArgs: string[],
  opts: { nodeArgs?: string[]; env?: NodeJS.ProcessEnv } = {},
): Promise<StagedHub> {
  return startGovhallHub(join(stage, 'bin', 'govhall.mjs'), hubArgs, opts);
}

/** Starts `govhall hub` from the launcher `bin` and resolves once it prints its address. */
export function startGovhallHub(
  bin: string,
  hubArgs: string[],
  opts: { nodeArgs?: string[]; env?: NodeJS.ProcessEnv } = {},
): Promise<StagedHub> {
  const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), bin, 'hub', ...hubArgs], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: opts.env ?? cleanEnv(),
  });
  let text = '';
  child.stderr!.on('data', (c) => {
    text += c.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      text += `${line}\n`;
      const url = /中枢 \/ hub:\s+(http:\/\/\S+)\/api\/v1/.exec(line)?.[1];
      if (url) resolve({ child, url, exited, output: () => text });
    });
    void exited.then((code) => reject(new Error(`govhall hub exited ${code}:\n${text}`)));
  });
}

export interface StagedTerminal {
  child: ChildProcess;
  /** The terminal's local origin, `http://127.0.0.1:PORT`. */
  url: string;
  exited: Promise<number | null>;
  /** Resolves with the first group of the first output line (so far or to come) matching `re`. */
  line(re: RegExp): Promise<string>;
  output: () => string;
}

/** Starts `govhall terminal` from the staged package and resolves once it prints its local origin. */
export function startStagedTerminal(
  stage: string,
  terminalArgs: string[],
  opts: { nodeArgs?: string[]; env?: NodeJS.ProcessEnv } = {},
): Promise<StagedTerminal> {
  const child = spawn(
    process.execPath,
    [...(opts.nodeArgs ?? []), join(stage, 'bin', 'govhall.mjs'), 'terminal', ...terminalArgs],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: opts.env ?? cleanEnv(),
    },
  );
  const lines: string[] = [];
  const waiters = new Set<{ re: RegExp; resolve: (v: string) => void }>();
  let stderr = '';
  child.stderr!.on('data', (c) => {
    stderr += c.toString();
  });
  const output = () => `${lines.join('\n')}\n${stderr}`;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const line = (re: RegExp) =>
    new Promise<string>((resolve, reject) => {
      for (const l of lines) {
        const m = re.exec(l);
        if (m) return resolve(m[1] ?? m[0]);
      }
      const w = { re, resolve };
      waiters.add(w);
      void exited.then((code) => {
        if (waiters.delete(w)) reject(new Error(`govhall terminal exited ${code} before ${re}:\n${output()}`));
      });
    });
  createInterface({ input: child.stdout! }).on('line', (l) => {
    lines.push(l);
    for (const w of [...waiters]) {
      const m = w.re.exec(l);
      if (m) {
        waiters.delete(w);
        w.resolve(m[1] ?? m[0]);
      }
    }
  });
  return line(/本地页面 \/ local origin: (http:\/\/127\.0\.0\.1:\d+)\//).then((url) => ({
    child,
    url,
    exited,
    line,
    output,
  }));
}
