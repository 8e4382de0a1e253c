/**
 * The hall's alarm webhook (docs/rectification.md): alarms (差评整改 near or past the deadline,
 * 承诺件, long waits, a missing calendar year) POSTed as JSON to the hall's messaging group, signed
 * with HMAC-SHA256, retried with the relay's backoff, and kept in SQLite until sent — so a restart
 * or a messaging robot that is down loses nothing.
 *
 * Why its own small table and not the platform outbox: the outbox holds the platform's records,
 * with the platform's signature, batches, per-case order and the manager's 退回 list; a messaging
 * robot is another receiver with another secret, and an alarm is a notice that goes stale. Sharing
 * the outbox would let a robot that is down hold back or be mistaken for platform records, and the
 * platform's exactly-once bookkeeping has nothing to say about a chat message.
 *
 * Signature: `X-Govhall-Signature: sha256=<hex HMAC-SHA256(secret, timestamp + "." + body)>` with
 * `X-Govhall-Timestamp` (ms) — the receiver recomputes it over the exact bytes and refuses old
 * timestamps. `X-Govhall-Delivery` is the row's id, the same on every retry (dedupe key).
 */
import { createHmac } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { Clock } from '../time/clock.js';
import { type BackoffPolicy, DEFAULT_BACKOFF, parseRetryAfter, retryDelay } from './backoff.js';

export interface AlarmWebhookOptions {
  db: Database.Database;
  url: string;
  secret: string;
  clock: Clock;
  policy?: BackoffPolicy;
  random?: () => number;
  /** Per request, ms (default 10 s). */
  timeoutMs?: number;
  /** An alarm not sent within this long is dropped as stale (ms, default 3 days). */
  staleAfterMs?: number;
  log?: (level: 'info' | 'warn' | 'error', msg: string, fields?: Record<string, unknown>) => void;
}

export const signAlarm = (secret: string, timestamp: string, body: string): string =>
  `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;

export interface WebhookStatus {
  pending: number;
  sent: number;
  dropped: number;
  lastError: string | null;
}

export class AlarmWebhook {
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private stopped = true;
  private lastError: string | null = null;

  constructor(private readonly o: AlarmWebhookOptions) {}

  /** Queues one alarm; call inside the transaction that raises it. */
  enqueue(alarm: Record<string, unknown>, now: number): void {
    this.o.db
      .prepare('INSERT INTO alarm_webhook (body, created_at, next_at) VALUES (?, ?, ?)')
      .run(JSON.stringify(alarm), now, now);
    if (!this.stopped) this.schedule(0);
  }

  status(): WebhookStatus {
    const n = (state: string) =>
      (this.o.db.prepare('SELECT count(*) n FROM alarm_webhook WHERE state = ?').get(state) as { n: number }).n;
    return { pending: n('pending'), sent: n('sent'), dropped: n('dropped'), lastError: this.lastError };
  }

  /**
   * Sends what is due now, oldest first; stops at the first failure (the rest keep their order and
   * wait for the same backoff). Answers how many were sent.
   */
  sendDue(): Promise<number> {
    // One round at a time (the loop and a caller may ask together): a row is never sent twice at once.
    const round = this.chain.then(() => this.sendRound());
    this.chain = round.catch(() => 0);
    return round;
  }

  private chain: Promise<number> = Promise.resolve(0);

  private async sendRound(): Promise<number> {
    const now = this.o.clock.now();
    const stale = now - (this.o.staleAfterMs ?? 3 * 86_400_000);
    this.o.db
      .prepare(
        "UPDATE alarm_webhook SET state = 'dropped', last_error = '过期未送达' WHERE state = 'pending' AND created_at < ?",
      )
      .run(stale);
    const rows = this.o.db
      .prepare(
        "SELECT seq, body, attempts FROM alarm_webhook WHERE state = 'pending' AND next_at <= ? ORDER BY seq LIMIT 50",
      )
      .all(now) as { seq: number; body: string; attempts: number }[];
    let sent = 0;
    for (const r of rows) {
      const ts = String(this.o.clock.now());
      let failure: string | null = null;
      let retryAfter: number | null = null;
      try {
        const res = await fetch(this.o.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json; charset=utf-8',
            'x-govhall-timestamp': ts,
            'x-govhall-delivery': String(r.seq),
            'x-govhall-signature': signAlarm(this.o.secret, ts, r.body),
          },
          body: r.body,
          // A redirect would carry the signed alarm to an address nobody configured.
          redirect: 'error',
          signal: AbortSignal.timeout(this.o.timeoutMs ?? 10_000),
        });
        await res.arrayBuffer().catch(() => undefined);
        if (!res.ok) {
          failure = `HTTP ${res.status}`;
          retryAfter = parseRetryAfter(res.headers.get('retry-after'), this.o.clock.now());
        }
      } catch (e) {
        failure = (e as Error).message;
      }
      const at = this.o.clock.now();
      if (failure === null) {
        this.o.db
          .prepare("UPDATE alarm_webhook SET state = 'sent', sent_at = ?, last_error = NULL WHERE seq = ?")
          .run(at, r.seq);
        this.lastError = null;
        sent++;
        continue;
      }
      const wait = retryDelay(r.attempts, this.o.policy ?? DEFAULT_BACKOFF, this.o.random ?? Math.random, retryAfter);
      this.o.db
        .prepare('UPDATE alarm_webhook SET attempts = attempts + 1, next_at = ?, last_error = ? WHERE seq = ?')
        .run(at + wait, failure, r.seq);
      // Later alarms wait behind this one, so the group reads them in order.
      this.o.db
        .prepare("UPDATE alarm_webhook SET next_at = max(next_at, ?) WHERE state = 'pending' AND seq > ?")
        .run(at + wait, r.seq);
      this.lastError = failure;
      this.o.log?.('warn', '告警推送失败，稍后重试', { error: failure, retryInMs: wait });
      break;
    }
    return sent;
  }

  /** The next try: when the oldest pending alarm is due (ms from now), or null when none waits. */
  private nextDueIn(): number | null {
    const r = this.o.db.prepare("SELECT min(next_at) t FROM alarm_webhook WHERE state = 'pending'").get() as {
      t: number | null;
    };
    return r.t === null ? null : Math.max(0, r.t - this.o.clock.now());
  }

  private schedule(ms: number): void {
    if (this.stopped || this.running) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.loop(), Math.min(ms, 2 ** 31 - 1));
    this.timer.unref();
  }

  private async loop(): Promise<void> {
    this.timer = null;
    this.running = true;
    try {
      await this.sendDue();
    } catch (e) {
      this.o.log?.('error', '告警推送出错', { error: (e as Error).message });
    } finally {
      this.running = false;
    }
    const next = this.nextDueIn();
    // Checked at least every minute: the clock may jump, and a failure's wait may be shortened by none.
    if (next !== null) this.schedule(Math.min(next, 60_000));
  }

  /** Starts sending, beginning with what an earlier run left. */
  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
