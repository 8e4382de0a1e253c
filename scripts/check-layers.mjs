#!/usr/bin/env node
// Enforces the "may import" rules of docs/architecture.md by reading every import in the tree.
// A layer rule that only lives in review is broken by the first hurried change, so CI runs this.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

const root = resolve(process.argv[2] ?? join(dirname(new URL(import.meta.url).pathname), '..'));
const roots = ['main', 'drivers', 'kiosk-config', 'renderer', 'test', 'scripts', 'bin'];
const exts = /\.(ts|tsx|mts|js|mjs|vue)$/;
const importRe =
  /(?:import|export)\s[^'"`;]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|import\s+['"]([^'"]+)['"]/g;

function* walk(dir) {
  let entries;
  try {
    entries = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of entries) {
    if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* walk(p);
    else if (exts.test(name)) yield p;
  }
}

const posix = (p) => p.split(sep).join('/');
const area = (rel) => {
  const parts = rel.split('/');
  return parts[0] === 'main' ? `main/${parts[1]}` : parts[0];
};
const isTest = (rel) => /\.test\.tsx?$/.test(rel) || rel.startsWith('test/');

/** Returns a Chinese reason when `from` (a file) may not import `target` (a repo path or package). */
function violation(from, target, isPackage) {
  const a = area(from);
  if (isPackage) {
    if (target === 'electron' && a !== 'main/shell' && !isTest(from)) return '只有 main/shell/ 可以引用 electron';
    if (a.startsWith('drivers') && /^(better-sqlite3|electron)$/.test(target))
      return 'drivers/ 不得使用数据库或 Electron';
    if (
      (a === 'main/queue' || a === 'main/cases') &&
      !isTest(from) &&
      /^(better-sqlite3|node:(fs|http|net)|fs|http|net|ws)$/.test(target)
    ) {
      return `${a} 是纯领域逻辑，不得直接做 I/O（${target}）`;
    }
    return null;
  }
  const t = area(target);
  if (from.startsWith('kiosk-config/') && /^(main|drivers|renderer)/.test(t))
    return 'kiosk-config/ 不得引用项目其他目录';
  if (from.startsWith('drivers/') && /^(main|renderer)/.test(t)) return 'drivers/ 不得引用 main/ 或 renderer/';
  if (from.startsWith('renderer/')) {
    if (t.startsWith('main') && !/\/(types|engine-api)\.(ts|js)$/.test(target))
      return 'renderer/ 只能引用 main/ 的共享类型（types.ts）';
    if (t === 'drivers') return 'renderer/ 不得引用 drivers/';
  }
  if (from.startsWith('main/') && !isTest(from)) {
    if (t === 'renderer') return 'main/ 不得引用 renderer/';
    const inner = !['main/shell', 'main/server', 'main/cli', 'main/hall'].includes(a);
    if (inner && ['main/shell', 'main/server', 'main/cli', 'main/hall'].includes(t))
      return `内层模块 ${a} 不得引用 ${t}`;
    if ((a === 'main/server' || a === 'main/hall') && (t === 'main/cli' || t === 'main/shell'))
      return `${a} 不得引用 ${t}`;
    if ((a === 'main/queue' || a === 'main/cases') && t === 'main/store')
      return `${a} 通过仓储接口访问存储，不得直接引用 main/store`;
  }
  return null;
}

const problems = [];
let files = 0;
for (const r of roots) {
  for (const file of walk(join(root, r))) {
    files++;
    const rel = posix(relative(root, file));
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(importRe)) {
      const spec = m[1] ?? m[2] ?? m[3];
      const line = text.slice(0, m.index).split('\n').length;
      let reason;
      if (spec.startsWith('.')) {
        const target = posix(relative(root, resolve(dirname(file), spec)));
        if (target.startsWith('..')) reason = '引用了仓库之外的文件';
        else reason = violation(rel, target, false);
      } else {
        reason = violation(
          rel,
          spec
            .split('/')
            .slice(0, spec.startsWith('@') ? 2 : 1)
            .join('/'),
          true,
        );
      }
      if (reason) problems.push(`${rel}:${line} 引用 ${spec}：${reason}`);
    }
  }
}
if (problems.length) {
  console.error(`分层检查失败（${problems.length} 处）/ layer check failed:`);
  for (const p of problems) console.error(`  ${p}`);
  process.exit(1);
}
console.log(`分层检查通过：${files} 个文件 / layer check ok: ${files} files`);
