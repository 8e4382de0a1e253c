/**
 * Append-only audit log, hash-chained: each row's hash covers its fields and the previous row's
 * hash, so editing or deleting a row (after getting past the triggers) breaks the chain there.
 */
import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { AuditEntry } from '../queue/repository.js';
import type { HallDatabase } from './database.js';

const GENESIS = '0'.repeat(64);

interface AuditRow {
  id: number;
  at: number;
  actor_role: string;
  terminal_id: string | null;
  staff_no: string | null;
  action: string;
  subject: string | null;
  result: string;
  detail: string | null;
  address: string | null;
  prev_hash: string;
  hash: string;
}

function rowHash(r: Omit<AuditRow, 'hash'>): string {
  const canonical = JSON.stringify([
    r.id,
    r.at,
    r.actor_role,
    r.terminal_id,
    r.staff_no,
    r.action,
    r.subject,
    r.result,
    r.detail,
    // Added in schema 3: part of the hash only when present, so rows written before keep theirs.
    ...(r.address === null || r.address === undefined ? [] : [r.address]),
  ]);
  return createHash('sha256').update(r.prev_hash).update(canonical).digest('hex');
}

const stmts = new WeakMap<Database.Database, { last: Database.Statement; insert: Database.Statement }>();

/** Appends one entry; call inside the transaction of the change it records. */
export function appendAudit(db: Database.Database, e: AuditEntry): void {
  let s = stmts.get(db);
  if (!s) {
    s = {
      last: db.prepare('SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1'),
      insert: db.prepare(
        'INSERT INTO audit (id, at, actor_role, terminal_id, staff_no, action, subject, result, detail, address, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)',
      ),
    };
    stmts.set(db, s);
  }
  const last = s.last.get() as { id: number; hash: string } | undefined;
  const row = {
    id: (last?.id ?? 0) + 1,
    at: e.at,
    actor_role: e.actor.role,
    terminal_id: e.actor.terminalId,
    staff_no: e.actor.staffNo,
    action: e.action,
    subject: e.subject,
    result: e.result,
    detail: e.detail ? JSON.stringify(e.detail) : null,
    address: e.actor.address ?? null,
    prev_hash: last?.hash ?? GENESIS,
  };
  const hash = rowHash(row);
  s.insert.run(
    row.id,
    row.at,
    row.actor_role,
    row.terminal_id,
    row.staff_no,
    row.action,
    row.subject,
    row.result,
    row.detail,
    row.address,
    row.prev_hash,
    hash,
  );
}

export type AuditVerifyResult =
  | { ok: true; count: number }
  | { ok: false; count: number; firstBrokenId: number; reason: string };

export function verifyAuditChain(handle: HallDatabase | Database.Database): AuditVerifyResult {
  const db = 'db' in handle ? handle.db : handle;
  let prev = GENESIS;
  let expectedId = 1;
  let count = 0;
  for (const r of db.prepare('SELECT * FROM audit ORDER BY id').iterate() as IterableIterator<AuditRow>) {
    if (r.id !== expectedId) {
      return {
        ok: false,
        count,
        firstBrokenId: expectedId,
        reason: `第 ${expectedId} 条记录缺失（下一条是第 ${r.id} 条）`,
      };
    }
    if (r.prev_hash !== prev) {
      return { ok: false, count, firstBrokenId: r.id, reason: `第 ${r.id} 条记录的前序哈希与上一条不符` };
    }
    if (rowHash(r) !== r.hash) {
      return { ok: false, count, firstBrokenId: r.id, reason: `第 ${r.id} 条记录的内容与其哈希不符（被改动过）` };
    }
    prev = r.hash;
    expectedId++;
    count++;
  }
  return { ok: true, count };
}
