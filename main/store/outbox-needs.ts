/**
 * The write side of the platform outbox and its one ordering mechanism: a record may name the
 * records it needs (`needs`), and it is sent only once every one of them is delivered (accepted or
 * duplicate). A rating needs its case, a case needs the materials it lists, a rectification step
 * needs the rating it refers to, and so on — every kind uses the same rule.
 *
 * Stored as: `outbox.waiting` = how many needed records are not delivered yet, and one row in
 * `outbox_needs` per such need. The relay reads only `state = 'pending' AND waiting = 0` (index
 * `outbox_ready`), so a dependant never sits in the way of others, never waits behind a page limit,
 * and finding what to send costs the same with 10 or 100 000 records waiting. Each transition touches
 * only the records that need the one that changed (index `outbox_needed_by`):
 * - delivered → its dependants' `waiting` goes down by one and the need rows go;
 * - rejected (set aside) → its pending dependants, and theirs, are set aside as `DEPENDENCY_REJECTED`;
 * - retried → it goes back in line together with what it needs that was set aside, and the
 *   dependants set aside because of it come back once none of their needs is set aside any more.
 *
 * Everything here runs inside the caller's transaction (better-sqlite3 nests them as savepoints).
 */
import { createHash, randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';

export type OutboxKind = 'case' | 'evaluation' | 'material' | 'rectification' | 'appointment';
export const OUTBOX_KINDS: readonly OutboxKind[] = ['case', 'evaluation', 'material', 'rectification', 'appointment'];

/** Code of a record set aside because a record it needs was set aside. */
export const DEPENDENCY_REJECTED = 'DEPENDENCY_REJECTED';

export interface NewOutboxRecord {
  kind: OutboxKind;
  /** The hall's case the record belongs to (its 办件编号 is filled in at send time), if any. */
  caseId?: string | null;
  /** A case's version, a rating's assessNumber; 1 when the kind has none. */
  version?: number;
  occurredAt: number;
  /** The contract's `data`, stored as JSON; see OutboxStore.toJson for the placeholders filled at send. */
  data: object;
  /** Sealed ID numbers (FieldCipher), put back at send time. */
  sealed?: string | null;
  /** Ids of outbox records that must be delivered before this one is sent. */
  needs?: string[];
  /** When the record was written (for the backlog alarm); occurredAt when absent. */
  createdAt?: number;
  /**
   * What the record is about, to find it again later: a rating's evaluation id (its record id is
   * then derived from it, see evaluationRecordId). A material's is its SHA-256, set here.
   */
  ref?: string | null;
}

type Db = Database.Database;
type DbLike = Db | { db: Db };

const dbOf = (d: DbLike): Db =>
  'db' in d && typeof (d as { db: unknown }).db === 'object' ? (d as { db: Db }).db : (d as Db);

interface Statements {
  insert: Database.Statement;
  byId: Database.Statement;
  bySeq: Database.Statement;
  materialByRef: Database.Statement;
  evaluationByRef: Database.Statement;
  addNeed: Database.Statement;
  setWaiting: Database.Statement;
  setAsideNow: Database.Statement;
  releaseDependants: Database.Statement;
  dropNeeds: Database.Statement;
  setAsideDown: Database.Statement;
  retryAll: Database.Statement;
  retryUp: Database.Statement;
  dependantsAside: Database.Statement;
  rejectedNeed: Database.Statement;
  putBack: Database.Statement;
  needsOf: Database.Statement;
  dependantsOf: Database.Statement;
  moveNeed: Database.Statement;
  dropNeed: Database.Statement;
  countNeeds: Database.Statement;
}

const cache = new WeakMap<Db, Statements>();

function statements(db: Db): Statements {
  let s = cache.get(db);
  if (s) return s;
  const p = (sql: string) => db.prepare(sql);
  s = {
    insert: p(
      `INSERT INTO outbox (id, kind, case_id, version, occurred_at, data, sealed, created_at, waiting, ref)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING seq`,
    ),
    byId: p('SELECT seq, state, kind, case_id, code FROM outbox WHERE id = ?'),
    bySeq: p('SELECT seq, id, state, kind, case_id, code FROM outbox WHERE seq = ?'),
    materialByRef: p(
      `SELECT id FROM outbox WHERE kind = 'material' AND ref = ? ORDER BY state = 'rejected', seq DESC LIMIT 1`,
    ),
    evaluationByRef: p(`SELECT id FROM outbox WHERE kind = 'evaluation' AND ref = ? LIMIT 1`),
    addNeed: p('INSERT OR IGNORE INTO outbox_needs (record_seq, needs_seq) VALUES (?, ?)'),
    setWaiting: p('UPDATE outbox SET waiting = ? WHERE seq = ?'),
    setAsideNow: p(
      `UPDATE outbox SET state = 'rejected', done_at = ?, code = ?, message = ? WHERE seq = ? AND state = 'pending'`,
    ),
    releaseDependants: p(
      `UPDATE outbox SET waiting = waiting - 1
       WHERE seq IN (SELECT record_seq FROM outbox_needs WHERE needs_seq = ?) AND waiting > 0`,
    ),
    dropNeeds: p('DELETE FROM outbox_needs WHERE needs_seq = ?'),
    setAsideDown: p(
      `WITH RECURSIVE down(seq) AS (
         SELECT record_seq FROM outbox_needs WHERE needs_seq = ?
         UNION SELECT n.record_seq FROM outbox_needs n JOIN down d ON n.needs_seq = d.seq
       )
       UPDATE outbox SET state = 'rejected', done_at = ?, code = '${DEPENDENCY_REJECTED}', message = ?
       WHERE seq IN (SELECT seq FROM down) AND state = 'pending'`,
    ),
    retryAll: p(
      `UPDATE outbox SET state = 'pending', done_at = NULL, code = NULL, message = NULL WHERE state = 'rejected'`,
    ),
    // The record and every record it needs, directly or not, that is set aside.
    retryUp: p(
      `WITH RECURSIVE up(seq) AS (
         SELECT ?
         UNION SELECT n.needs_seq FROM outbox_needs n JOIN up u ON n.record_seq = u.seq
       )
       UPDATE outbox SET state = 'pending', done_at = NULL, code = NULL, message = NULL
       WHERE seq IN (SELECT seq FROM up) AND state = 'rejected' RETURNING seq`,
    ),
    dependantsAside: p(
      `SELECT o.seq FROM outbox_needs n JOIN outbox o ON o.seq = n.record_seq
       WHERE n.needs_seq = ? AND o.state = 'rejected' AND o.code = '${DEPENDENCY_REJECTED}'`,
    ),
    rejectedNeed: p(
      `SELECT 1 FROM outbox_needs n JOIN outbox o ON o.seq = n.needs_seq
       WHERE n.record_seq = ? AND o.state = 'rejected' LIMIT 1`,
    ),
    putBack: p(
      `UPDATE outbox SET state = 'pending', done_at = NULL, code = NULL, message = NULL
       WHERE seq = ? AND state = 'rejected' AND code = '${DEPENDENCY_REJECTED}'`,
    ),
    needsOf: p(
      'SELECT o.seq, o.id, o.kind, o.case_id, o.state, o.code FROM outbox_needs n JOIN outbox o ON o.seq = n.needs_seq WHERE n.record_seq = ?',
    ),
    dependantsOf: p('SELECT record_seq FROM outbox_needs WHERE needs_seq = ?'),
    moveNeed: p('INSERT OR IGNORE INTO outbox_needs (record_seq, needs_seq) VALUES (?, ?)'),
    dropNeed: p('DELETE FROM outbox_needs WHERE record_seq = ? AND needs_seq = ?'),
    countNeeds: p('SELECT count(*) n FROM outbox_needs WHERE record_seq = ?'),
  };
  cache.set(db, s);
  return s;
}

interface RecordRow {
  seq: number;
  id?: string;
  state: 'pending' | 'delivered' | 'rejected';
  kind: OutboxKind;
  case_id: string | null;
  code: string | null;
}

const KIND_NAMES: Record<OutboxKind, string> = {
  case: '办件',
  evaluation: '评价',
  material: '材料',
  rectification: '整改',
  appointment: '预约',
};

function describe(r: { kind: OutboxKind; id?: string; case_id: string | null }): string {
  return `${KIND_NAMES[r.kind]}记录 ${r.id ?? ''}${r.case_id ? `（办件 ${r.case_id}）` : ''}`;
}

function dependencyMessage(needed: RecordRow & { code: string | null }): string {
  return `所需的${describe(needed)}已被搁置（${needed.code ?? '未知'}），本记录暂不上报；处理并重试那条记录后本记录自动恢复`;
}

/**
 * Writes one record to the outbox; returns its id, the platform idempotency key, chosen here once.
 * Call inside the transaction of the change it reports. A `needs` id that is not in the outbox any
 * more was delivered and pruned (only delivered rows are pruned), so it is already satisfied.
 * A material is sent once per file: when a material record for the same SHA-256 exists, its id is
 * returned instead of writing a second one.
 */
export function enqueueRecord(handle: DbLike, rec: NewOutboxRecord): string {
  const db = dbOf(handle);
  const s = statements(db);
  const ref = rec.kind === 'material' ? materialHash(rec.data) : (rec.ref ?? null);
  if (ref) {
    const existing = s.materialByRef.get(ref) as { id: string } | undefined;
    if (existing) return existing.id;
  }
  const open: RecordRow[] = [];
  for (const id of new Set(rec.needs ?? [])) {
    const n = s.byId.get(id) as RecordRow | undefined;
    if (n && n.state !== 'delivered') open.push({ ...n, id });
  }
  const id = rec.kind === 'evaluation' && ref ? derivedEvaluationRecordId(ref) : randomUUID();
  const { seq } = s.insert.get(
    id,
    rec.kind,
    rec.caseId ?? null,
    rec.version ?? 1,
    rec.occurredAt,
    JSON.stringify(rec.data),
    rec.sealed ?? null,
    rec.createdAt ?? rec.occurredAt,
    open.length,
    ref,
  ) as { seq: number };
  for (const n of open) s.addNeed.run(seq, n.seq);
  const aside = open.find((n) => n.state === 'rejected');
  if (aside) s.setAsideNow.run(rec.createdAt ?? rec.occurredAt, DEPENDENCY_REJECTED, dependencyMessage(aside), seq);
  return id;
}

function materialHash(data: object): string {
  const h = (data as { sha256?: unknown }).sha256;
  if (typeof h !== 'string' || !/^[0-9a-fA-F]{64}$/.test(h)) {
    throw new Error('材料记录的 data.sha256 应为 64 位十六进制');
  }
  return h.toLowerCase();
}

/**
 * A rating's record id follows from its evaluation id (a UUID made of its SHA-256, RFC 9562 v8), so
 * a later record that refers to it (a rectification's evaluationRef) can name it even after the
 * delivered row was pruned.
 */
function derivedEvaluationRecordId(evaluationId: string): string {
  const h = createHash('sha256').update(`govhall:evaluation:${evaluationId}`).digest('hex');
  const variant = ((Number.parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** The outbox record id of a rating (its evaluation id), whether or not the row is still kept. */
export function evaluationRecordId(handle: DbLike, evaluationId: string): string {
  const r = statements(dbOf(handle)).evaluationByRef.get(evaluationId) as { id: string } | undefined;
  return r?.id ?? derivedEvaluationRecordId(evaluationId);
}

/** The id of the material record for a file, if the outbox has one (pending, delivered or set aside). */
export function materialRecordId(handle: DbLike, sha256: string): string | null {
  const r = statements(dbOf(handle)).materialByRef.get(sha256.toLowerCase()) as { id: string } | undefined;
  return r?.id ?? null;
}

/** A record was delivered: what needed it waits for one record less. */
export function releaseDependants(handle: DbLike, seq: number): void {
  const s = statements(dbOf(handle));
  s.releaseDependants.run(seq);
  s.dropNeeds.run(seq);
}

/** A record was set aside: everything that needs it, directly or not, is set aside too. */
export function setAsideDependants(handle: DbLike, seq: number, now: number): number {
  const s = statements(dbOf(handle));
  const row = s.bySeq.get(seq) as RecordRow | undefined;
  if (!row) return 0;
  return s.setAsideDown.run(seq, now, dependencyMessage(row)).changes;
}

/** Sets one pending record aside (with its dependants); returns how many records were set aside. */
export function setAsideRecord(handle: DbLike, id: string, code: string, message: string, now: number): number {
  const s = statements(dbOf(handle));
  const row = s.byId.get(id) as RecordRow | undefined;
  if (!row || s.setAsideNow.run(now, code, message, row.seq).changes === 0) return 0;
  return 1 + setAsideDependants(handle, row.seq, now);
}

/**
 * Puts set-aside records back in line (same ids, same seqs): all of them, or the named ones together
 * with what they need that is set aside. Dependants set aside only because of a retried record come
 * back once none of their needs is set aside. Returns how many records went back in line.
 */
export function retryRecords(handle: DbLike, ids?: string[]): number {
  const db = dbOf(handle);
  const s = statements(db);
  if (!ids) return s.retryAll.run().changes;
  const back: number[] = [];
  for (const id of ids) {
    const row = s.byId.get(id) as RecordRow | undefined;
    if (!row) continue;
    for (const r of s.retryUp.all(row.seq) as { seq: number }[]) back.push(r.seq);
  }
  return back.length + bringBackDependants(s, back);
}

function bringBackDependants(s: Statements, from: number[]): number {
  let n = 0;
  let frontier = from;
  while (frontier.length) {
    const next: number[] = [];
    for (const seq of frontier) {
      for (const d of s.dependantsAside.all(seq) as { seq: number }[]) {
        if (s.rejectedNeed.get(d.seq)) continue;
        if (s.putBack.run(d.seq).changes) {
          n++;
          next.push(d.seq);
        }
      }
    }
    frontier = next;
  }
  return n;
}

/**
 * A newer record takes over from older ones as the record others need (a new version of a case that
 * the platform has not accepted yet stands in for the earlier versions, whatever becomes of them).
 * Dependants set aside because of an old one come back when nothing they need is set aside any more.
 */
export function transferDependants(handle: DbLike, fromIds: string[], toId: string, now: number): void {
  const db = dbOf(handle);
  const s = statements(db);
  const to = s.byId.get(toId) as RecordRow | undefined;
  if (!to) throw new Error(`发件箱中没有记录 ${toId}`);
  const moved = new Set<number>();
  for (const fromId of fromIds) {
    const from = s.byId.get(fromId) as RecordRow | undefined;
    if (!from || from.seq === to.seq) continue;
    for (const d of s.dependantsOf.all(from.seq) as { record_seq: number }[]) {
      if (d.record_seq === to.seq) continue;
      s.dropNeed.run(d.record_seq, from.seq);
      if (to.state !== 'delivered') s.moveNeed.run(d.record_seq, to.seq);
      moved.add(d.record_seq);
    }
  }
  if (moved.size === 0) return;
  for (const seq of moved) s.setWaiting.run((s.countNeeds.get(seq) as { n: number }).n, seq);
  if (to.state === 'rejected') {
    setAsideDependants(db, to.seq, now);
    return;
  }
  const back = [...moved].filter((seq) => {
    const r = s.bySeq.get(seq) as RecordRow;
    if (r.state !== 'rejected' || r.code !== DEPENDENCY_REJECTED || s.rejectedNeed.get(seq)) return false;
    return s.putBack.run(seq).changes > 0;
  });
  bringBackDependants(s, back);
}

/** The records a record needs that are not delivered yet (for status screens and tests). */
export function openNeeds(
  handle: DbLike,
  id: string,
): { id: string; kind: OutboxKind; state: string; code: string | null }[] {
  const s = statements(dbOf(handle));
  const row = s.byId.get(id) as RecordRow | undefined;
  if (!row) return [];
  return (s.needsOf.all(row.seq) as (RecordRow & { id: string })[]).map((r) => ({
    id: r.id,
    kind: r.kind,
    state: r.state,
    code: r.code,
  }));
}
