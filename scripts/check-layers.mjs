#!/usr/bin/env node
// Enforces the "may import" table of docs/architecture.md by reading every import in the tree.
// A layer rule that only lives in review is broken by the first hurried change, so CI runs this.
//
// The rules are data (LAYERS, PACKAGE_RULES) and one generic loop judges every import against them,
// as VS Code's code-layering check does: a file belongs to the row whose folder is the longest
// prefix of its path, and each import must name a folder on that row's list. test/layers checks
// that the tables below and the ones in docs/architecture.md say the same thing.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const PURE = ['common', 'main/queue', 'main/cases', 'main/time', 'main/crypto', 'main/appointments'];
const INNER = ['main/queue', 'main/cases', 'main/time', 'main/crypto', 'main/log'];
const BASE = ['common', 'kiosk-config'];

/**
 * One row per folder, in the order of the table in docs/architecture.md. `*` stands for any one
 * folder name (`drivers/*` is each device family). A list entry covers that folder and everything
 * under it; `*` alone covers everything.
 *  - mayImport: folders whose code may be imported.
 *  - mayImportTypes: folders that may be imported with `import type` / `export type` only.
 *  - onlyForTests: only test files may import this folder.
 *  - testsMayNotImport: folders that even this folder's tests may not import (tests import anything else).
 */
export const LAYERS = [
  { folder: 'common', mayImport: [] },
  { folder: 'kiosk-config', mayImport: ['common'] },
  { folder: 'drivers/transport', mayImport: ['common'], testsMayNotImport: ['test'] },
  { folder: 'drivers/*', mayImport: ['drivers/transport', 'common'], testsMayNotImport: ['test'] },
  { folder: 'drivers/testing', mayImport: ['drivers', 'common'], onlyForTests: true, testsMayNotImport: ['test'] },
  { folder: 'main/time', mayImport: ['common'] },
  { folder: 'main/log', mayImport: ['common', 'main/time'] },
  { folder: 'main/crypto', mayImport: ['common'] },
  { folder: 'main/queue', mayImport: [...BASE, 'main/time'] },
  { folder: 'main/cases', mayImport: [...BASE, 'main/time'] },
  { folder: 'main/appointments', mayImport: [...BASE, 'main/time'] },
  { folder: 'main/store', mayImport: [...BASE, ...INNER, 'main/appointments'] },
  {
    folder: 'main/sync',
    mayImport: [...BASE, 'main/crypto', 'main/store', 'main/cases', 'main/time', 'main/log', 'main/appointments'],
  },
  {
    folder: 'main/platform-sim',
    mayImport: [...BASE, 'main/sync', 'main/crypto', 'main/time', 'main/log'],
  },
  { folder: 'main/devices', mayImport: [...BASE, 'drivers', ...INNER] },
  { folder: 'main/documents', mayImport: [...BASE] },
  { folder: 'main/pages', mayImport: ['common'] },
  {
    folder: 'main/server',
    mayImport: [
      ...BASE,
      'drivers',
      ...INNER,
      'main/store',
      'main/sync',
      'main/devices',
      'main/documents',
      'main/appointments',
      'main/pages',
    ],
  },
  // A terminal talks to its hub over HTTP only: it never links the hub's code (main/server) or its database.
  { folder: 'main/terminal', mayImport: [...BASE, 'drivers', 'main/devices', 'main/time', 'main/log', 'main/pages'] },
  {
    folder: 'main/hall',
    mayImport: [
      ...BASE,
      'drivers',
      ...INNER,
      'main/store',
      'main/sync',
      'main/devices',
      'main/documents',
      'main/server',
      'main/terminal',
      'main/appointments',
    ],
  },
  {
    folder: 'main/cli',
    mayImport: [
      ...BASE,
      'drivers',
      ...INNER,
      'main/store',
      'main/sync',
      'main/devices',
      'main/documents',
      'main/server',
      'main/hall',
      'main/terminal',
      'main/platform-sim',
      // `govhall start` rebuilds stale UIs with the same staleness rule as `npm run build:renderer`.
      'scripts',
    ],
  },
  { folder: 'main/shell', mayImport: [...BASE, 'main'] },
  { folder: 'renderer', mayImport: ['common'], mayImportTypes: ['main'] },
  { folder: 'bin', mayImport: ['main/cli'] },
  { folder: 'scripts', mayImport: ['*'] },
  { folder: 'test', mayImport: ['*'] },
];

