/**
 * v1.1 at the simulator over real HTTP: material files by hash (PUT), cases that name them,
 * rectification records that need their rating, appointment records, and the faults on PUT too.
 */
import { createHash, randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MAX_MATERIAL_BYTES, type PlatformSim, startPlatformSim } from './platform-sim.js';
import { type IngestRecord, rawIngest, signedRequest } from './raw-client.js';
import { platformAppointment, sampleCase, sampleEvaluation } from './sample-records.js';
import type { RecordResult } from './types.js';

const HALL = 'DEMO-HALL-01';
const SECRET = 'materials-secret';
let sim: PlatformSim;

beforeAll(async () => {
  sim = await startPlatformSim({ halls: [{ hallCode: HALL, secret: SECRET }], seed: 5 });
});
afterAll(async () => {
  await sim.close();
});
afterEach(() => sim.setFaults({}));

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const put = (hash: string, bytes: Buffer, headers: Record<string, string> = {}) =>
  signedRequest({
    url: sim.url,
    hallCode: HALL,
    secret: SECRET,
    method: 'PUT',
    path: `/api/v1/materials/${hash}`,
    body: bytes,
    headers: {
      'content-type': 'application/pdf',
      'x-material-name': encodeURIComponent('居民身份证 正反面'),
      ...headers,
    },
  });
const ingest = async (records: IngestRecord[]) => {
  const r = await rawIngest(sim.url, HALL, SECRET, records);
  expect(r.status).toBe(200);
  return (r.body as { results: RecordResult[] }).results;
};

describe('PUT /api/v1/materials/{sha256}', () => {
  it('stores a file once by its hash: 201, then 200 for every resend', async () => {
    const bytes = Buffer.from(`%PDF-1.4 ${randomUUID()}`);
    const first = await put(sha(bytes), bytes);
    expect(first.status).toBe(201);
    expect(first.json).toMatchObject({ sha256: sha(bytes), size: bytes.length });
    expect((await put(sha(bytes).toUpperCase(), bytes)).status).toBe(200);
    const held = sim.materials().filter((m) => m.sha256 === sha(bytes));
    expect(held).toEqual([
      expect.objectContaining({
        name: '居民身份证 正反面',
        contentType: 'application/pdf',
        size: bytes.length,
        puts: 2,
      }),
    ]);
    expect(sim.materialBytes(sha(bytes))!.equals(bytes)).toBe(true);
    const listed = (await (await fetch(`${sim.url}/sim/materials`)).json()) as { materials: { sha256: string }[] };
    expect(listed.materials.map((m) => m.sha256)).toContain(sha(bytes));
  });

  it('refuses bytes that do not hash to the path, a wrong type, no name, and more than 10 MiB', async () => {
    const bytes = Buffer.from('%PDF-1.4 one');
    const other = sha(Buffer.from('another file'));
    const mismatch = await put(other, bytes);
    expect(mismatch.status).toBe(400);
    expect(mismatch.json).toMatchObject({ code: 'HASH_MISMATCH' });
    expect((await put(sha(bytes), bytes, { 'content-type': 'text/plain' })).json).toMatchObject({ code: 'SCHEMA' });
    const noName = await signedRequest({
      url: sim.url,
      hallCode: HALL,
      secret: SECRET,
      method: 'PUT',
      path: `/api/v1/materials/${sha(bytes)}`,
      body: bytes,
      headers: { 'content-type': 'image/png' },
    });
    expect(noName.json).toMatchObject({ code: 'SCHEMA' });
    const big = Buffer.alloc(MAX_MATERIAL_BYTES + 1, 7);
    const tooLarge = await put(sha(big), big);
    expect(tooLarge.status).toBe(413);
    // Exactly 10 MiB is allowed.
    const max = Buffer.alloc(MAX_MATERIAL_BYTES, 8);
    expect((await put(sha(max), max, { 'content-type': 'image/jpeg' })).status).toBe(201);
    expect(sim.materials().some((m) => m.sha256 === other || m.sha256 === sha(big))).toBe(false);
    expect(sim.stats().materials.refused).toBeGreaterThanOrEqual(4);
  });

  it('answers PUT with the same faults as a batch: partition, 503, and an answer lost after storing', async () => {
    const bytes = Buffer.from(`%PDF-1.4 ${randomUUID()}`);
    sim.setFaults({ partitioned: true });
    await expect(put(sha(bytes), bytes)).rejects.toThrow();
    sim.setFaults({ errorRate: 1 });
    expect((await put(sha(bytes), bytes)).status).toBe(503);
    sim.setFaults({ dropAfterCommitRate: 1 });
    await expect(put(sha(bytes), bytes)).rejects.toThrow();
    sim.setFaults({});
    // It was stored before the connection was cut: the resend is "already held".
    expect((await put(sha(bytes), bytes)).status).toBe(200);
    expect((await put(sha(bytes), bytes, { 'x-signature': '0'.repeat(64) })).status).toBe(401);
  });
});

