import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { gb11643CheckChar } from '../../common/cert-number.js';
import { QueueEngine } from '../queue/engine.js';
import { testHall } from '../queue/test-hall.js';
import type { Actor } from '../queue/types.js';
import { ManualClock } from '../time/clock.js';
import { verifyAuditChain } from './audit.js';
import { backupDatabase } from './backup.js';
import { CaseRepository } from './case-repository.js';
import { FieldCipher, loadOrCreateDataKey } from './crypto.js';
import { type HallDatabase, openDatabase } from './database.js';
import { hubLockHeld } from './hub-lock.js';
import { MIGRATIONS, SCHEMA_VERSION } from './migrations.js';
import { pruneEvents, purgeApplicantData } from './purge.js';
import { SqliteQueueRepository } from './queue-repository.js';
import { PIN_FAILURE_ROWS_MAX, TokenStore } from './tokens.js';

const actor: Actor = { role: 'kiosk', terminalId: 'k1', staffNo: null };
const T0 = Date.UTC(2026, 10, 23, 1, 0);
const CERT = '33010619800101001' + gb11643CheckChar('33010619800101001');
const open: HallDatabase[] = [];

function fresh(dir = mkdtempSync(join(tmpdir(), 'govhall-store-')), lock = false) {
  const db = openDatabase({ dataDir: dir, appVersion: 'test', lock });
  open.push(db);
  const cipher = new FieldCipher(loadOrCreateDataKey(dir).master);
  return { dir, db, cipher, repo: new SqliteQueueRepository(db, cipher) };
}

afterEach(() => {
  for (const d of open.splice(0)) d.close();
});

describe('database', () => {
  it('uses WAL and synchronous=FULL, and keeps data across reopen', () => {
    const { dir, db, repo } = fresh();
    expect(db.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.db.pragma('synchronous', { simple: true })).toBe(2);
    expect(db.db.pragma('foreign_keys', { simple: true })).toBe(1);
    repo.transaction(() => repo.setMeta('x', '1'));
    db.close();
    const again = fresh(dir);
    expect(again.repo.getMeta('x')).toBe('1');
  });

  it('refuses a database written by a newer version and leaves it untouched', () => {
    const { dir, db } = fresh();
    db.db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    const before = readFileSync(join(dir, 'govhall.db'));
    expect(() => openDatabase({ dataDir: dir, appVersion: 'test' })).toThrow(/更新版本的 govhall/);
    try {
      openDatabase({ dataDir: dir, appVersion: 'test' });
    } catch (e) {
      expect((e as { code: string }).code).toBe('DB_TOO_NEW');
    }
    expect(readFileSync(join(dir, 'govhall.db')).equals(before)).toBe(true);
  });

  it('allows one hub per data folder, by an OS lock on hub.lock.db and never by a PID', () => {
    const { dir, db } = fresh(undefined, true);
    expect(() => openDatabase({ dataDir: dir, appVersion: 'test', lock: true })).toThrow(/已有中枢在运行/);
    expect(hubLockHeld(dir)).toBe(true);
    // Maintenance commands open the same database beside the hub.
    const tool = openDatabase({ dataDir: dir, appVersion: 'test' });
    expect(tool.db.prepare('SELECT count(*) AS n FROM audit').get()).toEqual({ n: 0 });
    tool.close();
    db.close();
    expect(hubLockHeld(dir)).toBe(false);
    // A PID file of an earlier version naming a live process (this one) does not block the start.
    const other = mkdtempSync(join(tmpdir(), 'govhall-lock-'));
    writeFileSync(join(other, 'hub.lock'), String(process.pid));
    const hub = openDatabase({ dataDir: other, appVersion: 'test', lock: true });
    expect(existsSync(join(other, 'hub.lock'))).toBe(false);
    hub.close();
  });
});

