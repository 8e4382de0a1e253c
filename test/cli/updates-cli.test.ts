/**
 * `govhall updates` as an admin runs it on the hub: what the updates/ folder offers, files missing,
 * and the staged rollout written into every latest*.yml (kept otherwise as electron-builder wrote it).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { describeChannel, withStaging } from '../../main/cli/update-releases.js';
import { govhall } from '../support/govhall-cli.js';
import { tempDir } from '../support/hub-client.js';

const WIN = `version: 0.2.0
files:
  - url: govhall-0.2.0-win-x64.exe
    sha512: abc==
    size: 3
path: govhall-0.2.0-win-x64.exe
sha512: abc==
releaseDate: '2026-12-04T02:00:00.000Z'
`;
const LINUX = `version: 0.2.0
files:
  - url: govhall-0.2.0-x86_64.AppImage
    sha512: def==
    size: 3
path: govhall-0.2.0-x86_64.AppImage
sha512: def==
`;

describe('release channels', () => {
  it('says what a latest.yml offers and which of its files are missing', () => {
    const c = describeChannel('latest.yml', WIN, new Set(['latest.yml']));
    expect(c).toMatchObject({ version: '0.2.0', stagingPercentage: null });
    expect(c.files).toEqual([{ name: 'govhall-0.2.0-win-x64.exe', present: false }]);
    expect(c.problems.join()).toContain('缺少文件 govhall-0.2.0-win-x64.exe');
    expect(describeChannel('latest.yml', 'version: [', new Set()).problems[0]).toMatch(/YAML/);
  });

  it('sets and removes the staging line, keeping the rest as written', () => {
    const staged = withStaging(WIN, 20);
    expect(parse(staged)).toEqual({ ...parse(WIN), stagingPercentage: 20 });
    expect(staged.startsWith(WIN.trimEnd())).toBe(true);
    expect(parse(withStaging(staged, 50)).stagingPercentage).toBe(50);
    expect(parse(withStaging(staged, 100))).toEqual(parse(WIN));
    expect(() => withStaging(WIN, 0)).toThrow(RangeError);
  });
});

describe('govhall updates', () => {
  it('lists the offer, stages it at 20 %, then opens it to all terminals', async () => {
    const data = tempDir('govhall-updates-cli-');
    const dir = join(data, 'updates');
    mkdirSync(dir);
    writeFileSync(join(dir, 'latest.yml'), WIN);
    writeFileSync(join(dir, 'latest-linux.yml'), LINUX);
    writeFileSync(join(dir, 'govhall-0.2.0-win-x64.exe'), 'exe');

    const missing = await govhall(['updates', '--data', data]);
    expect(missing.code).toBe(1);
    expect(missing.out).toContain('latest.yml: 版本 0.2.0，提供给全部终端');
    expect(missing.out).toContain('✗ govhall-0.2.0-x86_64.AppImage');

    writeFileSync(join(dir, 'govhall-0.2.0-x86_64.AppImage'), 'app');
    const staged = await govhall(['updates', 'stage', '20', '--data', data]);
    expect(staged.code).toBe(0);
    expect(staged.out).toContain('约 20% 的终端');
    expect(parse(readFileSync(join(dir, 'latest.yml'), 'utf8')).stagingPercentage).toBe(20);
    expect(parse(readFileSync(join(dir, 'latest-linux.yml'), 'utf8')).stagingPercentage).toBe(20);
    const listed = await govhall(['updates', '--data', data, '--json']);
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.out).channels.map((c: { stagingPercentage: number }) => c.stagingPercentage)).toEqual([
      20, 20,
    ]);

    expect((await govhall(['updates', 'stage', '100', '--data', data])).code).toBe(0);
    expect(parse(readFileSync(join(dir, 'latest.yml'), 'utf8'))).toEqual(parse(WIN));
    const bad = await govhall(['updates', 'stage', '120', '--data', data]);
    expect(bad.code).not.toBe(0);
    expect(bad.err).toContain('1 到 100');
  }, 120_000);
});
