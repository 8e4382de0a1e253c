import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../../drivers/testing/wait-for.js';
import { verifyAuditChain } from './audit.js';
import { loadOrCreateDataKey } from './crypto.js';
import { type HallDatabase, openDatabase } from './database.js';
import { hasMagic, MaterialStore, sha256Hex } from './material-store.js';

const actor = { role: 'counter', terminalId: 't1', staffNo: '1001' } as const;
const open: HallDatabase[] = [];
afterEach(() => {
  for (const d of open.splice(0)) d.close();
});

function fresh(dir = mkdtempSync(join(tmpdir(), 'govhall-mat-'))) {
  const db = openDatabase({ dataDir: dir, appVersion: 'test' });
  open.push(db);
  let now = Date.UTC(2026, 10, 23, 2, 0);
  const store = new MaterialStore(db, loadOrCreateDataKey(dir).master, { now: () => now });
  return { dir, db, store, tick: (ms: number) => (now += ms), now: () => now };
}

/** Every file under the data folder, as bytes (database, WAL, key, materials, temp files). */
function allFiles(dir: string): Buffer[] {
  const out: Buffer[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) out.push(readFileSync(join(e.parentPath, e.name)));
  }
  return out;
}

const pdf = (text: string) => Buffer.from(`%PDF-1.4\n% ${text}\n%%EOF\n`, 'latin1');

function insertCase(db: HallDatabase, id: string, createdAt: number, synced: boolean) {
  db.db
    .prepare(
      `INSERT INTO cases (id, task_code, status, result, payload, created_at, version, synced_version)
       VALUES (?, 'T', 'finished', 'approved', '{}', ?, 1, ?)`,
    )
    .run(id, createdAt, synced ? 1 : null);
}

