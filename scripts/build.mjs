#!/usr/bin/env node
// `npm run build`: everything a release needs under dist/.
//   dist/{common,main,drivers,kiosk-config}/  tsc output (ESM JavaScript, no tests), run by bin/govhall.mjs
//                                            in an installed hub package and by `node dist/main/cli/main.js`
//   dist/renderer/                            the role UIs (scripts/build-renderer.mjs, skipped when fresh)
//   dist/shell/main.cjs, preload.cjs          the Electron shell bundles (scripts/build-shell.mjs)
// The compiled code reads its run-time files (package.json, kiosk-config/*.yaml, dist/renderer/) from
// the app root (common/app-root.ts), so nothing is copied: each distribution ships those files beside
// dist/ (package.json "files" for the hub package, electron-builder.yml "files" for the installers).
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildRenderer } from './build-renderer.mjs';
import { buildShell } from './build-shell.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The folders tsc compiles; each is emptied first so a deleted source leaves no stale module behind. */
const COMPILED_FOLDERS = ['common', 'main', 'drivers', 'kiosk-config'];

function run(cmd, args) {
  return new Promise((ok, fail) => {
    const child = spawn(cmd, args, { cwd: root, stdio: 'inherit' });
    child.once('error', fail);
    child.once('exit', (code) => (code === 0 ? ok() : fail(new Error(`${args.join(' ')} 退出码 ${code}`))));
  });
}

async function compileMain() {
  for (const f of COMPILED_FOLDERS) rmSync(join(root, 'dist', f), { recursive: true, force: true });
  const tsc = join(dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin', 'tsc');
  await run(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')]);
}

async function build() {
  const started = Date.now();
  await compileMain();
  console.log(`已编译 / compiled: dist/{${COMPILED_FOLDERS.join(',')}}`);
  if (!(await buildRenderer({ ifStale: true }))) console.log('界面已是最新 / renderer up to date');
  await buildShell();
  console.log(`构建完成 / build done (${Date.now() - started} ms)`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  build().catch((e) => {
    console.error(`构建失败 / build failed: ${e.message}`);
    process.exit(1);
  });
}
