/**
 * A hub whose disk fills up or turns read-only, on real small file systems (root: these tests
 * mount): writes answer 503 with a Chinese message and code, reads keep working, `/health` says
 * degraded with the reason, nothing is corrupt afterwards, and once space returns writes work again
 * without a restart. A hub started on a read-only data folder refuses with the same code.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startHubApp } from '../../main/hall/hub-app.js';
import { verifyAuditChain } from '../../main/store/audit.js';
import { openDatabase } from '../../main/store/database.js';
import { call, demoConfig, startTestHub, tempDir } from '../support/hub-client.js';
import { bindReadOnly, mountExt4, mountTmpfs } from '../support/small-disk.js';

const undo: (() => unknown)[] = [];
afterEach(async () => {
  const failures: unknown[] = [];
  for (const u of undo.splice(0).reverse()) {
    try {
      await u();
    } catch (e) {
      failures.push(e); // the next cleanup still runs; a mount left behind fails the test
    }
  }
  if (failures.length) throw failures[0];
});

type Hub = Awaited<ReturnType<typeof startTestHub>>;

const issue = (hub: Hub) => call(hub.url, 'POST', '/tickets', hub.kiosk, { serviceCode: 'ZHZX', channel: 'kiosk' });

/** Issues until the hub refuses (the last WAL space may take a few more); returns the refusal. */
async function issueUntilRefused(hub: Hub, confirmed: string[]) {
  for (let i = 0; i < 200; i++) {
    const r = await issue(hub);
    if (r.status !== 201) return r;
    confirmed.push(r.body.number);
  }
  throw new Error('the full disk never refused a write');
}

/** Every confirmed ticket is there, the file is sound and the audit chain unbroken. */
function checkDatabase(dataDir: string, confirmed: string[]) {
  const h = openDatabase({ dataDir, appVersion: 'test' });
  try {
    expect(h.db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(verifyAuditChain(h).ok).toBe(true);
    const numbers = new Set(
      (h.db.prepare('SELECT number FROM tickets').all() as { number: string }[]).map((r) => r.number),
    );
    for (const n of confirmed) expect(numbers.has(n)).toBe(true);
  } finally {
    h.close();
  }
}

describe('storage problems of a running hub', () => {
  it('disk full (size-limited tmpfs mount): 503 STORAGE_FULL, reads work, degraded, then back without a restart', async () => {
    const disk = mountTmpfs(6 * 1024);
    undo.push(() => disk.unmount());
    const dataDir = join(disk.dir, 'data');
    const hub = await startTestHub({ dataDir });
    undo.push(() => hub.close());
    const confirmed: string[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await issue(hub);
      expect(r.status).toBe(201);
      confirmed.push(r.body.number);
    }
    const firstId = (await call(hub.url, 'GET', '/queue', hub.admin)).body[0].id as string;

    disk.fill();
    const refused = await issueUntilRefused(hub, confirmed);
    expect(refused.status).toBe(503);
    expect(refused.body.code).toBe('STORAGE_FULL');
    expect(refused.body.message).toContain('磁盘已满');
    expect(refused.body.message).toContain('清理');
    expect(refused.headers.get('retry-after')).toBe('30');
    // Other writes are refused the same way (a token is a write too).
    const token = await call(hub.url, 'POST', '/admin/tokens', hub.admin, { role: 'display', name: '满盘屏' });
    expect(token.status).toBe(503);

    // Reads keep working.
    expect((await call(hub.url, 'GET', '/hall', hub.display)).status).toBe(200);
    expect((await call(hub.url, 'GET', `/tickets/${firstId}`, hub.admin)).status).toBe(200);
    expect((await call(hub.url, 'GET', '/queue', hub.admin)).body.length).toBe(confirmed.length);
    const degraded = await call(hub.url, 'GET', '/health');
    expect(degraded.status).toBe(200);
    expect(degraded.body).toMatchObject({ status: 'degraded', reason: { code: 'STORAGE_FULL' } });
    expect(degraded.body.reason.message).toContain('磁盘已满');

    // Space returns: health and writes recover, numbering goes on where it was.
    disk.unfill();
    expect((await call(hub.url, 'GET', '/health')).body).toEqual({
      status: 'ok',
      version: 'test',
      businessDay: expect.any(String),
    });
    const after = await issue(hub);
    expect(after.status).toBe(201);
    expect(confirmed).not.toContain(after.body.number);
    confirmed.push(after.body.number);
    expect(Number(after.body.number.slice(1))).toBeGreaterThan(
      Math.max(...confirmed.slice(0, -1).map((n) => Number(n.slice(1)))),
    );
    expect(hub.app.storage.problem).toBeNull();
    await hub.close();
    undo.pop();
    checkDatabase(dataDir, confirmed);
  });

  it('read-only disk (ext4 loop image remounted read-only by the kernel): 503 STORAGE_READ_ONLY, reads work, degraded', async () => {
    const disk = mountExt4(32);
    undo.push(() => disk.dispose());
    const dataDir = join(disk.dir, 'data');
    const hub = await startTestHub({ dataDir });
    undo.push(() => hub.close());
    const confirmed: string[] = [];
    for (let i = 0; i < 5; i++) confirmed.push((await issue(hub)).body.number);

    disk.failReadOnly();
    const refused = await issue(hub);
    expect(refused.status).toBe(503);
    expect(refused.body.code).toBe('STORAGE_READ_ONLY');
    expect(refused.body.message).toContain('只读');
    expect((await call(hub.url, 'GET', '/queue', hub.admin)).body.length).toBe(5);
    expect((await call(hub.url, 'GET', '/hall', hub.display)).status).toBe(200);
    const health = await call(hub.url, 'GET', '/health');
    expect(health.body).toMatchObject({ status: 'degraded', reason: { code: 'STORAGE_READ_ONLY' } });

    // After repair and a read-write mount, the data is whole.
    await hub.close();
    undo.pop();
    disk.unmount();
    disk.remount();
    checkDatabase(dataDir, confirmed);
  });

  it('a hub started on a read-only data folder refuses with STORAGE_READ_ONLY and what to do', async () => {
    const source = join(tempDir(), 'data');
    mkdirSync(source);
    const first = await startTestHub({ dataDir: source });
    await first.close();
    const ro = bindReadOnly(source);
    undo.push(() => ro.unmount());
    const err = await startHubApp({ config: demoConfig(), dataDir: ro.dir, port: 0, version: 'test' }).catch(
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ code: 'STORAGE_READ_ONLY' });
    expect((err as Error).message).toContain('只读');
    expect((err as Error).message).toContain('mount');
  });
});