describe('records that need others', () => {
  it('rejects a case naming a file it does not hold (UNKNOWN_MATERIAL), and accepts it once the file is there', async () => {
    const bytes = Buffer.from(`%PDF-1.4 ${randomUUID()}`);
    const localCaseId = `L-${randomUUID()}`;
    const kase = (id: string) =>
      sampleCase({
        id,
        localCaseId,
        data: { materials: [{ name: '申请书', copies: 1, pages: 2, sha256: sha(bytes).toUpperCase() }] },
      });
    const [early] = await ingest([kase(randomUUID())]);
    expect(early).toMatchObject({ status: 'rejected', code: 'UNKNOWN_MATERIAL' });
    expect(early!.message).toMatch(/先上传材料/);
    expect((await put(sha(bytes), bytes)).status).toBe(201);
    const [later] = await ingest([kase(randomUUID())]);
    expect(later).toMatchObject({ status: 'accepted' });
  });

  it('rejects a rectification step until its rating was accepted (UNKNOWN_EVALUATION); accepts appointments', async () => {
    const localCaseId = `L-${randomUUID()}`;
    const evaluationId = randomUUID();
    const step = (status: string, extra: Record<string, unknown> = {}): IngestRecord => ({
      id: randomUUID(),
      kind: 'rectification',
      seq: 10,
      occurredAt: '2026-11-23T10:00:00.000+08:00',
      data: {
        evaluationRef: evaluationId,
        status,
        note: '已约谈窗口人员',
        at: '2026-11-23T10:00:00.000+08:00',
        ...extra,
      },
    });
    const [tooEarly] = await ingest([step('rectifying')]);
    expect(tooEarly).toMatchObject({ status: 'rejected', code: 'UNKNOWN_EVALUATION' });
    const results = await ingest([
      sampleCase({ localCaseId }),
      sampleEvaluation({ localCaseId, id: evaluationId, satisfaction: 2, text: '等太久' }),
      step('rectifying', { projectNo: null }),
      step('closed', { revisit: { contacted: true, satisfaction: 4 } }),
      step('done'),
      step('invalid', { revisit: { contacted: 'yes' } }),
    ]);
    expect(results.map((r) => r.code ?? r.status)).toEqual([
      'accepted',
      'accepted',
      'accepted',
      'accepted',
      'SCHEMA',
      'SCHEMA',
    ]);
    const stored = sim.records().filter((r) => r.kind === 'rectification' && r.localCaseId === localCaseId);
    expect(stored.map((r) => r.data.status)).toEqual(['rectifying', 'closed']);
    expect(stored[0]!.projectNo).toBeDefined();

    // Only the platform's own bookings are reported back: P-1 is one.
    platformAppointment(sim, HALL, 'P-1');
    const appointment: IngestRecord = {
      id: randomUUID(),
      kind: 'appointment',
      seq: 11,
      occurredAt: '2026-11-23T09:00:00.000+08:00',
      data: { appointmentId: 'P-1', status: 'checked_in', at: '2026-11-23T09:00:00.000+08:00' },
    };
    const [a, again, bad] = await ingest([
      appointment,
      appointment,
      {
        ...appointment,
        id: randomUUID(),
        data: { appointmentId: 'P-2', status: 'booked', at: '2026-11-23T09:00:00.000+08:00' },
      },
    ]);
    expect([a!.status, again!.status, bad!.code]).toEqual(['accepted', 'duplicate', 'SCHEMA']);
    const listed = (await (await fetch(`${sim.url}/sim/records?kind=appointment`)).json()) as { count: number };
    expect(listed.count).toBe(1);
    const page = await (await fetch(`${sim.url}/`)).text();
    expect(page).toContain('材料文件');
    expect(page).toContain('<td class="nw">整改</td>');
    expect(page).toContain('<td class="nw">预约</td>');
  });
});
