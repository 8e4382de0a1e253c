/**
 * The hall's HTTP client of the provincial platform (platform-api.md). Every request is signed
 * (HMAC-SHA256 or HMAC-SM3 over the exact bytes sent) with a fresh nonce and the platform-corrected
 * clock. Answers are turned into outcomes the relay decides on; nothing here retries by itself.
 */
import { randomUUID } from 'node:crypto';
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { parseRetryAfter } from './backoff.js';
import type { PlatformClock } from './clock-offset.js';
import { type SignatureAlg, signedHeaders } from './request-signature.js';

export interface PlatformEndpoint {
  /** Base URL, e.g. https://zwfw.example.gov.cn (paths /api/v1/… are appended). */
  url: string;
  hallCode: string;
  secret: string | Uint8Array;
  alg: SignatureAlg;
  /** Whole-request timeout; a timed-out batch is resent with the same record ids. */
  timeoutMs?: number;
}

export interface OutgoingRecord {
  id: string;
  kind: 'case' | 'evaluation' | 'material' | 'rectification' | 'appointment';
  seq: number;
  occurredAt: string;
  data: Record<string, unknown>;
}

export interface RecordResult {
  id: string;
  status: 'accepted' | 'duplicate' | 'rejected';
  code?: string;
  message?: string;
  projectNo?: string;
}

/** What one request came to. `transient` covers 429/5xx, timeouts and lost connections. */
export type Outcome<T> =
  | { kind: 'ok'; value: T }
  | { kind: 'transient'; status: number | null; reason: string; retryAfterMs: number | null }
  | { kind: 'skew'; serverTime: number; sentAt: number; receivedAt: number }
  | { kind: 'replay' }
  | { kind: 'auth'; code: string; message: string }
  | { kind: 'malformed'; status: number; code: string; message: string };

interface RawAnswer {
  status: number;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

export class PlatformClient {
  private readonly agent: HttpAgent;
  private readonly base: URL;
  private readonly inFlight = new Set<AbortController>();

  constructor(
    readonly endpoint: PlatformEndpoint,
    readonly clock: PlatformClock,
  ) {
    this.base = new URL(endpoint.url);
    const opts = { keepAlive: true, maxSockets: 4 };
    this.agent = this.base.protocol === 'https:' ? new HttpsAgent(opts) : new HttpAgent(opts);
  }

  /** POST /api/v1/records:batch. `results` is checked to answer each record, in order. */
  async postBatch(records: OutgoingRecord[], batchId = randomUUID()): Promise<Outcome<RecordResult[]>> {
    const body = Buffer.from(JSON.stringify({ batchId, records }), 'utf8');
    return this.postBody(
      body,
      records.map((r) => r.id),
    );
  }

  /** Sends an already serialised batch body (the relay builds it in one pass). */
  async postBody(body: Buffer, ids: string[]): Promise<Outcome<RecordResult[]>> {
    const out = await this.send('POST', '/api/v1/records:batch', body, {});
    if (out.kind !== 'ok') return out;
    const a = out.value;
    if (a.status !== 200) return this.classify(a);
    let results: RecordResult[];
    try {
      results = (JSON.parse(a.body.toString('utf8')) as { results: RecordResult[] }).results;
    } catch {
      return { kind: 'transient', status: 200, reason: '平台回答不是有效的 JSON', retryAfterMs: null };
    }
    if (!Array.isArray(results) || results.length !== ids.length || results.some((r, i) => r?.id !== ids[i])) {
      return { kind: 'transient', status: 200, reason: '平台回答的结果与所发记录不对应', retryAfterMs: null };
    }
    return { kind: 'ok', value: results };
  }

  /**
   * PUT /api/v1/materials/{sha256} (v1.1): the file's bytes, signed over their hash. `ok` with
   * `created` (201) or already held (200); `malformed` carries HASH_MISMATCH or a 413.
   */
  async putMaterial(
    sha256: string,
    bytes: Buffer,
    contentType: string,
    name: string,
  ): Promise<Outcome<{ created: boolean }>> {
    const out = await this.send('PUT', `/api/v1/materials/${sha256}`, bytes, {
      'content-type': contentType,
      'x-material-name': encodeURIComponent(name),
    });
    if (out.kind !== 'ok') return out;
    const a = out.value;
    if (a.status === 201 || a.status === 200) return { kind: 'ok', value: { created: a.status === 201 } };
    return this.classify(a);
  }

  /** GET /api/v1/catalog with If-None-Match; `null` value = 304 (unchanged). */
  async getCatalog(etag: string | null): Promise<Outcome<{ etag: string | null; body: string } | null>> {
    return this.getIfChanged('/api/v1/catalog', etag);
  }

  /** GET /api/v1/appointments?hallCode=&day= with If-None-Match; `null` value = 304 (unchanged). */
  async getAppointments(
    hallCode: string,
    day: string,
    etag: string | null,
  ): Promise<Outcome<{ etag: string | null; body: string } | null>> {
    const path = `/api/v1/appointments?hallCode=${encodeURIComponent(hallCode)}&day=${encodeURIComponent(day)}`;
    return this.getIfChanged(path, etag);
  }

