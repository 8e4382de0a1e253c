/**
 * The citizen's phone pages: a build of their own (no React, one small script and stylesheet) into
 * `dist/renderer/phone/`, with asset URLs under `/p/` so the same page works at `/t/{code}`,
 * `/r/{code}` and `/book`, and the public side serves that folder and nothing of the staff UIs.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  root: here('./phone/'),
  base: '/p/',
  logLevel: 'warn',
  server: {
    proxy: { '/api': { target: process.env.GOVHALL_HUB ?? 'http://127.0.0.1:8800' } },
  },
  build: {
    outDir: here('../dist/renderer/phone'),
    emptyOutDir: true,
    // WeChat's built-in browser on older Android phones (X5/XWeb, Chromium 86+), iOS Safari 13+.
    target: ['chrome86', 'safari13'],
    reportCompressedSize: false,
    assetsInlineLimit: 0,
    rollupOptions: { input: here('./phone/index.html') },
  },
});
