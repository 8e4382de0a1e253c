/**
 * Relay branches a well-behaved simulator rarely shows, against a tiny in-test HTTP platform:
 * a whole batch refused as MALFORMED (halved until the culprit is alone, then set aside), a
 * replayed nonce (retried at once), and answers that do not match the batch (retried, never
 * applied). Also the upgrade of a version-1 database.
 */
import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../main/store/database.js';
import { MIGRATIONS, SCHEMA_VERSION } from '../../main/store/migrations.js';
import { PlatformClock } from '../../main/sync/clock-offset.js';
import { OutboxStore } from '../../main/sync/outbox.js';
import { PlatformClient } from '../../main/sync/platform-client.js';
import { Relay } from '../../main/sync/relay.js';
import { systemClock } from '../../main/time/clock.js';
import { certNo, HALL, hallDb, makeRecords, pump, removeTempDirs, syncTempDir } from './sync-fixtures.js';

let server: Server | null = null;
afterEach(async () => {
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = null;
});

type Answer = (
  batch: { records: { id: string; data: Record<string, unknown> }[] },
  n: number,
) => {
  status: number;
  body: unknown;
};

async function stub(answer: Answer): Promise<{ url: string; calls: number[]; bytes: number[] }> {
  const calls: number[] = [];
  const bytes: number[] = [];
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      bytes.push(raw.length);
      const batch = JSON.parse(raw.toString());
      calls.push(batch.records.length);
      const a = answer(batch, calls.length);
      res.writeHead(a.status, { 'content-type': 'application/json' }).end(JSON.stringify(a.body));
    });
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server!.address() as AddressInfo).port}`, calls, bytes };
}

function relayFor(url: string, batchSize = 8) {
  const h = hallDb();
  const outbox = new OutboxStore(h.db, h.cipher);
  const client = new PlatformClient(
    { url, hallCode: HALL, secret: 's', alg: 'HMAC-SHA256', timeoutMs: 2000 },
    new PlatformClock(systemClock),
  );
  const relay = new Relay({
    outbox,
    client,
    hall: { hallCode: HALL, areaCode: '330106' },
    timeZone: () => 'Asia/Shanghai',
    clock: systemClock,
    batchSize,
    random: () => 0.5,
  });
  return { ...h, outbox, relay, client };
}

const accept = (batch: { records: { id: string }[] }) => ({
  status: 200,
  body: { results: batch.records.map((r) => ({ id: r.id, status: 'accepted', projectNo: 'P1' })) },
});

afterAll(() => removeTempDirs());

describe('relay against a stub platform', () => {
  it('halves a MALFORMED batch until the culprit is alone, sets it aside, and sends the rest', async () => {
    let poison = '';
    const s = await stub((batch) =>
      batch.records.some((r) => r.id === poison) ? { status: 400, body: { code: 'MALFORMED' } } : accept(batch),
    );
    const { db, cases, outbox, relay, client } = relayFor(s.url);
    makeRecords(cases, db, 3); // 3 cases, 3 ratings, 1 revision = 7 records
    poison = (db.db.prepare('SELECT id FROM outbox ORDER BY seq LIMIT 1 OFFSET 4').get() as { id: string }).id;
    await pump(relay);
    // The culprit is the second rating. The 4 case records go first (the ratings need them); then
    // the 3 ratings refused → 1 ok → the culprit alone, set aside → the last one.
    expect(s.calls).toEqual([4, 3, 1, 1, 1]);
    expect(outbox.rejectedPage().map((r) => [r.id, r.code])).toEqual([[poison, 'MALFORMED']]);
    expect(outbox.stats()).toMatchObject({ pending: 0, delivered: 6, rejected: 1 });
    client.close();
  });

  it('keeps every request within the contract: at most 500 records and 1 MiB; a bigger record stays home', async () => {
    const s = await stub(accept);
    const { db, cases, outbox, relay, client } = relayFor(s.url, 10_000);
    expect(relay.status().batchSize).toBe(500);
    makeRecords(cases, db, 400); // 400 cases, 400 ratings, 134 revisions = 934 records
    // 30 cases of about 57 KB each (100 materials of 190 CJK characters), and one of about 1.2 MB.
    const name = '材'.repeat(190);
    const big = (n: number) => Array.from({ length: n }, (_, i) => `${name}${i}`);
    db.db.transaction(() => {
      for (let i = 0; i < 30; i++) {
        cases.createCase(
          { taskCode: 'T1', result: 'approved', materials: big(100), finished: true, windowNo: 1, staffNo: '1' },
          Date.now(),
        );
      }
      cases.createCase(
        { taskCode: 'T1', result: 'approved', materials: big(2100), finished: true, windowNo: 1, staffNo: '1' },
        Date.now(),
      );
    })();
    await pump(relay, 200);
    expect(Math.max(...s.calls)).toBe(500);
    expect(Math.max(...s.bytes)).toBeLessThanOrEqual(1024 * 1024);
    expect(s.calls.reduce((a, b) => a + b, 0)).toBe(934 + 30);
    expect(outbox.rejectedPage().map((r) => r.code)).toEqual(['TOO_LARGE']);
    expect(outbox.stats()).toMatchObject({ pending: 0, delivered: 964, rejected: 1 });
    client.close();
  });

  it('retries a REPLAY at once and never applies answers that do not match the batch', async () => {
    const s = await stub((batch, n) =>
      n === 1
        ? { status: 401, body: { code: 'REPLAY' } }
        : n === 2
          ? { status: 200, body: { results: batch.records.slice(1).map((r) => ({ id: r.id, status: 'accepted' })) } }
          : accept(batch),
    );
    const { db, cases, outbox, relay, client } = relayFor(s.url);
    makeRecords(cases, db, 1);
    const first = await relay.step();
    expect(first).toMatchObject({ kind: 'wait', reason: expect.stringMatching(/不对应/) });
    expect(outbox.stats().delivered).toBe(0);
    await pump(relay);
    expect(outbox.stats()).toMatchObject({ pending: 0, delivered: 3 });
    expect(relay.status().lastError).toBeNull();
    client.close();
  });
});

describe('retention', () => {
  it('removes applicant data of old cases only once the platform has every version', async () => {
    const s = await stub(accept);
    const { db, cases, relay, client } = relayFor(s.url);
    const [sent] = makeRecords(cases, db, 1, 0);
    await pump(relay);
    const [waiting] = makeRecords(cases, db, 1, 1);
    expect(cases.findByCertNo(certNo(0))).toHaveLength(1);
    expect(cases.purgeApplicantData(Date.now() + 1000, Date.now())).toBe(1);
    expect(cases.findByCertNo(certNo(0))).toHaveLength(0);
    expect(cases.applicantName(sent!)).toBeNull();
    expect(cases.applicantName(waiting!)).toBe('张1三');
    expect(cases.findByCertNo(certNo(1)).map((c) => c.id)).toEqual([waiting]);
    const audit = db.db.prepare("SELECT action FROM audit WHERE action = 'privacy.purge-cases'").all();
    expect(audit).toHaveLength(1);
    client.close();
  });
});

describe('database upgrade', () => {
  it('moves a version-1 database to the outbox schema without touching its cases', () => {
    const data = join(syncTempDir('govhall-mig-'), 'data');
    mkdirSync(data, { recursive: true });
    const raw = new Database(join(data, 'govhall.db'));
    raw.exec(
      'CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL, app_version TEXT NOT NULL)',
    );
    MIGRATIONS[0]!.up(raw);
    raw.pragma('user_version = 1');
    raw
      .prepare(
        "INSERT INTO cases (id, task_code, status, result, payload) VALUES ('C1', 'T', 'finished', 'approved', '{}')",
      )
      .run();
    raw.close();
    const db = openDatabase({ dataDir: data, appVersion: 'test' });
    expect(db.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(db.db.prepare('SELECT id, version, synced_version FROM cases').get()).toEqual({
      id: 'C1',
      version: 1,
      synced_version: null,
    });
    expect((db.db.prepare('SELECT count(*) n FROM outbox').get() as { n: number }).n).toBe(0);
    db.close();
  });
});
