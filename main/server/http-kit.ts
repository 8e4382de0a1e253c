/** The small HTTP layer under the hub: JSON in and out, typed errors, a body limit, a router. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { z } from 'zod';

export const BODY_LIMIT = 64 * 1024;

/** An answer other than 2xx: `{ code, message }` with a Chinese message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
    /** More fields of the answer beside code and message (e.g. every problem of a config change). */
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }

  get body(): Record<string, unknown> {
    return { code: this.code, message: this.message, ...this.details };
  }
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/**
 * The JSON body of a request (undefined when there is none). A body must say it is JSON: a form
 * or text/plain POST is what a foreign web page can send without asking first (no CORS
 * preflight), so it is refused (415) before a byte is parsed — for every route that reads one.
 */
export function readJsonBody(req: IncomingMessage): Promise<unknown> {
  if (hasBody(req) && !isJsonContentType(req.headers['content-type'])) {
    req.resume();
    return Promise.reject(
      new ApiError(415, 'UNSUPPORTED_MEDIA_TYPE', '请求体须为 JSON：请设置请求头 Content-Type: application/json'),
    );
  }
  return readLimitedBody(req, BODY_LIMIT, '请求体超过 64 KiB').then((body) => {
    const text = body.toString('utf8').trim();
    if (!text) return undefined;
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new ApiError(400, 'INVALID_JSON', '请求体不是有效的 JSON');
    }
  });
}

/**
 * The raw body of a binary route (`RouteSpec.binary`): its type must be one of `types` (415), its
 * size at most `maxBytes` (413, checked on the declared length and again while reading), and not
 * empty (400). The bytes stay in memory only: nothing of them is written or logged here.
 */
export function readBinaryBody(
  req: IncomingMessage,
  spec: { types: readonly string[]; maxBytes: number; tooLarge: string },
): Promise<{ bytes: Buffer; contentType: string }> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (!spec.types.includes(type)) {
    req.resume();
    return Promise.reject(
      new ApiError(415, 'UNSUPPORTED_MEDIA_TYPE', `请求体类型须为 ${spec.types.join(' 或 ')}（请求头 Content-Type）`),
    );
  }
  return readLimitedBody(req, spec.maxBytes, spec.tooLarge).then((bytes) => {
    if (bytes.length === 0) throw new ApiError(400, 'EMPTY_BODY', '请求体为空：请附上文件内容');
    return { bytes, contentType: type };
  });
}

/**
 * A body of at most `maxBytes` (413 with `tooLarge`), refused on the declared length before a byte
 * is read and again while reading, so a lying or missing Content-Length cannot make it bigger.
 */
function readLimitedBody(req: IncomingMessage, maxBytes: number, tooLarge: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > maxBytes) {
      reject(new ApiError(413, 'BODY_TOO_LARGE', tooLarge));
      req.resume();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (c: Buffer) => {
      if (failed) return;
      size += c.length;
      if (size > maxBytes) {
        failed = true;
        chunks.length = 0;
        reject(new ApiError(413, 'BODY_TOO_LARGE', tooLarge));
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      if (!failed) resolve(Buffer.concat(chunks, size));
    });
    req.on('error', reject);
  });
}

/** Validates input with zod; the message names the first failing field. */
export function validate<T>(schema: z.ZodType<T>, input: unknown): T {
  // reportInput: without it zod 4 leaves `input` out of every issue and a wrong value reads as missing.
  const r = schema.safeParse(input ?? {}, { reportInput: true });
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  if (!issue) throw new ApiError(400, 'INVALID_INPUT', '请求体：取值无效');
  throw new ApiError(400, 'INVALID_INPUT', `字段 ${issue.path.join('.') || '请求体'}：${issueText(issue)}`);
}

/** A zod issue in Chinese; our own messages pass through, zod's English defaults are translated. */
function issueText(issue: z.core.$ZodIssue): string {
  const i = issue as z.core.$ZodIssue & {
    input?: unknown;
    keys?: string[];
    values?: unknown[];
    minimum?: number | bigint;
    maximum?: number | bigint;
    origin?: string;
  };
  const english = /^(Invalid|Too|Expected|Unrecognized)/.test(i.message);
  if (i.code === 'unrecognized_keys') return `不认识的字段 ${(i.keys ?? []).join('、')}`;
  if (i.input === undefined && i.code !== 'custom') return '必填';
  if (!english) return i.message;
  if (i.code === 'invalid_value' && i.values?.length) return `应为 ${i.values.map(String).join('、')} 之一`;
  if (i.code === 'invalid_type') return `类型不对，应为${TYPE_TEXT[String(i.expected)] ?? String(i.expected)}`;
  const unit = i.origin === 'string' ? ' 个字符' : i.origin === 'array' ? ' 项' : '';
  if (i.code === 'too_small') return i.origin === 'string' && i.minimum === 1 ? '不能为空' : `至少 ${i.minimum}${unit}`;
  if (i.code === 'too_big') return `最多 ${i.maximum}${unit}`;
  return '取值无效';
}

