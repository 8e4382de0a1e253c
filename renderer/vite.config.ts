/**
 * One Vite build for the five role UIs (multi-page). Output goes to `dist/renderer/<role>/index.html`
 * with shared chunks in `dist/renderer/assets/`; asset URLs are relative so the same files load from
 * the hub (`/kiosk/`), from a file:// URL in Electron, or from any sub-path.
 */
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { UI_ROLES } from '../common/roles.js';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  root: here('./'),
  base: './',
  plugins: [react()],
  logLevel: 'warn',
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
