/** The daily backup: when it runs, what it names and keeps, how it verifies, and its alarm. */
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { QueueEngine } from '../queue/engine.js';
import { testHall } from '../queue/test-hall.js';
import { ManualClock } from '../time/clock.js';
import { inspectBackup } from './backup.js';
import { type BackupAlarm, BackupScheduler, backupFileName, KEY_COPY_SUFFIX, nextBackupAt } from './backup-schedule.js';
import { dataKeyId, FieldCipher, keyFileId, loadOrCreateDataKey } from './crypto.js';
import { type HallDatabase, openDatabase } from './database.js';
import { SqliteQueueRepository } from './queue-repository.js';

const TZ = 'Asia/Shanghai';
// 2026-11-23 10:00 in Shanghai.
const T0 = Date.UTC(2026, 10, 23, 2, 0);
const opened: HallDatabase[] = [];
const schedulers: BackupScheduler[] = [];
afterEach(async () => {
  for (const s of schedulers.splice(0)) await s.stop();
  for (const d of opened.splice(0)) d.close();
});

function hall(opts: { keep?: number; copyKey?: boolean; dir?: string } = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), 'govhall-bk-data-'));
  const handle = openDatabase({ dataDir, appVersion: 'test' });
  opened.push(handle);
  const key = loadOrCreateDataKey(dataDir);
  const repo = new SqliteQueueRepository(handle, new FieldCipher(key.master));
  const clock = new ManualClock(T0);
  const engine = new QueueEngine({ config: testHall(), repo, clock });
  const actor = { role: 'kiosk' as const, terminalId: 'k1', staffNo: null };
  for (let i = 0; i < 3; i++) engine.issue({ serviceCode: 'SB', channel: 'kiosk' }, actor);
  const dir = opts.dir ?? join(mkdtempSync(join(tmpdir(), 'govhall-bk-')), 'backups');
  const alarms: BackupAlarm[] = [];
  const scheduler = new BackupScheduler({
    handle,
    config: { dir, keep: opts.keep ?? 3, time: '02:30', copyKey: opts.copyKey ?? false },
    hallCode: 'H1',
    timeZone: () => TZ,
    now: () => clock.now(),
    keyPath: key.path,
  });
  scheduler.onAlarm = (a) => alarms.push(a);
  schedulers.push(scheduler);
  return { dataDir, handle, key, engine, actor, clock, dir, scheduler, alarms };
}

describe('backup schedule', () => {
  it('runs at the configured local time: later today, or tomorrow once it has passed', () => {
    expect(new Date(nextBackupAt(T0, '23:00', TZ)).toISOString()).toBe('2026-11-23T15:00:00.000Z');
    expect(new Date(nextBackupAt(T0, '02:30', TZ)).toISOString()).toBe('2026-11-23T18:30:00.000Z');
    // Exactly at the time: the next one is tomorrow's.
    const at = Date.UTC(2026, 10, 23, 18, 30);
    expect(nextBackupAt(at, '02:30', TZ)).toBe(at + 86_400_000);
    expect(backupFileName('H1', T0, TZ)).toBe('govhall-H1-20261123-100000.db');
  });

  it('makes a verified backup, keeps the newest N, and copies no key unless told to', async () => {
    const { scheduler, clock, dir, engine, actor, handle } = hall({ keep: 2 });
    const runs = [];
    let lastRunAt = 0;
    for (let i = 0; i < 4; i++) {
      engine.issue({ serviceCode: 'SB', channel: 'kiosk' }, actor);
      lastRunAt = clock.now();
      runs.push(await scheduler.runNow());
      clock.advance(86_400_000);
    }
    expect(runs.every((r) => r.ok)).toBe(true);
    expect(scheduler.list().map((p) => p.slice(dir.length + 1))).toEqual([
      'govhall-H1-20261125-100000.db',
      'govhall-H1-20261126-100000.db',
    ]);
    expect(runs[2]?.deleted).toEqual([join(dir, 'govhall-H1-20261123-100000.db')]);
    // The newest holds what the database held, and is sound.
    const last = inspectBackup(runs[3]!.path!);
    expect(last.integrity).toBe('ok');
    expect(last.counts.tickets).toBe((handle.db.prepare('SELECT count(*) AS n FROM tickets').get() as { n: number }).n);
    expect(last.counts.tickets).toBe(7);
    expect(runs[3]?.keyCopy).toBeNull();
    expect(existsSync(`${runs[3]!.path}${KEY_COPY_SUFFIX}`)).toBe(false);
    // No half-made file is left behind.
    expect(existsSync(`${runs[3]!.path}.partial`)).toBe(false);
    // After each run the next one is armed for the coming 02:30.
    expect(scheduler.nextRunAt).toBe(nextBackupAt(lastRunAt, '02:30', TZ));
  });

  it('copies the data key beside the backup (0600) when the config says so', async () => {
    const { scheduler, key } = hall({ copyKey: true });
    const run = await scheduler.runNow();
    expect(run.keyCopy).toBe(`${run.path}${KEY_COPY_SUFFIX}`);
    expect(statSync(run.keyCopy!).mode & 0o777).toBe(0o600);
    expect(keyFileId(run.keyCopy!)).toBe(dataKeyId(key.master));
    expect(readFileSync(run.keyCopy!, 'utf8')).toBe(readFileSync(key.path, 'utf8'));
  });

  it('raises an alarm in Chinese when a backup fails, keeps the old ones, and clears it on the next success', async () => {
    const base = mkdtempSync(join(tmpdir(), 'govhall-bk-'));
    const dir = join(base, 'backups');
    const { scheduler, alarms } = hall({ dir });
    expect((await scheduler.runNow()).ok).toBe(true);
    const kept = scheduler.list();
    // The folder is replaced by a file: the next backup cannot be written.
    renameSync(dir, `${dir}.moved`);
    writeFileSync(dir, 'not a folder');
    const failed = await scheduler.runNow();
    expect(failed.ok).toBe(false);
    expect(alarms).toHaveLength(1);
    expect(alarms[0]).toMatchObject({ level: 'alarm' });
    expect(alarms[0]?.reason).toContain('定时备份失败');
    expect(alarms[0]?.reason).toContain('可写');
    rmSync(dir);
    renameSync(`${dir}.moved`, dir);
    expect(scheduler.list()).toEqual(kept);
    const again = await scheduler.runNow();
    expect(again.ok).toBe(true);
    expect(alarms.map((a) => a.level)).toEqual(['alarm', 'clear']);
  });

  it('starts with a catch-up backup when the newest is over a day old, else waits for the time', async () => {
    const fresh = hall();
    fresh.scheduler.start();
    // No backup yet: one a minute after start.
    expect(fresh.scheduler.nextRunAt).toBe(T0 + 60_000);
    await fresh.scheduler.stop();

    const recent = hall();
    const made = await recent.scheduler.runNow();
    expect(recent.scheduler.takenAt(made.path!)).toBe(T0);
    recent.clock.advance(20 * 3600_000);
    recent.scheduler.start();
    expect(recent.scheduler.nextRunAt).toBe(nextBackupAt(recent.clock.now(), '02:30', TZ));
    recent.clock.advance(10 * 3600_000); // now 30 hours old
    recent.scheduler.start();
    expect(recent.scheduler.nextRunAt).toBe(recent.clock.now() + 60_000);
  });
});
