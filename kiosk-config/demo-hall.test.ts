/** The demo hall's file is recognised however its path is written. */
import { copyFileSync, linkSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEMO_HALL_PATH, isDemoHallFile } from './demo-hall.js';

describe('isDemoHallFile', () => {
  it('compares real files, not strings', () => {
    const dir = mkdtempSync(join(tmpdir(), 'govhall-demo-path-'));
    try {
      // A stand-in for the shipped file, so links can be made beside it on the same file system.
      const demo = join(dir, 'shipped', 'demo-hall.yaml');
      mkdirSync(join(dir, 'shipped'));
      copyFileSync(DEMO_HALL_PATH, demo);
      symlinkSync(demo, join(dir, 'link.yaml'));
      linkSync(demo, join(dir, 'hard.yaml'));
      copyFileSync(demo, join(dir, 'copy.yaml'));
      expect(isDemoHallFile(demo, demo)).toBe(true);
      expect(isDemoHallFile(relative(process.cwd(), demo), demo)).toBe(true);
      expect(isDemoHallFile(join(dir, 'shipped', '..', 'shipped', 'demo-hall.yaml'), demo)).toBe(true);
      expect(isDemoHallFile(join(dir, 'link.yaml'), demo)).toBe(true);
      expect(isDemoHallFile(join(dir, 'hard.yaml'), demo)).toBe(true);
      expect(isDemoHallFile(join(dir, 'copy.yaml'), demo)).toBe(false);
      expect(isDemoHallFile(join(dir, 'missing.yaml'), demo)).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('knows the shipped file by a relative path', () => {
    expect(isDemoHallFile(relative(process.cwd(), DEMO_HALL_PATH))).toBe(true);
    expect(isDemoHallFile(`./${relative(process.cwd(), DEMO_HALL_PATH)}`)).toBe(true);
  });
});
