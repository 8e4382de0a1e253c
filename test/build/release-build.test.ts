/**
 * `npm run build` on a clean copy of the checkout (as CI builds from a fresh clone) and what ships
 * from it: the hub package runs its compiled JavaScript with plain Node (no tsx anywhere in the
 * process) and serves a hall; the compiled `govhall terminal` pairs with that hub, serves its local
 * pages and forwards a kiosk's ticket; the installers' `files` patterns and the shell bundles match
 * what the build produced.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHELL_ENTRIES } from '../../scripts/build-shell.mjs';
import { cleanCopy } from '../support/clean-copy.js';
import { call, tempDir } from '../support/hub-client.js';
import {
  cleanEnv,
  LOAD_RECORDER,
  runStaged,
  type StagedTerminal,
  stageHubPackage,
  startStagedHub,
  startStagedTerminal,
} from '../support/hub-package.js';
import { filesUnder, globToRegExp, loadBuilderConfig, productionPackages } from '../support/packaging.js';

const COMPILED = ['common', 'main', 'drivers', 'kiosk-config'];
/** Test tools that live beside the code and are left out of the build (tsconfig.build.json). */
const NOT_SHIPPED = [
  /\.test\.tsx?$/,
  /^drivers\/testing\//,
  /^main\/queue\/test-hall\.ts$/,
  /^main\/hall\/hub-child\.ts$/,
];

const stages: string[] = [];

