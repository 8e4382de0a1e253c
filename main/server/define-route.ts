/**
 * Binds a handler to a route description (`common/api`): the table checks access, reads and
 * validates the body and the query, and sends what the handler returns — so handlers hold only
 * the hall's logic, their inputs and answers are typed from the same schemas the UIs use, and the
 * OpenAPI document is generated from what is actually bound.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AnswerOf, BodyOf, PathParams, QueryOf, RouteSpec } from '../../common/api/route-spec.js';
import type { Caller, DeviceCaller, HubAuth, StaffCaller, TerminalCaller } from './auth.js';

/** The caller of a `terminal` route: a paired terminal's token. */
export type TerminalDeviceCaller = DeviceCaller & { terminal: TerminalCaller };

import { type Router, readBinaryBody, readJsonBody, sendJson, validate } from './http-kit.js';

type CallerOf<S extends RouteSpec> = S['access'] extends { kind: 'public' }
  ? null
  : S['access'] extends { kind: 'open' }
    ? Caller | null
    : S['access'] extends { kind: 'window' }
      ? StaffCaller
      : S['access'] extends { kind: 'terminal' }
        ? TerminalDeviceCaller
        : Caller;

export interface RouteArgs<S extends RouteSpec> {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  params: PathParams<S>;
  body: BodyOf<S>;
  query: QueryOf<S>;
  caller: CallerOf<S>;
  /** The window of a window route (`{no}`, checked against the staff session); 0 elsewhere. */
  windowNo: number;
}

/**
 * JSON routes answer their schema's type, or `undefined` for 204; `text` and `binary` routes write
 * the answer themselves.
 */
export type RouteResult<S extends RouteSpec> = S['kind'] extends 'text' | 'binary'
  ? undefined
  : S['status'] extends 204
    ? undefined
    : AnswerOf<S> | undefined;

export type RouteHandler<S extends RouteSpec> = (args: RouteArgs<S>) => RouteResult<S> | Promise<RouteResult<S>>;

export type DefineRoute = <S extends RouteSpec>(spec: S, handler: RouteHandler<S>) => void;

/** The routes bound so far, in order, for the OpenAPI document. */
export class RouteTable {
  readonly specs: RouteSpec[] = [];

  constructor(
    private readonly router: Router,
    private readonly auth: HubAuth,
  ) {}

  /** Lists a route served outside the router (a WebSocket upgrade) so the document names it. */
  list(spec: RouteSpec): void {
    this.specs.push(spec);
  }

  readonly define: DefineRoute = (spec, handler) => {
    if (spec.kind === 'websocket') throw new Error(`${spec.path} 是 WebSocket 路径，请用 list() 登记`);
    // The public listener serves `/api/v1/public/…` and nothing else: a citizen's route must live
    // there, and nothing else may, so the path alone is the allow-list.
    if ((spec.access.kind === 'public') !== spec.path.startsWith('/public/'))
      throw new Error(`${spec.path}：公开接口（access public）必须且只能在 /public/ 之下`);
    this.specs.push(spec);
    this.router.add(spec.method, `/api/v1${spec.path}`, async ({ req, res, params, url }) => {
      const caller = this.auth.authorize(req, spec.access, params);
      // The query first: a binary upload with a bad query is refused before its bytes are read.
      const query = spec.query ? validate(spec.query, Object.fromEntries(url.searchParams)) : undefined;
      let body: unknown;
      if (spec.binary) body = await readBinaryBody(req, spec.binary);
      else {
        // Every other POST/PUT (and a DELETE that declares a body) goes through readJsonBody, which
        // refuses a body not declared JSON (415).
        const raw =
          spec.method === 'GET' || (spec.method === 'DELETE' && !spec.body) ? undefined : await readJsonBody(req);
        body = spec.body ? validate(spec.body, raw) : undefined;
      }
      const windowNo = spec.access.kind === 'window' ? Number(params.no) : 0;
      const out = await (handler as RouteHandler<RouteSpec>)({
        req,
        res,
        url,
        params: params as never,
        body: body as never,
        query: query as never,
        caller: caller as never,
        windowNo,
      });
      if (spec.kind === 'text' || spec.kind === 'binary') return;
      if (out === undefined) sendJson(res, 204, undefined);
      else sendJson(res, spec.status ?? 200, out);
    });
  };
}
