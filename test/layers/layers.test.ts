/**
 * The "may import" rules are enforced by scripts/check-layers.mjs: its tables must say what
 * docs/architecture.md says, and it must refuse every import the tables forbid. The refusals are
 * generated from the tables (one fixture tree, one run of the script), so a row added to the table
 * is tested without writing a new case.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { importsOf, LAYERS, type Layer, PACKAGE_RULES, type PackageRule } from '../../scripts/check-layers.mjs';
import { tempDir } from '../support/hub-client.js';

const SCRIPT = fileURLToPath(new URL('../../scripts/check-layers.mjs', import.meta.url));
const DOC = fileURLToPath(new URL('../../docs/architecture.md', import.meta.url));

/** Writes the files into a fresh tree, runs the script on it, and returns the exit code and one report line per file. */
function check(files: Record<string, string>) {
  const root = tempDir('govhall-layers-');
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  const r = spawnSync(process.execPath, [SCRIPT, root], { encoding: 'utf8', maxBuffer: 64 << 20 });
  expect(r.error).toBeUndefined();
  const out = r.stdout + r.stderr;
  const byFile = new Map<string, string>();
  for (const line of out.split('\n')) {
    const m = /^ {2}(\S+?):\d+ /.exec(line);
    if (m) byFile.set(m[1]!, line.trim());
  }
  return { code: r.status, out, byFile };
}

// --- the tables in docs/architecture.md ----------------------------------------------------------

function markdownTable(md: string, firstHeader: string): string[][] {
  const lines = md.split('\n');
  const start = lines.findIndex((l) => l.startsWith(`| ${firstHeader}`));
  expect(start, `docs/architecture.md 中找不到以「${firstHeader}」开头的表`).toBeGreaterThanOrEqual(0);
  const rows: string[][] = [];
  for (const l of lines.slice(start + 2)) {
    if (!l.startsWith('|')) break;
    rows.push(
      l
        .slice(1, -1)
        .split(' | ')
        .map((c) => c.trim()),
    );
  }
  return rows;
}

/** Backticked folder or package names of a cell (`main/time/` → `main/time`); `import type` is not one. */
const names = (cell: string) => [...cell.matchAll(/`([^`\s]+)`/g)].map((m) => m[1]!.replace(/\/$/, ''));
const sorted = (xs: string[] | undefined) => [...(xs ?? [])].sort();

/** A "may import" cell: `a/`、`b/`; `x/` 仅限 `import type`; 仅供测试引用; 测试不得引用 `test/`; 全部; 无. */
function docLayer(folderCell: string, cell: string) {
  const row = {
    folder: names(folderCell)[0],
    mayImport: [] as string[],
    mayImportTypes: [] as string[],
    onlyForTests: false,
    testsMayNotImport: [] as string[],
  };
  for (const part of cell.split('；')) {
    if (part.includes('全部')) row.mayImport.push('*');
    else if (part.includes('import type')) row.mayImportTypes.push(...names(part));
    else if (part.includes('仅供测试引用')) row.onlyForTests = true;
    else if (part.includes('测试不得引用')) row.testsMayNotImport.push(...names(part));
    else row.mayImport.push(...names(part));
  }
  return { ...row, mayImport: sorted(row.mayImport), mayImportTypes: sorted(row.mayImportTypes) };
}

const scriptLayer = (l: Layer) => ({
  folder: l.folder,
  mayImport: sorted(l.mayImport),
  mayImportTypes: sorted(l.mayImportTypes),
  onlyForTests: l.onlyForTests ?? false,
  testsMayNotImport: sorted(l.testsMayNotImport),
});

/** A package rule cell: 只在 `a/`; 不在 `a/`、`b/`; `x` 除外. */
function docPackageRule(pkgCell: string, ruleCell: string, reason: string) {
  const rule = {
    packages: sorted(names(pkgCell)),
    onlyIn: [] as string[],
    notIn: [] as string[],
    except: [] as string[],
  };
  for (const part of ruleCell.split('；')) {
    if (part.includes('除外')) rule.except.push(...names(part));
    else if (part.startsWith('只在')) rule.onlyIn.push(...names(part));
    else if (part.startsWith('不在')) rule.notIn.push(...names(part));
  }
  return { ...rule, onlyIn: sorted(rule.onlyIn), notIn: sorted(rule.notIn), except: sorted(rule.except), reason };
}

const scriptPackageRule = (r: PackageRule) => ({
  packages: sorted(r.packages),
  onlyIn: sorted(r.onlyIn),
  notIn: sorted(r.notIn),
  except: sorted(r.except),
  reason: r.reason,
});

// --- fixtures generated from the table -----------------------------------------------------------

/** A real folder for each row (`drivers/*` → a device family) and a second family to import from. */
const concrete = (folder: string) => folder.replace('*', 'printer');
const FOLDERS = [...LAYERS.map((l) => concrete(l.folder)), 'drivers/keypad'];
const covers = (entry: string, folder: string) => entry === '*' || folder === entry || folder.startsWith(`${entry}/`);
const isTestFolder = (folder: string) => folder === 'test';
const specTo = (from: string, folder: string) => {
  const rel = posix.relative(posix.dirname(from), `${folder}/thing.js`);
  return rel.startsWith('.') ? rel : `./${rel}`;
};
const label = (folder: string) => `${folder}/`;
const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** `line`: where the refused import is; by default the first line that imports or exports. */
type Expectation = { file: string; text: string; line?: number; refused: null | { code: string; reason: RegExp } };

