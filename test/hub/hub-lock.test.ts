/**
 * One hub per data folder, by an operating-system lock on `hub.lock.db`: a second hub is refused in
 * Chinese, a hub killed with SIGKILL leaves nothing that blocks the next start, a PID file of an
 * earlier version naming a live process is ignored, and the maintenance commands keep working
 * beside a running hub.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanupAfterEach } from '../../drivers/testing/cleanups.js';
import { govhallSync } from '../support/govhall-cli.js';
import { call, type HubChild, spawnHubChild, tempDir } from '../support/hub-client.js';

const govhall = (args: string[]) => govhallSync(args);

const cleanups = cleanupAfterEach();

const hub = (data: string): Promise<HubChild> => spawnHubChild(cleanups, data);

describe('the hub lock', () => {
  it('refuses a second hub on the same data folder with a Chinese message', async () => {
    const data = join(tempDir(), 'data');
    const first = await hub(data);
    const second = await hub(data).catch((e: Error) => e);
    expect(second).toBeInstanceOf(Error);
    expect((second as Error).message).toContain('错误 DB_LOCKED');
    expect((second as Error).message).toContain('已有中枢在运行');
    // The first one is untouched.
    expect((await call(first.url, 'GET', '/health')).body.status).toBe('ok');
  }, 120_000);

  it('lets a new hub start at once after the previous one was killed with SIGKILL', async () => {
    const data = join(tempDir(), 'data');
    const first = await hub(data);
    const issued = await call(first.url, 'POST', '/tickets', first.kioskTokens[0], {
      serviceCode: 'ZHZX',
      channel: 'kiosk',
    });
    expect(issued.status).toBe(201);
    first.child.kill('SIGKILL');
    await first.exited;
    const second = await hub(data);
    expect((await call(second.url, 'GET', `/tickets/${issued.body.id}`, second.adminToken)).status).toBe(200);
  }, 120_000);

  it('ignores a stale hub.lock that names a live process of someone else', async () => {
    const data = join(tempDir(), 'data');
    mkdirSync(data, { recursive: true });
    // The PID of this test runner: alive, and not a hub.
    writeFileSync(join(data, 'hub.lock'), String(process.pid));
    const h = await hub(data);
    expect((await call(h.url, 'GET', '/health')).body.status).toBe('ok');
    expect(existsSync(join(data, 'hub.lock'))).toBe(false);
  }, 120_000);

  it('leaves the database open to token, backup, stats, audit verify and sync while the hub runs', async () => {
    const data = join(tempDir(), 'data');
    const h = await hub(data);
    await call(h.url, 'POST', '/tickets', h.kioskTokens[0], { serviceCode: 'ZHZX', channel: 'kiosk' });

    const created = govhall(['token', 'create', '--data', data, '--role', 'display', '--name', '二号屏']);
    expect(created.code).toBe(0);
    // The running hub accepts the token the command wrote.
    expect((await call(h.url, 'GET', '/hall', created.out.trim())).status).toBe(200);
    expect(govhall(['token', 'list', '--data', data, '--json']).out).toContain('二号屏');
    const dest = join(tempDir(), 'live.db');
    const backup = govhall(['backup', dest, '--data', data]);
    expect(backup.code).toBe(0);
    expect(backup.out).toContain('完整性检查通过');
    const stats = govhall(['stats', '--data', data, '--json']);
    expect(stats.code).toBe(0);
    expect(JSON.parse(stats.out).total.issued).toBe(1);
    const audit = govhall(['audit', 'verify', '--data', data, '--json']);
    expect(audit.code).toBe(0);
    expect(JSON.parse(audit.out)).toMatchObject({ ok: true });
    const sync = govhall(['sync', 'status', '--data', data, '--json']);
    expect(sync.code).toBe(0);
    // The devices report knows the hub is running (by the lock, not a PID).
    const devices = govhall(['devices', '--data', data, '--json']);
    expect(JSON.parse(devices.out).configured.hubRunning).toBe(true);
  }, 120_000);
});
