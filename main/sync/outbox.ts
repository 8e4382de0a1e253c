/**
 * The relay's side of the outbox table (the write side is main/store/case-repository.ts, inside the
 * transaction of each change). Records leave strictly in `seq` order from the head of the pending
 * set, read one bounded page at a time, so memory does not grow with the outbox and each case's
 * records go out in the order they were made (a case before its evaluations, versions ascending):
 * whatever precedes a record is either delivered, set aside, or earlier in the same batch.
 *
 * States: `pending` → `delivered` (accepted or duplicate; payload dropped, never sent again) or
 * `rejected` (set aside with the platform's code; a manager may put it back with retry).
 */
import type Database from 'better-sqlite3';
import { offsetMinutes } from '../../common/hall-time.js';
import type { FieldCipher } from '../store/crypto.js';
import type { HallDatabase } from '../store/database.js';
import type { RecordResult } from './platform-client.js';

/** Code for an evaluation set aside because no version of its case ever reached the platform. */
export const CASE_REJECTED = 'CASE_REJECTED';

export interface HallIdentity {
  hallCode: string;
  areaCode: string;
}

export interface OutboxStats {
  pending: number;
  oldestPendingAt: number | null;
  rejected: number;
  delivered: number;
}

export interface RejectedRecord {
  id: string;
  seq: number;
  kind: 'case' | 'evaluation';
  caseId: string;
  version: number;
  code: string | null;
  message: string | null;
  at: number | null;
  attempts: number;
}

/** What the relay needs to know of a record in a batch (its JSON is in `BatchPage.json`). */
export interface PageRecord {
  id: string;
  kind: 'case' | 'evaluation';
  seq: number;
  caseId: string;
  version: number;
  projectNo: string | null;
}

export interface BatchPage {
  records: PageRecord[];
  /** `{"batchId":…,"records":[…]}` is assembled from these pre-serialised records. */
  json: string[];
  bytes: number;
}

interface PendingRow {
  seq: number;
  id: string;
  kind: 'case' | 'evaluation';
  case_id: string;
  version: number;
  occurred_at: number;
  data: string;
  sealed: string | null;
  project_no: string | null;
  synced_version: number | null;
}

export class OutboxStore {
  private readonly db: Database.Database;
  private readonly s: Record<string, Database.Statement>;
  private readonly offsets = new Map<string, number>();