const IO = [
  'node:fs',
  'node:http',
  'node:https',
  'node:http2',
  'node:net',
  'node:tls',
  'node:dgram',
  'node:child_process',
  'ws',
  'better-sqlite3',
  'serialport',
  'node-hid',
];

/**
 * Which packages a folder may use. `onlyIn`: nowhere else; `notIn`: not there, `except` for the
 * listed paths (the Vite config runs in Node). `node:*` is every Node built-in; a bare built-in
 * (`fs`) counts as its `node:` name. Test files are exempt.
 */
export const PACKAGE_RULES = [
  { packages: ['electron'], onlyIn: ['main/shell'], reason: '只有 main/shell/ 可以引用 electron' },
  {
    packages: ['better-sqlite3'],
    notIn: ['drivers', 'renderer', ...PURE],
    reason: '只有存储、同步与模拟平台使用数据库；驱动、界面和纯模块不得引用 better-sqlite3',
  },
  { packages: IO, notIn: PURE, reason: '纯模块不得直接做 I/O：时间、存储与网络由调用方注入' },
  {
    packages: ['node:*'],
    notIn: ['common', 'renderer'],
    except: ['renderer/vite.config.ts', 'renderer/phone.vite.config.ts'],
    reason: '在浏览器中运行的代码不得引用 Node 内置模块',
  },
];

const CODE_FILE = /\.(ts|tsx|mts|cts|js|mjs|cjs)$/;
const TEST_FILE = /\.test\.(ts|tsx|mts|cts|js|mjs|cjs)$/;
const isTest = (rel) => TEST_FILE.test(rel) || rel.startsWith('test/');
const label = (folder) => (folder === '*' ? '全部' : `${folder}/`);

/** How many leading segments of `path` the `pattern` matches (`*` = any one name), or -1. */
function matchLength(pattern, path) {
  const p = pattern.split('/');
  const s = path.split('/');
  if (p.length > s.length) return -1;
  return p.every((seg, i) => seg === '*' || seg === s[i]) ? p.length : -1;
}

/** The row a repository path belongs to (longest match, literal before `*`) and its folder. */
export function layerOf(path) {
  let best = null;
  for (const layer of LAYERS) {
    const n = matchLength(layer.folder, path);
    if (n < 0) continue;
    const literal = !layer.folder.includes('*');
    if (!best || n > best.n || (n === best.n && literal && !best.literal)) {
      best = { layer, n, literal, area: path.split('/').slice(0, n).join('/') };
    }
  }
  return best && { layer: best.layer, area: best.area };
}

const covers = (entry, area) => entry === '*' || matchLength(entry, area) >= 0;

/** `fs/promises` → `node:fs`, `@scope/x/y` → `@scope/x`, `ws/lib` → `ws`. */
function packageName(spec) {
  const root = spec
    .split('/')
    .slice(0, spec.startsWith('@') ? 2 : 1)
    .join('/');
  if (root.startsWith('node:')) return root;
  return builtinModules.includes(root) ? `node:${root}` : root;
}

const names = (pkg, rule) => rule.packages.some((p) => p === pkg || (p === 'node:*' && pkg.startsWith('node:')));

/**
 * Judges one import of file `from` (repository path). `target` is the repository path of a relative
 * import, or null for a package. Returns `{ code, reason }` or null when the import is allowed.
 */