describe('personal data at rest', () => {
  it('creates the key file with 0600 and never writes an ID number in clear', () => {
    const { dir, db, repo } = fresh();
    expect(statSync(join(dir, 'keys', 'data.key')).mode & 0o777).toBe(0o600);
    const engine = new QueueEngine({ config: testHall(), repo, clock: new ManualClock(T0) });
    const t = engine.issue(
      { serviceCode: 'SB', channel: 'kiosk', applicant: { name: '张小三', certType: 'resident', certNo: CERT } },
      actor,
    );
    expect(repo.getTicket(t.ticket.id)?.applicant?.certNo).toBe(CERT);
    expect(repo.findTicketsByCertNo(CERT.toLowerCase()).map((x) => x.id)).toEqual([t.ticket.id]);
    db.db.pragma('wal_checkpoint(PASSIVE)');
    for (const f of ['govhall.db', 'govhall.db-wal']) {
      const bytes = readFileSync(join(dir, f));
      expect(bytes.includes(Buffer.from(CERT))).toBe(false);
    }
    // Events that displays replay hold masked data only.
    const stored = JSON.stringify(repo.eventsAfter(0, 100));
    expect(stored).not.toContain(CERT);
    expect(stored).toContain('张*三');
  });

  it('purges applicant data older than the retention period and audits it', () => {
    const { db, repo } = fresh();
    const clock = new ManualClock(T0);
    const engine = new QueueEngine({ config: testHall(), repo, clock });
    const old = engine.issue(
      { serviceCode: 'SB', channel: 'kiosk', applicant: { name: '李四', certType: 'resident', certNo: CERT } },
      actor,
    );
    clock.advance(31 * 86400_000);
    const recent = engine.issue(
      { serviceCode: 'SB', channel: 'kiosk', applicant: { name: '王五', certType: 'resident', certNo: CERT } },
      actor,
    );
    const n = purgeApplicantData(db, { olderThanDays: 30, today: engine.businessDay(), now: clock.now() });
    expect(n).toBe(1);
    expect(repo.getTicket(old.ticket.id)?.applicant).toBeNull();
    expect(repo.getTicket(recent.ticket.id)?.applicant?.name).toBe('王五');
    expect(verifyAuditChain(db).ok).toBe(true);
  });
});

describe('event log retention', () => {
  it('keeps at most the newest N events within one day, none older than the age bound, and seq goes on', () => {
    const { repo, db } = fresh();
    const flap = (i: number) =>
      ({
        type: 'device.status',
        deviceId: 'p1',
        kind: 'printer',
        state: i % 2 ? 'error' : 'ok',
        detail: null,
      }) as const;
    // A device flapping all morning: 500 events within minutes of each other.
    repo.transaction(() => {
      for (let i = 0; i < 500; i++) repo.appendEvent(T0 + i * 100, flap(i));
    });
    expect(pruneEvents(db, { keepDays: 7, keepCount: 50, now: T0 + 60_000 })).toBe(450);
    const kept = repo.eventsAfter(0, 1000);
    expect(kept.map((e) => e.seq)).toEqual(Array.from({ length: 50 }, (_, i) => 451 + i));
    // Nothing to do the second time; the next event continues the numbering.
    expect(pruneEvents(db, { keepDays: 7, keepCount: 50, now: T0 + 60_000 })).toBe(0);
    expect(repo.transaction(() => repo.appendEvent(T0 + 60_000, flap(0)))).toBe(501);
    // Eight days later only the newest event stays (it carries the seq on).
    expect(pruneEvents(db, { keepDays: 7, keepCount: 50, now: T0 + 8 * 86400_000 })).toBe(50);
    expect(repo.eventsAfter(0, 1000).map((e) => e.seq)).toEqual([501]);
    expect(repo.lastEventSeq()).toBe(501);
  });
});

describe('audit log', () => {
  it('refuses UPDATE and DELETE and reports the first broken link', () => {
    const { db, repo } = fresh();
    const engine = new QueueEngine({ config: testHall(), repo, clock: new ManualClock(T0) });
    for (let i = 0; i < 5; i++) engine.issue({ serviceCode: 'SB', channel: 'kiosk' }, actor);
    expect(verifyAuditChain(db)).toEqual({ ok: true, count: 5 });
    expect(() => db.db.prepare("UPDATE audit SET action = 'x' WHERE id = 2").run()).toThrow(/只能追加/);
    expect(() => db.db.prepare('DELETE FROM audit WHERE id = 2').run()).toThrow(/只能追加/);
    // Someone with file access drops the trigger and edits a row: the chain shows where.
    db.db.exec('DROP TRIGGER audit_no_update');
    db.db.prepare("UPDATE audit SET subject = 'forged' WHERE id = 3").run();
    expect(verifyAuditChain(db)).toMatchObject({ ok: false, firstBrokenId: 3 });
  });

  it('detects a deleted row', () => {
    const { db, repo } = fresh();
    const engine = new QueueEngine({ config: testHall(), repo, clock: new ManualClock(T0) });
    for (let i = 0; i < 4; i++) engine.issue({ serviceCode: 'SB', channel: 'kiosk' }, actor);
    db.db.exec('DROP TRIGGER audit_no_delete');
    db.db.prepare('DELETE FROM audit WHERE id = 2').run();
    expect(verifyAuditChain(db)).toMatchObject({ ok: false, firstBrokenId: 2 });
  });
});

