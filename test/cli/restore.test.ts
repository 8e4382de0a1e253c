/**
 * `govhall restore` as a person runs it: a backup made beside a running hub, a dry run that says
 * what would be replaced and changes nothing, a refusal while the hub runs, the real restore with
 * the replaced database kept aside, and the data key checked (and put back with --key).
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanupAfterEach } from '../../drivers/testing/cleanups.js';
import { govhallSync } from '../support/govhall-cli.js';
import { call, type HubChild, spawnHubChild, tempDir } from '../support/hub-client.js';

const govhall = (args: string[]) => govhallSync(args);

const cleanups = cleanupAfterEach();
const hub = (data: string): Promise<HubChild> => spawnHubChild(cleanups, data);
async function stop(h: HubChild) {
  h.child.kill('SIGTERM');
  expect(await h.exited).toBe(0);
}
const issue = async (h: HubChild) =>
  (await call(h.url, 'POST', '/tickets', h.kioskTokens[0], { serviceCode: 'ZHZX', channel: 'kiosk' })).body
    .id as string;

describe('govhall restore', () => {
  it('dry run, refusal while the hub runs, restore with the old database kept aside', async () => {
    const data = join(tempDir(), 'data');
    const backup = join(tempDir(), 'hall.db');
    const first = await hub(data);
    const kept = [await issue(first), await issue(first)];
    expect(govhall(['backup', backup, '--data', data]).code).toBe(0);
    const later = await issue(first);

    const dry = govhall(['restore', backup, '--data', data, '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.out).toContain('完整性 / integrity: 通过 ok');
    expect(dry.out).toContain('票 2');
    expect(dry.out).toContain(`将被替换 / would replace: ${join(data, 'govhall.db')}`);
    expect(dry.out).toContain('票 3');
    expect(dry.out).toMatch(/govhall\.db\.before-restore-\d{8}-\d{6}/);
    expect(dry.out).toContain('没有改动任何文件');
    expect((await call(first.url, 'GET', `/tickets/${later}`, first.adminToken)).status).toBe(200);

    const refused = govhall(['restore', backup, '--data', data]);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('错误 DB_LOCKED');
    expect(refused.err).toContain('先停止中枢');

    await stop(first);
    const done = govhall(['restore', backup, '--data', data]);
    expect(done.err).toBe('');
    expect(done.code).toBe(0);
    const aside = /原数据库保留在 \/ previous database kept at: (\S+)/.exec(done.out)?.[1];
    expect(aside && existsSync(aside)).toBe(true);
    expect(statSync(aside!).size).toBeGreaterThan(0);

    const second = await hub(data);
    for (const id of kept)
      expect((await call(second.url, 'GET', `/tickets/${id}`, second.adminToken)).status).toBe(200);
    expect((await call(second.url, 'GET', `/tickets/${later}`, second.adminToken)).status).toBe(404);
    await stop(second);
    const audit = govhall(['audit', 'verify', '--data', data, '--json']);
    expect(JSON.parse(audit.out)).toMatchObject({ ok: true });
  }, 120_000);

  it('refuses a backup whose key is not in place, and puts the key back with --key', async () => {
    const source = join(tempDir(), 'source');
    const backup = join(tempDir(), 'hall.db');
    const h = await hub(source);
    await issue(h);
    await stop(h);
    const made = govhall(['backup', backup, '--data', source]);
    expect(made.out).toContain(join(source, 'keys', 'data.key'));

    // Another machine: its own data folder and key.
    const target = join(tempDir(), 'target');
    expect(govhall(['token', 'create', '--data', target, '--role', 'display']).code).toBe(0);
    const noKey = govhall(['restore', backup, '--data', target, '--dry-run']);
    expect(noKey.code).toBe(1);
    expect(noKey.out).toContain('数据目录中没有密钥文件');
    mkdirSync(join(target, 'keys'), { recursive: true, mode: 0o700 });
    const otherKey = `${randomBytes(32).toString('base64')}\n`;
    writeFileSync(join(target, 'keys', 'data.key'), otherKey, { mode: 0o600 });
    const refused = govhall(['restore', backup, '--data', target]);
    expect(refused.code).toBe(1);
    expect(refused.out).toContain('另一把密钥');
    expect(refused.out).toContain('--key');
    expect(refused.err).toContain('数据目录未改动');

    const keyFile = join(source, 'keys', 'data.key');
    const restored = govhall(['restore', backup, '--data', target, '--key', keyFile]);
    expect(restored.code).toBe(0);
    expect(restored.out).toContain('原密钥文件保留在');
    expect(readFileSync(join(target, 'keys', 'data.key'), 'utf8')).toBe(readFileSync(keyFile, 'utf8'));
    expect(statSync(join(target, 'keys', 'data.key')).mode & 0o777).toBe(0o600);
    const keyAside = /原密钥文件保留在 \/ previous key kept at: (\S+)/.exec(restored.out)?.[1];
    expect(readFileSync(keyAside!, 'utf8')).toBe(otherKey);
    // The hub starts on it: key and database belong together.
    const again = await hub(target);
    expect((await call(again.url, 'GET', '/health')).body.status).toBe('ok');
  }, 120_000);

  it('refuses a file that is no backup, changing nothing', () => {
    const data = join(tempDir(), 'data');
    expect(govhall(['token', 'create', '--data', data, '--role', 'display']).code).toBe(0);
    const before = readFileSync(join(data, 'govhall.db'));
    const junk = join(tempDir(), 'junk.db');
    writeFileSync(junk, 'this is not a database at all, just some words to fill a page or two');
    const r = govhall(['restore', junk, '--data', data]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/错误 BACKUP_FAILED/);
    expect(readFileSync(join(data, 'govhall.db')).equals(before)).toBe(true);
    expect(govhall(['restore', join(tempDir(), 'missing.db'), '--data', data]).err).toContain('不存在');
  }, 120_000);
});
