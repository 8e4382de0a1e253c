/** The simulator over real HTTP on loopback with its real SQLite file. */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { signRequest } from '../sync/request-signature.js';
import { DEFAULT_CATALOG } from './default-catalog.js';
import { type PlatformSim, startPlatformSim } from './platform-sim.js';
import { type IngestRecord, rawIngest, signedRequest } from './raw-client.js';
import { sampleCase, sampleEvaluation } from './sample-records.js';
import type { RecordResult } from './types.js';

const HALL = 'DEMO-HALL-01';
const SECRET = 'test-secret-不要外传';
let sim: PlatformSim;

beforeAll(async () => {
  sim = await startPlatformSim({
    halls: [
      { hallCode: HALL, secret: SECRET },
      { hallCode: 'H2', secret: 'two' },
    ],
  });
});
afterAll(async () => {
  await sim.close();
});
afterEach(() => sim.setFaults({}));

const ingest = async (records: IngestRecord[], alg: 'HMAC-SHA256' | 'HMAC-SM3' = 'HMAC-SHA256') => {
  const r = await rawIngest(sim.url, HALL, SECRET, records, { alg });
  expect(r.status).toBe(200);
  return (r.body as { results: RecordResult[] }).results;
};
const get = (path: string, extra: Partial<Parameters<typeof signedRequest>[0]> = {}) =>
  signedRequest({ url: sim.url, hallCode: HALL, secret: SECRET, path, ...extra });

describe('POST /api/v1/records:batch', () => {
  it('accepts a case, keeps its projectNo across versions and the highest version', async () => {
    const localCaseId = `L-${randomUUID()}`;
    const v1 = sampleCase({ localCaseId, version: 1 });
    const [r1] = await ingest([v1]);
    expect(r1).toMatchObject({ id: v1.id, status: 'accepted' });
    expect(r1?.projectNo).toMatch(/^11330106MB1234567X4000112001000\d{8}\d{4}$/);
    const v3 = sampleCase({ localCaseId, version: 3, status: 'finished' });
    const v2 = sampleCase({ localCaseId, version: 2, status: 'in_progress' });
    const rs = await ingest([v3, v2], 'HMAC-SM3');
    expect(rs.map((r) => [r.status, r.projectNo])).toEqual([
      ['accepted', r1?.projectNo],
      ['accepted', r1?.projectNo],
    ]);
    const progress = await get(`/api/v1/cases/${r1?.projectNo}/progress`);
    expect(progress.status).toBe(200);
    // The late version 2 arrived after version 3: version 3 stays current.
    expect(progress.json).toMatchObject({ projectNo: r1?.projectNo, status: 'finished' });
    const stored = sim.records().filter((r) => r.localCaseId === localCaseId);
    expect(stored.map((r) => r.version)).toEqual([1, 3, 2]);
    expect(stored.every((r) => r.projectNo === r1?.projectNo && r.hallCode === HALL)).toBe(true);
  });

  it('answers duplicate for an id seen before, with the projectNo, also inside one batch', async () => {
    const c = sampleCase();
    const [first] = await ingest([c]);
    const rs = await ingest([c, c]);
    expect(rs).toEqual([
      { id: c.id, status: 'duplicate', projectNo: first?.projectNo },
      { id: c.id, status: 'duplicate', projectNo: first?.projectNo },
    ]);
    // Even if the resend's content differs: the id is the idempotency key.
    const changed = { ...c, data: { ...c.data, version: 9 } };
    expect((await ingest([changed]))[0]?.status).toBe('duplicate');
    expect(sim.records().filter((r) => r.id === c.id)).toHaveLength(1);
  });

  it('rejects with each code, in order, and goes on with the rest', async () => {
    const c = sampleCase();
    const lc = c.data.localCaseId as string;
    const good = sampleEvaluation({ localCaseId: lc, satisfaction: 2, reasons: ['R103'] });
    const batch = [
      { ...c, data: { ...c.data, taskCode: 'short' } },
      sampleCase({ certNo: '110105194912310021' }),
      c,
      sampleEvaluation({ localCaseId: lc, satisfaction: 1 }),
      sampleEvaluation({ localCaseId: `L-${randomUUID()}` }),
      good,
      sampleEvaluation({ localCaseId: lc, satisfaction: 5 }),
      sampleEvaluation({ localCaseId: lc, assessNumber: 2, text: '追评：后来办好了' }),
    ];
    // The first record shares c's id: rejected ids are not remembered, so c is then accepted.
    const rs = await ingest(batch);
    expect(rs.map((r) => r.id)).toEqual(batch.map((r) => r.id));
    expect(rs.map((r) => r.code ?? r.status)).toEqual([
      'SCHEMA',
      'INVALID_CERT_NO',
      'accepted',
      'REASON_REQUIRED',
      'UNKNOWN_CASE',
      'accepted',
      'ALREADY_EVALUATED',
      'accepted',
    ]);
    for (const r of rs.filter((x) => x.status === 'rejected')) expect(r.message).toMatch(/[\u4e00-\u9fa5]/);
    expect(rs[0]?.message).toContain('data.taskCode');
    const evs = sim.records().filter((r) => r.kind === 'evaluation' && r.localCaseId === lc);
    expect(evs.map((r) => r.assessNumber)).toEqual([1, 2]);
    expect(evs[0]?.projectNo).toBe(rs[2]?.projectNo);
    // Another hall's case of the same local id is another case.
    const other = await rawIngest(sim.url, 'H2', 'two', [sampleEvaluation({ localCaseId: lc })]);
    expect((other.body as { results: RecordResult[] }).results[0]?.code).toBe('UNKNOWN_CASE');
  });

  it('answers 413 past 500 records or 1 MiB, and 400 MALFORMED for an unreadable batch', async () => {
    const many = Array.from({ length: 501 }, () => sampleCase());
    expect((await rawIngest(sim.url, HALL, SECRET, many)).status).toBe(413);
    const huge = JSON.stringify({ batchId: 'b', records: [], pad: 'x'.repeat(1024 * 1024) });
    const big = await get('/api/v1/records:batch', { method: 'POST', body: huge });
    expect(big.status).toBe(413);
    for (const body of [
      '{not json',
      '[]',
      '{"batchId":"b"}',
      '{"records":[]}',
      '{"batchId":"b","records":[{"kind":"case"}]}',
    ]) {
      const r = await get('/api/v1/records:batch', { method: 'POST', body });
      expect(r.status, body).toBe(400);
      expect(r.json).toMatchObject({ code: 'MALFORMED' });
    }
    const before = sim.stats().accepted;
    expect(before).toBeGreaterThan(0);
  });
});

