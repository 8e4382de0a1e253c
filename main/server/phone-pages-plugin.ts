/**
 * Serves the citizen's phone pages (docs/phone.md) on both sides of the hub — beside the staff API
 * and on the public listener — from their own build folder (`dist/renderer/phone`): `/t/{code}`,
 * `/r/{code}` and `/book` are the one page (its script reads the path), `/p/assets/…` its files.
 * Nothing else of the staff UIs is reachable from here. Every request counts against the
 * per-address limit of the public side.
 */
import { readFileSync, type Stats, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
import type { HubPlugin } from './hub-plugin.js';
import { currentLeg } from './public-plugin.js';
import { DEFAULT_UI_ROOT } from './ui-plugin.js';

const PAGE = /^\/(?:t\/[0-9A-Za-z-]{1,64}|r\/[0-9A-Za-z-]{1,64}|book)\/?$/;

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/** Same rules as the staff pages: own origin only, no framing, no inline script. */
const PAGE_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
    "connect-src 'self'; font-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
};

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

export interface PhonePagesOptions {
  /** The renderer build folder (default `dist/renderer`); the pages are in its `phone/`. */
  root?: string;
}

export function phonePagesPlugin(opts: PhonePagesOptions = {}): HubPlugin {
  const dir = resolve(opts.root ?? DEFAULT_UI_ROOT, 'phone');
  return {
    name: 'phone-pages',
    install(ctx) {
      let cached: { mtime: number; html: string } | null = null;
      /**
       * The stylesheet inside the page: on 3G every round trip costs half a second, and the first
       * paint must not wait for a second file (the script is a module: it never blocks the paint).
       */
      const inlineCss = (html: string): string =>
        html.replace(/<link rel="stylesheet"[^>]*href="\/p\/assets\/([\w.-]+\.css)"[^>]*>/, (tag, file: string) => {
          try {
            return `<style>${readFileSync(join(dir, 'assets', file), 'utf8')}</style>`;
          } catch {
            return tag;
          }
        });
      /**
       * What the ticket page shows before its script runs: the number and the service, written by
       * the hub into the page (language-neutral; the script then draws the rest and keeps it live).
       */
      const firstView = (url: URL): string => {
        const code = /^\/t\/([^/]+)\/?$/.exec(url.pathname)?.[1];
        const id = code ? ctx.ticketCodes.ticketOf(code) : null;
        const v = id ? currentLeg(ctx, id) : null;
        if (!v) return '<p class="muted">…</p>';
        const service = ctx.engine.config.services.find((s) => s.code === v.ticket.serviceCode)?.name ?? '';
        return `<section class="card"><p class="service">${escapeHtml(service)}</p><p class="number" data-testid="number">${escapeHtml(v.ticket.number)}</p></section>`;
      };
      const page = (url: URL): string | null => {
        let st: Stats;
        try {
          st = statSync(join(dir, 'index.html'));
        } catch {
          return null;
        }
        if (cached?.mtime !== st.mtimeMs)
          cached = { mtime: st.mtimeMs, html: inlineCss(readFileSync(join(dir, 'index.html'), 'utf8')) };
        // The hall's own name in the bar, from the running config (the script keeps it).
        const name = escapeHtml(ctx.engine.config.hall.name);
        const first = firstView(url);
        return cached.html
          .replace(
            '<main id="main" aria-live="polite"><p class="muted">…</p></main>',
            `<main id="main" aria-live="polite">${first}</main>`,
          )
          .replace(
            '<span id="hall" class="hall">政务大厅</span>',
            `<span id="hall" class="hall" data-named="">${name}</span>`,
          )
          .replace('<title>政务大厅</title>', `<title>${name}</title>`);
      };

      const handle = (req: IncomingMessage, res: ServerResponse, url: URL): boolean => {
        const path = url.pathname;
        const isPage = PAGE.test(path);
        const isAsset = path.startsWith('/p/assets/');
        if (!isPage && !isAsset) return false;
        ctx.takePublic(req);
        if (req.method !== 'GET' && req.method !== 'HEAD') {
          res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' }).end('只支持 GET');
          return true;
        }
        if (isPage) {
          const html = page(url);
          if (html === null) {
            const body = '页面尚未构建：请管理员运行 npm run build:renderer';
            res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8', 'retry-after': '30' }).end(body);
            return true;
          }
          res.writeHead(200, {
            'content-type': 'text/html; charset=utf-8',
            'content-length': Buffer.byteLength(html),
            'cache-control': 'no-cache',
            ...PAGE_HEADERS,
          });
          res.end(req.method === 'HEAD' ? undefined : html);
          return true;
        }
        const name = path.slice('/p/assets/'.length);
        const file = resolve(dir, 'assets', name);
        if (!/^[\w.-]+$/.test(name) || !file.startsWith(join(dir, 'assets') + sep)) return notFound(res);
        let body: Buffer;
        try {
          body = readFileSync(file);
        } catch {
          return notFound(res);
        }
        res.writeHead(200, {
          'content-type': TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
          'content-length': body.length,
          // Names carry a content hash: a new build has new names.
          'cache-control': 'public, max-age=31536000, immutable',
          'x-content-type-options': 'nosniff',
        });
        res.end(req.method === 'HEAD' ? undefined : body);
        return true;
      };
      return { request: handle, publicRequest: handle };
    },
  };
}

function notFound(res: ServerResponse): true {
  res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('文件不存在 / not found');
  return true;
}
