/** Test material for the sync suites: a real hall database, cases made as a window would make them. */
import { appendFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { gb11643CheckChar } from '../../common/cert-number.js';
import { type PlatformSim, startPlatformSim } from '../../main/platform-sim/platform-sim.js';
import type { Ticket } from '../../main/queue/types.js';
import { CaseRepository } from '../../main/store/case-repository.js';
import { FieldCipher, loadOrCreateDataKey } from '../../main/store/crypto.js';
import { type HallDatabase, openDatabase } from '../../main/store/database.js';
import type { StepResult } from '../../main/sync/relay.js';
import { tempDir } from '../support/hub-client.js';
import { writeLoadHall } from '../support/load-hall.js';

export const HALL = 'DEMO-HALL-01';
export const SECRET = 'sync-test-secret-密钥';
export const TASK = '11330106MB1234567X4000112001000';

/** A valid 18-digit resident number (GB 11643) born in January 1985, distinct for n < 28 000. */
export function certNo(n: number): string {
  const day = String((Math.floor(n / 1000) % 28) + 1).padStart(2, '0');
  const first17 = `330106198501${day}${String(n % 1000).padStart(3, '0')}`;
  return first17 + gb11643CheckChar(first17);
}

export function ticket(i: number, applicant: Ticket['applicant'], at = Date.now()): Ticket {
  return {
    id: `T${i}`,
    number: `A${String(i % 1000).padStart(3, '0')}`,
    seq: i,
    serviceCode: 'SBYB',
    issuedServiceCode: 'SBYB',
    businessDay: '2026-11-23',
    status: 'done',
    priority: null,
    channel: 'kiosk',
    appointmentId: null,
    applicant,
    issuedAt: at - 600_000,
    queuedAt: at - 600_000,
    queueOrder: i,
    targetWindowNo: null,
    windowNo: 1,
    staffNo: '8001',
    calledAt: at - 300_000,
    startedAt: at - 290_000,
    finishedAt: at,
    recallCount: 0,
    requeued: false,
    transferredFrom: null,
    transferredTo: null,
    closedReason: null,
    terminalId: 'kiosk-1',
    issuedBy: null,
  };
}

const made: string[] = [];

/** A temporary folder removed by `removeTempDirs()` (call it in afterAll). */
export function syncTempDir(prefix = 'govhall-sync-'): string {
  const dir = tempDir(prefix);
  made.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
}

export function hallDb(): { dir: string; db: HallDatabase; cipher: FieldCipher; cases: CaseRepository } {
  const dir = syncTempDir();
  const data = join(dir, 'data');
  const db = openDatabase({ dataDir: data, appVersion: 'test' });
  // tickets referenced by cases must exist (foreign key): the fixtures make cases without tickets rows.
  db.db.pragma('foreign_keys = OFF');
  const cipher = new FieldCipher(loadOrCreateDataKey(data).master);
  return { dir, db, cipher, cases: new CaseRepository(db, { cipher }) };
}

/** `n` finished cases, each with a first rating; every third also revised (version 2). */
export function makeRecords(cases: CaseRepository, db: HallDatabase, n: number, from = 0): string[] {
  const ids: string[] = [];
  db.db.transaction(() => {
    for (let i = from; i < from + n; i++) {
      const c = cases.recordFinished(
        ticket(i, { name: `张${i}三`, certType: 'resident', certNo: certNo(i) }),
        { taskCode: TASK, taskName: '参保登记', result: 'approved', materials: ['居民身份证'] },
        Date.now(),
      );
      cases.addEvaluation(
        { caseId: c.id, level: 'satisfied', reasons: [], text: null, channel: 'pad', deviceId: 'pad-1' },
        Date.now(),
      );
      if (i % 3 === 0) cases.reviseCase(c.id, { result: 'approved', materials: ['居民身份证', '户口簿'] }, Date.now());
      ids.push(c.id);
    }
  })();
  return ids;
}

interface SimRecord {
  id: string;
  kind: string;
  seq: number;
  localCaseId: string;
  version: number | null;
  assessNumber: number | null;
}

/**
 * Every outbox record exactly once at the platform; each case's versions in creation order, and
 * each rating after a record of its case (what it needs; ratings and versions may interleave).
 */
export function checkExactlyOnceInOrder(db: HallDatabase, records: SimRecord[]): void {
  const outbox = db.db.prepare('SELECT id, seq, case_id FROM outbox ORDER BY seq').all() as {
    id: string;
    seq: number;
    case_id: string;
  }[];
  const ids = records.map((r) => r.id);
  if (new Set(ids).size !== ids.length) throw new Error('a record arrived twice');
  const want = new Set(outbox.map((o) => o.id));
  const got = new Set(ids);
  const missing = [...want].filter((id) => !got.has(id));
  if (missing.length) throw new Error(`${missing.length} records never arrived`);
  if (records.some((r) => !want.has(r.id))) throw new Error('the platform holds a record the hall never made');
  const last = new Map<string, number>();
  for (const r of records) {
    if (r.kind === 'evaluation') {
      if (!last.has(r.localCaseId)) throw new Error(`case ${r.localCaseId}: a rating arrived before the case`);
      continue;
    }
    if (r.kind !== 'case') continue;
    const prev = last.get(r.localCaseId) ?? -1;
    if (r.seq <= prev) throw new Error(`case ${r.localCaseId}: seq ${r.seq} arrived after ${prev}`);
    last.set(r.localCaseId, r.seq);
  }
}

/** The load hall plus a platform section pointing at the simulator (secret in a file next to it). */
export function hallWithPlatform(dir: string, simUrl: string, extra = '', intervalMs = 30): string {
  const hall = writeLoadHall(dir, 3);
  writeFileSync(join(dir, 'platform.secret'), `${SECRET}\n`, { mode: 0o600 });
  appendFileSync(
    hall.path,
    [
      'platform:',
      `  url: ${simUrl}`,
      '  secretFile: platform.secret',
      '  alg: HMAC-SM3',
      '  batchSize: 40',
      `  intervalMs: ${intervalMs}`,
      '  requestTimeoutMs: 2000',
      '  backoff: { baseMs: 20, maxMs: 200 }',
      '  alarm: { pending: 100, oldestSeconds: 3600 }',
      extra,
      '',
    ].join('\n'),
  );
  return hall.path;
}

/** Steps the relay without sleeping (waits are returned, not waited) until the outbox is empty. */
export async function pump(relay: { step(): Promise<StepResult> }, maxSteps = 2000): Promise<StepResult[]> {
  const seen: StepResult[] = [];
  for (let i = 0; i < maxSteps; i++) {
    const r = await relay.step();
    seen.push(r);
    if (r.kind === 'idle') return seen;
  }
  throw new Error(`relay did not drain in ${maxSteps} steps`);
}

/**
 * The platform simulator of the calling file, knowing one hall (secret `SECRET`): started before its
 * first test, closed after its last (with the file's temp folders). Call it at the top level.
 */
export function platformSimForFile(hallCode: string, seed: number): PlatformSim {
  let sim: PlatformSim | null = null;
  beforeAll(async () => {
    sim = await startPlatformSim({ halls: [{ hallCode, secret: SECRET }], seed });
  });
  afterAll(async () => {
    await sim?.close();
    removeTempDirs();
  });
  return new Proxy({} as PlatformSim, {
    get(_, key) {
      if (!sim) throw new Error('the platform simulator starts before the first test: use it inside tests');
      const v = Reflect.get(sim, key);
      return typeof v === 'function' ? v.bind(sim) : v;
    },
  });
}