describe('queue repository', () => {
  it('numbers contiguously, rolls back a failed transaction, and reloads the queue after restart', () => {
    const { dir, db, repo } = fresh();
    expect([1, 2, 3].map(() => repo.transaction(() => repo.nextSeq('2026-11-23', 'SB')))).toEqual([1, 2, 3]);
    expect(() =>
      repo.transaction(() => {
        repo.nextSeq('2026-11-23', 'SB');
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(repo.lastSeq('2026-11-23', 'SB')).toBe(3);

    const clock = new ManualClock(T0);
    const engine = new QueueEngine({ config: testHall(), repo, clock });
    engine.openWindow(3, '8001', { role: 'staff', terminalId: 'w3', staffNo: '8001' });
    const a = engine.issue({ serviceCode: 'BDC', channel: 'kiosk' }, actor).ticket;
    const b = engine.issue({ serviceCode: 'BDC', channel: 'kiosk' }, actor).ticket;
    engine.callNext(3, actor);
    db.close();
    const again = fresh(dir);
    const restarted = new QueueEngine({ config: testHall(), repo: again.repo, clock });
    expect(restarted.window(3)).toMatchObject({ state: 'calling', currentTicketId: a.id });
    expect(restarted.waitingTickets().map((t) => t.id)).toEqual([b.id]);
    expect(restarted.issue({ serviceCode: 'BDC', channel: 'kiosk' }, actor).ticket.number).toBe('B003');
  });

  it('the unique index refuses a number issued twice', () => {
    const { repo } = fresh();
    const engine = new QueueEngine({ config: testHall(), repo, clock: new ManualClock(T0) });
    const t = engine.issue({ serviceCode: 'SB', channel: 'kiosk' }, actor).ticket;
    expect(() => repo.transaction(() => repo.insertTicket({ ...t, id: 'other' }))).toThrow(/UNIQUE/);
  });
});

describe('tokens and PIN lockout', () => {
  it('stores only token hashes, finds and revokes them', () => {
    const { db } = fresh();
    const tokens = new TokenStore(db);
    const { id, token } = tokens.createDeviceToken({ role: 'display', name: '大厅屏' });
    expect(token.startsWith('ght_')).toBe(true);
    expect(JSON.stringify(db.db.prepare('SELECT * FROM device_tokens').all())).not.toContain(token);
    expect(tokens.findDeviceToken(token)).toMatchObject({ id, role: 'display' });
    tokens.revokeDeviceToken(id);
    expect(tokens.findDeviceToken(token)).toBeNull();
  });

  it('locks a staff number after five wrong PINs for five minutes, for that address only', () => {
    const { db } = fresh();
    const tokens = new TokenStore(db);
    const A = '192.168.1.50';
    const B = '192.168.1.60';
    for (let i = 1; i < 5; i++) expect(tokens.recordPinFailure('8001', A, T0).locked).toBe(false);
    const r = tokens.recordPinFailure('8001', A, T0);
    expect(r).toMatchObject({ locked: true, lockedUntil: T0 + 300_000 });
    expect(tokens.pinLockedUntil('8001', A, T0 + 299_999)).toBe(T0 + 300_000);
    expect(tokens.pinLockedUntil('8001', A, T0 + 300_000)).toBeNull();
    // Another address is not locked out by A's failures, and its own count is its own.
    expect(tokens.pinLockedUntil('8001', B, T0 + 1)).toBeNull();
    expect(tokens.recordPinFailure('8001', B, T0).failures).toBe(1);
    // A right PIN from B clears B's count, not A's lock.
    tokens.recordPinFailure('8002', A, T0);
    tokens.clearPinFailures('8001', B);
    expect(tokens.pinLockedUntil('8001', A, T0 + 1)).toBe(T0 + 300_000);
    // One row per staff number and address, however many failures.
    expect(db.db.prepare('SELECT staff_no, address FROM pin_failures ORDER BY staff_no').all()).toEqual([
      { staff_no: '8001', address: A },
      { staff_no: '8002', address: A },
    ]);
    const s = tokens.createStaffSession('8001', 3, 3600_000, T0);
    expect(tokens.findStaffSession(s, T0 + 1)).toMatchObject({ staffNo: '8001', windowNo: 3 });
    expect(tokens.findStaffSession(s, T0 + 3600_000)).toBeNull();
  });

  it('caps the failure rows: idle ones go first, a running lock stays', () => {
    const { db } = fresh();
    const tokens = new TokenStore(db);
    for (let i = 0; i < 5; i++) tokens.recordPinFailure('8001', '10.0.0.1', T0);
    const insert = db.db.prepare(
      'INSERT INTO pin_failures (staff_no, address, count, locked_until, updated_at) VALUES (?, ?, 1, NULL, ?)',
    );
    db.db.transaction(() => {
      for (let i = 0; i < PIN_FAILURE_ROWS_MAX; i++) insert.run(`x${i}`, '10.0.0.2', T0 + 1 + i);
    })();
    tokens.recordPinFailure('new', '10.0.0.3', T0 + 10_000);
    const n = (db.db.prepare('SELECT count(*) AS n FROM pin_failures').get() as { n: number }).n;
    expect(n).toBe(PIN_FAILURE_ROWS_MAX);
    expect(tokens.pinLockedUntil('8001', '10.0.0.1', T0 + 10_000)).toBe(T0 + 300_000);
    expect(db.db.prepare("SELECT 1 FROM pin_failures WHERE staff_no = 'x0'").get()).toBeUndefined();
  });

  it('keeps admin sessions apart from window sessions', () => {
    const { db } = fresh();
    const tokens = new TokenStore(db);
    const admin = tokens.createAdminSession('8001', 3600_000, T0);
    const win = tokens.createStaffSession('8002', 1, 3600_000, T0);
    expect(admin).toMatch(/^gha_/);
    expect(tokens.findAdminSession(admin, T0 + 1)).toMatchObject({ staffNo: '8001' });
    // Neither kind answers for the other, and a new sign-in at a window leaves the console alone.
    expect(tokens.findStaffSession(admin, T0 + 1)).toBeNull();
    expect(tokens.findAdminSession(win, T0 + 1)).toBeNull();
    tokens.revokeSessionsOfWindow(0, T0 + 2);
    tokens.revokeSessionsOfWindow(1, T0 + 2);
    expect(tokens.findAdminSession(admin, T0 + 3)).not.toBeNull();
    expect(tokens.findStaffSession(win, T0 + 3)).toBeNull();
    tokens.revokeStaffSession(admin, T0 + 4);
    expect(tokens.findAdminSession(admin, T0 + 5)).toBeNull();
  });
});

describe('migrations', () => {
  /** A database as an older govhall left it: the migrations up to `version`, recorded as migrate() does. */
  function databaseAt(version: number): string {
    const dir = mkdtempSync(join(tmpdir(), 'govhall-old-'));
    const db = new Database(join(dir, 'govhall.db'));
    db.exec(`CREATE TABLE schema_migrations (
      version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL, app_version TEXT NOT NULL)`);
    for (const m of MIGRATIONS.filter((x) => x.version <= version)) {
      m.up(db);
      db.prepare('INSERT INTO schema_migrations VALUES (?, ?, ?, ?)').run(m.version, m.name, 'then', 'old');
    }
    db.pragma(`user_version = ${version}`);
    const insertCase = db.prepare(
      "INSERT INTO cases (id, task_code, status, result, payload) VALUES ('c1', 'T1', 'done', 'ok', '{}')",
    );
    insertCase.run();
    db.prepare(
      "INSERT INTO staff_sessions (token_hash, staff_no, window_no, created_at, expires_at) VALUES ('h', '8001', 2, 0, 1)",
    ).run();
    db.prepare('INSERT INTO pin_failures (staff_no, count, locked_until) VALUES (?, 3, NULL)').run('8001');
    if (version >= 3) db.prepare("UPDATE cases SET rating_code_hash = 'rc' WHERE id = 'c1'").run();
    db.close();
    return dir;
  }
  const schemaOf = (d: HallDatabase) =>
    d.db
      .prepare(
        "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' AND name <> 'schema_migrations' ORDER BY name",
      )
      .all();

  it('numbers the migrations 1, 2, 3… with no gap, so each applies after the one before', () => {
    const versions = MIGRATIONS.map((m) => m.version);
    expect(versions).toEqual(versions.map((_, i) => i + 1));
    expect(SCHEMA_VERSION).toBe(versions.length);
  });

  it.each([2, 3])('brings a schema %i database to the current schema, its rows kept', (from) => {
    const newest = fresh();
    const { dir, db, repo } = fresh(databaseAt(from));
    expect(db.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(
      db.db
        .prepare('SELECT version, app_version AS app FROM schema_migrations ORDER BY version')
        .all()
        .map((r) => (r as { app: string }).app),
    ).toEqual(MIGRATIONS.map((m) => (m.version <= from ? 'old' : 'test')));
    // The same tables, columns and indexes as a database made new.
    expect(schemaOf(db)).toEqual(schemaOf(newest.db));
    expect(db.db.prepare("SELECT rating_code_hash AS h FROM cases WHERE id = 'c1'").get()).toEqual({
      h: from >= 3 ? 'rc' : null,
    });
    expect(db.db.prepare('SELECT staff_no, kind FROM staff_sessions').all()).toEqual([
      { staff_no: '8001', kind: 'window' },
    ]);
    // Failure counts of the old shape are dropped (a running count starts over); the new shape works.
    expect(db.db.prepare('SELECT count(*) AS n FROM pin_failures').get()).toEqual({ n: 0 });
    expect(new TokenStore(db).recordPinFailure('8001', '10.0.0.1', T0).failures).toBe(1);
    repo.transaction(() =>
      repo.appendAudit({
        at: T0,
        actor: { ...actor, address: '10.0.0.1' },
        action: 'x',
        subject: null,
        result: 'ok',
        detail: null,
      }),
    );
    expect(verifyAuditChain(db)).toEqual({ ok: true, count: 1 });
    // Opening it again finds nothing to do.
    db.close();
    open.splice(open.indexOf(db), 1);
    const again = fresh(dir);
    expect(again.db.db.prepare('SELECT count(*) AS n FROM schema_migrations').get()).toEqual({ n: MIGRATIONS.length });
  });
});

describe('audit address', () => {
  it('records where a request came from, inside the hash chain, next to older rows without one', () => {
    const { db, repo } = fresh();
    repo.transaction(() =>
      repo.appendAudit({ at: T0, actor, action: 'ticket.issue', subject: 'A', result: 'ok', detail: null }),
    );
    repo.transaction(() =>
      repo.appendAudit({
        at: T0 + 1,
        actor: { ...actor, address: '192.168.1.50' },
        action: 'ticket.issue',
        subject: 'B',
        result: 'ok',
        detail: null,
      }),
    );
    expect(db.db.prepare('SELECT address FROM audit ORDER BY id').all()).toEqual([
      { address: null },
      { address: '192.168.1.50' },
    ]);
    expect(verifyAuditChain(db)).toEqual({ ok: true, count: 2 });
    db.db.exec('DROP TRIGGER audit_no_update');
    db.db.prepare("UPDATE audit SET address = '10.0.0.9' WHERE id = 2").run();
    expect(verifyAuditChain(db)).toMatchObject({ ok: false, firstBrokenId: 2 });
    db.db.prepare('UPDATE audit SET address = NULL WHERE id = 2').run();
    expect(verifyAuditChain(db)).toMatchObject({ ok: false, firstBrokenId: 2 });
  });
});

describe('backup', () => {
  it('copies a live database online and checks the copy', async () => {
    const { dir, db, repo } = fresh();
    const engine = new QueueEngine({ config: testHall(), repo, clock: new ManualClock(T0) });
    for (let i = 0; i < 50; i++) engine.issue({ serviceCode: 'SB', channel: 'kiosk' }, actor);
    const dest = join(dir, 'copy.db');
    const seen: number[] = [];
    await backupDatabase(db, dest, { onProgress: (p) => seen.push(p.remainingPages) });
    expect(seen.length).toBeGreaterThan(0);
    const copy = new Database(dest, { readonly: true });
    expect((copy.prepare('SELECT count(*) n FROM tickets').get() as { n: number }).n).toBe(50);
    copy.close();
    await expect(backupDatabase(db, dest)).rejects.toThrow(/已存在/);
  });
});

describe('ratings', () => {
  it('are append-only in the database itself', () => {
    const { db, repo } = fresh();
    const engine = new QueueEngine({ config: testHall(), repo, clock: new ManualClock(T0) });
    const staffActor: Actor = { role: 'staff', terminalId: 'w3', staffNo: '8001' };
    engine.openWindow(3, '8001', staffActor);
    engine.issue({ serviceCode: 'BDC', channel: 'kiosk' }, actor);
    engine.callNext(3, staffActor);
    const ticket = engine.finish(3, staffActor);
    const cases = new CaseRepository(db);
    const c = cases.recordFinished(ticket, { taskCode: 'T1', result: '1' }, T0);
    cases.addEvaluation(
      { caseId: c.id, level: 'satisfied', reasons: [], text: null, channel: 'pad', deviceId: null },
      T0,
    );
    expect(() => db.db.prepare("UPDATE evaluations SET level = 'very_satisfied'").run()).toThrow(/只能追加/);
    expect(() => db.db.prepare('DELETE FROM evaluations').run()).toThrow(/只能追加/);
  });
});