/** Every row importing every other folder, in code and in tests, with what the table says about it. */
function folderCases(): Expectation[] {
  const cases: Expectation[] = [];
  for (const layer of LAYERS) {
    const own = concrete(layer.folder);
    FOLDERS.forEach((target, n) => {
      if (target === own) return;
      const targetRow = LAYERS.find((l) => concrete(l.folder) === target);
      const file = `${own}/case-${n}.ts`;
      const text = `// ${own} → ${target}\nimport { thing } from '${specTo(file, target)}';\n`;
      let refused: Expectation['refused'] = null;
      if (targetRow?.onlyForTests && !isTestFolder(own)) {
        refused = { code: 'TESTS_ONLY', reason: new RegExp(`${esc(label(target))} 是测试工具，只有测试文件可以引用`) };
      } else if (isTestFolder(own) || layer.mayImport.some((e) => covers(e, target))) {
        refused = null;
      } else if ((layer.mayImportTypes ?? []).some((e) => covers(e, target))) {
        const typeFile = `${own}/case-${n}-types.ts`;
        cases.push({
          file: typeFile,
          text: `import type { Thing } from '${specTo(typeFile, target)}';\n`,
          refused: null,
        });
        refused = {
          code: 'TYPE_ONLY',
          reason: new RegExp(`${esc(label(own))} 只能以 import type 引用 ${esc(label(target))}`),
        };
      } else {
        refused = {
          code: 'FORBIDDEN_FOLDER',
          reason: new RegExp(`${esc(label(own))} 不得引用 ${esc(label(target))}（可以引用：`),
        };
      }
      cases.push({ file, text, refused });
      // The same import from a unit test next to the code: allowed, except what the row's tests may not use.
      if (!isTestFolder(own)) {
        const testFile = `${own}/case-${n}.test.ts`;
        const kit = (layer.testsMayNotImport ?? []).find((e) => covers(e, target));
        cases.push({
          file: testFile,
          text: `import { thing } from '${specTo(testFile, target)}';\n`,
          refused: kit
            ? { code: 'TEST_KIT', reason: new RegExp(`${esc(label(own))} 的测试不得引用 ${esc(label(kit))}`) }
            : null,
        });
      }
    });
  }
  return cases;
}

/**
 * Every package the rules name, from every row and from its tests. The first rule that names the
 * package and forbids it in that row gives the reason; each rule must be the one refusing somewhere.
 */
