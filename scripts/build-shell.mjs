#!/usr/bin/env node
// Bundles the Electron shell with esbuild (installed with Vite) into what electron-builder.yml packs:
//   main/shell/electron-entry.ts → dist/shell/main.cjs    (the app's main process, extraMetadata.main)
//   main/shell/preload.ts       → dist/shell/preload.cjs  (every role window's preload)
//   main/shell/fuses.ts         → dist/shell/fuses.cjs    (the fuse settings scripts/after-pack.cjs applies)
// The main bundle keeps npm packages external: electron-builder packs the production dependencies,
// and the native ones (better-sqlite3, serialport, node-hid) must stay files it can rebuild for
// Electron and unpack from the asar. The preload runs sandboxed, where `require` knows only
// `electron` and a few built-ins, so everything else is bundled into it.
// An entry that does not exist yet is skipped with a message, not an error.
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const SHELL_OUT = join(root, 'dist', 'shell');

/** What is bundled, from where to where. */
export const SHELL_ENTRIES = [
  { name: 'main', entry: 'main/shell/electron-entry.ts', out: 'main.cjs' },
  { name: 'preload', entry: 'main/shell/preload.ts', out: 'preload.cjs' },
  { name: 'fuses', entry: 'main/shell/fuses.ts', out: 'fuses.cjs' },
];

// Electron 45's Node line; esbuild lowers nothing newer than this.
const NODE_TARGET = 'node22';

/** esbuild options for one entry (exported for the tests, which check the bundles they produce). */
export function shellBuildOptions(name, entry, outfile) {
  const common = {
    entryPoints: [join(root, entry)],
    outfile,
    bundle: true,
    format: 'cjs',
    sourcemap: true,
    legalComments: 'none',
    logLevel: 'warning',
    absWorkingDir: root,
  };
  if (name === 'main')
    return {
      ...common,
      platform: 'node',
      target: NODE_TARGET,
      packages: 'external',
      // The sources locate their files with import.meta.url (common/app-root.ts); a CommonJS bundle has
      // no import.meta, so it is the bundle's own URL: dist/shell/main.cjs, under dist/ like compiled code.
      banner: { js: 'const __govhallModuleUrl = require("node:url").pathToFileURL(__filename).href;' },
      define: { 'import.meta.url': '__govhallModuleUrl' },
    };
  // Read at packaging time by Node (scripts/after-pack.cjs): self-contained, @electron/fuses' enum included.
  if (name === 'fuses') return { ...common, platform: 'node', target: 'node20', sourcemap: false };
  return { ...common, platform: 'browser', target: 'chrome130', external: ['electron'] };
}

/** Bundles every entry that exists; resolves with the names built and the names skipped. */
export async function buildShell({ quiet = false } = {}) {
  const { build } = await import('esbuild');
  rmSync(SHELL_OUT, { recursive: true, force: true });
  mkdirSync(SHELL_OUT, { recursive: true });
  const built = [];
  const skipped = [];
  for (const { name, entry, out } of SHELL_ENTRIES) {
    if (!existsSync(join(root, entry))) {
      skipped.push(name);
      if (!quiet) console.log(`外壳入口 ${entry} 尚不存在，跳过 dist/shell/${out} / shell entry missing, skipped`);
      continue;
    }
    await build(shellBuildOptions(name, entry, join(SHELL_OUT, out)));
    built.push(name);
  }
  if (!quiet && built.length) console.log(`外壳已打包 / shell bundled: dist/shell (${built.join(', ')})`);
  return { built, skipped };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  buildShell().catch((e) => {
    console.error(`外壳打包失败 / shell bundle failed: ${e.message}`);
    process.exit(1);
  });
}
