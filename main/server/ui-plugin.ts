/**
 * Hub plugin that serves the built role UIs (`dist/renderer`, see renderer/README.md) so every
 * terminal works in a plain browser: `/kiosk/`, `/counter/`, `/display/`, `/evaluator/`, `/admin/`,
 * their shared `/assets/`, and `/` with a small page linking the roles. Only GET and HEAD; paths are
 * decoded once and must stay inside the build folder; hashed assets are cached for a year, pages
 * are revalidated every time so a new build shows up on the next reload.
 */
import { createReadStream, existsSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, resolve } from 'node:path';
import { ROLE_TEXT, ROLE_TEXT_EN, UI_ROLES } from '../../common/roles.js';
import { DEFAULT_UI_ROOT, MIME, resolveBuiltFile } from '../pages/built-pages.js';
import type { HubPlugin } from './hub-plugin.js';

export { DEFAULT_UI_ROOT } from '../pages/built-pages.js';

/**
 * `connect-src 'self'`: a page talks to the hub that served it and to nothing else (in Chromium
 * 'self' includes ws:/wss: of the same host and port), so no link or injected script can send a
 * saved token elsewhere. The pages carry the same rule in a meta tag (renderer/role-page.html).
 */
const PAGE_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
    "media-src 'self' blob:; connect-src 'self'; font-src 'self' data:; frame-ancestors 'none'",
};

export interface UiStaticOptions {
  /** Folder of the Vite build (default `dist/renderer` of this checkout). */
  root?: string;
  /**
   * One-click addresses of the embedded hall's terminals (their local origins on 127.0.0.1), shown
   * on the start page only to a browser on this PC: from anywhere else they would not open, and the
   * admin console among them must not be one click away from the LAN.
   */
  links?: () => { label: string; url: string }[];
}

/** A request from this PC itself. */
export function fromLoopback(req: IncomingMessage): boolean {
  const a = req.socket.remoteAddress ?? '';
  return a === '127.0.0.1' || a === '::1' || a === '::ffff:127.0.0.1';
}

/** Maps a URL path to a file of a role under `root`, or `none` (also for anything trying to leave `root`). */
export function resolveUiPath(root: string, pathname: string) {
  return resolveBuiltFile(root, pathname, UI_ROLES);
}

function send(res: ServerResponse, status: number, type: string, body: string, headers: Record<string, string> = {}) {
  res.writeHead(status, {
    'content-type': type,
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-cache',
    ...PAGE_HEADERS,
    ...headers,
  });
  res.end(body);
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

export function indexPage(version: string, built: boolean, links: { label: string; url: string }[] = []): string {
  const items = UI_ROLES.map(
    (r) => `<li><a href="/${r}/">${escapeHtml(`${ROLE_TEXT[r]} / ${ROLE_TEXT_EN[r]}`)}</a></li>`,
  ).join('\n');
  const local = links.length
    ? `<h2>一键打开 / open with one click</h2>
<p>内置大厅的各台终端已自动配对，每台在本机的一个地址上提供界面，不需要令牌（只能在本机打开）。<br>
The embedded hall's terminals are paired already; each serves its pages on this PC, no token needed.</p>
<ul data-testid="demo-links">
${links.map((l) => `<li><a href="${escapeHtml(l.url)}" target="_blank" rel="noopener">${escapeHtml(l.label)}</a></li>`).join('\n')}
</ul>`
    : '';
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>govhall</title>
<style>body{font-family:'Noto Sans CJK SC','Microsoft YaHei',sans-serif;margin:3rem auto;max-width:40rem;padding:0 1rem;color:#1a1f29;line-height:1.6}
a{color:#0b4fa8;font-size:1.3rem}li{margin:.6rem 0}.warn{color:#a4161a;font-weight:600}</style></head>
<body><h1>govhall ${escapeHtml(version)}</h1>
<p>请选择本终端的角色。设备令牌由 <code>govhall start</code> 打印（地址中的 <code>?token=…</code>），或由管理员用
<code>govhall token create</code> 创建。<br>Pick this terminal's role; the device token comes with the address printed by <code>govhall start</code>.</p>
${built ? '' : '<p class="warn">界面尚未构建：请先运行 <code>npm run build:renderer</code>。/ The UIs are not built yet.</p>'}
${local}
<ul>
${items}
</ul>
<p><a href="/api/v1/openapi.json">接口文档 / OpenAPI</a></p>
</body></html>`;
}

export function uiPlugin(opts: UiStaticOptions = {}): HubPlugin {
  const root = resolve(opts.root ?? DEFAULT_UI_ROOT);
  return {
    name: 'ui',
    install(ctx) {
      const handle = (req: IncomingMessage, res: ServerResponse, url: URL): boolean => {
        const path = url.pathname;
        if (path === '/favicon.ico') {
          res.writeHead(204, { 'cache-control': 'public, max-age=86400' }).end();
          return true;
        }
        if (path === '/' || path === '/index.html') {
          if (req.method !== 'GET' && req.method !== 'HEAD') return methodNotAllowed(res);
          const links = opts.links && fromLoopback(req) ? opts.links() : [];
          send(res, 200, MIME['.html']!, indexPage(ctx.version, existsSync(join(root, 'kiosk', 'index.html')), links));
          return true;
        }
        const r = resolveUiPath(root, path);
        if (r.kind === 'bad') {
          send(res, 400, 'text/plain; charset=utf-8', '无效的路径 / bad path');
          return true;
        }
        const top = path.split('/')[1] ?? '';
        if (r.kind === 'none') {
          if ((UI_ROLES as readonly string[]).includes(top)) {
            if (!existsSync(root)) {
              send(res, 503, MIME['.html']!, indexPage(ctx.version, false), { 'retry-after': '10' });
              return true;
            }
            send(res, 404, 'text/plain; charset=utf-8', '页面不存在 / not found');
            return true;
          }
          if (top !== 'assets') return false;
          send(res, 404, 'text/plain; charset=utf-8', '文件不存在 / not found');
          return true;
        }
        if (req.method !== 'GET' && req.method !== 'HEAD') return methodNotAllowed(res);
        // `/kiosk` → `/kiosk/` so the page's relative asset paths resolve.
        if (path === `/${top}` && (UI_ROLES as readonly string[]).includes(top)) {
          res.writeHead(301, { location: `/${top}/${url.search}`, 'cache-control': 'no-cache' }).end();
          return true;
        }
        const etag = `W/"${r.stat.size.toString(16)}-${Math.floor(r.stat.mtimeMs).toString(16)}"`;
        const headers: Record<string, string> = {
          'content-type': MIME[extname(r.path).toLowerCase()] ?? 'application/octet-stream',
          'cache-control': r.immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
          etag,
          'last-modified': r.stat.mtime.toUTCString(),
          ...(r.path.endsWith('.html') ? PAGE_HEADERS : { 'x-content-type-options': 'nosniff' }),
        };
        if (req.headers['if-none-match'] === etag) {
          res.writeHead(304, headers).end();
          return true;
        }
        res.writeHead(200, { ...headers, 'content-length': String(r.stat.size) });
        if (req.method === 'HEAD') {
          res.end();
          return true;
        }
        const stream = createReadStream(r.path);
        stream.on('error', () => res.destroy());
        stream.pipe(res);
        return true;
      };
      return { request: handle };
    },
  };
}

function methodNotAllowed(res: ServerResponse): true {
  send(res, 405, 'text/plain; charset=utf-8', '只支持 GET / only GET and HEAD', { allow: 'GET, HEAD' });
  return true;
}
