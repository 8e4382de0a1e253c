/**
 * The outbox relay: sends the head of the outbox to the platform in batches, one batch in flight,
 * and applies the answers. Rules (platform-api.md and docs/sync.md):
 * - a record's id is its idempotency key, chosen once; a batch that timed out or lost its
 *   connection is resent with the same ids, and `duplicate` counts as delivered;
 * - `rejected` is final: the record is set aside with its code and the rest flows;
 * - 429/5xx/timeouts/lost connections: capped exponential backoff with full jitter, never shorter
 *   than Retry-After; `CLOCK_SKEW`: correct the offset from serverTime and retry at once;
 * - `REPLAY` (a nonce the platform saw): retry at once with a fresh nonce;
 * - 400/413 for a whole batch: halve the batch until the culprit is alone, then set it aside;
 * - a material (v1.1) goes alone with PUT /api/v1/materials/{sha256}, its bytes read from the
 *   injected MaterialBytes source; 201/200 = delivered, 400 (HASH_MISMATCH)/413 = set aside.
 * Randomness and time are injected so tests drive every branch without waiting.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Clock } from '../time/clock.js';
import { type BackoffPolicy, DEFAULT_BACKOFF, retryDelay } from './backoff.js';
import type { BatchPage, HallIdentity, MaterialRecord, OutboxStore } from './outbox.js';
import type { Outcome, PlatformClient, RecordResult } from './platform-client.js';

/** The contract's limits: at most 500 records and 1 MiB per request. */
export const MAX_BATCH_RECORDS = 500;
const MAX_BATCH_BYTES = 1024 * 1024 - 4096;
/** The contract's limit for one material file. */
export const MAX_MATERIAL_BYTES = 10 * 1024 * 1024;

/** Where the relay reads a material's bytes (the hall's material store); null = the hall has no such file. */
export type MaterialBytes = (sha256: string) => Promise<{ bytes: Buffer; contentType: string; name: string } | null>;

export interface RelayOptions {
  outbox: OutboxStore;
  client: PlatformClient;
  hall: HallIdentity;
  timeZone: () => string;
  /** Local clock (the platform-corrected one lives in the client). */
  clock: Clock;
  batchSize?: number;
  /** Wait between polls when the outbox is empty. */
  intervalMs?: number;
  backoff?: BackoffPolicy;
  /** Bytes of material records; without it every material record is set aside (MATERIAL_MISSING). */
  materials?: MaterialBytes;
  random?: () => number;
  /** Waits `ms` (tests may shorten it); must resolve early when `signal` aborts. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  log?: (level: 'info' | 'warn' | 'error', msg: string, fields?: Record<string, unknown>) => void;
  /** Called after every step (for the alarm check and status screens). */
  onStep?: (r: StepResult) => void;
}

export type StepResult =
  | { kind: 'idle' }
  | { kind: 'sent'; delivered: number; rejected: number }
  | { kind: 'wait'; ms: number; reason: string };

export interface RelayStatus {
  running: boolean;
  lastError: string | null;
  lastSuccessAt: number | null;
  failures: number;
  nextAttemptAt: number | null;
  clockOffsetMs: number;
  batchSize: number;
}

const defaultSleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done);
  });

export class Relay {
  private readonly batchSize: number;
  private limit: number;
  private failures = 0;
  private lastError: string | null;
  private nextAttemptAt: number | null = null;
  private loop: Promise<void> | null = null;
  private stopCtrl = new AbortController();
  private wakeCtrl = new AbortController();
  /** Sleeping because the outbox was empty (not backing off). */
  private idle = false;
  private readonly sleep: NonNullable<RelayOptions['sleep']>;
  private readonly random: () => number;
  /** The next batch, read while the previous one was in flight; checked before it is used. */
  private prepared: BatchPage | null = null;
  /** What the last answered batch changed, for patching or dropping the prepared batch. */
  private lastAnswer = new Map<string, { projectNo: string | null; rejected: boolean }>();
  /** A batch sent right after the previous answer, not yet answered. */
  private inflight: { page: BatchPage; answer: Promise<Outcome<RecordResult[]>> } | null = null;

