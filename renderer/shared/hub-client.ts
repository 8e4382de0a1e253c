/**
 * Typed calls to the hub's `/api/v1` for the role pages, on the shared call in
 * `common/hub-http.ts`. Every failure becomes a `HubError { status, code, message }` whose `message`
 * is the Chinese text to show a citizen or staff member as is. Nothing here throws anything else.
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
import { bearer, HubError, type HubMethod, type HubRequest, hubHttp } from '../../common/hub-http.js';
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
  (S['body'] extends object
    ? { body: BodyIn<S> }
    : S['binary'] extends object
      ? { body: Blob }
      : { body?: undefined }) &
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
export { HubError };

export class HubClient {
  readonly baseUrl: string;
  readonly token: string | null;
  private readonly timeoutMs: number;
  private readonly fetchFn: typeof fetch | undefined;
  private readonly send: HubRequest;

  constructor(opts: HubClientOptions) {
    this.baseUrl = opts.baseUrl.replace(/\/+$/, '');
    this.token = opts.token;
    this.timeoutMs = opts.timeoutMs ?? 10_000;
    this.fetchFn = opts.fetch;
    this.send = hubHttp({
      baseUrl: this.baseUrl,
      authorization: () => bearer(this.token),
      timeoutMs: this.timeoutMs,
      ...(opts.fetch ? { fetch: opts.fetch } : {}),
    });
  }

  /** The same hub with another credential (a staff session token). */
  withToken(token: string | null): HubClient {
    return new HubClient({
      baseUrl: this.baseUrl,
      token,
      timeoutMs: this.timeoutMs,
      ...(this.fetchFn ? { fetch: this.fetchFn } : {}),
    });
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

  /** Raw call; `path` starts after `/api/v1`. Answers `undefined` for 204; a `Blob` body goes as its bytes. */
  request<T>(method: HubMethod, path: string, body?: unknown): Promise<T> {
    return this.send<T>(method, path, body);
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