describe('authentication', () => {
  it('accepts HMAC-SHA256 and HMAC-SM3, refuses a wrong signature, an unknown hall, missing headers', async () => {
    expect((await get('/api/v1/catalog', { alg: 'HMAC-SM3' })).status).toBe(200);
    expect((await get('/api/v1/catalog', { alg: 'HMAC-SHA256' })).status).toBe(200);
    const wrong = await get('/api/v1/catalog', { secret: 'not-it' });
    expect(wrong.status).toBe(401);
    expect(wrong.json).toMatchObject({ code: 'BAD_SIGNATURE' });
    const unknown = await get('/api/v1/catalog', { hallCode: 'NOBODY' });
    expect(unknown.json).toMatchObject({ code: 'BAD_SIGNATURE' });
    const bare = await fetch(`${sim.url}/api/v1/catalog`);
    expect(bare.status).toBe(401);
    expect(await bare.json()).toMatchObject({ code: 'BAD_SIGNATURE' });
    // The body is signed: a changed body with the old signature fails.
    const body = JSON.stringify({ batchId: 'b', records: [] });
    const ok = await get('/api/v1/records:batch', { method: 'POST', body });
    expect(ok.status).toBe(200);
    const timestamp = Date.now();
    const nonce = randomUUID();
    const signature = signRequest({
      alg: 'HMAC-SHA256',
      secret: SECRET,
      method: 'POST',
      pathWithQuery: '/api/v1/records:batch',
      timestamp,
      nonce,
      body,
    });
    const tampered = await get('/api/v1/records:batch', {
      method: 'POST',
      body: body.replace('"b"', '"c"'),
      timestamp,
      nonce,
      signature,
    });
    expect(tampered.json).toMatchObject({ code: 'BAD_SIGNATURE' });
    // Signed for another path (the query is part of it).
    const otherPath = await get('/api/v1/catalog?x=1', { signature: 'ab'.repeat(32) });
    expect(otherPath.json).toMatchObject({ code: 'BAD_SIGNATURE' });
    expect(sim.stats().refusedAuth.BAD_SIGNATURE).toBeGreaterThanOrEqual(5);
  });

  it('answers CLOCK_SKEW with serverTime past ±300 s, and only then checks the nonce', async () => {
    const nonce = randomUUID();
    const stale = await get('/api/v1/catalog', { timestamp: Date.now() - 301_000, nonce });
    expect(stale.status).toBe(401);
    const body = stale.json as { code: string; serverTime: number };
    expect(body.code).toBe('CLOCK_SKEW');
    expect(Math.abs(body.serverTime - Date.now())).toBeLessThan(60_000);
    expect((await get('/api/v1/catalog', { timestamp: Date.now() + 301_000 })).json).toMatchObject({
      code: 'CLOCK_SKEW',
    });
    // Within the window is fine; the refused request did not burn its nonce.
    expect((await get('/api/v1/catalog', { timestamp: Date.now() - 200_000, nonce })).status).toBe(200);
  });

  it('answers REPLAY for a nonce seen in the last 10 minutes', async () => {
    const nonce = randomUUID();
    expect((await get('/api/v1/catalog', { nonce })).status).toBe(200);
    const again = await get('/api/v1/catalog', { nonce });
    expect(again.status).toBe(401);
    expect(again.json).toMatchObject({ code: 'REPLAY' });
    expect(sim.stats().refusedAuth.REPLAY).toBe(1);
  });
});