  constructor(
    handle: HallDatabase,
    private readonly cipher: FieldCipher | null,
    /** Reason codes the platform knows (its catalogue), when known: see `fitReasons`. */
    private readonly reasonCodes: () => ReadonlyMap<string, string> | null = () => null,
  ) {
    this.db = handle.db;
    const p = (sql: string) => this.db.prepare(sql);
    this.s = {
      head: p(
        `SELECT o.seq, o.id, o.kind, o.case_id, o.version, o.occurred_at, o.data, o.sealed, c.project_no, c.synced_version
         FROM outbox o INDEXED BY outbox_pending LEFT JOIN cases c ON c.id = o.case_id
         WHERE o.state = 'pending' AND o.seq > ? ORDER BY o.seq LIMIT ?`,
      ),
      pendingBefore: p(`SELECT count(*) n FROM outbox INDEXED BY outbox_pending WHERE state = 'pending' AND seq < ?`),
      firstPending: p(`SELECT seq FROM outbox INDEXED BY outbox_pending WHERE state = 'pending' ORDER BY seq LIMIT 1`),
      pendingCaseRecord: p(`SELECT 1 FROM outbox WHERE case_id = ? AND kind = 'case' AND state = 'pending' LIMIT 1`),
      rejectedCaseRecord: p(
        `SELECT code, message FROM outbox WHERE case_id = ? AND kind = 'case' AND state = 'rejected' ORDER BY seq DESC LIMIT 1`,
      ),
      delivered: p(
        `UPDATE outbox SET state = 'delivered', done_at = ?, duplicate = ?, data = NULL, sealed = NULL,
           attempts = attempts + 1, code = NULL, message = NULL WHERE seq = ? AND state = 'pending'`,
      ),
      rejected: p(
        `UPDATE outbox SET state = 'rejected', done_at = ?, code = ?, message = ?, attempts = attempts + 1
         WHERE seq = ? AND state = 'pending'`,
      ),
      setAside: p(
        `UPDATE outbox SET state = 'rejected', done_at = ?, code = ?, message = ?, attempts = attempts + 1
         WHERE id = ? AND state = 'pending'`,
      ),
      caseSynced: p(
        `UPDATE cases SET synced_version = max(coalesce(synced_version, 0), ?), project_no = coalesce(?, project_no)
         WHERE id = ?`,
      ),
      orphans: p(
        `UPDATE outbox SET state = 'rejected', done_at = ?, code = ?, message = ?
         WHERE case_id = ? AND kind = 'evaluation' AND state = 'pending'`,
      ),
      countPending: p(`SELECT count(*) n FROM outbox WHERE state = 'pending'`),
      oldestPending: p(
        `SELECT created_at FROM outbox INDEXED BY outbox_pending WHERE state = 'pending' ORDER BY seq LIMIT 1`,
      ),
      countRejected: p(`SELECT count(*) n FROM outbox WHERE state = 'rejected'`),
      countDelivered: p(`SELECT count(*) n FROM outbox WHERE state = 'delivered'`),
      listRejected: p(
        `SELECT seq, id, kind, case_id, version, code, message, done_at, attempts FROM outbox
         WHERE state = 'rejected' AND seq > ? ORDER BY seq LIMIT ?`,
      ),
      retryAll: p(
        `UPDATE outbox SET state = 'pending', done_at = NULL, code = NULL, message = NULL WHERE state = 'rejected'`,
      ),
      retryOne: p(
        `UPDATE outbox SET state = 'pending', done_at = NULL, code = NULL, message = NULL WHERE state = 'rejected' AND id = ?`,
      ),
      prune: p(`DELETE FROM outbox WHERE state = 'delivered' AND done_at < ?`),
      getState: p('SELECT value FROM sync_state WHERE key = ?'),
      setState: p(
        'INSERT INTO sync_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
      ),
      delState: p('DELETE FROM sync_state WHERE key = ?'),
    };
  }

  /**
   * The next batch: pending records from the head, in seq order, at most `limit` records and
   * `maxBytes` of JSON. Evaluations whose case can no longer reach the platform (every case
   * record rejected) are set aside here, so they neither block nor get sent to fail.
   */
  head(
    limit: number,
    maxBytes: number,
    hall: HallIdentity,
    timeZone: string,
    now: number,
    /** Read past a batch still in flight (the relay prepares the next one meanwhile). */
    afterSeq = 0,
  ): BatchPage {
    // Each round that sets evaluations aside shrinks the pending set, so this ends.
    for (;;) {
      const rows = this.s.head!.all(afterSeq, limit) as PendingRow[];
      const page: BatchPage = { records: [], json: [], bytes: 0 };
      let orphaned = false;
      // Cases that get a pending case record earlier in this very page are fine.
      const caseInPage = new Set<string>();
      for (const r of rows) {
        if (r.kind === 'case') caseInPage.add(r.case_id);
        else if (r.synced_version === null && !caseInPage.has(r.case_id) && !this.s.pendingCaseRecord!.get(r.case_id)) {
          this.setAsideOrphans(r.case_id, now);
          orphaned = true;
          continue;
        }
        const json = this.toJson(r, hall, timeZone);
        const rec: PageRecord = {
          id: r.id,
          kind: r.kind,
          seq: r.seq,
          caseId: r.case_id,
          version: r.version,
          projectNo: r.project_no,
        };
        const size = Buffer.byteLength(json) + 1;
        if (page.records.length > 0 && page.bytes + size > maxBytes) break;
        page.records.push(rec);
        page.json.push(json);
        page.bytes += size;
      }
      // Set-aside evaluations left gaps: read again so the batch is full.
      if (!orphaned || page.records.length >= limit || rows.length < limit) return page;
    }
  }

