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
  ) {
    super(message);
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

export function readJsonBody(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > BODY_LIMIT) {
      reject(new ApiError(413, 'BODY_TOO_LARGE', '请求体超过 64 KiB'));
      req.resume();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (c: Buffer) => {
      if (failed) return;
      size += c.length;
      if (size > BODY_LIMIT) {
        failed = true;
        reject(new ApiError(413, 'BODY_TOO_LARGE', '请求体超过 64 KiB'));
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      if (failed) return;
      const text = Buffer.concat(chunks).toString('utf8').trim();
      if (!text) return resolve(undefined);
      try {
        resolve(JSON.parse(text));
      } catch {
        reject(new ApiError(400, 'INVALID_JSON', '请求体不是有效的 JSON'));
      }
    });
    req.on('error', reject);
  });
}

/** Validates input with zod; the message names the first failing field. */
export function validate<T>(schema: z.ZodType<T>, input: unknown): T {
  const r = schema.safeParse(input ?? {});
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const field = issue.path.join('.') || '请求体';
  const i = issue as { code: string; input?: unknown; keys?: string[] };
  let why = issue.message;
  if (i.input === undefined && i.code !== 'unrecognized_keys' && i.code !== 'custom') why = '必填';
  else if (i.code === 'unrecognized_keys') why = `不认识的字段 ${(i.keys ?? []).join('、')}`;
  else if (/^(Invalid|Too|Expected)/.test(why)) why = '取值无效';
  throw new ApiError(400, 'INVALID_INPUT', `字段 ${field}：${why}`);
}

export type Handler = (ctx: {
  req: IncomingMessage;
  res: ServerResponse;
  params: Record<string, string>;
  url: URL;
}) => Promise<void> | void;

interface Route {
  method: string;
  pattern: RegExp;
  keys: string[];
  handler: Handler;
}

export class Router {
  private routes: Route[] = [];

  add(method: string, path: string, handler: Handler): void {
    const keys: string[] = [];
    const pattern = new RegExp(
      `^${path.replace(/\{(\w+)\}/g, (_, k: string) => {
        keys.push(k);
        return '([^/]+)';
      })}$`,
    );
    this.routes.push({ method, pattern, keys, handler });
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
        params[k] = decodeURIComponent(m[i + 1] ?? '');
      });
      return { handler: r.handler, params };
    }
    if (pathMatched) throw new ApiError(405, 'METHOD_NOT_ALLOWED', `该地址不支持 ${method} 方法`);
    throw new ApiError(404, 'NOT_FOUND', `没有这个接口：${pathname}`);
  }
}

/** Token bucket per credential: generous for real terminals, a wall for a runaway loop. */
export class RateLimiter {
  private buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
    private readonly now: () => number,
  ) {}

  take(key: string): number | null {
    const t = this.now();
    const b = this.buckets.get(key) ?? { tokens: this.burst, at: t };
    b.tokens = Math.min(this.burst, b.tokens + ((t - b.at) / 1000) * this.perSecond);
    b.at = t;
    this.buckets.set(key, b);
    if (b.tokens < 1) return Math.ceil((1 - b.tokens) / this.perSecond);
    b.tokens -= 1;
    return null;
  }
}