describe('material store', () => {
  it('stores a file once by its SHA-256, sealed: its bytes appear in no file of the data folder', () => {
    const { dir, db, store } = fresh();
    const secret = pdf(`DISTINCTIVE-PLAINTEXT-${randomUUID()}`);
    const a = store.upload(
      { bytes: secret, contentType: 'application/pdf', name: '身份证', ticketId: 'T1', windowNo: 1 },
      actor,
    );
    const b = store.upload(
      { bytes: secret, contentType: 'application/pdf', name: '身份证复印件', ticketId: 'T2', windowNo: 1 },
      actor,
    );
    expect(a.sha256).toBe(sha256Hex(secret));
    expect(a.stored).toBe(true);
    expect(b.stored).toBe(false);
    expect((db.db.prepare('SELECT count(*) n FROM materials').get() as { n: number }).n).toBe(1);
    db.db.pragma('wal_checkpoint(PASSIVE)');
    const needle = secret.subarray(12, 40);
    for (const f of allFiles(dir)) expect(f.includes(needle)).toBe(false);
    // The file's name is keyed: not the hash itself.
    const names = readdirSync(join(dir, 'materials'), { recursive: true }) as string[];
    expect(names.some((n) => n.includes(a.sha256))).toBe(false);
    expect(store.read(a.sha256)!.data.equals(secret)).toBe(true);
  });

  it('attaches only what was uploaded for the ticket, lists a case materials, audits each step', () => {
    const { db, store } = fresh();
    const one = store.upload(
      { bytes: pdf('one'), contentType: 'application/pdf', name: '户口簿', ticketId: 'T1', windowNo: 2 },
      actor,
    );
    const other = store.upload(
      { bytes: pdf('two'), contentType: 'application/pdf', name: 'x', ticketId: 'T9', windowNo: 3 },
      actor,
    );
    insertCase(db, 'C1', 0, false);
    const refused = db.db.transaction(() =>
      store.attach(
        'C1',
        'T1',
        [
          { name: '户口簿', sha256: one.sha256 },
          { name: 'x', sha256: other.sha256 },
        ],
        actor,
      ),
    )();
    expect(refused).toBe(1);
    expect(store.ofCase('C1')).toEqual([]);
    expect(
      db.db.transaction(() =>
        store.attach('C1', 'T1', [{ name: '户口簿原件', sha256: one.sha256.toUpperCase() }], actor),
      )(),
    ).toBeNull();
    expect(store.ofCase('C1')).toMatchObject([
      { sha256: one.sha256, name: '户口簿原件', contentType: 'application/pdf' },
    ]);
    expect(store.download('C1', other.sha256, actor)).toBeNull();
    expect(store.download('C1', one.sha256, actor)!.data.equals(pdf('one'))).toBe(true);
    const actions = (db.db.prepare('SELECT action FROM audit ORDER BY id').all() as { action: string }[]).map(
      (r) => r.action,
    );
    expect(actions).toEqual(['material.upload', 'material.upload', 'material.attach', 'material.download']);
    expect(verifyAuditChain(db).ok).toBe(true);
  });

  it('refuses a sealed file moved to another address or sealed with another key', () => {
    const { dir, db, store } = fresh();
    const a = store.upload(
      { bytes: pdf('a'), contentType: 'application/pdf', name: 'a', ticketId: 'T', windowNo: 1 },
      actor,
    );
    const b = store.upload(
      { bytes: pdf('b'), contentType: 'application/pdf', name: 'b', ticketId: 'T', windowNo: 1 },
      actor,
    );
    const fileOf = (s: string) =>
      (db.db.prepare('SELECT file FROM materials WHERE sha256 = ?').get(s) as { file: string }).file;
    writeFileSync(join(dir, 'materials', fileOf(b.sha256)), readFileSync(join(dir, 'materials', fileOf(a.sha256))));
    expect(() => store.read(b.sha256)).toThrow(/无法解密/);
    const other = new MaterialStore(db, Buffer.alloc(32, 7));
    expect(() => other.read(a.sha256)).toThrow(/无法解密/);
  });

  it('purges with the case retention once the platform has the case, and unattached uploads', () => {
    const { dir, db, store, now } = fresh();
    const day = 86400_000;
    const kept = store.upload(
      { bytes: pdf('kept'), contentType: 'application/pdf', name: 'k', ticketId: 'T1', windowNo: 1 },
      actor,
    );
    const old = store.upload(
      { bytes: pdf('old'), contentType: 'application/pdf', name: 'o', ticketId: 'T2', windowNo: 1 },
      actor,
    );
    const unsynced = store.upload(
      { bytes: pdf('unsynced'), contentType: 'application/pdf', name: 'u', ticketId: 'T3', windowNo: 1 },
      actor,
    );
    insertCase(db, 'C1', now(), true);
    insertCase(db, 'C2', now() - 200 * day, true);
    insertCase(db, 'C3', now() - 200 * day, false);
    db.db.transaction(() => {
      store.attach('C1', 'T1', [{ name: 'k', sha256: kept.sha256 }], actor);
      store.attach('C2', 'T2', [{ name: 'o', sha256: old.sha256 }], actor);
      store.attach('C3', 'T3', [{ name: 'u', sha256: unsynced.sha256 }], actor);
    })();
    const stray = store.upload(
      { bytes: pdf('stray'), contentType: 'application/pdf', name: 's', ticketId: 'T4', windowNo: 1 },
      actor,
    );
    const files = () =>
      readdirSync(join(dir, 'materials'), { recursive: true }).filter((f) => String(f).endsWith('.gcm')).length;
    expect(files()).toBe(4);
    const removed = store.purge({ olderThan: now() - 180 * day, uploadsOlderThan: now() + 1, now: now() });
    expect(removed).toBe(2);
    expect(store.read(old.sha256)).toBeNull();
    expect(store.read(stray.sha256)).toBeNull();
    expect(store.read(kept.sha256)).not.toBeNull();
    expect(store.read(unsynced.sha256)).not.toBeNull();
    expect(files()).toBe(2);
    const purge = db.db.prepare("SELECT detail FROM audit WHERE action = 'material.purge'").get() as { detail: string };
    expect(JSON.parse(purge.detail)).toEqual({ files: 2, attachments: 1, uploads: 4 });
  });

  it('sweeps temp files and sealed files no row names', () => {
    const { dir, store } = fresh();
    const a = store.upload(
      { bytes: pdf('a'), contentType: 'application/pdf', name: 'a', ticketId: 'T', windowNo: 1 },
      actor,
    );
    writeFileSync(join(dir, 'materials', 'tmp', 'dead.part'), 'x');
    const sub = readdirSync(join(dir, 'materials')).find(
      (d) => d !== 'tmp' && statSync(join(dir, 'materials', d)).isDirectory(),
    )!;
    writeFileSync(join(dir, 'materials', sub, 'orphan.gcm'), 'x');
    expect(store.sweepOrphans()).toBe(2);
    expect(store.read(a.sha256)).not.toBeNull();
  });

  it('knows PDF and JPEG by their first bytes', () => {
    expect(hasMagic('application/pdf', pdf('x'))).toBe(true);
    expect(hasMagic('image/jpeg', Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0]))).toBe(true);
    expect(hasMagic('image/jpeg', pdf('x'))).toBe(false);
    expect(hasMagic('application/pdf', Buffer.from([0xff, 0xd8, 0xff, 0xe0]))).toBe(false);
  });

  it('a process killed while storing leaves no row without its file; the sweep removes the orphans', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'govhall-mat-crash-'));
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(import.meta.dirname, '../../test/materials/crash-writer.ts'), dir],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    await waitFor('30 materials stored', () => out.split('\n').length > 30, 90_000);
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const { db, store } = fresh(dir);
    store.sweepOrphans();
    const rows = db.db.prepare('SELECT sha256, file FROM materials').all() as { sha256: string; file: string }[];
    for (const line of out.trim().split('\n').slice(0, -1)) expect(rows.some((r) => r.sha256 === line)).toBe(true);
    for (const r of rows) expect(sha256Hex(store.read(r.sha256)!.data)).toBe(r.sha256);
    const onDisk = (readdirSync(join(dir, 'materials'), { recursive: true }) as string[]).filter((f) =>
      f.endsWith('.gcm'),
    );
    expect(onDisk.length).toBe(rows.length);
    expect(readdirSync(join(dir, 'materials', 'tmp'))).toEqual([]);
  }, 120_000);
});