function packageCases(): Expectation[] {
  const specs = [
    ...new Set(
      PACKAGE_RULES.flatMap((rule) =>
        rule.packages.flatMap((p) =>
          p === 'node:*' ? ['node:os', 'os'] : p.startsWith('node:') ? [p, p.slice(5)] : [p],
        ),
      ),
    ),
  ];
  const namedBy = (rule: PackageRule, spec: string) => {
    const name = builtinModules.includes(spec) ? `node:${spec}` : spec;
    return rule.packages.some((p) => p === name || (p === 'node:*' && name.startsWith('node:')));
  };
  const cases: Expectation[] = [];
  const used = new Set<PackageRule>();
  for (const layer of LAYERS) {
    const own = concrete(layer.folder);
    specs.forEach((spec, s) => {
      const file = `${own}/pkg-${s}.ts`;
      const rule = PACKAGE_RULES.find(
        (r) =>
          namedBy(r, spec) &&
          (r.onlyIn ? !r.onlyIn.some((e) => covers(e, own)) : r.notIn!.some((e) => covers(e, own))) &&
          !(r.except ?? []).some((e) => covers(e, file)),
      );
      if (rule && !isTestFolder(own)) used.add(rule);
      cases.push({
        file,
        text: `import thing from '${spec}';\n`,
        refused:
          rule && !isTestFolder(own)
            ? { code: 'FORBIDDEN_PACKAGE', reason: new RegExp(`${esc(rule.reason)}（`) }
            : null,
      });
      if (!isTestFolder(own))
        cases.push({ file: `${own}/pkg-${s}.test.ts`, text: `import thing from '${spec}';\n`, refused: null });
    });
  }
  expect(used.size).toBe(PACKAGE_RULES.length);
  return cases;
}

function expectAll(cases: Expectation[]) {
  const r = check(Object.fromEntries(cases.map((c) => [c.file, c.text])));
  expect(r.code).toBe(cases.some((c) => c.refused) ? 1 : 0);
  for (const c of cases) {
    const line = r.byFile.get(c.file);
    if (!c.refused) {
      expect(line, `${c.file} 应当通过：${c.text}`).toBeUndefined();
      continue;
    }
    expect(line, `${c.file} 应当被拒绝：${c.text}`).toBeDefined();
    const importLine = c.line ?? c.text.split('\n').findIndex((l) => /\b(import|export)\b/.test(l)) + 1;
    expect(line).toMatch(new RegExp(`^${esc(c.file)}:${importLine} ${c.refused.code} 引用 `));
    expect(line).toMatch(c.refused.reason);
    expect(line).toMatch(/[\u4e00-\u9fff]/);
  }
  return r;
}

