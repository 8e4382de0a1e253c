#!/usr/bin/env node
// First step of `npm test` (pretest) and of .ci/run: the Debian packages the suites use must be on
// the machine. Without socat the serial-device suites fail and without Chromium the UI suites cannot
// run, minutes into the run; here a newcomer learns it at once, with the one command that fixes it.
// As root with apt (CI, a fresh container) the missing packages are installed instead.
// Only Node built-ins: .ci/run calls this before `npm install`.
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The one list of system packages the tests need (Debian names):
 * socat — virtual serial port pairs for the device suites; chromium + fonts-noto-cjk — the UI and
 * end-to-end suites render Chinese pages; udev — `govhall devices` lists ports through udevadm;
 * poppler-utils — pdftotext reads the generated PDFs; libusb-1.0-0 — node-hid.
 */
export const SYSTEM_PACKAGES = ['socat', 'chromium', 'fonts-noto-cjk', 'udev', 'poppler-utils', 'libusb-1.0-0'];

/** The wanted packages that `dpkg-query -W -f '${Package} ${db:Status-Status}\n'` does not show installed. */
export function missingPackages(wanted, dpkgOutput) {
  const installed = new Set();
  for (const line of dpkgOutput.split('\n')) {
    const [name, status] = line.trim().split(/\s+/);
    if (name && status === 'installed') installed.add(name.replace(/:.*$/, ''));
  }
  return wanted.filter((p) => !installed.has(p));
}

/**
 * What to do about the machine, decided from facts alone:
 * `missing` null = this is not a dpkg system, so nothing can be told.
 */
export function decide({ missing, isRoot, hasApt }) {
  if (missing === null) return { action: 'unknown' };
  if (missing.length === 0) return { action: 'ok' };
  if (isRoot && hasApt) return { action: 'install', packages: missing };
  const command = `${isRoot ? '' : 'sudo '}apt-get install -y ${missing.join(' ')}`;
  return { action: 'stop', packages: missing, command };
}

export function stopMessage(packages, command) {
  return [
    `SYSTEM_PACKAGES_MISSING 测试需要的系统软件包没有安装：${packages.join(' ')}`,
    '请运行下面的命令安装，然后重新运行 npm test：',
    '',
    `    ${command}`,
    '',
    `The tests need system packages that are not installed: ${packages.join(' ')}.`,
    'Install them with the command above, then run npm test again.',
  ].join('\n');
}

function onPath(cmd) {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    try {
      accessSync(join(dir, cmd), constants.X_OK);
      return true;
    } catch {
      // not here
    }
  }
  return false;
}

/** Missing packages by one dpkg-query call, or null when there is no dpkg. */
function queryMissing(packages) {
  // biome-ignore lint/suspicious/noTemplateCurlyInString: dpkg-query's own format fields, not a template
  const format = '${Package} ${db:Status-Status}\\n';
  const r = spawnSync('dpkg-query', ['-W', '-f', format, ...packages], {
    encoding: 'utf8',
  });
  if (r.error) return null; // ENOENT: not a Debian-like system
  // dpkg-query exits 1 when a name is unknown to it; the known ones are still printed.
  return missingPackages(packages, r.stdout ?? '');
}

function run(cmd, args) {
  const r = spawnSync(cmd, args, {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  return r.status === 0;
}

export function main() {
  const facts = {
    missing: queryMissing(SYSTEM_PACKAGES),
    isRoot: process.getuid?.() === 0,
    hasApt: onPath('apt-get'),
  };
  const step = decide(facts);
  if (step.action === 'ok') return 0;
  if (step.action === 'unknown') {
    console.warn(
      `没有 dpkg，无法检查系统软件包；测试需要（Debian 包名）：${SYSTEM_PACKAGES.join(' ')}\n` +
        `no dpkg here, so system packages are not checked; the tests need (Debian names): ${SYSTEM_PACKAGES.join(' ')}`,
    );
    return 0;
  }
  if (step.action === 'stop') {
    console.error(stopMessage(step.packages, step.command));
    return 1;
  }
  console.log(`== 安装测试需要的系统软件包 / installing system packages: ${step.packages.join(' ')}`);
  const installed =
    run('apt-get', ['update', '-qq']) &&
    run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...step.packages]);
  const still = queryMissing(step.packages) ?? step.packages;
  if (!installed || still.length) {
    console.error(stopMessage(still.length ? still : step.packages, `apt-get install -y ${step.packages.join(' ')}`));
    return 1;
  }
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main();
}