  /**
   * The record as sent, built as text: the stored `data` already is the contract's JSON with
   * placeholders for what is only known now (`"projectNo":null`, `"hallCode":""`, `"areaCode":""`,
   * `"certNo":""`). A placeholder's exact text cannot occur inside a JSON string value (quotes are
   * escaped there), so replacing its first occurrence is safe, and far cheaper than parse + stringify
   * when 100 000 records wait.
   */
  private toJson(r: PendingRow, hall: HallIdentity, timeZone: string): string {
    let data = r.kind === 'evaluation' && !r.data.includes('"reasons":[]') ? this.fitReasons(r.data) : r.data;
    if (r.project_no) data = data.replace('"projectNo":null', () => `"projectNo":${JSON.stringify(r.project_no)}`);
    data = data.replace('"hallCode":""', () => `"hallCode":${JSON.stringify(hall.hallCode)}`);
    if (r.kind === 'case') data = data.replace('"areaCode":""', () => `"areaCode":${JSON.stringify(hall.areaCode)}`);
    if (r.sealed && this.cipher) {
      const n = JSON.parse(this.cipher.decrypt(r.sealed)) as { a?: string; g?: string };
      // The agent's number goes after "agent": first, so the applicant's placeholder stays first.
      const agentAt = data.indexOf('"agent":');
      if (n.g && agentAt >= 0) {
        data =
          data.slice(0, agentAt) + data.slice(agentAt).replace('"certNo":""', () => `"certNo":${JSON.stringify(n.g)}`);
      }
      if (n.a) data = data.replace('"certNo":""', () => `"certNo":${JSON.stringify(n.a)}`);
    }
    return `{"id":${JSON.stringify(r.id)},"kind":"${r.kind}","seq":${r.seq},"occurredAt":"${this.iso(r.occurred_at, timeZone)}","data":${data}}`;
  }

  /**
   * The platform accepts only reason codes of its catalogue (else the whole rating is refused as
   * SCHEMA and a 差评 would be lost). A pad that had no catalogue offers built-in reasons; when the
   * hall knows the catalogue, codes outside it are moved into the text, so the citizen's words
   * still arrive. Without a catalogue the codes go as they are.
   */
  private fitReasons(json: string): string {
    const known = this.reasonCodes();
    if (!known) return json;
    const d = JSON.parse(json) as { reasons?: unknown; text?: unknown };
    if (!Array.isArray(d.reasons)) return json;
    const reasons = d.reasons as string[];
    const unknown = reasons.filter((c) => !known.has(c));
    if (unknown.length === 0) return json;
    d.reasons = reasons.filter((c) => known.has(c));
    const text = typeof d.text === 'string' ? d.text : '';
    d.text = `${text}${text ? ' ' : ''}（原因代码 ${unknown.join('、')}）`.slice(0, 500);
    return JSON.stringify(d);
  }

  /** ISO time with the hall's offset; the offset is looked up once per zone and quarter hour. */
  private iso(ms: number, timeZone: string): string {
    // Offsets change on quarter hours at most (UTC), so a 15-minute bucket is always right.
    const key = `${timeZone}|${Math.floor(ms / 900_000)}`;
    let off = this.offsets.get(key);
    if (off === undefined) {
      if (this.offsets.size > 1000) this.offsets.clear();
      off = offsetMinutes(ms, timeZone);
      this.offsets.set(key, off);
    }
    const a = Math.abs(off);
    const hh = String(Math.floor(a / 60)).padStart(2, '0');
    const mm = String(a % 60).padStart(2, '0');
    return `${new Date(ms + off * 60_000).toISOString().slice(0, 23)}${off < 0 ? '-' : '+'}${hh}:${mm}`;
  }

  private setAsideOrphans(caseId: string, now: number): number {
    const why = this.s.rejectedCaseRecord!.get(caseId) as { code: string | null; message: string | null } | undefined;
    const message = why
      ? `所属办件 ${caseId} 的上报被平台拒收（${why.code ?? '未知'}），评价暂不上报；更正办件后可重试`
      : `所属办件 ${caseId} 没有可上报的办件记录，评价暂不上报`;
    return this.s.orphans!.run(now, CASE_REJECTED, message, caseId).changes;
  }