describe('layer check', () => {
  it('passes the repository itself', () => {
    const r = spawnSync(process.execPath, [SCRIPT], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('has the same layer table as docs/architecture.md', () => {
    const rows = markdownTable(readFileSync(DOC, 'utf8'), '目录');
    const fromDoc = rows.map(([folder, , mayImport]) => docLayer(folder!, mayImport!));
    const bySorted = <T extends { folder: string | undefined }>(xs: T[]) =>
      [...xs].sort((a, b) => (a.folder! < b.folder! ? -1 : 1));
    expect(bySorted(fromDoc)).toEqual(bySorted(LAYERS.map(scriptLayer)));
  });

  it('has the same package rules as docs/architecture.md', () => {
    const rows = markdownTable(readFileSync(DOC, 'utf8'), '包');
    expect(rows.map(([pkgs, rule, reason]) => docPackageRule(pkgs!, rule!, reason!))).toEqual(
      PACKAGE_RULES.map(scriptPackageRule),
    );
  });

  it('refuses every folder a row does not list, with file:line and a Chinese reason, and allows the rest', () => {
    const cases = folderCases();
    // Every row refuses something except the ones that may import everything.
    for (const layer of LAYERS.filter((l) => !l.mayImport.includes('*'))) {
      expect(cases.some((c) => c.file.startsWith(`${concrete(layer.folder)}/`) && c.refused)).toBe(true);
    }
    expectAll(cases);
  });

  it('refuses each package where its rule forbids it, and never in tests', () => {
    expectAll(packageCases());
  });

  it('holds the rules the architecture names', () => {
    const refused = (code: string, reason: RegExp) => ({ code, reason });
    expectAll([
      // The pure domain reaches sync, the log and the store only through what its callers pass in.
      {
        file: 'main/queue/a.ts',
        text: "import { relay } from '../sync/relay.js';\n",
        refused: refused('FORBIDDEN_FOLDER', /main\/queue\/ 不得引用 main\/sync\//),
      },
      {
        file: 'main/queue/b.ts',
        text: "import { log } from '../log/logger.js';\n",
        refused: refused('FORBIDDEN_FOLDER', /main\/queue\/ 不得引用 main\/log\//),
      },
      {
        file: 'main/cases/c.ts',
        text: "import { openStore } from '../store/database.js';\n",
        refused: refused('FORBIDDEN_FOLDER', /main\/cases\/ 不得引用 main\/store\//),
      },
      { file: 'main/queue/d.ts', text: "import { x } from '../../common/levels.js';\n", refused: null },
      {
        file: 'main/queue/e.ts',
        text: "import { readFileSync } from 'node:fs';\n",
        refused: refused('FORBIDDEN_PACKAGE', /纯模块不得直接做 I\/O/),
      },
      // common/ is browser-safe and imports nothing of the project.
      {
        file: 'common/a.ts',
        text: "import { z } from 'zod';\nimport { join } from 'path';\n",
        line: 2,
        refused: refused('FORBIDDEN_PACKAGE', /浏览器中运行的代码不得引用 Node 内置模块（common\/ 引用了 node:path）/),
      },
      {
        file: 'common/b.ts',
        text: "import { Hall } from '../kiosk-config/hall-config.js';\n",
        refused: refused('FORBIDDEN_FOLDER', /common\/ 不得引用 kiosk-config\/（可以引用：无）/),
      },
      // Renderer: common freely, main only as types, drivers never.
      { file: 'renderer/a.ts', text: "import { LEVELS } from '../common/levels.js';\n", refused: null },
      { file: 'renderer/b.ts', text: "import type { Ticket } from '../main/queue/types.js';\n", refused: null },
      {
        file: 'renderer/c.ts',
        text: "import { type A, type B } from '../main/server/admin/types.js';\n",
        refused: null,
      },
      { file: 'renderer/d.ts', text: "export type { Ticket } from '../main/queue/types.js';\n", refused: null },
      { file: 'renderer/e.ts', text: "export { type Ticket } from '../main/queue/types.js';\n", refused: null },
      { file: 'renderer/f.ts', text: "type Api = typeof import('../main/shell/types.js');\n", refused: null },
      {
        file: 'renderer/g.ts',
        text: "import { CHANNELS } from '../main/queue/types.js';\n",
        refused: refused('TYPE_ONLY', /renderer\/ 只能以 import type 引用 main\/queue\//),
      },
      {
        file: 'renderer/h.ts',
        text: "import { type Ticket, CHANNELS } from '../main/queue/types.js';\n",
        refused: refused('TYPE_ONLY', /改为 import type/),
      },
      {
        file: 'renderer/i.ts',
        text: "import '../main/server/hub-server.js';\n",
        refused: refused('TYPE_ONLY', /renderer\/ 只能以 import type 引用 main\/server\//),
      },
      {
        file: 'renderer/j.tsx',
        text: "const m = await import('../main/store/database.js');\n",
        refused: refused('TYPE_ONLY', /main\/store\//),
      },
      {
        file: 'renderer/k.ts',
        text: "import { encode } from '../drivers/printer/escpos.js';\n",
        refused: refused(
          'FORBIDDEN_FOLDER',
          /renderer\/ 不得引用 drivers\/printer\/（可以引用：common\/、main\/（仅类型））/,
        ),
      },
      // Drivers: any family may use the transports, not another family; their tests bring their own kit.
      { file: 'drivers/ledstrip/a.ts', text: "import { x } from '../transport/serial-link.js';\n", refused: null },
      {
        file: 'drivers/ledstrip/b.ts',
        text: "import { x } from '../keypad/key-map.js';\n",
        refused: refused('FORBIDDEN_FOLDER', /drivers\/ledstrip\/ 不得引用 drivers\/keypad\//),
      },
      {
        file: 'drivers/ledstrip/c.test.ts',
        text: "import { waitFor } from '../testing/wait-for.js';\n",
        refused: null,
      },
      {
        file: 'drivers/ledstrip/d.test.ts',
        text: "import { call } from '../../test/support/hub-client.js';\n",
        refused: refused('TEST_KIT', /drivers\/ledstrip\/ 的测试不得引用 test\/：把要用的工具放进 drivers\/testing\//),
      },
      {
        file: 'drivers/ledstrip/e.ts',
        text: "import { waitFor } from '../testing/wait-for.js';\n",
        refused: refused('TESTS_ONLY', /drivers\/testing\/ 是测试工具/),
      },
      {
        file: 'drivers/ledstrip/f.ts',
        text: "import Database from 'better-sqlite3';\n",
        refused: refused('FORBIDDEN_PACKAGE', /不得引用 better-sqlite3/),
      },
      { file: 'main/queue/g.test.ts', text: "import { x } from '../../test/support/hub-client.js';\n", refused: null },
      // Only the shell loads Electron; the Vite config runs in Node.
      { file: 'main/shell/a.ts', text: "import { app } from 'electron';\n", refused: null },
      {
        file: 'main/hall/a.ts',
        text: "import { app } from 'electron';\n",
        refused: refused('FORBIDDEN_PACKAGE', /只有 main\/shell\/ 可以引用 electron/),
      },
      { file: 'renderer/vite.config.ts', text: "import { fileURLToPath } from 'node:url';\n", refused: null },
      // A folder outside the table, and a file outside the tree.
      {
        file: 'main/payments/a.ts',
        text: "import { x } from '../queue/types.js';\n",
        refused: refused('UNKNOWN_FOLDER', /不在分层表中：先在 docs\/architecture\.md/),
      },
      {
        file: 'main/cli/a.ts',
        text: "import pkg from '../../package.json';\n",
        refused: refused('UNKNOWN_FOLDER', /package\.json 不属于分层表中的任何目录/),
      },
      {
        file: 'kiosk-config/a.ts',
        text: "import { x } from '../../elsewhere/x.js';\n",
        refused: refused('OUTSIDE_REPO', /仓库之外/),
      },
      // What only looks like an import is not one; a long import is reported at its first line.
      {
        file: 'main/queue/h.ts',
        text: "// import { x } from '../store/x.js';\n/* import '../sync/y.js' */\nconst s = \"import { z } from '../log/z.js'\";\nconst t = `export * from '../cli/main.js'`;\n",
        refused: null,
      },
      {
        file: 'main/queue/i.ts',
        text: "const a = 1;\nimport {\n  b,\n  c,\n} from '../store/x.js';\n",
        refused: refused('FORBIDDEN_FOLDER', /main\/queue\/ 不得引用 main\/store\//),
      },
    ]);
  });
});

describe('reading imports', () => {
  const read = (text: string) => importsOf(text).map((i) => `${i.line}:${i.spec}${i.typeOnly ? ' type' : ''}`);

  it('finds every form, with its line and whether it is only types', () => {
    expect(
      read(
        [
          "import a from 'a';",
          "import * as b from 'b';",
          "import { c, type C } from 'c';",
          "import type { D } from 'd';",
          "import { type E, type F } from 'e';",
          "import g, { type G } from 'g';",
          "import 'h';",
          "export { i } from 'i';",
          "export type { J } from 'j';",
          "export * from 'k';",
          "export * as l from 'l';",
          "const m = await import('m');",
          "let n: import('n').N;",
          "type O = typeof import('o');",
          "import('p').then((x) => x);",
          "import {} from 'q';",
          "import type R from 'r';",
          'export { s };',
          'const t = import.meta.url;',
        ].join('\n'),
      ),
    ).toEqual([
      '1:a',
      '2:b',
      '3:c',
      '4:d type',
      '5:e type',
      '6:g',
      '7:h',
      '8:i',
      '9:j type',
      '10:k',
      '11:l',
      '12:m',
      '13:n type',
      '14:o type',
      '15:p',
      '16:q',
      '17:r type',
    ]);
  });

  it('skips comments, strings, templates and regular expressions, and keeps counting lines through them', () => {
    expect(
      read(
        [
          '/* a block',
          "   import x from 'x'; */",
          'const s = \'import y from "y"\';',
          // biome-ignore lint/suspicious/noTemplateCurlyInString: the source text of a template literal
          'const t = `${"}"} import z from \'z\' ${`nested ${1}`}`;',
          "const r = /import w from 'w'/;",
          'const d = 4 / 2; // import v from "v"',
          "const el = <p>It's fine</p>;",
          "import { ok } from 'ok';",
        ].join('\n'),
      ),
    ).toEqual(['8:ok']);
  });
});
