#!/usr/bin/env node
// `npm run dist:hub` (after `npm run build`): the hub package, dist/installers/govhall-<version>.tgz.
// Its contents are package.json "files": bin/, the compiled code, the built UIs, the demo hall, the
// hub's service files and docs/deployment.md; no sources, no tests. Installed with
// `npm install --omit=dev govhall-<version>.tgz`, bin/govhall.mjs runs the compiled code with plain Node.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist', 'installers');

if (!existsSync(join(root, 'dist', 'main', 'cli', 'main.js'))) {
  console.error('错误 NOT_BUILT：dist/ 中没有编译结果，请先运行 npm run build / run npm run build first');
  process.exit(1);
}
mkdirSync(out, { recursive: true });
const r = spawnSync('npm', ['pack', '--pack-destination', out], {
  cwd: root,
  stdio: ['ignore', 'pipe', 'inherit'],
  encoding: 'utf8',
  // npm lists every file as a notice; the one line that matters is printed below.
  env: { ...process.env, npm_config_loglevel: 'warn' },
});
if (r.status !== 0) process.exit(r.status ?? 1);
const file = r.stdout.trim().split('\n').at(-1);
console.log(`中枢包 / hub package: dist/installers/${file}`);
console.log('安装见 docs/deployment.md 第 4 节 / install: see docs/deployment.md, section 4');
