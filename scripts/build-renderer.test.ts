import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { hasRendererSources, isStale } from './build-renderer.mjs';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A checkout in a temp folder with every file at `t0` seconds; `touch` moves one file's mtime. */
function checkout() {
  const root = mkdtempSync(join(tmpdir(), 'govhall-ui-stale-'));
  dirs.push(root);
  const t0 = 1_700_000_000;
  const files = [
    'package-lock.json',
    'renderer/vite.config.ts',
    'renderer/kiosk/main.tsx',
    'renderer/kiosk/main.test.tsx',
    'renderer/node_modules/.vite/cache.json',
    'common/hall-calendar.ts',
    'common/hall-calendar.test.ts',
    'main/queue/types.ts',
    'main/queue/engine.ts',
    'main/server/admin/types.ts',
  ];
  const touch = (rel: string, seconds: number) => {
    const p = join(root, rel);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, '');
    utimesSync(p, seconds, seconds);
  };
  for (const f of files) touch(f, t0);
  return { root, t0, touch };
}

describe('renderer staleness (shared by npm run build:renderer --if-stale, govhall start and the UI tests)', () => {
  it('is stale until built, then fresh until a source that changes the bundle is newer', () => {
    const { root, t0, touch } = checkout();
    expect(hasRendererSources(root)).toBe(true);
    expect(isStale(root)).toBe(true); // never built
    touch('dist/renderer/.build-stamp', t0 + 10);
    expect(isStale(root)).toBe(false);

    let now = t0 + 10;
    const later = () => {
      now += 10;
      return now;
    };
    for (const rel of [
      'renderer/kiosk/main.tsx',
      'common/hall-calendar.ts',
      'main/queue/types.ts',
      'main/server/admin/types.ts',
      'package-lock.json',
    ]) {
      touch(rel, later());
      expect(isStale(root), rel).toBe(true);
      touch('dist/renderer/.build-stamp', later());
      expect(isStale(root), rel).toBe(false);
    }
    touch('renderer/vite.config.ts', later());
    expect(isStale(root)).toBe(true);
  });

  it('ignores tests, node_modules and main/ code the UIs do not import', () => {
    const { root, t0, touch } = checkout();
    touch('dist/renderer/.build-stamp', t0 + 10);
    for (const rel of [
      'renderer/kiosk/main.test.tsx',
      'renderer/node_modules/.vite/cache.json',
      'common/hall-calendar.test.ts',
      'main/queue/engine.ts',
    ]) {
      touch(rel, t0 + 20);
      expect(isStale(root), rel).toBe(false);
    }
  });

  it('knows an installed app (no sources) from a checkout', () => {
    const root = mkdtempSync(join(tmpdir(), 'govhall-ui-stale-'));
    dirs.push(root);
    expect(hasRendererSources(root)).toBe(false);
  });
});
