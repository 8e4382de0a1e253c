/**
 * The least a client must do to talk to a platform: sign one request and send it. Used by the
 * simulator's tests and as the raw-ingest baseline of the sync benchmark (no outbox, no retries).
 */
import { randomUUID } from 'node:crypto';
import { Agent, type IncomingHttpHeaders, request } from 'node:http';
import { type SignatureAlg, signedHeaders } from '../sync/request-signature.js';

const agent = new Agent({ keepAlive: true, maxSockets: 16 });

export interface SignedRequest {
  /** Base URL of the platform, e.g. http://127.0.0.1:8900 */
  url: string;
  hallCode: string;
  secret: string;
  method?: string;
  /** Path with query, exactly as signed and sent. */
  path: string;
  body?: string | Uint8Array;
  alg?: SignatureAlg;
  /** Overrides, for tests of the platform's refusals. */
  timestamp?: number;
  nonce?: string;
  signature?: string;
  headers?: Record<string, string>;
  timeoutMs?: number;
}

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  /** Parsed JSON body, or null when the body is empty or not JSON. */
  json: unknown;
}

export function signedRequest(r: SignedRequest): Promise<RawResponse> {
  const body = r.body ?? '';
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.from(body);
  const method = (r.method ?? (bytes.length ? 'POST' : 'GET')).toUpperCase();
  const signed = signedHeaders({
    hallCode: r.hallCode,
    alg: r.alg ?? 'HMAC-SHA256',
    secret: r.secret,
    method,
    pathWithQuery: r.path,
    timestamp: r.timestamp ?? Date.now(),
    nonce: r.nonce ?? randomUUID(),
    body: bytes,
  });
  if (r.signature !== undefined) signed['X-Signature'] = r.signature;
  const target = new URL(r.url);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: target.hostname,
        port: target.port,
        method,
        path: r.path,
        agent,
        headers: {
          ...signed,
          ...(bytes.length ? { 'content-type': 'application/json', 'content-length': bytes.length } : {}),
          ...r.headers,
        },
        timeout: r.timeoutMs ?? 10_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown = null;
          try {
            json = text ? JSON.parse(text) : null;
          } catch {
            json = null;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(bytes);
  });
}

export interface IngestRecord {
  id: string;
  kind: 'case' | 'evaluation' | 'rectification' | 'appointment';
  seq: number;
  occurredAt: string;
  data: Record<string, unknown>;
}

/** Signs and posts one batch; resolves with the HTTP status and the parsed answer. */
export async function rawIngest(
  url: string,
  hallCode: string,
  secret: string,
  records: IngestRecord[],
  opts: { alg?: SignatureAlg; batchId?: string; timeoutMs?: number } = {},
): Promise<{ status: number; body: unknown; headers: IncomingHttpHeaders }> {
  const body = JSON.stringify({ batchId: opts.batchId ?? randomUUID(), records });
  const r = await signedRequest({
    url,
    hallCode,
    secret,
    method: 'POST',
    path: '/api/v1/records:batch',
    body,
    ...(opts.alg ? { alg: opts.alg } : {}),
    ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}),
  });
  return { status: r.status, body: r.json, headers: r.headers };
}
