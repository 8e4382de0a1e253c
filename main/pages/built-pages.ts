/**
 * The built role pages (`dist/renderer`, see renderer/README.md) as files: where the build is, which
 * file a URL path names and what type it has. The hub serves them to any browser (main/server) and
 * a terminal to its own screen (main/terminal); both must refuse the same escapes, so they share this.
 */
import { type Stats, statSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { appFileUrl } from '../../common/app-root.js';

// From the app root, not this module: compiled, this file sits one folder deeper (common/app-root.ts).
export const DEFAULT_UI_ROOT = fileURLToPath(appFileUrl('dist/renderer/'));

export const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.mp3': 'audio/mpeg',
  '.wav': 'audio/wav',
  '.ogg': 'audio/ogg',
  '.txt': 'text/plain; charset=utf-8',
};

export type BuiltFile = { kind: 'file'; path: string; stat: Stats; immutable: boolean };

/**
 * The file of the build under `root` that a URL path names, when its first folder is one of `roles`
 * or `assets` (a folder means its index.html); `none` when there is no such file, `bad` for a path
 * that does not decode or tries to leave `root` (`..`, hidden names, NUL, backslashes).
 */
export function resolveBuiltFile(
  root: string,
  pathname: string,
  roles: readonly string[],
): BuiltFile | { kind: 'none' } | { kind: 'bad' } {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return { kind: 'bad' };
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return { kind: 'bad' };
  const segments = decoded.split('/').filter(Boolean);
  if (segments.some((s) => s === '..' || s.startsWith('.'))) return { kind: 'bad' };
  const top = segments[0];
  if (!top || !(roles.includes(top) || top === 'assets')) return { kind: 'none' };
  const base = resolve(root);
  let file = resolve(base, ...segments);
  if (!file.startsWith(base + sep)) return { kind: 'bad' };
  if (decoded.endsWith('/') || segments.length === 1) file = join(file, 'index.html');
  let stat: Stats;
  try {
    stat = statSync(file);
  } catch {
    return { kind: 'none' };
  }
  if (!stat.isFile()) return { kind: 'none' };
  return { kind: 'file', path: file, stat, immutable: top === 'assets' };
}