export function judge(from, spec, target, typeOnly) {
  const own = layerOf(from);
  if (!own)
    return {
      code: 'UNKNOWN_FOLDER',
      reason: `${from} 所在目录不在分层表中：先在 docs/architecture.md 与 scripts/check-layers.mjs 的表中加一行`,
    };
  const test = isTest(from);
  if (target === null) {
    if (test) return null;
    const pkg = packageName(spec);
    for (const rule of PACKAGE_RULES) {
      if (!names(pkg, rule) || (rule.except ?? []).some((f) => covers(f, from))) continue;
      const refused = rule.onlyIn
        ? !rule.onlyIn.some((f) => covers(f, own.area))
        : rule.notIn.some((f) => covers(f, own.area));
      if (refused) return { code: 'FORBIDDEN_PACKAGE', reason: `${rule.reason}（${own.area}/ 引用了 ${pkg}）` };
    }
    return null;
  }
  if (target.startsWith('..')) return { code: 'OUTSIDE_REPO', reason: '引用了仓库之外的文件，请把它放进仓库' };
  const to = layerOf(target);
  if (!to) {
    if (test || own.layer.mayImport.includes('*')) return null;
    return { code: 'UNKNOWN_FOLDER', reason: `${target} 不属于分层表中的任何目录，项目代码只能引用表中的目录` };
  }
  const toArea = to.area;
  if (to.area === own.area) return null;
  if (to.layer.onlyForTests && !test)
    return { code: 'TESTS_ONLY', reason: `${label(to.area)} 是测试工具，只有测试文件可以引用` };
  if (test) {
    const kit = (own.layer.testsMayNotImport ?? []).find((f) => covers(f, toArea));
    if (!kit) return null;
    return {
      code: 'TEST_KIT',
      reason: `${label(own.area)} 的测试不得引用 ${label(kit)}：把要用的工具放进 drivers/testing/ 或直接引用 drivers/`,
    };
  }
  if (own.layer.mayImport.some((f) => covers(f, toArea))) return null;
  if ((own.layer.mayImportTypes ?? []).some((f) => covers(f, toArea))) {
    if (typeOnly) return null;
    return {
      code: 'TYPE_ONLY',
      reason: `${label(own.area)} 只能以 import type 引用 ${label(toArea)}：改为 import type，或把运行时的值移到 common/`,
    };
  }
  const allowed = [
    ...own.layer.mayImport.map(label),
    ...(own.layer.mayImportTypes ?? []).map((f) => `${label(f)}（仅类型）`),
  ];
  return {
    code: 'FORBIDDEN_FOLDER',
    reason:
      `${label(own.area)} 不得引用 ${label(toArea)}（可以引用：${allowed.join('、') || '无'}）。` +
      '请把共用的部分移到允许的层，或改为由外层注入；确需新依赖时先改 docs/architecture.md 的分层表',
  };
}

// --- reading imports -----------------------------------------------------------------------------

const KEYWORDS_BEFORE_EXPRESSION = new Set([
  'return',
  'typeof',
  'instanceof',
  'in',
  'of',
  'new',
  'delete',
  'void',
  'throw',
  'case',
  'do',
  'else',
  'yield',
  'await',
]);

/**
 * Splits source into identifiers, strings and punctuation with their lines, dropping comments,
 * template text and regular expressions, so an import written in a comment or a string is not
 * read. Strings and regular expressions end at a line break, so stray quotes in JSX text spoil at
 * most one line.
 */
