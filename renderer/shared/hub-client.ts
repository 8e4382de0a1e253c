/**
 * Typed calls to the hub's `/api/v1`. Every failure becomes a `HubError { status, code, message }`
 * whose `message` is the Chinese text to show a citizen or staff member as is (the hub writes it;
 * network trouble gets ours). Nothing here throws anything else.
 */
import type {
  ApiCase,
  ApiHall,
  ApiService,
  ApiTicket,
  ApiWindow,
  EvaluationBody,
  IssueTicketBody,
  StaffSessionAnswer,
} from './api-types.js';

export class HubError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'HubError';
  }
}

export interface HubClientOptions {
  /** Hub base URL without `/api/v1`, e.g. `http://127.0.0.1:8800`. */
  baseUrl: string;
  token: string | null;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export type WindowAction =
  | 'call-next'
  | 'recall'
  | 'call'
  | 'skip'
  | 'transfer'
  | 'pause'
  | 'resume'
  | 'start'
  | 'finish';

export class HubClient {
  readonly baseUrl: string;
  readonly token: string | null;
  private readonly timeoutMs: number;
  private readonly fetchFn: typeof fetch;

  constructor(opts: HubClientOptions) {
    this.baseUrl = opts.baseUrl.replace(/\/+$/, '');
    this.token = opts.token;
    this.timeoutMs = opts.timeoutMs ?? 10_000;
    this.fetchFn = opts.fetch ?? ((...a) => globalThis.fetch(...a));
  }

  /** The same hub with another credential (a staff session token). */
  withToken(token: string | null): HubClient {
    return new HubClient({ baseUrl: this.baseUrl, token, timeoutMs: this.timeoutMs, fetch: this.fetchFn });
  }

  /** Raw call; `path` starts after `/api/v1`. Answers `undefined` for 204. */
  async request<T>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const ctrl = new AbortController();
    const timer = setTimeout(() => ctrl.abort(), this.timeoutMs);
    let res: Response;
    try {
      res = await this.fetchFn(`${this.baseUrl}/api/v1${path}`, {
        method,
        headers,
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        signal: ctrl.signal,
      });
    } catch (e) {
      const aborted = (e as Error).name === 'AbortError';
      throw aborted
        ? new HubError(0, 'TIMEOUT', '大厅中枢响应超时，请稍后再试')
        : new HubError(0, 'NETWORK', '暂时无法连接大厅中枢，请稍后再试或咨询工作人员');
    } finally {
      clearTimeout(timer);
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
  }

  get<T>(path: string): Promise<T> {
    return this.request<T>('GET', path);
  }
  post<T>(path: string, body?: unknown): Promise<T> {
    return this.request<T>('POST', path, body ?? {});
  }
  delete<T>(path: string): Promise<T> {
    return this.request<T>('DELETE', path);
  }

  // ---- core API helpers
  health(): Promise<{ status: string; version: string; businessDay: string }> {
    return this.get('/health');
  }
  hall(): Promise<ApiHall> {
    return this.get('/hall');
  }
  services(): Promise<ApiService[]> {
    return this.get('/services');
  }
  windows(): Promise<ApiWindow[]> {
    return this.get('/windows');
  }
  window(no: number): Promise<ApiWindow> {
    return this.get(`/windows/${no}`);
  }
  issueTicket(body: IssueTicketBody): Promise<ApiTicket> {
    return this.post('/tickets', body);
  }
  ticket(id: string): Promise<ApiTicket> {
    return this.get(`/tickets/${encodeURIComponent(id)}`);
  }
  caseById(id: string): Promise<ApiCase> {
    return this.get(`/cases/${encodeURIComponent(id)}`);
  }
  evaluate(body: EvaluationBody): Promise<{ id: string; assessNumber: number }> {
    return this.post('/evaluations', body);
  }
  signIn(staffNo: string, pin: string, windowNo: number): Promise<StaffSessionAnswer> {
    return this.post('/staff/sessions', { staffNo, pin, windowNo });
  }
  signOut(): Promise<void> {
    return this.delete('/staff/sessions/current');
  }
  /** A window action with this client's (staff session) token; `call-next` answers undefined on 204. */
  windowAction<T = ApiTicket | undefined>(no: number, action: WindowAction, body?: unknown): Promise<T> {
    return this.post(`/windows/${no}/${action}`, body ?? {});
  }
}

/** The message to show for anything caught around a hub call. */
export function errorMessage(e: unknown): string {
  if (e instanceof HubError) return e.message;
  return '操作未完成，请稍后再试或咨询工作人员';
}