describe('GET catalog and progress', () => {
  it('serves the catalogue with an ETag, 304 on If-None-Match, a new ETag after setCatalog', async () => {
    const r = await get('/api/v1/catalog');
    expect(r.status).toBe(200);
    const cat = r.json as typeof DEFAULT_CATALOG;
    expect(cat.items.length).toBeGreaterThanOrEqual(12);
    expect(cat.evaluationReasons.every((x) => x.code && x.text && x.forLevels.length)).toBe(true);
    const etag = String(r.headers.etag);
    const same = await get('/api/v1/catalog', { headers: { 'if-none-match': etag } });
    expect(same.status).toBe(304);
    expect(same.text).toBe('');
    sim.setCatalog({ ...DEFAULT_CATALOG, version: '2026.12.1', items: DEFAULT_CATALOG.items.slice(0, 3) });
    try {
      const changed = await get('/api/v1/catalog', { headers: { 'if-none-match': etag } });
      expect(changed.status).toBe(200);
      expect(changed.headers.etag).not.toBe(etag);
      expect(changed.json).toMatchObject({ version: '2026.12.1' });
    } finally {
      sim.setCatalog(DEFAULT_CATALOG);
    }
  });

  it('builds progress steps from the stored versions, 404 for an unknown projectNo', async () => {
    const localCaseId = `L-${randomUUID()}`;
    const [r] = await ingest([
      sampleCase({ localCaseId, version: 1 }),
      sampleCase({ localCaseId, version: 2, status: 'in_progress' }),
      sampleCase({ localCaseId, version: 3, status: 'in_progress' }),
      sampleCase({ localCaseId, version: 4, status: 'finished' }),
    ]);
    const p = await get(`/api/v1/cases/${r?.projectNo}/progress`);
    expect(p.json).toMatchObject({
      projectNo: r?.projectNo,
      status: 'finished',
      steps: [
        { name: '受理', result: null },
        { name: '办理', result: null },
        { name: '办结', result: 'approved' },
      ],
    });
    expect((await get('/api/v1/cases/NOPE202611230001/progress')).status).toBe(404);
  });
});

