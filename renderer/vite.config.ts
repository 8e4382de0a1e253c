/**
 * One Vite build for the five role UIs (multi-page). Output goes to `dist/renderer/<role>/index.html`
 * with shared chunks in `dist/renderer/assets/`; asset URLs are relative so the same files load from
 * the hub (`/kiosk/`) or from any sub-path. Never from file://: a page talks to its own origin only.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';
import { ROLE_TEXT, UI_ROLES, type UiRole } from '../common/roles.js';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

/** A role's page: `role-page.html` with the role's name as title; it loads `<role>/main.tsx`. */
function rolePage(role: UiRole): string {
  return readFileSync(here('./role-page.html'), 'utf8').replace('%ROLE_TITLE%', ROLE_TEXT[role]);
}

/**
 * Every role is the same page but for its title and entry, so there is one template instead of
 * five copies. The build gets `<role>/index.html` as virtual inputs (inside the role's folder, so
 * the output path and the relative `./main.tsx` stay as they were); the dev server answers
 * `/<role>/` and `/<role>/index.html` with the same page.
 */
function rolePages(): Plugin {
  const inputs = new Map<string, UiRole>(UI_ROLES.map((r) => [here(`./${r}/index.html`), r]));
  return {
    name: 'govhall:role-pages',
    enforce: 'pre',
    resolveId: (id) => (inputs.has(id) ? id : null),
    load: (id) => {
      const role = inputs.get(id);
      return role ? rolePage(role) : null;
    },
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const url = req.url ?? '';
        const role = /^\/([a-z]+)\/(?:index\.html)?(?:\?.*)?$/.exec(url)?.[1] as UiRole | undefined;
        if (!role || !UI_ROLES.includes(role)) return next();
        server.transformIndexHtml(url, rolePage(role)).then((html) => {
          res.setHeader('content-type', 'text/html; charset=utf-8');
          res.end(html);
        }, next);
      });
    },
  };
}

export default defineConfig({
  root: here('./'),
  base: './',
  plugins: [rolePages(), react()],
  logLevel: 'warn',
  // The pages call their own origin only (CSP connect-src 'self', no ?hub=): the dev server passes
  // the API and its WebSockets on to a running hub (GOVHALL_HUB, default the local one).
  server: {
    proxy: { '/api': { target: process.env.GOVHALL_HUB ?? 'http://127.0.0.1:8800', ws: true } },
  },
  build: {
    outDir: here('../dist/renderer'),
    emptyOutDir: true,
    target: 'chrome110',
    reportCompressedSize: false,
    chunkSizeWarningLimit: 800,
    rollupOptions: {
      input: Object.fromEntries(UI_ROLES.map((r) => [r, here(`./${r}/index.html`)])),
    },
  },
});
