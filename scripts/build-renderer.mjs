#!/usr/bin/env node
// Builds the role UIs into dist/renderer with Vite. `--if-stale` skips the build when every output
// is newer than every source, so `govhall start` on a clean clone builds once and later starts are
// quick. A lock directory keeps parallel callers (test workers, govhall start) from building over each other.
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist', 'renderer');
const stamp = join(out, '.build-stamp');
const lock = join(root, 'dist', '.renderer-build.lock');

function newest(dir, keep) {
  let max = 0;
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
    if (e.isDirectory()) max = Math.max(max, newest(p, keep));
    else if (keep(p)) max = Math.max(max, statSync(p).mtimeMs);
  }
  return max;
}

const notTest = (p) => !/\.test\.tsx?$/.test(p);
/** What renderer/ may import from main/ (scripts/check-layers.mjs): shared types and the engine API. */
const sharedFromMain = (p) => /[\\/](types|engine-api)\.ts$/.test(p);

/**
 * The newest source that changes the bundle: renderer/ and common/ (tests aside), the shared types
 * of main/ the UIs import, and the lock file (a new React or Vite).
 */
export function sourcesMtime(dir = root) {
  let max = Math.max(newest(join(dir, 'renderer'), notTest), newest(join(dir, 'common'), notTest));
  max = Math.max(max, newest(join(dir, 'main'), sharedFromMain));
  try {
    max = Math.max(max, statSync(join(dir, 'package-lock.json')).mtimeMs);
  } catch {
    // optional
  }
  return max;
}

/**
 * Whether `dist/renderer` under `dir` must be (re)built: never built, or a source is newer than the
 * last build. `npm run build:renderer --if-stale`, `govhall start` and the UI tests all ask this.
 */
export function isStale(dir = root) {
  let built = 0;
  try {
    built = statSync(join(dir, 'dist', 'renderer', '.build-stamp')).mtimeMs;
  } catch {
    return true;
  }
  return sourcesMtime(dir) > built;
}

/** Whether `dir` is a checkout with the UI sources (an installed app ships the UIs built, without them). */
export function hasRendererSources(dir = root) {
  return existsSync(join(dir, 'renderer', 'vite.config.ts'));
}

/** This script's path, for callers that run the build in a child process. */
export const BUILD_SCRIPT = fileURLToPath(import.meta.url);

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function withLock(fn) {
  mkdirSync(dirname(lock), { recursive: true });
  for (let i = 0; i < 600; i++) {
    try {
      mkdirSync(lock);
      try {
        return await fn();
      } finally {
        rmSync(lock, { recursive: true, force: true });
      }
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
      // A lock older than 3 minutes belongs to a build that died.
      try {
        if (Date.now() - statSync(lock).mtimeMs > 180_000) rmSync(lock, { recursive: true, force: true });
      } catch {
        // gone already
      }
      await sleep(200);
    }
  }
  throw new Error('等待界面构建锁超时 / timed out waiting for the renderer build lock');
}

export async function buildRenderer({ ifStale = false, quiet = false } = {}) {
  if (ifStale && !isStale()) return false;
  return withLock(async () => {
    if (ifStale && !isStale()) return false; // someone else built it while we waited
    const { build } = await import('vite');
    const started = Date.now();
    // Vite takes NODE_ENV from the environment: built from inside vitest (NODE_ENV=test) it would ship
    // React's development build (3× larger, slower, warning in the console) and `npm start` would
    // keep serving it. The bundle is always a production build.
    const env = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      await build({
        configFile: join(root, 'renderer', 'vite.config.ts'),
        mode: 'production',
        logLevel: quiet ? 'error' : 'warn',
      });
      // The citizen's phone pages: their own small build, served on the public side (docs/phone.md).
      await build({
        configFile: join(root, 'renderer', 'phone.vite.config.ts'),
        mode: 'production',
        logLevel: quiet ? 'error' : 'warn',
      });
    } finally {
      if (env === undefined) delete process.env.NODE_ENV;
      else process.env.NODE_ENV = env;
    }
    writeFileSync(stamp, new Date().toISOString());
    if (!quiet) console.log(`界面已构建 / renderer built: dist/renderer (${Date.now() - started} ms)`);
    return true;
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const ifStale = process.argv.includes('--if-stale');
  buildRenderer({ ifStale }).then(
    (built) => {
      if (!built && ifStale) console.log('界面已是最新 / renderer up to date');
    },
    (e) => {
      console.error(`界面构建失败 / renderer build failed: ${e.message}`);
      process.exit(1);
    },
  );
}