const TYPE_TEXT: Record<string, string> = {
  string: '文字',
  number: '数字',
  int: '整数',
  boolean: '布尔值（true 或 false）',
  object: '对象',
  array: '数组',
};

export type Handler = (ctx: {
  req: IncomingMessage;
  res: ServerResponse;
  params: Record<string, string>;
  url: URL;
}) => Promise<void> | void;

interface Route {
  method: string;
  path: string;
  pattern: RegExp;
  keys: string[];
  handler: Handler;
}

export class Router {
  private routes: Route[] = [];

  /** Every registered method and path, e.g. for checking that each is documented. */
  list(): { method: string; path: string }[] {
    return this.routes.map((r) => ({ method: r.method, path: r.path }));
  }

  add(method: string, path: string, handler: Handler): void {
    const keys: string[] = [];
    const pattern = new RegExp(
      `^${path.replace(/\{(\w+)\}/g, (_, k: string) => {
        keys.push(k);
        return '([^/]+)';
      })}$`,
    );
    this.routes.push({ method, path, pattern, keys, handler });
  }

  match(method: string, pathname: string): { handler: Handler; params: Record<string, string> } {
    let pathMatched = false;
    for (const r of this.routes) {
      const m = r.pattern.exec(pathname);
      if (!m) continue;
      pathMatched = true;
      if (r.method !== method) continue;
      const params: Record<string, string> = {};
      r.keys.forEach((k, i) => {
        params[k] = decodePathPart(m[i + 1] ?? '');
      });
      return { handler: r.handler, params };
    }
    if (pathMatched) throw new ApiError(405, 'METHOD_NOT_ALLOWED', `该地址不支持 ${method} 方法`);
    throw new ApiError(404, 'NOT_FOUND', `没有这个接口：${pathname}`);
  }
}

/** A path segment decoded once; a broken escape (`%E0%A4%A`) is the caller's mistake, not ours. */
function decodePathPart(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new ApiError(400, 'INVALID_PATH', '地址中有无效的百分号编码，请检查链接是否完整');
  }
}

/**
 * The address a request came from, as the sign-in limits count it: IPv4 as is (also when written
 * as `::ffff:a.b.c.d`), IPv6 by its /64 — one LAN host can take any address of its prefix, so a
 * finer key would let it pose as many. Forwarded headers are not trusted: the hub is on the LAN.
 */
export function clientAddress(req: IncomingMessage): string {
  const raw = req.socket.remoteAddress ?? 'unknown';
  const v4 = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(raw);
  if (v4) return v4[1]!;
  if (!raw.includes(':') || raw === '::1') return raw;
  return `${ipv6Groups(raw).slice(0, 4).join(':')}::/64`;
}

/** The eight groups of an IPv6 address (zone id dropped), `::` expanded. */
function ipv6Groups(addr: string): string[] {
  const [head = '', tail] = addr.split('%')[0]!.split('::') as [string, string | undefined];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const zeros = tail === undefined ? [] : Array(Math.max(0, 8 - h.length - t.length)).fill('0');
  return [...h, ...zeros, ...t].map((g) => g.toLowerCase().replace(/^0+(?=.)/, ''));
}

/** `Content-Type: application/json` (any charset), the only body the JSON routes read. */
export function isJsonContentType(header: string | undefined): boolean {
  return (header ?? '').split(';')[0]!.trim().toLowerCase() === 'application/json';
}

/** Whether the request carries a body at all (a length above 0, or chunks). */
export function hasBody(req: IncomingMessage): boolean {
  const len = req.headers['content-length'];
  if (len !== undefined) return Number(len) > 0;
  return req.headers['transfer-encoding'] !== undefined;
}

/**
 * Token bucket per key (a credential, an address): generous for real terminals, a wall for a
 * runaway loop. At most `maxKeys` buckets are kept; full ones are dropped first, as a full bucket
 * is what a new key gets anyway.
 */
export class RateLimiter {
  private buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
    private readonly now: () => number,
    private readonly maxKeys = 10_000,
  ) {}

  take(key: string): number | null {
    const t = this.now();
    const b = this.buckets.get(key) ?? { tokens: this.burst, at: t };
    // A clock stepped back (NTP) refills nothing, and takes nothing either.
    b.tokens = Math.min(this.burst, b.tokens + (Math.max(0, t - b.at) / 1000) * this.perSecond);
    b.at = t;
    this.buckets.set(key, b);
    if (this.buckets.size > this.maxKeys) this.prune(t);
    if (b.tokens < 1) return Math.ceil((1 - b.tokens) / this.perSecond);
    b.tokens -= 1;
    return null;
  }

  private prune(t: number): void {
    for (const [k, b] of this.buckets) {
      if (b.tokens + ((t - b.at) / 1000) * this.perSecond >= this.burst) this.buckets.delete(k);
    }
    // Still over (every bucket in use): the oldest go, the map keeps insertion order.
    for (const k of this.buckets.keys()) {
      if (this.buckets.size <= this.maxKeys) break;
      this.buckets.delete(k);
    }
  }
}
