/**
 * The hub with a `backup` section: its daily backup lands in the configured folder, verified, and a
 * failure becomes a persisted `backup.alarm` event; a hub refuses a key file that is not its
 * database's.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { HubApp } from '../../main/hall/hub-app.js';
import { startHubApp } from '../../main/hall/hub-app.js';
import { inspectBackup } from '../../main/store/backup.js';
import { dataKeyId, loadOrCreateDataKey } from '../../main/store/crypto.js';
import { call, demoConfig, startTestHub, tempDir } from '../support/hub-client.js';

const apps: HubApp[] = [];
afterEach(async () => {
  for (const a of apps.splice(0)) await a.close();
});

describe('scheduled backups in the hub', () => {
  it('backs up to the configured folder, verified, and raises backup.alarm when it cannot', async () => {
    const base = tempDir();
    const dataDir = join(base, 'data');
    const dir = join(base, 'backups');
    const app = await startHubApp({
      config: { ...demoConfig(), backup: { dir, keep: 7, time: '02:30', copyKey: false } },
      dataDir,
      port: 0,
      version: 'test',
    });
    apps.push(app);
    const kiosk = await app.createToken('kiosk', undefined, 'k');
    expect((await call(app.url, 'POST', '/tickets', kiosk, { serviceCode: 'ZHZX', channel: 'kiosk' })).status).toBe(
      201,
    );
    // No backup yet: a catch-up one is due a minute after start.
    expect(app.backup?.nextRunAt).toBeGreaterThan(Date.now());
    const run = await app.backup!.runNow();
    expect(run.ok).toBe(true);
    expect(run.path?.startsWith(join(dir, `govhall-${demoConfig().hall.code}-`))).toBe(true);
    const copy = inspectBackup(run.path!);
    expect(copy).toMatchObject({ integrity: 'ok', counts: { tickets: 1 } });
    // The backup names the key its ID numbers need.
    expect(copy.keyId).toBe(dataKeyId(loadOrCreateDataKey(dataDir).master));

    // The folder becomes a file: the next backup fails, and the hall hears of it.
    renameSync(dir, `${dir}.old`);
    writeFileSync(dir, 'x');
    expect((await app.backup!.runNow()).ok).toBe(false);
    const raw = new Database(join(dataDir, 'govhall.db'), { readonly: true });
    const rows = raw.prepare("SELECT payload FROM events WHERE type = 'backup.alarm'").all() as { payload: string }[];
    raw.close();
    expect(rows).toHaveLength(1);
    expect(JSON.parse(rows[0]!.payload)).toMatchObject({
      level: 'alarm',
      reason: expect.stringContaining('定时备份失败'),
    });
  });

  it("refuses to start with a key file that is not the database's own", async () => {
    const dataDir = join(tempDir(), 'data');
    const first = await startTestHub({ dataDir });
    await first.close();
    // Someone puts another key in place.
    mkdirSync(join(dataDir, 'keys'), { recursive: true });
    writeFileSync(join(dataDir, 'keys', 'data.key'), `${Buffer.alloc(32, 7).toString('base64')}\n`, { mode: 0o600 });
    const err = await startHubApp({ config: demoConfig(), dataDir, port: 0, version: 'test' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'KEY_INVALID' });
    expect((err as Error).message).toContain('不配套');
    expect((err as Error).message).toContain('govhall restore --key');
  });
});
