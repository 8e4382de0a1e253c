/**
 * Where the app's own files are, whichever way it runs: the TypeScript sources of a checkout (through
 * tsx or vitest), the compiled JavaScript under `dist/` (`npm run build`, the hub package), or the
 * Electron shell's bundle `dist/shell/main.cjs` inside the installer's asar. Files the code reads at
 * run time (package.json, the demo hall, the built UIs in `dist/renderer/`) are named from this root
 * rather than from each module's own URL, because a module sits one folder deeper once compiled
 * and in another folder altogether once bundled. Pure URL arithmetic, no I/O.
 */

/**
 * The app root (the folder holding package.json) for the URL of this module or of the bundle that
 * contains it: a `.ts` file is `<root>/common/app-root.ts`; compiled or bundled code sits somewhere
 * under `<root>/dist/`, so the root is what precedes the last `/dist/` of its path.
 */
export function appRootFor(moduleUrl: string): URL {
  const url = new URL(moduleUrl);
  if (/\.tsx?$/.test(url.pathname)) return new URL('../', url);
  const at = url.pathname.lastIndexOf('/dist/');
  if (at < 0) throw new Error(`APP_LAYOUT: ${moduleUrl} 不在 dist/ 之下，无法确定程序目录；请用 npm run build 构建`);
  return new URL(url.pathname.slice(0, at + 1), url);
}

/** The root of this running app, as a `file:` URL ending in `/`. */
export const APP_ROOT_URL: URL = appRootFor(import.meta.url);

/** A file or folder of the app by its path from the root, e.g. `appFileUrl('dist/renderer/')`. */
export const appFileUrl = (path: string): URL => new URL(path, APP_ROOT_URL);
