/**
 * The built role pages (`dist/renderer`) as the terminal serves them on its local origin: only the
 * roles its configuration opens, their shared `/assets/`, nothing outside the build folder. Every
 * page gets a Content-Security-Policy whose `connect-src` is `'self'`: a page talks only to the
 * terminal, which forwards to the hub with its own credentials.
 */
import { createReadStream, type Stats, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { appFileUrl } from '../../common/app-root.js';

// From the app root, not this module: compiled, this file sits one folder deeper (common/app-root.ts).
export const DEFAULT_UI_ROOT = fileURLToPath(appFileUrl('dist/renderer/'));

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.mp3': 'audio/mpeg',
  '.wav': 'audio/wav',
  '.ogg': 'audio/ogg',
};

/** The terminal's pages: scripts, styles and connections only from itself. */
export const PAGE_HEADERS: Record<string, string> = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
    "media-src 'self' blob: mediastream:; connect-src 'self'; font-src 'self' data:; frame-ancestors 'none'; " +
    "base-uri 'none'; form-action 'self'",
};

type Found = { path: string; stat: Stats; immutable: boolean };

/** A file of the build for a URL path, when `roles` allows it; null otherwise (also for any escape attempt). */
export function findRoleFile(root: string, pathname: string, roles: readonly string[]): Found | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const segments = decoded.split('/').filter(Boolean);
  if (segments.some((s) => s === '..' || s.startsWith('.'))) return null;
  const top = segments[0];
  if (!top || !(roles.includes(top) || top === 'assets')) return null;
  const base = resolve(root);
  let file = resolve(base, ...segments);
  if (!file.startsWith(base + sep)) return null;
  if (decoded.endsWith('/') || segments.length === 1) file = join(file, 'index.html');
  try {
    const stat = statSync(file);
    return stat.isFile() ? { path: file, stat, immutable: top === 'assets' } : null;
  } catch {
    return null;
  }
}

/** Sends a found file (GET or HEAD), with a revalidated page or a year-long cached asset. */
export function sendRoleFile(req: IncomingMessage, res: ServerResponse, f: Found): void {
  const headers: Record<string, string> = {
    'content-type': MIME[extname(f.path).toLowerCase()] ?? 'application/octet-stream',
    'cache-control': f.immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    'content-length': String(f.stat.size),
    ...(f.path.endsWith('.html') ? PAGE_HEADERS : { 'x-content-type-options': 'nosniff' }),
  };
  res.writeHead(200, headers);
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  const stream = createReadStream(f.path);
  stream.on('error', () => res.destroy());
  stream.pipe(res);
}