  /** A GET with If-None-Match: the body and its ETag, or a `null` value for 304 (unchanged). */
  private async getIfChanged(
    path: string,
    etag: string | null,
  ): Promise<Outcome<{ etag: string | null; body: string } | null>> {
    const out = await this.send('GET', path, Buffer.alloc(0), etag ? { 'if-none-match': etag } : {});
    if (out.kind !== 'ok') return out;
    const a = out.value;
    if (a.status === 304) return { kind: 'ok', value: null };
    if (a.status !== 200) return this.classify(a);
    const tag = a.headers.etag;
    return { kind: 'ok', value: { etag: typeof tag === 'string' ? tag : null, body: a.body.toString('utf8') } };
  }

  /** GET /api/v1/cases/{projectNo}/progress; `null` value = 404. */
  async getProgress(projectNo: string): Promise<Outcome<Record<string, unknown> | null>> {
    const out = await this.send('GET', `/api/v1/cases/${encodeURIComponent(projectNo)}/progress`, Buffer.alloc(0), {});
    if (out.kind !== 'ok') return out;
    const a = out.value;
    if (a.status === 404) return { kind: 'ok', value: null };
    if (a.status !== 200) return this.classify(a);
    try {
      return { kind: 'ok', value: JSON.parse(a.body.toString('utf8')) as Record<string, unknown> };
    } catch {
      return { kind: 'transient', status: 200, reason: '平台回答不是有效的 JSON', retryAfterMs: null };
    }
  }

  /** Ends requests in flight (their records stay pending and are resent with the same ids). */
  abort(): void {
    for (const c of this.inFlight) c.abort();
  }

  close(): void {
    this.abort();
    this.agent.destroy();
  }

  private classify(a: RawAnswer): Outcome<never> {
    let code = '';
    let parsed: { code?: string; message?: string; serverTime?: number } = {};
    try {
      parsed = JSON.parse(a.body.toString('utf8')) as typeof parsed;
      code = parsed.code ?? '';
    } catch {
      // Not JSON (a proxy's error page): the status decides.
    }
    if (a.status === 401 && code === 'CLOCK_SKEW' && typeof parsed.serverTime === 'number') {
      // sentAt/receivedAt are filled by send(); see below.
      return { kind: 'skew', serverTime: parsed.serverTime, sentAt: 0, receivedAt: 0 };
    }
    if (a.status === 401 && code === 'REPLAY') return { kind: 'replay' };
    if (a.status === 401 || a.status === 403) {
      return { kind: 'auth', code: code || `HTTP_${a.status}`, message: parsed.message ?? '' };
    }
    if (a.status === 400 || a.status === 413) {
      return { kind: 'malformed', status: a.status, code: code || `HTTP_${a.status}`, message: parsed.message ?? '' };
    }
    const retryAfterMs = parseRetryAfter(
      typeof a.headers['retry-after'] === 'string' ? a.headers['retry-after'] : null,
      Date.now(),
    );
    return {
      kind: 'transient',
      status: a.status,
      reason: `平台回答 HTTP ${a.status}${code ? ` ${code}` : ''}`,
      retryAfterMs,
    };
  }

  private send(
    method: 'GET' | 'POST' | 'PUT',
    path: string,
    body: Buffer,
    extra: Record<string, string>,
  ): Promise<Outcome<RawAnswer>> {
    const url = new URL(path, this.base);
    const pathWithQuery = `${url.pathname}${url.search}`;
    const sentAt = this.clock.now();
    const headers: Record<string, string | number> = {
      ...signedHeaders({
        alg: this.endpoint.alg,
        secret: this.endpoint.secret,
        hallCode: this.endpoint.hallCode,
        method,
        pathWithQuery,
        timestamp: sentAt,
        nonce: randomUUID(),
        body,
      }),
      accept: 'application/json',
      ...(method === 'POST' ? { 'content-type': 'application/json; charset=utf-8' } : {}),
      ...extra,
    };
    if (method !== 'GET') headers['content-length'] = body.length;
    const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const ctrl = new AbortController();
    this.inFlight.add(ctrl);
    const timeoutMs = this.endpoint.timeoutMs ?? 30_000;
    return new Promise((resolve) => {
      let settled = false;
      const done = (o: Outcome<RawAnswer>) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.inFlight.delete(ctrl);
        resolve(o);
      };
      const lost = (reason: string): Outcome<RawAnswer> => ({
        kind: 'transient',
        status: null,
        reason,
        retryAfterMs: null,
      });
      const req = request(url, { method, headers, agent: this.agent, signal: ctrl.signal }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const a: RawAnswer = { status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) };
          if (a.status === 401) {
            const c = this.classify(a);
            if (c.kind === 'skew') return done({ ...c, sentAt, receivedAt: this.clock.now() });
          }
          done({ kind: 'ok', value: a });
        });
        res.on('error', () => done(lost('平台连接中断（回答未收完）')));
        res.on('aborted', () => done(lost('平台连接中断（回答未收完）')));
      });
      const timer = setTimeout(() => {
        done(lost(`平台 ${Math.round(timeoutMs / 1000)} 秒内未回答（超时）`));
        req.destroy();
      }, timeoutMs);
      req.on('error', (e: NodeJS.ErrnoException) => {
        const why =
          e.name === 'AbortError'
            ? '请求已中止'
            : e.code === 'ECONNREFUSED'
              ? '无法连接平台（连接被拒绝）'
              : e.code === 'ECONNRESET' || e.code === 'EPIPE'
                ? '平台连接被断开'
                : `无法连接平台（${e.code ?? e.message}）`;
        done(lost(why));
      });
      req.end(body.length ? body : undefined);
    });
  }
}
