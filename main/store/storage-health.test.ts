/**
 * Telling a disk problem from other failures, without root: a database limited by
 * `PRAGMA max_page_count` stands in for a full disk (the hub-level tests in test/hub/storage.test.ts
 * use real small file systems).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from './database.js';
import { classifyStorageError, probeDirectory, StorageMonitor, storageMessage } from './storage-health.js';

const opened: { close(): void }[] = [];
afterEach(() => {
  for (const o of opened.splice(0)) o.close();
});

function limitedDatabase() {
  const dir = mkdtempSync(join(tmpdir(), 'govhall-storage-'));
  const h = openDatabase({ dataDir: dir, appVersion: 'test' });
  opened.push(h);
  h.db.exec('CREATE TABLE filler (x BLOB)');
  const pages = h.db.pragma('page_count', { simple: true }) as number;
  h.db.pragma(`max_page_count = ${pages + 2}`);
  const fill = () => h.db.prepare('INSERT INTO filler VALUES (?)').run(Buffer.alloc(64 * 1024));
  return { dir, h, fill, pages };
}

describe('storage problems (full disk simulated with max_page_count)', () => {
  it('SQLITE_FULL is STORAGE_FULL; other errors are not storage problems', () => {
    const { fill } = limitedDatabase();
    const err = (() => {
      try {
        fill();
        return null;
      } catch (e) {
        return e;
      }
    })();
    expect(err).toMatchObject({ code: 'SQLITE_FULL' });
    expect(classifyStorageError(err, () => 'ok')).toBe('STORAGE_FULL');
    expect(classifyStorageError(new Error('boom'), () => 'full')).toBeNull();
    expect(classifyStorageError({ code: 'SQLITE_CONSTRAINT_UNIQUE' }, () => 'full')).toBeNull();
  });

  it('an I/O error is classified by probing the folder (SQLite does not pass the errno on)', () => {
    const ioerr = { code: 'SQLITE_IOERR_WRITE', message: 'disk I/O error' };
    expect(classifyStorageError(ioerr, () => 'read-only')).toBe('STORAGE_READ_ONLY');
    expect(classifyStorageError(ioerr, () => 'full')).toBe('STORAGE_FULL');
    expect(classifyStorageError(ioerr, () => 'ok')).toBeNull();
    expect(classifyStorageError({ code: 'SQLITE_READONLY' }, () => 'ok')).toBe('STORAGE_READ_ONLY');
    expect(probeDirectory(mkdtempSync(join(tmpdir(), 'govhall-probe-')))).toBe('ok');
    expect(probeDirectory('/nonexistent/govhall')).toBe('error');
  });

  it('the monitor records a problem once, with what to do, and clears it when writes work again', () => {
    const { dir, h, fill, pages } = limitedDatabase();
    const logged: string[] = [];
    const monitor = new StorageMonitor({ dataDir: dir, db: h.db, now: () => 1000, log: (_l, m) => logged.push(m) });
    opened.push(monitor);
    let failure: unknown = null;
    try {
      fill();
    } catch (e) {
      failure = e;
    }
    const p = monitor.noteFailure(failure);
    expect(p).toEqual({ code: 'STORAGE_FULL', message: storageMessage('STORAGE_FULL', dir), since: 1000 });
    expect(p?.message).toContain('清理');
    expect(monitor.noteFailure(failure)).toBe(p);
    expect(logged.filter((m) => m.includes('STORAGE_FULL'))).toHaveLength(1);
    expect(monitor.noteFailure(new Error('not the disk'))).toBeNull();
    // Space returns.
    h.db.pragma(`max_page_count = ${pages + 1000}`);
    expect(monitor.status()).toBeNull();
    expect(logged.at(-1)).toContain('存储已恢复');
    fill();
  });
});
