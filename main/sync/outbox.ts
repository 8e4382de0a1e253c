/**
 * The relay's side of the outbox table (the write side is enqueueRecord, main/sync/outbox-records.ts,
 * inside the transaction of each change). Records leave in `seq` order from the head of the READY
 * set — pending and needing nothing undelivered (main/store/outbox-needs.ts) — read one bounded page
 * at a time, so memory does not grow with the outbox. Order between records is only what `needs`
 * says (a rating after its case, a case after its materials, a rectification after its rating);
 * records that need nothing of each other may arrive in any order.
 *
 * States: `pending` → `delivered` (accepted or duplicate; payload dropped, never sent again) or
 * `rejected` (set aside with the platform's code, and with it what needs it; a manager may put it
 * back with retry, which brings its dependants back too).
 */
import type Database from 'better-sqlite3';
import { offsetMinutes } from '../../common/hall-time.js';
import type { FieldCipher } from '../store/crypto.js';
import type { HallDatabase } from '../store/database.js';
import {
  type OutboxKind,
  releaseDependants,
  retryRecords,
  setAsideDependants,
  setAsideRecord,
} from '../store/outbox-needs.js';
import type { RecordResult } from './platform-client.js';

export { DEPENDENCY_REJECTED } from '../store/outbox-needs.js';

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
  kind: OutboxKind;
  caseId: string | null;
  version: number;
  code: string | null;
  message: string | null;
  at: number | null;
  attempts: number;
}

/** What the relay needs to know of a record in a batch (its JSON is in `BatchPage.json`). */
export interface PageRecord {
  id: string;
  kind: OutboxKind;
  seq: number;
  caseId: string | null;
  version: number;
  projectNo: string | null;
}

/** A material on its way: sent alone with PUT /api/v1/materials/{sha256}, never in a batch. */
export interface MaterialRecord extends PageRecord {
  kind: 'material';
  sha256: string;
  name: string;
}

export interface BatchPage {
  /** Records for records:batch; or one material alone (then `json` is empty). */
  records: PageRecord[];
  material?: MaterialRecord;
  /** `{"batchId":…,"records":[…]}` is assembled from these pre-serialised records. */
  json: string[];
  bytes: number;
}