  /** Applies the platform's answers to one batch, in one transaction. */
  applyResults(records: PageRecord[], results: RecordResult[], now: number): { delivered: number; rejected: number } {
    return this.db.transaction(() => {
      let delivered = 0;
      let rejected = 0;
      const rejectedCases = new Set<string>();
      results.forEach((res, i) => {
        const rec = records[i]!;
        if (res.status === 'accepted' || res.status === 'duplicate') {
          delivered += this.s.delivered!.run(now, res.status === 'duplicate' ? 1 : 0, rec.seq).changes;
          if (rec.kind === 'case') {
            this.s.caseSynced!.run(rec.version, res.projectNo ?? null, rec.caseId);
          }
        } else {
          rejected += this.s.rejected!.run(
            now,
            res.code ?? 'REJECTED',
            res.message ?? '平台拒收，未说明原因',
            rec.seq,
          ).changes;
          if (rec.kind === 'case') rejectedCases.add(rec.caseId);
        }
      });
      for (const caseId of rejectedCases) {
        const synced = this.db.prepare('SELECT synced_version v FROM cases WHERE id = ?').get(caseId) as
          | { v: number | null }
          | undefined;
        if ((synced?.v ?? null) === null && !this.s.pendingCaseRecord!.get(caseId)) {
          rejected += this.setAsideOrphans(caseId, now);
        }
      }
      this.setState('lastSuccessAt', String(now));
      this.deleteState('lastError');
      return { delivered, rejected };
    })();
  }

  /** Sets one record aside without the platform's verdict (e.g. too large for any batch). */
  setAside(id: string, code: string, message: string, now: number): void {
    this.s.setAside!.run(now, code, message, id);
  }

  /** How many records wait before `seq`. */
  pendingBefore(seq: number): number {
    return (this.s.pendingBefore!.get(seq) as { n: number }).n;
  }

  /** Seq of the oldest pending record, or null when none. */
  firstPendingSeq(): number | null {
    return (this.s.firstPending!.get() as { seq: number } | undefined)?.seq ?? null;
  }

  stats(): OutboxStats {
    return {
      pending: (this.s.countPending!.get() as { n: number }).n,
      oldestPendingAt: (this.s.oldestPending!.get() as { created_at: number } | undefined)?.created_at ?? null,
      rejected: (this.s.countRejected!.get() as { n: number }).n,
      delivered: (this.s.countDelivered!.get() as { n: number }).n,
    };
  }

  /** Set-aside records, a page at a time (`after` = last seq seen). */
  rejectedPage(after = 0, limit = 100): RejectedRecord[] {
    return (this.s.listRejected!.all(after, limit) as Record<string, unknown>[]).map((r) => ({
      id: r.id as string,
      seq: r.seq as number,
      kind: r.kind as 'case' | 'evaluation',
      caseId: r.case_id as string,
      version: r.version as number,
      code: r.code as string | null,
      message: r.message as string | null,
      at: r.done_at as number | null,
      attempts: r.attempts as number,
    }));
  }

  /** Puts set-aside records back in line (same ids, same seq, so order is kept). */
  retry(ids?: string[]): number {
    if (!ids) return this.s.retryAll!.run().changes;
    return this.db.transaction(() => ids.reduce((n, id) => n + this.s.retryOne!.run(id).changes, 0))();
  }

  /** Delivered rows carry no payload; they are kept a while as a record, then pruned. */
  pruneDelivered(olderThan: number): number {
    return this.s.prune!.run(olderThan).changes;
  }

  getState(key: string): string | null {
    return (this.s.getState!.get(key) as { value: string } | undefined)?.value ?? null;
  }

  setState(key: string, value: string): void {
    this.s.setState!.run(key, value);
  }

  deleteState(key: string): void {
    this.s.delState!.run(key);
  }
}