  constructor(private readonly o: RelayOptions) {
    this.batchSize = Math.max(1, Math.min(MAX_BATCH_RECORDS, o.batchSize ?? 200));
    this.limit = this.batchSize;
    this.sleep = o.sleep ?? defaultSleep;
    this.random = o.random ?? Math.random;
    this.lastError = o.outbox.getState('lastError');
    const saved = Number(o.outbox.getState('clockOffsetMs') ?? 0);
    if (Number.isFinite(saved)) o.client.clock.setOffset(saved);
  }

  status(): RelayStatus {
    const last = this.o.outbox.getState('lastSuccessAt');
    return {
      running: this.loop !== null,
      lastError: this.lastError,
      lastSuccessAt: last ? Number(last) : null,
      failures: this.failures,
      nextAttemptAt: this.nextAttemptAt,
      clockOffsetMs: this.o.client.clock.offsetMs,
      batchSize: this.batchSize,
    };
  }

  /** One batch: read the head, send it, apply the answer (retrying at once on skew/replay). */
  async step(): Promise<StepResult> {
    const now = this.o.clock.now();
    // A batch sent early (right after the previous answer) is answered here.
    const early = this.inflight;
    this.inflight = null;
    const page =
      early?.page ??
      this.takePrepared() ??
      this.o.outbox.head(this.limit, MAX_BATCH_BYTES, this.o.hall, this.o.timeZone(), now);
    if (page.records.length === 0) {
      this.limit = this.batchSize;
      return { kind: 'idle' };
    }
    if (page.material) return this.sendMaterial(page.material);
    if (page.records.length === 1 && page.bytes > MAX_BATCH_BYTES) {
      this.o.outbox.setAside(page.records[0]!.id, 'TOO_LARGE', '单条记录超过平台 1 MiB 的上限，无法上报', now);
      return { kind: 'sent', delivered: 0, rejected: 1 };
    }
    const ids = page.records.map((r) => r.id);
    for (let quick = 0; quick < 3; quick++) {
      const out = await (quick === 0 && early ? early.answer : this.send(page));
      if (this.stopCtrl.signal.aborted && out.kind !== 'ok') return { kind: 'wait', ms: 0, reason: '已停止' };
      switch (out.kind) {
        case 'ok': {
          this.remember(page, out.value);
          this.delivered();
          // After a batch went through whole, grow back towards the configured size.
          this.limit = Math.min(this.batchSize, this.limit * 2);
          // Every record of this batch now has a final answer, so the next one may leave before
          // these answers are written down: the platform already has them in order. A crash in
          // between only means this batch is sent again and answered duplicate.
          const next = this.takePrepared(page);
          // A material goes alone, after this answer is written down: it is checked again then.
          if (next?.material) this.prepared = next;
          else if (next) this.inflight = { page: next, answer: this.send(next) };
          const r = this.o.outbox.applyResults(page.records, out.value, this.o.clock.now());
          if (r.rejected) this.o.log?.('warn', '平台拒收了部分记录，已搁置', { rejected: r.rejected });
          return { kind: 'sent', ...r };
        }
        case 'malformed': {
          if (page.records.length > 1) {
            this.limit = Math.max(1, Math.floor(page.records.length / 2));
            return { kind: 'wait', ms: 0, reason: `平台拒绝整批（${out.code}），拆小重发` };
          }
          this.o.outbox.setAside(ids[0]!, out.code, out.message || '平台无法读取这条记录', this.o.clock.now());
          this.limit = this.batchSize;
          return { kind: 'sent', delivered: 0, rejected: 1 };
        }
        default: {
          const waited = this.notDelivered(out);
          if (waited) return waited;
        }
      }
    }
    return this.fail('平台连续拒绝时间戳或随机数（CLOCK_SKEW/REPLAY），稍后重试', null);
  }