function tokens(text) {
  const out = [];
  const braces = [];
  let line = 1;
  let i = 0;
  const n = text.length;
  const last = () => out[out.length - 1];
  const template = () => {
    // i is just past a backtick or the closing brace of `${…}`.
    while (i < n) {
      const c = text[i];
      if (c === '\\') i += 2;
      else if (c === '`') {
        i++;
        out.push({ k: 'str', v: null, line });
        return;
      } else if (c === '$' && text[i + 1] === '{') {
        i += 2;
        braces.push('template');
        out.push({ k: 'punc', v: '(', line });
        return;
      } else {
        if (c === '\n') line++;
        i++;
      }
    }
  };
  while (i < n) {
    const c = text[i];
    if (c === '\n') {
      line++;
      i++;
    } else if (c === ' ' || c === '\t' || c === '\r') i++;
    else if (c === '/' && text[i + 1] === '/') {
      while (i < n && text[i] !== '\n') i++;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      const stop = end < 0 ? n : end + 2;
      for (let j = i; j < stop; j++) if (text[j] === '\n') line++;
      i = stop;
    } else if (c === "'" || c === '"') {
      let j = i + 1;
      while (j < n && text[j] !== c && text[j] !== '\n') j += text[j] === '\\' ? 2 : 1;
      out.push({ k: 'str', v: text.slice(i + 1, j), line });
      i = text[j] === c ? j + 1 : j;
    } else if (c === '`') {
      i++;
      template();
    } else if (c === '{') {
      braces.push('code');
      out.push({ k: 'punc', v: c, line });
      i++;
    } else if (c === '}') {
      i++;
      if (braces.pop() === 'template') template();
      else out.push({ k: 'punc', v: c, line });
    } else if (/[A-Za-z_$]/.test(c)) {
      let j = i + 1;
      while (j < n && /[\w$]/.test(text[j])) j++;
      out.push({ k: 'id', v: text.slice(i, j), line });
      i = j;
    } else if (/\d/.test(c)) {
      let j = i + 1;
      while (j < n && /[\w.]/.test(text[j])) j++;
      out.push({ k: 'num', v: text.slice(i, j), line });
      i = j;
    } else if (c === '/') {
      const prev = last();
      const division =
        prev &&
        (prev.k === 'num' ||
          prev.k === 'str' ||
          (prev.k === 'id' && !KEYWORDS_BEFORE_EXPRESSION.has(prev.v)) ||
          (prev.k === 'punc' && (prev.v === ')' || prev.v === ']' || prev.v === '}')));
      if (division) {
        out.push({ k: 'punc', v: c, line });
        i++;
      } else {
        let j = i + 1;
        let inClass = false;
        while (j < n && text[j] !== '\n' && (inClass || text[j] !== '/')) {
          if (text[j] === '\\') j++;
          else if (text[j] === '[') inClass = true;
          else if (text[j] === ']') inClass = false;
          j++;
        }
        out.push({ k: 'str', v: null, line });
        i = text[j] === '/' ? j + 1 : j;
      }
    } else {
      out.push({ k: 'punc', v: c, line });
      i++;
    }
  }
  return out;
}

/**
 * Every module a source text imports: static imports, re-exports, side-effect and dynamic imports,
 * each with its line and whether it is type-only (`import type`, `export type`, braces in which
 * every name is marked `type`, or `import('…').Name` in a type).
 */