interface PendingRow {
  seq: number;
  id: string;
  kind: OutboxKind;
  case_id: string | null;
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
         FROM outbox o INDEXED BY outbox_ready LEFT JOIN cases c ON c.id = o.case_id
         WHERE o.state = 'pending' AND o.waiting = 0 AND o.seq > ? ORDER BY o.seq LIMIT ?`,
      ),
      readyBefore: p(
        `SELECT count(*) n FROM outbox INDEXED BY outbox_ready WHERE state = 'pending' AND waiting = 0 AND seq < ?`,
      ),
      firstPending: p(`SELECT seq FROM outbox INDEXED BY outbox_pending WHERE state = 'pending' ORDER BY seq LIMIT 1`),
      delivered: p(
        `UPDATE outbox SET state = 'delivered', done_at = ?, duplicate = ?, data = NULL, sealed = NULL,
           attempts = attempts + 1, code = NULL, message = NULL WHERE seq = ? AND state = 'pending'`,
      ),
      rejected: p(
        `UPDATE outbox SET state = 'rejected', done_at = ?, code = ?, message = ?, attempts = attempts + 1
         WHERE seq = ? AND state = 'pending'`,
      ),
      caseSynced: p(
        `UPDATE cases SET synced_version = max(coalesce(synced_version, 0), ?), project_no = coalesce(?, project_no)
         WHERE id = ?`,
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
      prune: p(`DELETE FROM outbox WHERE state = 'delivered' AND done_at < ?`),
      getState: p('SELECT value FROM sync_state WHERE key = ?'),
      setState: p(
        'INSERT INTO sync_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
      ),
      delState: p('DELETE FROM sync_state WHERE key = ?'),
    };
  }

  /**
   * The next batch: ready records from the head, in seq order, at most `limit` records and
   * `maxBytes` of JSON, up to the first material. A material at the head comes alone (its bytes go
   * with PUT, not in a batch).
   */
  head(
    limit: number,
    maxBytes: number,
    hall: HallIdentity,
    timeZone: string,
    _now: number,
    /** Read past a batch still in flight (the relay prepares the next one meanwhile). */
    afterSeq = 0,
  ): BatchPage {
    const rows = this.s.head!.all(afterSeq, limit) as PendingRow[];
    const page: BatchPage = { records: [], json: [], bytes: 0 };
    for (const r of rows) {
      const rec: PageRecord = {
        id: r.id,
        kind: r.kind,
        seq: r.seq,
        caseId: r.case_id,
        version: r.version,
        projectNo: r.project_no,
      };
      if (r.kind === 'material') {
        if (page.records.length > 0) break;
        const d = JSON.parse(r.data) as { sha256: string; name?: string };
        page.records.push(rec);
        page.material = { ...rec, kind: 'material', sha256: d.sha256, name: d.name ?? '' };
        return page;
      }
      const json = this.toJson(r, hall, timeZone);
      const size = Buffer.byteLength(json) + 1;
      if (page.records.length > 0 && page.bytes + size > maxBytes) break;
      page.records.push(rec);
      page.json.push(json);
      page.bytes += size;
    }
    return page;
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

  /** Applies the platform's answers to one batch, in one transaction. */
  applyResults(records: PageRecord[], results: RecordResult[], now: number): { delivered: number; rejected: number } {
    return this.db.transaction(() => {
      let delivered = 0;
      let rejected = 0;
      results.forEach((res, i) => {
        const rec = records[i]!;
        if (res.status === 'accepted' || res.status === 'duplicate') {
          const n = this.s.delivered!.run(now, res.status === 'duplicate' ? 1 : 0, rec.seq).changes;
          delivered += n;
          if (n) releaseDependants(this.db, rec.seq);
          if (rec.kind === 'case' && rec.caseId) {
            this.s.caseSynced!.run(rec.version, res.projectNo ?? null, rec.caseId);
          }
        } else {
          const n = this.s.rejected!.run(
            now,
            res.code ?? 'REJECTED',
            res.message ?? '平台拒收，未说明原因',
            rec.seq,
          ).changes;
          rejected += n;
          if (n) rejected += setAsideDependants(this.db, rec.seq, now);
        }
      });
      this.setState('lastSuccessAt', String(now));
      this.deleteState('lastError');
      return { delivered, rejected };
    })();
  }

  /**
   * Sets one record aside without the platform's verdict (too large for any batch, a material whose
   * file is gone), with what needs it. Counts as an attempt. Returns how many records were set aside.
   */
  setAside(id: string, code: string, message: string, now: number): number {
    return this.db.transaction(() => {
      this.db.prepare('UPDATE outbox SET attempts = attempts + 1 WHERE id = ? AND state = ?').run(id, 'pending');
      return setAsideRecord(this.db, id, code, message, now);
    })();
  }

  /** A material the platform holds (PUT answered 201 or 200): delivered, and what needs it may go. */
  materialDelivered(rec: PageRecord, alreadyHeld: boolean, now: number): number {
    return this.db.transaction(() => {
      const n = this.s.delivered!.run(now, alreadyHeld ? 1 : 0, rec.seq).changes;
      if (n) releaseDependants(this.db, rec.seq);
      this.setState('lastSuccessAt', String(now));
      this.deleteState('lastError');
      return n;
    })();
  }

  /** How many ready records wait before `seq` (records that still need others do not count). */
  readyBefore(seq: number): number {
    return (this.s.readyBefore!.get(seq) as { n: number }).n;
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
      kind: r.kind as OutboxKind,
      caseId: r.case_id as string | null,
      version: r.version as number,
      code: r.code as string | null,
      message: r.message as string | null,
      at: r.done_at as number | null,
      attempts: r.attempts as number,
    }));
  }

  /**
   * Puts set-aside records back in line (same ids, same seqs): all, or the named ones with what they
   * need that is set aside and what was set aside only because of them.
   */
  retry(ids?: string[]): number {
    return this.db.transaction(() => retryRecords(this.db, ids))();
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
