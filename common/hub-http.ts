/**
 * One HTTP call to the hub's `/api/v1`, shared by the role pages (`renderer/shared/hub-client.ts`)
 * and the terminal process (`main/terminal/hub-api.ts`), so both read the hub's answers and
 * failures the same way. Fetch, the credential and the timers are injected: the browser, Node and
 * tests each give their own. Every failure is a `HubError { status, code, message }` whose
 * `message` is Chinese text fit to show as is (the hub writes it; network trouble gets ours).
 */

export class HubError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'HubError';
  }

  /** The hub said the credential is not (or no longer) valid. */
  get unauthorized(): boolean {
    return this.status === 401;
  }
}

export type HubMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface HubTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface HubHttpOptions {
  /** Hub base URL without `/api/v1`, e.g. `http://127.0.0.1:8800`. */
  baseUrl: string;
  /** The `authorization` header to send, or null for none (asked on every call). */
  authorization?: () => string | null;
  timeoutMs?: number;
  fetch?: typeof fetch;
  timers?: HubTimers;
}

export type HubRequest = <T>(method: HubMethod, path: string, body?: unknown) => Promise<T>;

const realTimers: HubTimers = {
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (h) => globalThis.clearTimeout(h as ReturnType<typeof setTimeout>),
};

/** `Bearer <token>`, or null without a token. */
export const bearer = (token: string | null | undefined): string | null => (token ? `Bearer ${token}` : null);

/**
 * A function that makes one call: `path` starts after `/api/v1`; `body` (when given) is sent as
 * JSON, or as its own bytes when it is a `Blob`. Answers the parsed JSON, or `undefined` for 204.
 */
export function hubHttp(opts: HubHttpOptions): HubRequest {
  const base = opts.baseUrl.replace(/\/+$/, '');
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const timers = opts.timers ?? realTimers;
  const doFetch = opts.fetch ?? ((...a: Parameters<typeof fetch>) => globalThis.fetch(...a));

  return async <T>(method: HubMethod, path: string, body?: unknown): Promise<T> => {
    const headers: Record<string, string> = { accept: 'application/json' };
    const authorization = opts.authorization?.();
    if (authorization) headers.authorization = authorization;
    // A Blob (a scanned material) goes as its own bytes and type; anything else as JSON.
    const bytes = typeof Blob !== 'undefined' && body instanceof Blob ? body : null;
    if (body !== undefined) headers['content-type'] = bytes ? bytes.type : 'application/json';
    const ctrl = new AbortController();
    const timer = timers.setTimeout(() => ctrl.abort(), timeoutMs);
    let res: Response;
    try {
      res = await doFetch(`${base}/api/v1${path}`, {
        method,
        headers,
        ...(body !== undefined ? { body: bytes ?? JSON.stringify(body) } : {}),
        signal: ctrl.signal,
      });
    } catch (e) {
      throw (e as Error).name === 'AbortError'
        ? new HubError(0, 'TIMEOUT', '大厅中枢响应超时，请稍后再试')
        : new HubError(0, 'NETWORK', '暂时无法连接大厅中枢，请稍后再试或咨询工作人员');
    } finally {
      timers.clearTimeout(timer);
    }
    if (res.status === 204) return undefined as T;
    let data: unknown = null;
    try {
      data = await res.json();
    } catch {
      data = null;
    }
    if (!res.ok) {
      const d = (data ?? {}) as { code?: unknown; message?: unknown };
      const code = typeof d.code === 'string' ? d.code : `HTTP_${res.status}`;
      const message =
        typeof d.message === 'string' ? d.message : `大厅中枢返回错误（${res.status}），请稍后再试或咨询工作人员`;
      throw new HubError(res.status, code, message);
    }
    return data as T;
  };
}
