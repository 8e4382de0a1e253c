#!/usr/bin/env node
// Builds the role UIs into dist/renderer with Vite. `--if-stale` skips the build when every output
// is newer than every source, so `npm start` on a clean clone builds once and later starts are quick.
// A lock directory keeps parallel callers (test workers, prestart) from building over each other.
import { mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist', 'renderer');
const stamp = join(out, '.build-stamp');
const lock = join(root, 'dist', '.renderer-build.lock');

/** Newest modification time of the files below `dir` that `keep` accepts (tests never count). */
function newest(dir, keep = () => true) {
  let max = 0;
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.name === 'node_modules' || /\.test\.tsx?$/.test(e.name)) continue;
    if (e.isDirectory()) max = Math.max(max, newest(p, keep));
    else if (keep(p)) max = Math.max(max, statSync(p).mtimeMs);
  }
  return max;
}

/**
 * Sources that change the bundle: renderer/ (with the page template), the shared layer common/,
 * the `types.ts` files of main/ it may import, and the lock file.
 */
function sourcesMtime() {
  let lockMtime = 0;
  try {
    lockMtime = statSync(join(root, 'package-lock.json')).mtimeMs;
  } catch {
    // optional
  }
  return Math.max(
    lockMtime,
    newest(join(root, 'renderer')),
    newest(join(root, 'common')),
    newest(join(root, 'main'), (p) => p.endsWith(`${sep}types.ts`)),
  );
}

export function isStale() {
  let built = 0;
  try {
    built = statSync(stamp).mtimeMs;
  } catch {
    return true;
  }
  return sourcesMtime() > built;
}

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
