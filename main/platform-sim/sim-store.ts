/**
 * The simulator's own SQLite file (better-sqlite3, WAL). One batch is one transaction, so when the
 * "drop after commit" fault destroys the socket the records really are committed, as on a real
 * platform whose answer was lost on the way back.
 */
import Database from 'better-sqlite3';
import { isoChina, yyyymmddChina } from './china-time.js';
import type { RecordKind, RecordResult, StoredMaterial, StoredRecord } from './types.js';
import type { ParsedRecord } from './validate-record.js';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS records (
  n INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL,
  seq INTEGER NOT NULL,
  hall_code TEXT NOT NULL,
  local_case_id TEXT NOT NULL,
  version INTEGER,
  assess_number INTEGER,
  data TEXT NOT NULL,
  occurred_at TEXT NOT NULL,
  batch_id TEXT NOT NULL,
  accepted_at TEXT NOT NULL,
  project_no TEXT
);
CREATE INDEX IF NOT EXISTS records_project ON records(project_no, kind);
CREATE TABLE IF NOT EXISTS cases (
  hall_code TEXT NOT NULL,
  local_case_id TEXT NOT NULL,
  project_no TEXT NOT NULL UNIQUE,
  version INTEGER NOT NULL,
  status TEXT NOT NULL,
  record_id TEXT NOT NULL,
  PRIMARY KEY (hall_code, local_case_id)
);
CREATE TABLE IF NOT EXISTS evaluations (
  hall_code TEXT NOT NULL,
  local_case_id TEXT NOT NULL,
  assess_number INTEGER NOT NULL,
  record_id TEXT NOT NULL,
  PRIMARY KEY (hall_code, local_case_id, assess_number)
);
CREATE TABLE IF NOT EXISTS serials (prefix TEXT PRIMARY KEY, n INTEGER NOT NULL);
-- Material files by content (v1.1): one row per SHA-256 whoever sends it again.
CREATE TABLE IF NOT EXISTS materials (
  sha256 TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  content_type TEXT NOT NULL,
  size INTEGER NOT NULL,
  hall_code TEXT NOT NULL,
  stored_at TEXT NOT NULL,
  puts INTEGER NOT NULL DEFAULT 1,
  bytes BLOB NOT NULL
);
`;

interface RecordRow {
  n: number;
  id: string;
  kind: RecordKind;
  seq: number;
  hall_code: string;
  local_case_id: string;
  version: number | null;
  assess_number: number | null;
  data: string;
  occurred_at: string;
  batch_id: string;
  accepted_at: string;
  project_no: string | null;
}

interface CaseRow {
  project_no: string;
  version: number;
  status: string;
}

/** What the batch handler hands to the store for one record, in order. */
export type BatchItem =
  | { kind: 'checked'; record: ParsedRecord }
  | { kind: 'rejected'; result: RecordResult }
  /** Only the id is known to be readable; the store still answers duplicate before anything else. */
  | { kind: 'pending'; id: string; check: () => { record: ParsedRecord } | { result: RecordResult } };

export interface CaseProgress {
  projectNo: string;
  status: string;
  steps: { name: string; time: string; result: string | null }[];
}

const STEP_NAMES: Record<string, string> = {
  accepted: '受理',
  in_progress: '办理',
  finished: '办结',
  returned: '退回',
  withdrawn: '撤回',
};

const toStored = (r: RecordRow): StoredRecord => ({
  id: r.id,
  kind: r.kind,
  seq: r.seq,
  hallCode: r.hall_code,
  localCaseId: r.local_case_id,
  version: r.version,
  assessNumber: r.assess_number,
  data: JSON.parse(r.data) as Record<string, unknown>,
  occurredAt: r.occurred_at,
  batchId: r.batch_id,
  acceptedAt: r.accepted_at,
  ...(r.project_no ? { projectNo: r.project_no } : {}),
});

export class SimStore {
  private readonly db: Database.Database;
  private readonly q;

  constructor(file: string) {
    this.db = new Database(file);
    // WAL + NORMAL: a commit survives a crash of the simulator process (what the drop-after-commit
    // fault needs); the simulator is not the hall, so it does not pay for fsync on every batch.
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(SCHEMA);
    const db = this.db;
    this.q = {
      byId: db.prepare<
        [string],
        { kind: RecordKind; hall_code: string; local_case_id: string; project_no: string | null }
      >('SELECT kind, hall_code, local_case_id, project_no FROM records WHERE id = ?'),
      caseOf: db.prepare<[string, string], CaseRow>(
        'SELECT project_no, version, status FROM cases WHERE hall_code = ? AND local_case_id = ?',
      ),
      insertCase: db.prepare(
        'INSERT INTO cases (hall_code, local_case_id, project_no, version, status, record_id) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      updateCase: db.prepare(
        'UPDATE cases SET version = ?, status = ?, record_id = ? WHERE hall_code = ? AND local_case_id = ?',
      ),
      evaluationOf: db.prepare<[string, string, number], { record_id: string }>(
        'SELECT record_id FROM evaluations WHERE hall_code = ? AND local_case_id = ? AND assess_number = ?',
      ),
      insertEvaluation: db.prepare(
        'INSERT INTO evaluations (hall_code, local_case_id, assess_number, record_id) VALUES (?, ?, ?, ?)',
      ),
      nextSerial: db.prepare<[string], { n: number }>(
        'INSERT INTO serials (prefix, n) VALUES (?, 1) ON CONFLICT(prefix) DO UPDATE SET n = n + 1 RETURNING n',
      ),
      insertRecord: db.prepare(
        `INSERT INTO records (id, kind, seq, hall_code, local_case_id, version, assess_number, data, occurred_at,
           batch_id, accepted_at, project_no) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      all: db.prepare<[], RecordRow>('SELECT * FROM records ORDER BY n'),
      latest: db.prepare<[number], RecordRow>('SELECT * FROM records ORDER BY n DESC LIMIT ?'),
      count: db.prepare<[], { c: number }>('SELECT count(*) AS c FROM records'),
      caseRecords: db.prepare<[string], RecordRow>(
        "SELECT * FROM records WHERE project_no = ? AND kind = 'case' ORDER BY version, n",
      ),
      materialHeld: db.prepare<[string], { sha256: string }>('SELECT sha256 FROM materials WHERE sha256 = ?'),
      putMaterial: db.prepare(
        `INSERT INTO materials (sha256, name, content_type, size, hall_code, stored_at, bytes) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (sha256) DO UPDATE SET puts = puts + 1`,
      ),
      materials: db.prepare<[], Record<string, unknown>>(
        'SELECT sha256, name, content_type, size, hall_code, stored_at, puts FROM materials ORDER BY rowid',
      ),
      materialBytes: db.prepare<[string], { bytes: Buffer }>('SELECT bytes FROM materials WHERE sha256 = ?'),
      cases: db.prepare<
        [],
        { hall_code: string; local_case_id: string; project_no: string; version: number; status: string }
      >('SELECT hall_code, local_case_id, project_no, version, status FROM cases ORDER BY rowid DESC LIMIT 200'),
    };
  }

  /**
   * Applies one batch in one transaction and returns one result per item, in order. `now` is the
   * simulator's clock (ms) for acceptedAt and the date part of new 办件编号.
   */
  applyBatch(hallCode: string, batchId: string, items: BatchItem[], now: number): RecordResult[] {
    const run = this.db.transaction(() => items.map((it) => this.applyOne(hallCode, batchId, it, now)));
    return run();
  }

  private applyOne(hallCode: string, batchId: string, item: BatchItem, now: number): RecordResult {
    if (item.kind === 'rejected') return item.result;
    const id = item.kind === 'checked' ? item.record.id : item.id;
    // The id is the idempotency key: once accepted, every resend is a duplicate whatever it holds.
    const seen = this.q.byId.get(id);
    if (seen) {
      const projectNo = seen.kind === 'case' ? (seen.project_no ?? undefined) : undefined;
      return { id, status: 'duplicate', ...(projectNo ? { projectNo } : {}) };
    }
    let record: ParsedRecord;
    if (item.kind === 'pending') {
      const c = item.check();
      if ('result' in c) return c.result;
      record = c.record;
    } else record = item.record;
    const acceptedAt = isoChina(now);
    const p = record.parsed;
    if (p.kind === 'appointment') {
      // Kept as a record (the appointment id in the case column): the id makes a resend a duplicate.
      this.insert(hallCode, batchId, record, p.appointmentId, null, null, acceptedAt, null);
      return { id, status: 'accepted' };
    }
    if (p.kind === 'rectification') {
      const ev = this.q.byId.get(p.evaluationRef);
      if (ev?.kind !== 'evaluation' || ev.hall_code !== hallCode) {
        return {
          id,
          status: 'rejected',
          code: 'UNKNOWN_EVALUATION',
          message: `平台没有本大厅的评价记录 ${p.evaluationRef}，请先上报评价再上报整改`,
        };
      }
      this.insert(hallCode, batchId, record, ev.local_case_id, null, null, acceptedAt, ev.project_no);
      return { id, status: 'accepted' };
    }
    if (p.kind === 'case') {
      const missing = p.materials.filter((h) => !this.q.materialHeld.get(h));
      if (missing.length) {
        return {
          id,
          status: 'rejected',
          code: 'UNKNOWN_MATERIAL',
          message: `平台没有办件所列的材料文件（SHA-256 ${missing.map((h) => `${h.slice(0, 12)}…`).join('、')}），请先上传材料`,
        };
      }
      const existing = this.q.caseOf.get(hallCode, p.localCaseId);
      let projectNo: string;
      if (!existing) {
        // 办件编号 = 实施编码 + yyyyMMdd + 4-digit serial per code and day (domain.md).
        const prefix = `${p.taskCode}${yyyymmddChina(now)}`;
        const n = this.q.nextSerial.get(prefix)?.n ?? 1;
        projectNo = `${prefix}${String(n).padStart(4, '0')}`;
        this.q.insertCase.run(hallCode, p.localCaseId, projectNo, p.version, p.status, id);
      } else {
        projectNo = existing.project_no;
        // Keep the highest version; an older or equal version is accepted (delivered) but not current.
        if (p.version > existing.version) this.q.updateCase.run(p.version, p.status, id, hallCode, p.localCaseId);
      }
      this.insert(hallCode, batchId, record, p.localCaseId, p.version, null, acceptedAt, projectNo);
      return { id, status: 'accepted', projectNo };
    }
    const theCase = this.q.caseOf.get(hallCode, p.localCaseId);
    if (!theCase) {
      return {
        id,
        status: 'rejected',
        code: 'UNKNOWN_CASE',
        message: `平台没有本大厅办件 ${p.localCaseId}，请先上报办件再上报评价`,
      };
    }
    if (this.q.evaluationOf.get(hallCode, p.localCaseId, p.assessNumber)) {
      return {
        id,
        status: 'rejected',
        code: 'ALREADY_EVALUATED',
        message: `办件 ${p.localCaseId} 的第 ${p.assessNumber} 次评价已存在（另一个记录编号）`,
      };
    }
    this.q.insertEvaluation.run(hallCode, p.localCaseId, p.assessNumber, id);
    this.insert(hallCode, batchId, record, p.localCaseId, null, p.assessNumber, acceptedAt, theCase.project_no);
    return { id, status: 'accepted' };
  }

  private insert(
    hallCode: string,
    batchId: string,
    r: ParsedRecord,
    localCaseId: string,
    version: number | null,
    assessNumber: number | null,
    acceptedAt: string,
    projectNo: string | null,
  ): void {
    this.q.insertRecord.run(
      r.id,
      r.kind,
      r.seq,
      hallCode,
      localCaseId,
      version,
      assessNumber,
      JSON.stringify(r.data),
      r.occurredAt,
      batchId,
      acceptedAt,
      projectNo,
    );
  }

  /** Stores a material file once; true when it was new (201), false when already held (200). */
  putMaterial(
    m: { sha256: string; name: string; contentType: string; bytes: Buffer; hallCode: string },
    now: number,
  ): boolean {
    const held = this.q.materialHeld.get(m.sha256) !== undefined;
    this.q.putMaterial.run(m.sha256, m.name, m.contentType, m.bytes.length, m.hallCode, isoChina(now), m.bytes);
    return !held;
  }

  materials(): StoredMaterial[] {
    return this.q.materials.all().map((r) => ({
      sha256: r.sha256 as string,
      name: r.name as string,
      contentType: r.content_type as string,
      size: r.size as number,
      hallCode: r.hall_code as string,
      storedAt: r.stored_at as string,
      puts: r.puts as number,
    }));
  }

  materialBytes(sha256: string): Buffer | null {
    return this.q.materialBytes.get(sha256)?.bytes ?? null;
  }

  records(): StoredRecord[] {
    return this.q.all.all().map(toStored);
  }

  latest(limit: number): StoredRecord[] {
    return this.q.latest.all(limit).map(toStored);
  }

  count(): number {
    return this.q.count.get()?.c ?? 0;
  }

  cases() {
    return this.q.cases.all().map((c) => ({
      hallCode: c.hall_code,
      localCaseId: c.local_case_id,
      projectNo: c.project_no,
      version: c.version,
      status: c.status,
    }));
  }

  /** Progress of a case from its stored versions: one step per status change, in version order. */
  progress(projectNo: string): CaseProgress | null {
    const rows = this.q.caseRecords.all(projectNo);
    if (rows.length === 0) return null;
    const steps: CaseProgress['steps'] = [];
    let last = '';
    let status = '';
    let prevVersion: number | null = null;
    for (const row of rows) {
      // Of two records with the same version the first is the one kept (see applyOne).
      if (row.version === prevVersion) continue;
      prevVersion = row.version;
      const d = JSON.parse(row.data) as Record<string, unknown>;
      status = String(d.status);
      if (status === last) continue;
      last = status;
      const time =
        status === 'accepted'
          ? String(d.acceptTime)
          : status === 'finished' && typeof d.finishTime === 'string'
            ? d.finishTime
            : row.occurred_at;
      steps.push({
        name: STEP_NAMES[status] ?? status,
        time,
        result: status === 'finished' && typeof d.result === 'string' ? d.result : null,
      });
    }
    return { projectNo, status, steps };
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