describe('faults', () => {
  it('answers 503 and 429 with Retry-After and commits nothing', async () => {
    sim.setFaults({ errorRate: 1, retryAfterSeconds: 7 });
    const c = sampleCase();
    const r = await rawIngest(sim.url, HALL, SECRET, [c]);
    expect(r.status).toBe(503);
    expect(r.headers['retry-after']).toBe('7');
    sim.setFaults({ rateLimitRate: 1 });
    const l = await rawIngest(sim.url, HALL, SECRET, [c]);
    expect(l.status).toBe(429);
    expect(l.headers['retry-after']).toBe('1');
    expect(sim.records().some((x) => x.id === c.id)).toBe(false);
    sim.setFaults({});
    expect((await ingest([c]))[0]?.status).toBe('accepted');
  });

  it('drops the connection after commit: the records are there, a resend is duplicate', async () => {
    sim.setFaults({ dropAfterCommitRate: 1 });
    const c = sampleCase();
    await expect(rawIngest(sim.url, HALL, SECRET, [c])).rejects.toThrow();
    expect(sim.records().some((x) => x.id === c.id)).toBe(true);
    expect(sim.stats().faults.droppedAfterCommit).toBe(1);
    sim.setFaults({});
    expect((await ingest([c]))[0]?.status).toBe('duplicate');
  });

  it('is unreachable when partitioned, while /sim/faults still switches it back', async () => {
    sim.setFaults({ partitioned: true });
    await expect(get('/api/v1/catalog')).rejects.toThrow();
    const c = sampleCase();
    await expect(rawIngest(sim.url, HALL, SECRET, [c])).rejects.toThrow();
    expect(sim.records().some((x) => x.id === c.id)).toBe(false);
    const off = await fetch(`${sim.url}/sim/faults`, { method: 'POST', body: '{}' });
    expect(off.status).toBe(200);
    expect((await get('/api/v1/catalog')).status).toBe(200);
  });

  it('runs its clock with an offset, so a correct hall gets CLOCK_SKEW with the shifted serverTime', async () => {
    sim.setFaults({ clockOffsetMs: 3_600_000 });
    const r = await get('/api/v1/catalog');
    expect(r.json).toMatchObject({ code: 'CLOCK_SKEW' });
    const serverTime = (r.json as { serverTime: number }).serverTime;
    expect(serverTime - Date.now()).toBeGreaterThan(3_500_000);
    // A hall that corrects its offset from serverTime gets through.
    const offset = serverTime - Date.now();
    expect((await get('/api/v1/catalog', { timestamp: Date.now() + offset })).status).toBe(200);
  });

  it('adds latency and still answers', async () => {
    sim.setFaults({ latencyMs: 30 });
    expect((await get('/api/v1/catalog')).status).toBe(200);
  });

  it('validates POST /sim/faults', async () => {
    const bad = await fetch(`${sim.url}/sim/faults`, { method: 'POST', body: '{"errorRate":2}' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toContain('errorRate');
    const ok = await fetch(`${sim.url}/sim/faults`, { method: 'POST', body: '{"latencyMs":5}' });
    expect(await ok.json()).toEqual({ latencyMs: 5 });
    expect(sim.faults()).toEqual({ latencyMs: 5 });
  });
});

describe('tester endpoints and storage', () => {
  it('shows records and stats as JSON and a Chinese overview page', async () => {
    const c = sampleCase();
    await ingest([c]);
    const recs = (await (await fetch(`${sim.url}/sim/records?kind=case`)).json()) as { records: { id: string }[] };
    expect(recs.records.some((r) => r.id === c.id)).toBe(true);
    const stats = (await (await fetch(`${sim.url}/sim/stats`)).json()) as { accepted: number; requests: number };
    expect(stats.accepted).toBeGreaterThan(0);
    const page = await fetch(`${sim.url}/`);
    expect(page.headers.get('content-type')).toContain('text/html');
    const html = await page.text();
    expect(html).toContain('省级一体化政务服务平台');
    expect(html).toContain(c.id);
  });

  it('keeps its records in SQLite across a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'govhall-sim-test-'));
    try {
      const a = await startPlatformSim({ dataDir: dir, halls: [{ hallCode: HALL, secret: SECRET }] });
      const c = sampleCase();
      await rawIngest(a.url, HALL, SECRET, [c]);
      await a.close();
      const b = await startPlatformSim({ dataDir: dir, halls: [{ hallCode: HALL, secret: SECRET }] });
      try {
        expect(b.records().map((r) => r.id)).toEqual([c.id]);
        const r = await rawIngest(b.url, HALL, SECRET, [c]);
        expect((r.body as { results: RecordResult[] }).results[0]?.status).toBe('duplicate');
      } finally {
        await b.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
