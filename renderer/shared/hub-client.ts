/**
 * Typed calls to the hub's `/api/v1`. Every failure becomes a `HubError { status, code, message }`
 * whose `message` is the Chinese text to show a citizen or staff member as is (the hub writes it;
 * network trouble gets ours). Nothing here throws anything else.
 */
import { ROUTE_ADDRESSES, type RouteName } from '../../common/api/addresses.js';
import {
  type AnswerOf,
  type BodyIn,
  fillPath,
  type PathParams,
  type QueryIn,
  type RouteSpec,
} from '../../common/api/route-spec.js';
import type { ApiRoutes } from '../../common/api/routes.js';
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

/** What a call needs besides the route: path parameters, a body and a query where the route has them. */
export type CallArgs<S extends RouteSpec> = (keyof PathParams<S> extends never
  ? { params?: undefined }
  : { params: { [K in keyof PathParams<S>]: string | number } }) &
  (S['body'] extends object ? { body: BodyIn<S> } : { body?: undefined }) &
  (S['query'] extends object ? { query?: QueryIn<S> } : { query?: undefined });

type ArgList<S extends RouteSpec> =
  { params?: undefined; body?: undefined } extends CallArgs<S> ? [args?: CallArgs<S>] : [args: CallArgs<S>];

/** Window actions by their path name (as the counter's buttons and keys name them). */
const WINDOW_ACTION_ROUTES = {
  'call-next': 'callNext',
  recall: 'recall',
  call: 'call',
  skip: 'skip',
  transfer: 'transfer',
  pause: 'pause',
  resume: 'resume',
  start: 'start',
  finish: 'finish',
} as const satisfies Record<string, RouteName>;
export type WindowAction = keyof typeof WINDOW_ACTION_ROUTES;

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

  /**
   * Calls a hub route by name (`common/api/routes.ts`): parameters, body and answer are typed from
   * the route's schemas. Answers `undefined` for 204.
   */
  call<K extends RouteName>(name: K, ...[args]: ArgList<ApiRoutes[K]>): Promise<AnswerOf<ApiRoutes[K]>> {
    const { method, path } = ROUTE_ADDRESSES[name];
    const a = (args ?? {}) as { params?: Record<string, string | number>; body?: unknown; query?: object };
    const query = a.query ? new URLSearchParams(Object.entries(a.query).filter(([, v]) => v !== undefined)) : null;
    const url = `${fillPath(path, a.params ?? {})}${query?.size ? `?${query}` : ''}`;
    // A DELETE sends a body only when its route declares one (a citizen's cancel with the ID number).
    const body = method === 'GET' || (method === 'DELETE' && a.body === undefined) ? undefined : (a.body ?? {});
    return this.request(method, url, body);
  }

  /** Raw call; `path` starts after `/api/v1`. Answers `undefined` for 204. */
  async request<T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<T> {
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
  health() {
    return this.call('health');
  }
  hall(): Promise<ApiHall> {
    return this.call('hall');
  }
  services(): Promise<ApiService[]> {
    return this.call('services');
  }
  windows(): Promise<ApiWindow[]> {
    return this.call('windows');
  }
  window(no: number): Promise<ApiWindow> {
    return this.call('window', { params: { no } });
  }
  issueTicket(body: IssueTicketBody): Promise<ApiTicket & { ticketCode?: string }> {
    return this.call('issueTicket', { body });
  }
  ticket(id: string): Promise<ApiTicket> {
    return this.call('ticket', { params: { id } });
  }
  caseById(id: string): Promise<ApiCase> {
    return this.call('getCase', { params: { id } });
  }
  evaluate(body: EvaluationBody) {
    return this.call('evaluate', { body });
  }
  signIn(staffNo: string, pin: string, windowNo: number): Promise<StaffSessionAnswer> {
    return this.call('staffSignIn', { body: { staffNo, pin, windowNo } });
  }
  signOut(): Promise<void> {
    return this.call('staffSignOut');
  }
  /** A window action with this client's (staff session) token; `call-next` answers undefined on 204. */
  windowAction<T = ApiTicket | undefined>(no: number, action: WindowAction, body?: unknown): Promise<T> {
    return this.request('POST', fillPath(ROUTE_ADDRESSES[WINDOW_ACTION_ROUTES[action]].path, { no }), body ?? {});
  }
}

/** The message to show for anything caught around a hub call. */
export function errorMessage(e: unknown): string {
  if (e instanceof HubError) return e.message;
  return '操作未完成，请稍后再试或咨询工作人员';
}