/** Polls `probe` until it answers something (generous: a loaded 2-core machine). */
async function until<T>(probe: () => Promise<T | null>, tries = 200): Promise<T> {
  for (let i = 0; i < tries; i++) {
    const v = await probe().catch(() => null);
    if (v !== null) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('gave up waiting');
}
/** The clean copy the release is built in (its dist/ is the build output every test reads). */
let BUILD = '';

beforeAll(() => {
  BUILD = cleanCopy();
  stages.push(BUILD);
  expect(existsSync(join(BUILD, 'dist'))).toBe(false);
  // The real script, as a release is built; tsc and Vite on a busy 2-core machine take a while.
  const r = spawnSync('npm', ['run', 'build', '--silent'], { cwd: BUILD, encoding: 'utf8', env: cleanEnv() });
  if (r.status !== 0) throw new Error(`npm run build failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
}, 900_000);

afterAll(() => {
  for (const s of stages) rmSync(s, { recursive: true, force: true });
});

describe('npm run build', () => {
  it('compiles every source module to JavaScript under dist/ and leaves the tests and test tools out', () => {
    const sources = COMPILED.flatMap((dir) => filesUnder(join(BUILD, dir)).map((f) => `${dir}/${f}`)).filter(
      (f) => /\.ts$/.test(f) && !f.endsWith('.d.ts'),
    );
    const shipped = sources.filter((f) => !NOT_SHIPPED.some((re) => re.test(f)));
    expect(shipped.length).toBeGreaterThan(100);
    const missing = shipped.filter((f) => !existsSync(join(BUILD, 'dist', f.replace(/\.ts$/, '.js'))));
    expect(missing).toEqual([]);
    const emitted = COMPILED.flatMap((dir) => filesUnder(join(BUILD, 'dist', dir)).map((f) => `${dir}/${f}`));
    expect(emitted.filter((f) => /\.test\.js$/.test(f) || f.startsWith('drivers/testing/'))).toEqual([]);
    // ESM, with the relative .js imports kept as written.
    const cli = readFileSync(join(BUILD, 'dist/main/cli/main.js'), 'utf8');
    expect(cli).toContain("from './cli-error.js'");
    expect(cli).not.toMatch(/\brequire\(/);
  });

  it('bundles exactly the shell entries that exist, each requiring only what it can have at run time', () => {
    const deps = Object.keys(JSON.parse(readFileSync(join(BUILD, 'package.json'), 'utf8')).dependencies);
    const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
    /** What each bundle may require: the main process has the production dependencies and Node; the
     * sandboxed preload only `electron`; the fuse settings nothing beyond Node. */
    const allowed: Record<string, (m: string) => boolean> = {
      main: (m) => m === 'electron' || builtins.has(m) || deps.includes(m) || deps.some((d) => m.startsWith(`${d}/`)),
      preload: (m) => m === 'electron',
      fuses: (m) => builtins.has(m),
    };
    let checked = 0;
    for (const { name, entry, out } of SHELL_ENTRIES) {
      const bundle = join(BUILD, 'dist', 'shell', out);
      expect(existsSync(bundle), `${out} is built when ${entry} exists`).toBe(existsSync(join(BUILD, entry)));
      if (!existsSync(bundle)) continue;
      const required = [...readFileSync(bundle, 'utf8').matchAll(/\brequire\("([^"]+)"\)/g)].map((m) => m[1]!);
      expect(
        required.filter((m) => !allowed[name]!(m)),
        `${out} requires`,
      ).toEqual([]);
      checked++;
    }
    // The preload exists today, so at least one bundle is always checked.
    expect(checked).toBeGreaterThan(0);
  });
});

describe('the installed hub package (npm run dist:hub)', () => {
  let stage = '';
  beforeAll(() => {
    stage = stageHubPackage(BUILD);
    stages.push(stage);
  }, 300_000);

  it('holds the compiled code, the built UIs and the demo hall, and no TypeScript', () => {
    const files = filesUnder(stage, ['node_modules']);
    expect(files).toContain('bin/govhall.mjs');
    expect(files).toContain('dist/main/cli/main.js');
    expect(files).toContain('dist/renderer/kiosk/index.html');
    expect(files).toContain('kiosk-config/demo-hall.yaml');
    expect(files.filter((f) => /\.(ts|tsx|mts)$/.test(f))).toEqual([]);
    expect(files.filter((f) => f.startsWith('test/') || f.startsWith('renderer/') || f.startsWith('scripts/'))).toEqual(
      [],
    );
    // Its own package.json gives the version; the demo hall is found from the compiled code.
    expect(runStaged(stage, ['version']).out.trim()).toBe(
      `govhall ${JSON.parse(readFileSync(join(BUILD, 'package.json'), 'utf8')).version}`,
    );
    expect(runStaged(stage, ['config', 'check', join(stage, 'kiosk-config/demo-hall.yaml')]).code).toBe(0);
  });

  it('runs the hub and a terminal from compiled JavaScript without tsx: health, pairing, local pages, a ticket through the terminal, a call', async () => {
    const data = tempDir('govhall-hub-data-');
    const terminalData = tempDir('govhall-terminal-data-');
    const logs = tempDir('govhall-load-log-');
    stages.push(data, terminalData, logs);
    const hubLog = join(logs, 'hub.txt');
    const terminalLog = join(logs, 'terminal.txt');
    // A kiosk token from the installed command, as a technician would make one.
    const token = runStaged(stage, ['token', 'create', '--data', data, '--role', 'kiosk', '--name', '一楼取号机']);
    expect(token.code).toBe(0);
    const kiosk = token.out.trim();

    const hub = await startStagedHub(
      stage,
      ['--config', join(stage, 'kiosk-config/demo-hall.yaml'), '--data', data, '--port', '0'],
      {
        nodeArgs: ['--import', pathToFileURL(LOAD_RECORDER).href],
        env: cleanEnv({ GOVHALL_TEST_LOAD_LOG: hubLog }),
      },
    );
    let terminal: StagedTerminal | null = null;
    try {
      const health = await call(hub.url, 'GET', '/health');
      expect(health.status).toBe(200);
      // The built UIs come from dist/renderer of the package (DEFAULT_UI_ROOT in the compiled layout).
      const page = await fetch(`${hub.url}/kiosk/`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<div id="root">');

      const ticket = await call(hub.url, 'POST', '/tickets', kiosk, { serviceCode: 'ZHZX', channel: 'kiosk' });
      expect(ticket.status).toBe(201);
      const session = await call(hub.url, 'POST', '/staff/sessions', null, {
        staffNo: '8001',
        pin: '123456',
        windowNo: 1,
      });
      expect(session.status).toBe(201);
      const called = await call(hub.url, 'POST', '/windows/1/call-next', session.body.token);
      expect(called.status).toBe(200);
      expect(called.body).toMatchObject({ id: ticket.body.id, number: ticket.body.number, status: 'called' });

      // The terminal: a file with its id and hub, a pairing code the admin approves, then its own pages.
      writeFileSync(join(terminalData, 'terminal.yaml'), `terminal: { id: kiosk-1, hub: "${hub.url}" }\n`);
      terminal = await startStagedTerminal(stage, ['--data', terminalData, '--port', '0'], {
        nodeArgs: ['--import', pathToFileURL(LOAD_RECORDER).href],
        env: cleanEnv({ GOVHALL_TEST_LOAD_LOG: terminalLog }),
      });
      const admin = runStaged(stage, ['token', 'create', '--data', data, '--role', 'admin', '--name', '管理员']);
      expect(admin.code).toBe(0);
      const code = await terminal.line(/配对码 \/ pairing code: (\d{6})/);
      const approved = await call(hub.url, 'POST', '/admin/pairings/approve', admin.out.trim(), { code });
      expect(approved.status).toBe(200);
      expect(approved.body).toEqual({ terminalId: 'kiosk-1' });
      await terminal.line(/已配对 \/ paired/);
      const local = terminal.url;
      const state = await until(async () => {
        const r = await fetch(`${local}/terminal/state`);
        const body = (await r.json()) as { kind: string; pages?: string[] };
        return body.kind === 'running' ? body : null;
      });
      expect(state).toMatchObject({ kind: 'running', terminalId: 'kiosk-1', pages: ['/kiosk/?terminal=kiosk-1'] });
      const kioskPage = await fetch(`${local}/kiosk/?terminal=kiosk-1`);
      expect(kioskPage.status).toBe(200);
      expect(await kioskPage.text()).toContain('<div id="root">');
      // The page's calls go to its own origin; the terminal forwards them with its token.
      expect((await call(local, 'GET', '/health')).body).toMatchObject({ status: 'ok' });
      const viaTerminal = await call(local, 'POST', '/tickets', null, { serviceCode: 'ZHZX', channel: 'kiosk' });
      expect(viaTerminal.status).toBe(201);
      const next = await call(hub.url, 'POST', '/windows/1/call-next', session.body.token);
      expect(next.body).toMatchObject({ id: viaTerminal.body.id, status: 'called' });

      // Neither process was started through tsx, nor given Node options that could load it.
      for (const pid of [hub.child.pid!, terminal.child.pid!]) {
        const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
        expect(argv.join(' ')).not.toMatch(/tsx/);
        expect(argv).toContain(join(stage, 'bin', 'govhall.mjs'));
        const env = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
        expect(env.filter((e) => e.startsWith('NODE_OPTIONS=') || e.startsWith('TSX_'))).toEqual([]);
      }
    } finally {
      terminal?.child.kill('SIGTERM');
      hub.child.kill('SIGTERM');
    }
    expect(await hub.exited).toBe(0);
    if (terminal) expect(await terminal.exited).toBe(0);

    for (const [log, entry] of [
      [hubLog, 'dist/main/server/hub-server.js'],
      [terminalLog, 'dist/main/terminal/terminal-app.js'],
    ] as const) {
      const loaded = readFileSync(log, 'utf8').split('\n').filter(Boolean);
      const files = [...new Set(loaded.filter((u) => u.startsWith('file:')))];
      const modules = realpathSync(join(stage, 'node_modules'));
      expect(files).toContain(pathToFileURL(join(stage, 'dist/main/cli/main.js')).href);
      expect(files).toContain(pathToFileURL(join(stage, entry)).href);
      // Nothing of tsx (or of esbuild, which it drives), no TypeScript, and nothing from the checkout's sources.
      expect(files.filter((u) => /\/node_modules\/(tsx|esbuild|@esbuild)\//.test(u))).toEqual([]);
      expect(files.filter((u) => /\.(ts|tsx|mts|cts)$/.test(u))).toEqual([]);
      const outside = files.filter(
        (u) =>
          !u.startsWith(pathToFileURL(`${stage}/`).href) &&
          !u.startsWith(pathToFileURL(`${modules}/`).href) &&
          u !== pathToFileURL(LOAD_RECORDER).href,
      );
      expect(outside).toEqual([]);
    }
  }, 300_000);
});

describe('electron-builder.yml against the build output', () => {
  it('has every files pattern match something, and the main entry exists once the shell has one', () => {
    const config = loadBuilderConfig();
    const output = filesUnder(BUILD, ['node_modules', '.git', 'dist/installers']);
    const patterns = (config.files as string[]).map((p) => ({ p, re: globToRegExp(p.replace(/^!/, '')) }));
    const unmatched = patterns.filter(({ re }) => !output.some((f) => re.test(f))).map(({ p }) => p);
    expect(unmatched).toEqual([]);
    // The packed app: what the positive patterns take minus the negated ones.
    const packed = output.filter(
      (f) =>
        patterns.some(({ p, re }) => !p.startsWith('!') && re.test(f)) &&
        !patterns.some(({ p, re }) => p.startsWith('!') && re.test(f)),
    );
    expect(packed).toContain('dist/renderer/kiosk/index.html');
    expect(packed).toContain('kiosk-config/demo-hall.yaml');
    expect(packed).toContain('dist/shell/preload.cjs');
    const main = config.extraMetadata.main as string;
    const shellMain = SHELL_ENTRIES.find((e) => e.name === 'main')!;
    expect(main).toBe(`dist/shell/${shellMain.out}`);
    expect(packed.includes(main)).toBe(existsSync(join(BUILD, shellMain.entry)));
    // What it packs from node_modules (production dependencies) includes the native modules it unpacks.
    const production = productionPackages();
    for (const name of ['better-sqlite3', '@serialport/bindings-cpp', 'node-hid']) expect(production).toContain(name);
  });
});
