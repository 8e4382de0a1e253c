/**
 * What the packaging tests share: electron-builder.yml and electron-builder's own schema for it, the
 * file patterns it uses (matched the way electron-builder does: relative to the app folder, `**`
 * for any depth, dot files included), and the production dependencies it would pack.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));
export const BUILDER_CONFIG = join(REPO, 'electron-builder.yml');

// electron-builder's configuration is checked by its own schema (the config test), not typed here.
export type BuilderConfig = Record<string, any>;

export const loadBuilderConfig = (): BuilderConfig => parse(readFileSync(BUILDER_CONFIG, 'utf8')) as BuilderConfig;

/** The JSON schema the installed electron-builder validates its configuration with. */
export function builderSchema(): { path: string; schema: object } {
  const require = createRequire(join(REPO, 'package.json'));
  // electron-builder keeps its options in app-builder-lib; resolve it the way electron-builder does.
  const fromBuilder = createRequire(require.resolve('electron-builder/package.json'));
  const path = join(dirname(fromBuilder.resolve('app-builder-lib/package.json')), 'scheme.json');
  return { path, schema: JSON.parse(readFileSync(path, 'utf8')) };
}

/**
 * A glob of electron-builder's file patterns as a RegExp over `/`-separated relative paths. Only the
 * syntax this repository uses (`*`, `**`); anything else is refused so a new pattern cannot be
 * matched differently here than by electron-builder without this being extended first.
 */
export function globToRegExp(glob: string): RegExp {
  if (/[[\]{}()?+@!]/.test(glob)) throw new Error(`unsupported glob syntax: ${glob}`);
  const literal = (s: string) => s.replace(/[.^$|\\]/g, '\\$&');
  const parts = glob.split('/');
  let re = '';
  parts.forEach((part, i) => {
    const last = i === parts.length - 1;
    if (part === '**') re += last ? '.*' : '(?:[^/]+/)*';
    else re += part.split('*').map(literal).join('[^/]*') + (last ? '' : '/');
  });
  return new RegExp(`^${re}$`);
}

/** Every file under `root` (relative, `/`-separated), leaving out the folders named in `skip`. */
export function filesUnder(root: string, skip: readonly string[] = ['node_modules', '.git']): string[] {
  const out: string[] = [];
  const walk = (dir: string, rel: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const path = rel ? `${rel}/${e.name}` : e.name;
      if (skip.includes(path) || skip.includes(e.name)) continue;
      if (e.isDirectory()) walk(join(dir, e.name), path);
      else out.push(path);
    }
  };
  walk(root, '');
  return out;
}

/**
 * The packages electron-builder packs with the app: `dependencies` of package.json and, through
 * node_modules, theirs (optional ones included when installed). Nested copies are looked up first,
 * as Node resolves them.
 */
export function productionPackages(repo = REPO): Set<string> {
  const root = resolve(repo);
  const seen = new Set<string>();
  const readDeps = (pkgDir: string): string[] => {
    const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
    return [...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.optionalDependencies ?? {})];
  };
  const queue: { name: string; from: string }[] = readDeps(root).map((name) => ({ name, from: root }));
  while (queue.length) {
    const { name, from } = queue.shift()!;
    let dir = from;
    let found: string | null = null;
    for (;;) {
      const candidate = join(dir, 'node_modules', name);
      if (existsSync(join(candidate, 'package.json'))) {
        found = candidate;
        break;
      }
      if (dir === root || dirname(dir) === dir) break;
      dir = dirname(dir);
    }
    if (!found) continue; // an optional dependency for another platform
    if (seen.has(found)) continue;
    seen.add(found);
    for (const dep of readDeps(found)) queue.push({ name: dep, from: found });
  }
  return new Set([...seen].map((dir) => dir.slice(dir.lastIndexOf('node_modules/') + 'node_modules/'.length)));
}
