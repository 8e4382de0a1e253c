/**
 * The built role pages (`dist/renderer`) as the terminal serves them on its local origin: only the
 * roles its configuration opens, their shared `/assets/`, nothing outside the build folder. Every
 * page gets a Content-Security-Policy whose `connect-src` is `'self'`: a page talks only to the
 * terminal, which forwards to the hub with its own credentials.
 */
import { createReadStream } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname } from 'node:path';
import { type BuiltFile, MIME, resolveBuiltFile } from '../pages/built-pages.js';

export { DEFAULT_UI_ROOT } from '../pages/built-pages.js';

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

/** A file of the build for a URL path, when `roles` allows it; null otherwise (also for any escape attempt). */
export function findRoleFile(root: string, pathname: string, roles: readonly string[]): BuiltFile | null {
  const r = resolveBuiltFile(root, pathname, roles);
  return r.kind === 'file' ? r : null;
}

/** Sends a found file (GET or HEAD), with a revalidated page or a year-long cached asset. */
export function sendRoleFile(req: IncomingMessage, res: ServerResponse, f: BuiltFile): void {
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