export function importsOf(text) {
  const t = tokens(text);
  const found = [];
  const is = (j, k, v) => t[j] && t[j].k === k && (v === undefined || t[j].v === v);
  const spec = (j) => (is(j, 'str') && t[j].v !== null ? t[j].v : null);
  // Reads `{ a, type b as c }` from j; returns the index after `}` and whether every name is a type.
  const braces = (j) => {
    let allTypes = true;
    let count = 0;
    let part = [];
    for (j++; j < t.length; j++) {
      if (is(j, 'punc', '}') || is(j, 'punc', ',')) {
        if (part.length) {
          count++;
          if (!(part[0].v === 'type' && part.length >= 2 && !(part.length === 3 && part[1].v === 'as')))
            allTypes = false;
        }
        part = [];
        if (t[j].v === '}') return { next: j + 1, allTypes: allTypes && count > 0 };
      } else part.push(t[j]);
    }
    return null;
  };
  for (let i = 0; i < t.length; i++) {
    if (!is(i, 'id', 'import') && !is(i, 'id', 'export')) continue;
    if (is(i - 1, 'punc', '.')) continue;
    const line = t[i].line;
    let j = i + 1;
    if (t[i].v === 'import') {
      if (is(j, 'punc', '.')) continue; // import.meta
      if (is(j, 'punc', '(')) {
        const s = spec(j + 1);
        if (s === null || !is(j + 2, 'punc', ')')) continue;
        const member = is(j + 3, 'punc', '.') && is(j + 4, 'id') && !['then', 'catch', 'finally'].includes(t[j + 4].v);
        found.push({ spec: s, line, typeOnly: is(i - 1, 'id', 'typeof') || member });
        continue;
      }
      if (spec(j) !== null) {
        found.push({ spec: spec(j), line, typeOnly: false });
        continue;
      }
      let typeOnly = false;
      if (
        is(j, 'id', 'type') &&
        (is(j + 1, 'punc', '{') || is(j + 1, 'punc', '*') || (is(j + 1, 'id') && t[j + 1].v !== 'from'))
      ) {
        typeOnly = true;
        j++;
      }
      let named = null;
      let other = false;
      if (is(j, 'id') && t[j].v !== 'from') {
        other = true;
        j++;
        if (is(j, 'punc', ',')) j++;
      }
      if (is(j, 'punc', '*') && is(j + 1, 'id', 'as') && is(j + 2, 'id')) {
        other = true;
        j += 3;
      } else if (is(j, 'punc', '{')) {
        named = braces(j);
        if (!named) continue;
        j = named.next;
      }
      if (!is(j, 'id', 'from') || spec(j + 1) === null) continue;
      found.push({ spec: spec(j + 1), line, typeOnly: typeOnly || (!other && named !== null && named.allTypes) });
    } else {
      let typeOnly = false;
      if (is(j, 'id', 'type') && (is(j + 1, 'punc', '{') || is(j + 1, 'punc', '*'))) {
        typeOnly = true;
        j++;
      }
      if (is(j, 'punc', '*')) {
        j++;
        if (is(j, 'id', 'as')) j += 2;
      } else if (is(j, 'punc', '{')) {
        const named = braces(j);
        if (!named) continue;
        typeOnly ||= named.allTypes;
        j = named.next;
      } else continue;
      if (!is(j, 'id', 'from') || spec(j + 1) === null) continue;
      found.push({ spec: spec(j + 1), line, typeOnly });
    }
  }
  return found;
}

// --- the loop ------------------------------------------------------------------------------------

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
    else if (CODE_FILE.test(name)) yield p;
  }
}

const posix = (p) => p.split(sep).join('/');

/** Checks every source file under the table's top-level folders; returns the problems and the file count. */
export function checkTree(root) {
  const roots = [...new Set(LAYERS.map((l) => l.folder.split('/')[0]))];
  const problems = [];
  let files = 0;
  for (const r of roots) {
    for (const file of walk(join(root, r))) {
      files++;
      const rel = posix(relative(root, file));
      for (const imp of importsOf(readFileSync(file, 'utf8'))) {
        const target = imp.spec.startsWith('.') ? posix(relative(root, resolve(dirname(file), imp.spec))) : null;
        const bad = judge(rel, imp.spec, target, imp.typeOnly);
        if (bad) problems.push(`${rel}:${imp.line} ${bad.code} 引用 ${imp.spec}：${bad.reason}`);
      }
    }
  }
  return { problems, files };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = resolve(process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..'));
  const { problems, files } = checkTree(root);
  if (problems.length) {
    console.error(`分层检查失败（${problems.length} 处）/ layer check failed:`);
    // One write and exitCode, not exit(): a piped stderr is flushed before the process ends.
    process.exitCode = 1;
    process.stderr.write(`${problems.map((p) => `  ${p}\n`).join('')}`);
  } else console.log(`分层检查通过：${files} 个文件 / layer check ok: ${files} files`);
}