  /** One material: its bytes from the hall's store, checked, then PUT (skew/replay retried at once). */
  private async sendMaterial(m: MaterialRecord): Promise<StepResult> {
    let file: Awaited<ReturnType<MaterialBytes>>;
    try {
      file = this.o.materials ? await this.o.materials(m.sha256) : null;
    } catch (e) {
      return this.fail(`读取材料「${m.name}」失败：${(e as Error).message}`, null);
    }
    const aside = (code: string, message: string): StepResult => ({
      kind: 'sent',
      delivered: 0,
      rejected: this.o.outbox.setAside(m.id, code, message, this.o.clock.now()),
    });
    if (!file) {
      return aside(
        'MATERIAL_MISSING',
        `本机找不到材料「${m.name}」（SHA-256 ${m.sha256.slice(0, 12)}…）的文件，需要它的办件一并暂不上报；找回文件后重试该记录`,
      );
    }
    if (createHash('sha256').update(file.bytes).digest('hex') !== m.sha256) {
      return aside('MATERIAL_CORRUPT', `材料「${m.name}」的文件内容与登记的 SHA-256 不符（文件已损坏），无法上报`);
    }
    if (file.bytes.length > MAX_MATERIAL_BYTES) {
      return aside('TOO_LARGE', `材料「${m.name}」超过平台 10 MiB 的上限，无法上报；请重新拍摄或压缩后更正办件`);
    }
    for (let quick = 0; quick < 3; quick++) {
      const out = await this.o.client.putMaterial(m.sha256, file.bytes, file.contentType, file.name || m.name);
      if (this.stopCtrl.signal.aborted && out.kind !== 'ok') return { kind: 'wait', ms: 0, reason: '已停止' };
      switch (out.kind) {
        case 'ok': {
          this.delivered();
          const delivered = this.o.outbox.materialDelivered(m, !out.value.created, this.o.clock.now());
          return { kind: 'sent', delivered, rejected: 0 };
        }
        case 'malformed':
          this.o.log?.('warn', '平台拒收材料，已搁置', { code: out.code, sha256: m.sha256 });
          return aside(
            out.status === 413 ? 'TOO_LARGE' : out.code,
            out.message || (out.status === 413 ? '平台认为材料过大（413）' : '平台拒收这份材料'),
          );
        default: {
          const waited = this.notDelivered(out);
          if (waited) return waited;
        }
      }
    }
    return this.fail('平台连续拒绝时间戳或随机数（CLOCK_SKEW/REPLAY），稍后重试', null);
  }

  /** Posts one batch (fresh batchId and nonce) and starts reading the one after it. */
  private send(page: BatchPage): Promise<Outcome<RecordResult[]>> {
    const body = Buffer.from(`{"batchId":"${randomUUID()}","records":[${page.json.join(',')}]}`, 'utf8');
    const answer = this.o.client.postBody(
      body,
      page.records.map((r) => r.id),
    );
    this.prepareNext(page);
    return answer;
  }

  /**
   * While the platform works on a batch, read the next one (the head of the ready records, leaving
   * out the batch in flight) so the two sides overlap. It is only a draft: takePrepared() checks it
   * against what happened meanwhile. Reading from the head, not from after the batch in flight,
   * lets records released by the batch answered just before go in the very next batch.
   */
  private prepareNext(sent: BatchPage): void {
    this.prepared = null;
    const inFlight = new Set(sent.records.map((r) => r.seq));
    setImmediate(() => {
      try {
        const next = this.o.outbox.head(
          this.limit,
          MAX_BATCH_BYTES,
          this.o.hall,
          this.o.timeZone(),
          this.o.clock.now(),
          inFlight,
        );
        if (next.records.length) this.prepared = next;
      } catch {
        this.prepared = null;
      }
    });
  }

  private remember(page: BatchPage, results: RecordResult[]): void {
    this.lastAnswer.clear();
    results.forEach((res, i) => {
      const rec = page.records[i]!;
      if (rec.kind !== 'case' || !rec.caseId) return;
      const id = rec.caseId;
      if (res.status === 'rejected') this.lastAnswer.set(id, { projectNo: null, rejected: true });
      else if (res.projectNo) this.lastAnswer.set(id, { projectNo: res.projectNo, rejected: false });
    });
  }

  /**
   * The prepared batch, if it is still next in line: the only ready records before it are those of
   * the `answered` batch whose answer was just read and is not written down yet, so nothing older
   * became ready meanwhile (a retry). A draft never holds a record that needs one not delivered
   * (such a record is not ready), nor one of the answered batch. Records of a case that just got
   * its 办件编号 are patched; a case that was just rejected makes the draft unusable.
   */
  private takePrepared(answered?: BatchPage): BatchPage | null {
    const p = this.prepared;
    this.prepared = null;
    if (!p || p.records.length > this.limit) return null;
    const first = p.records[0]!.seq;
    const before = answered ? answered.records.filter((r) => r.seq < first).length : 0;
    if (this.o.outbox.readyBefore(first) !== before) return null;
    if (p.material) return p;
    for (let i = 0; i < p.records.length; i++) {
      const rec = p.records[i]!;
      const change = rec.caseId ? this.lastAnswer.get(rec.caseId) : undefined;
      if (!change) continue;
      if (change.rejected) return null;
      if (rec.projectNo === null && change.projectNo) {
        rec.projectNo = change.projectNo;
        const json = p.json[i]!.replace('"projectNo":null', () => `"projectNo":${JSON.stringify(change.projectNo)}`);
        p.bytes += Buffer.byteLength(json) - Buffer.byteLength(p.json[i]!);
        p.json[i] = json;
      }
    }
    return p;
  }

