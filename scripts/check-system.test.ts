import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { decide, missingPackages, SYSTEM_PACKAGES } from './check-system.mjs';

const SCRIPT = fileURLToPath(new URL('./check-system.mjs', import.meta.url));

describe('system packages for the tests: the decision', () => {
  const missing = ['socat', 'chromium'];

  it('is ok when nothing is missing, whoever runs it', () => {
    for (const isRoot of [true, false])
      for (const hasApt of [true, false]) expect(decide({ missing: [], isRoot, hasApt })).toEqual({ action: 'ok' });
  });

  it('installs exactly the missing packages as root with apt', () => {
    expect(decide({ missing, isRoot: true, hasApt: true })).toEqual({ action: 'install', packages: missing });
  });

  it('stops with the one command to run otherwise', () => {
    expect(decide({ missing, isRoot: false, hasApt: true })).toEqual({
      action: 'stop',
      packages: missing,
      command: 'sudo apt-get install -y socat chromium',
    });
    expect(decide({ missing, isRoot: false, hasApt: false })).toMatchObject({
      action: 'stop',
      command: 'sudo apt-get install -y socat chromium',
    });
    expect(decide({ missing, isRoot: true, hasApt: false })).toMatchObject({
      action: 'stop',
      command: 'apt-get install -y socat chromium',
    });
  });

  it('cannot tell without dpkg', () => {
    expect(decide({ missing: null, isRoot: true, hasApt: true })).toEqual({ action: 'unknown' });
  });

  it('reads dpkg-query: only "installed" counts', () => {
    const out = ['socat installed', 'chromium config-files', 'udev installed', 'libusb-1.0-0 installed', ''].join('\n');
    expect(missingPackages(SYSTEM_PACKAGES, out)).toEqual(['chromium', 'fonts-noto-cjk', 'poppler-utils']);
  });
});

describe('system packages for the tests: the script', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  /** Runs the script with a PATH holding only a stand-in dpkg-query that prints `installed`. */
  function runWith(installed: string[]) {
    const bin = mkdtempSync(join(tmpdir(), 'govhall-sys-'));
    dirs.push(bin);
    const lines = installed.map((p) => `echo '${p} installed'`).join('\n');
    writeFileSync(join(bin, 'dpkg-query'), `#!/bin/sh\n${lines}\n`);
    chmodSync(join(bin, 'dpkg-query'), 0o755);
    return spawnSync(process.execPath, [SCRIPT], { encoding: 'utf8', env: { PATH: bin } });
  }

  it('says nothing and exits 0 when everything is there', () => {
    const r = runWith(SYSTEM_PACKAGES);
    expect(r.status).toBe(0);
    expect(r.stdout + r.stderr).toBe('');
  });

  it('stops at once with the command, in Chinese and English, when apt cannot be used', () => {
    const r = runWith(SYSTEM_PACKAGES.filter((p) => p !== 'socat' && p !== 'poppler-utils'));
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('SYSTEM_PACKAGES_MISSING 测试需要的系统软件包没有安装：socat poppler-utils');
    expect(r.stderr).toMatch(/apt-get install -y socat poppler-utils\n/);
    expect(r.stderr).toContain('The tests need system packages that are not installed: socat poppler-utils.');
  });
});