  private delivered(): void {
    this.failures = 0;
    this.lastError = null;
    this.nextAttemptAt = null;
  }

  /** An answer that delivered nothing and is not about the records: null to send again at once (skew/replay). */
  private notDelivered(out: Exclude<Outcome<unknown>, { kind: 'ok' | 'malformed' }>): StepResult | null {
    switch (out.kind) {
      case 'skew': {
        // The clock keeps what it learnt (SyncService stores it in sync_state for the next start).
        const offset = this.o.client.clock.correct(out.serverTime, out.sentAt, out.receivedAt);
        this.o.log?.('warn', '本机时钟与平台相差过大，已按平台时间校正', { offsetMs: offset });
        return null;
      }
      case 'replay':
        return null;
      case 'auth':
        return this.fail(
          out.code === 'BAD_SIGNATURE'
            ? '平台拒绝签名（BAD_SIGNATURE）：请核对大厅编码、密钥文件和签名算法'
            : `平台拒绝认证（${out.code}）${out.message ? `：${out.message}` : ''}`,
          null,
        );
      case 'transient':
        return this.fail(out.reason, out.retryAfterMs);
    }
  }

  private fail(reason: string, retryAfterMs: number | null): StepResult {
    const ms = retryDelay(this.failures, this.o.backoff ?? DEFAULT_BACKOFF, this.random, retryAfterMs);
    this.failures++;
    if (reason !== this.lastError) {
      this.o.log?.('warn', '上报平台失败，稍后重试', { reason, waitMs: ms });
      this.o.outbox.setState('lastError', reason);
    }
    this.lastError = reason;
    this.nextAttemptAt = this.o.clock.now() + ms;
    return { kind: 'wait', ms, reason };
  }

  /** Sends until the outbox is empty (true) or a send fails (false). */
  async drain(): Promise<boolean> {
    for (;;) {
      const r = await this.step();
      this.o.onStep?.(r);
      if (r.kind === 'idle') return true;
      if (r.kind === 'wait' && r.ms > 0) return false;
    }
  }

  start(): void {
    if (this.loop) return;
    this.stopCtrl = new AbortController();
    const signal = this.stopCtrl.signal;
    this.loop = (async () => {
      while (!signal.aborted) {
        let r: StepResult;
        try {
          r = await this.step();
        } catch (e) {
          r = this.fail(`发送时出错：${(e as Error).message}`, null);
        }
        try {
          this.o.onStep?.(r);
        } catch (e) {
          this.o.log?.('error', '同步状态检查失败', { error: (e as Error).message });
        }
        if (signal.aborted) break;
        if (r.kind === 'sent' || (r.kind === 'wait' && r.ms === 0)) continue;
        const ms = r.kind === 'idle' ? (this.o.intervalMs ?? 2000) : r.ms;
        this.wakeCtrl = new AbortController();
        this.idle = r.kind === 'idle';
        await this.sleep(ms, AbortSignal.any([signal, this.wakeCtrl.signal]));
        this.idle = false;
      }
    })();
  }

  /** True while the relay sleeps because the outbox was empty — the state in which `nudge` wakes it. */
  get waitingForWork(): boolean {
    return this.idle;
  }

  /** New records were written: send now if the relay is only waiting for work (never cuts a backoff short). */
  nudge(): void {
    if (this.idle) this.wakeCtrl.abort();
  }

  /** Sends now instead of waiting out the poll interval or the backoff (a manager's retry). */
  wake(): void {
    this.failures = 0;
    this.nextAttemptAt = null;
    this.wakeCtrl.abort();
  }

  /** Stops after aborting the request in flight; its records stay pending, resent with the same ids. */
  async stop(): Promise<void> {
    this.stopCtrl.abort();
    this.o.client.abort();
    await this.loop;
    this.loop = null;
    this.inflight = null;
    this.prepared = null;
  }
}
