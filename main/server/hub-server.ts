/**
 * The hub's LAN API (docs: shared hub-api.md, exact; additions in docs/hub-api-extensions.md).
 * This module is plumbing: it wires authentication, the route table, live events and the plugins
 * that hold every route (the core contract's included), and answers errors in one shape.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { coreRoutes } from '../../common/api/routes.js';
import { terminalGrants } from '../../kiosk-config/devices-schema.js';
import type { AppointmentRegister } from '../appointments/register.js';
import type { StoredEvent } from '../queue/repository.js';
import type { StorageMonitor } from '../store/storage-health.js';
import type { TerminalStore } from '../store/terminals.js';
import { runCommand, toStorageApiError } from './api-errors.js';
import { actorOf, type Caller, DEFAULT_PUBLIC_LIMIT, HubAuth } from './auth.js';
import { CardReads } from './card-reads.js';
import { CaseFinishHooks } from './case-finish-hooks.js';
import { CredentialWatch } from './credential-watch.js';
import { RouteTable } from './define-route.js';
import { evaluationPlugin } from './evaluation-plugin.js';
import { EventHub } from './event-hub.js';
import { hallPlugin } from './hall-plugin.js';
import { ApiError, Router, sendJson } from './http-kit.js';
import type { HubContext, HubPlugin, HubPluginHooks, RatingHook } from './hub-plugin.js';
import { buildOpenApi } from './openapi.js';
import { originAllowed } from './origin-policy.js';
import { publicPlugin } from './public-plugin.js';
import type { SignInLimits } from './sign-in-guard.js';
import { staffPlugin } from './staff-plugin.js';
import { eventMessage } from './ticket-json.js';
import { ticketPlugin } from './ticket-plugin.js';
import { tokenPlugin } from './token-plugin.js';
import { windowPlugin } from './window-plugin.js';

/** What the hub is built from: the same stores and clock its plugins get in their context. */
export interface HubServerDeps
  extends Pick<HubContext, 'engine' | 'repo' | 'tokens' | 'cases' | 'ticketCodes' | 'clock' | 'version'> {
  /** Staff session lifetime; a display or pad token never expires. */
  staffSessionTtlMs?: number;
  /** Admin console session lifetime (default 8 h). */
  adminSessionTtlMs?: number;
  rateLimit?: { perSecond: number; burst: number };
  /** Limits of the PIN sign-ins (see sign-in-guard.ts for the defaults). */
  signInLimits?: Partial<SignInLimits>;
  log?: (level: 'info' | 'warn' | 'error', msg: string, fields?: Record<string, unknown>) => void;
  /** Features installed beside the core API (see hub-plugin.ts). */
  plugins?: HubPlugin[];
  /** The disk under the data folder: writes it refuses answer 503, `/health` says degraded. */
  storage?: StorageMonitor;
  /** Paired terminals, whose tokens carry the roles of their hall config entry. */
  terminals?: TerminalStore;
  /** The appointment register a ticket naming an appointment is checked against (absent: always refused). */
  appointments?: AppointmentRegister;
}

export interface HubServer {
  server: Server;
  events: EventHub;
  /** Every HTTP route the router answers. */
  routes(): { method: string; path: string }[];
  listen(port: number, host: string): Promise<{ port: number; url: string }>;
  /**
   * The second listener (config `public.listen`): only `/api/v1/public/…` and the citizens' pages,
   * no WebSocket, so the hall can put it on the guest Wi-Fi while the staff API stays on the staff
   * network (docs/phone.md).
   */
  listenPublic(port: number, host: string): Promise<{ port: number; url: string }>;
  close(): Promise<void>;
}

export function createHubServer(deps: HubServerDeps): HubServer {
  const { engine, clock } = deps;
  const tz = () => engine.config.hall.timeZone;
  const terminals = deps.terminals;
  const auth = new HubAuth({
    tokens: deps.tokens,
    clock,
    ...(deps.rateLimit ? { rateLimit: deps.rateLimit } : {}),
    isManager: (no) => engine.config.staff.some((s) => s.no === no && s.role === 'manager'),
    publicLimit: () => engine.config.public?.rateLimit ?? DEFAULT_PUBLIC_LIMIT,
    ...(terminals
      ? {
          terminals: {
            find: (token) => terminals.findByToken(token),
            grants: (id) => {
              const entry = engine.config.devices?.terminals.find((t) => t.id === id);
              return entry ? terminalGrants(entry) : [];
            },
            seen: (id, address) => terminals.touch(id, address, clock.now()),
          },
        }
      : {}),
  });
  const credentials = new CredentialWatch({
    stillValid: (bearer) => auth.stillValid(bearer),
    onError: (err) => deps.log?.('warn', '令牌有效性检查失败', { error: err.message }),
  });
  const allowedOrigins = () => engine.config.hub?.allowedOrigins ?? [];
  const router = new Router();
  const routes = new RouteTable(router, auth);

  // The newest stored seq, read once at start; after that every publish keeps it current.
  let lastSeqCache = deps.repo.lastEventSeq();
  const events = new EventHub({
    authenticate: (req) => {
      const url = new URL(req.url ?? '/', 'http://hub');
      return auth.authenticate(req, url.searchParams.get('token'));
    },
    eventsAfter: (seq, limit) => deps.repo.eventsAfter(seq, limit),
    lastSeq: () => lastSeqCache,
    watch: (who, close) => credentials.watch(who.bearer, close),
    render: (e) =>
      eventMessage(e, tz(), (t) => {
        const v = engine.getTicket(t.id);
        return { ahead: v?.ahead ?? 0, estimatedWaitSeconds: v?.estimatedWaitSeconds ?? 0 };
      }),
  });
  routes.list(coreRoutes.events);
  const published = new Set<(stored: StoredEvent[]) => void>();
  const publish = (stored: StoredEvent[]) => {
    for (const e of stored) lastSeqCache = Math.max(lastSeqCache, e.seq);
    events.publish(stored);
    // Plugins react to what was published (a listener's failure must not stop the others).
    for (const l of [...published]) {
      try {
        l(stored);
      } catch (err) {
        deps.log?.('error', '事件监听失败', { error: (err as Error).message });
      }
    }
  };
  engine.onEvents(publish);

  const terminalClosed = new Set<(terminalId: string) => void>();
  const ratingHooks = new Set<RatingHook>();
  const ctx: HubContext = {
    defineRoute: routes.define,
    listRoute: (spec) => routes.list(spec),
    engine,
    repo: deps.repo,
    tokens: deps.tokens,
    cases: deps.cases,
    ticketCodes: deps.ticketCodes,
    clock,
    version: deps.version,
    timeZone: tz,
    authenticate: (req, queryToken) => auth.authenticate(req, queryToken),
    deviceTokenFor: (token, role, address) => auth.deviceTokenFor(token, role, address),
    requireCaller: (req) => auth.requireCaller(req),
    takePublic: (req) => auth.takePublic(req),
    requireRole: (req, roles, allowStaff) => auth.requireRole(req, roles, allowStaff),
    actorOf,
    watchCredential: (bearer, close) => credentials.watch(bearer, close),
    credentialsChanged: () => void credentials.sweep(),
    cardReads: new CardReads(() => clock.now()),
    run: runCommand,
    emit: (event) => {
      const at = clock.now();
      const seq = deps.repo.transaction(() => deps.repo.appendEvent(at, event));
      const stored: StoredEvent = { seq, at, event };
      publish([stored]);
      return stored;
    },
    publish,
    onPublished: (listener) => {
      published.add(listener);
      return () => published.delete(listener);
    },
    sendToTerminal: (terminalId, msg) => events.sendWhere((who) => terminalOf(who) === terminalId, msg),
    closeTerminal: (terminalId) => {
      events.closeWhere((who) => terminalOf(who) === terminalId);
      for (const l of [...terminalClosed]) {
        try {
          l(terminalId);
        } catch (err) {
          deps.log?.('error', '关闭终端连接失败', { terminalId, error: (err as Error).message });
        }
      }
    },
    onTerminalClosed: (listener) => {
      terminalClosed.add(listener);
      return () => terminalClosed.delete(listener);
    },
    caseFinish: new CaseFinishHooks(),
    onRating: (hook) => {
      ratingHooks.add(hook);
      return () => ratingHooks.delete(hook);
    },
    ratingRecorded: (rec, at) => [...ratingHooks].flatMap((h) => h(rec, at)),
    audit: (entry) => deps.repo.transaction(() => deps.repo.appendAudit({ at: clock.now(), ...entry })),
    log: (level, msg, fields) => deps.log?.(level, msg, fields),
  };
  const openApi = () => buildOpenApi(deps.version, routes.specs);
  const core = [
    hallPlugin(openApi, deps.storage),
    ticketPlugin(deps.appointments),
    staffPlugin({
      sessionTtlMs: deps.staffSessionTtlMs ?? 12 * 3600_000,
      ...(deps.adminSessionTtlMs ? { adminSessionTtlMs: deps.adminSessionTtlMs } : {}),
      ...(deps.signInLimits ? { signInLimits: deps.signInLimits } : {}),
    }),
    windowPlugin(),
    evaluationPlugin(),
    tokenPlugin(),
    publicPlugin(),
  ];
  const hooks: HubPluginHooks[] = [];
  for (const p of [...core, ...(deps.plugins ?? [])]) {
    const h = p.install(ctx);
    if (h) hooks.push(h);
  }

  // ------------------------------------------------------------------ plumbing
  const handle = async (req: IncomingMessage, res: ServerResponse, side: 'staff' | 'public') => {
    const url = new URL(req.url ?? '/', 'http://hub');
    const api = url.pathname.startsWith('/api/');
    if (side === 'public') return handlePublic(req, res, url);
    // A browser names the page that makes a request (`Origin`). Only the hub's own pages and the
    // origins listed in the hall config may call the API; any other page — a link opened in a
    // kiosk's browser — is refused before it reaches a handler (also its CORS preflight).
    const origin = req.headers.origin;
    if (api && origin !== undefined) {
      if (!originAllowed(origin, req.headers.host, allowedOrigins())) {
        req.resume();
        return sendJson(res, 403, {
          code: 'ORIGIN_NOT_ALLOWED',
          message:
            '不允许从该网页访问中枢接口：请从中枢自己的地址打开页面，或由管理员在大厅配置 hub.allowedOrigins 中登记该来源',
        });
      }
      res.setHeader('access-control-allow-origin', origin);
      res.setHeader('vary', 'origin');
      res.setHeader('access-control-allow-headers', 'authorization, content-type');
      res.setHeader('access-control-allow-methods', 'GET, POST, PUT, DELETE, OPTIONS');
      res.setHeader('access-control-max-age', '600');
    }
    if (req.method === 'OPTIONS') {
      res.writeHead(204).end();
      return;
    }
    try {
      if (!api) {
        for (const h of hooks) if (h.request && (await h.request(req, res, url))) return;
      }
      const { handler, params } = router.match(req.method ?? 'GET', url.pathname);
      await handler({ req, res, params, url });
    } catch (thrown) {
      if (res.headersSent) return void res.end();
      const e = toStorageApiError(thrown, deps.storage);
      if (e instanceof ApiError) return sendJson(res, e.status, e.body, e.headers);
      deps.log?.('error', '请求处理失败', { path: url.pathname, error: (e as Error).message });
      sendJson(res, 500, { code: 'INTERNAL', message: '中枢内部错误，已记录日志' });
    }
  };

  /**
   * The public side's short allow-list: `/api/v1/public/…` (define-route.ts keeps every public
   * route there and nothing else) and the pages of plugins with a `publicRequest` hook. Anything
   * else is 404, as if the staff API did not exist on this address.
   */
  const handlePublic = async (req: IncomingMessage, res: ServerResponse, url: URL) => {
    try {
      if (url.pathname.startsWith('/api/v1/public/')) {
        const origin = req.headers.origin;
        if (origin !== undefined && !originAllowed(origin, req.headers.host, [])) {
          req.resume();
          return sendJson(res, 403, { code: 'ORIGIN_NOT_ALLOWED', message: '请从大厅的手机页面访问' });
        }
        const { handler, params } = router.match(req.method ?? 'GET', url.pathname);
        return await handler({ req, res, params, url });
      }
      if (!url.pathname.startsWith('/api/')) {
        for (const h of hooks) if (h.publicRequest && (await h.publicRequest(req, res, url))) return;
      }
      req.resume();
      auth.takePublic(req);
      sendJson(res, 404, { code: 'NOT_FOUND', message: '没有这个页面：请扫描号票或评价码上的二维码' });
    } catch (thrown) {
      if (res.headersSent) return void res.end();
      const e = toStorageApiError(thrown, deps.storage);
      if (e instanceof ApiError) return sendJson(res, e.status, e.body, e.headers);
      deps.log?.('error', '公开请求处理失败', { path: url.pathname, error: (e as Error).message });
      sendJson(res, 500, { code: 'INTERNAL', message: '中枢内部错误，请稍后再试' });
    }
  };

  const server = createServer((req, res) => void handle(req, res, 'staff'));
  server.keepAliveTimeout = 65_000;
  const publicServer = createServer((req, res) => void handle(req, res, 'public'));
  publicServer.keepAliveTimeout = 65_000;
  // No socket on the public side: the phone page polls (docs/phone.md).
  publicServer.on('upgrade', (_req, socket) => socket.destroy());
  publicServer.on('clientError', (_err, socket) => socket.end('HTTP/1.1 400 Bad Request\r\n\r\n'));
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://hub');
    // Browsers send `Origin` with a WebSocket handshake too: a foreign page gets no socket.
    const origin = req.headers.origin;
    if (origin !== undefined && !originAllowed(origin, req.headers.host, allowedOrigins())) {
      socket.end(
        `HTTP/1.1 403 Forbidden\r\ncontent-type: application/json; charset=utf-8\r\nconnection: close\r\n\r\n${JSON.stringify(
          { code: 'ORIGIN_NOT_ALLOWED', message: '不允许从该网页连接中枢' },
        )}`,
      );
      return;
    }
    if (url.pathname === '/api/v1/events') return events.handleUpgrade(req, socket, head);
    for (const h of hooks) if (h.upgrade?.(req, socket, head, url)) return;
    socket.destroy();
  });
  server.on('clientError', (_err, socket) => socket.end('HTTP/1.1 400 Bad Request\r\n\r\n'));

  const listenOn = (srv: Server, port: number, host: string) =>
    new Promise<{ port: number; url: string }>((resolve, reject) => {
      srv.once('error', reject);
      srv.listen(port, host, () => {
        const p = (srv.address() as AddressInfo).port;
        resolve({ port: p, url: `http://${host.includes(':') ? `[${host}]` : host}:${p}` });
      });
    });
  return {
    server,
    events,
    routes: () => router.list(),
    listen: (port, host) => listenOn(server, port, host),
    listenPublic: (port, host) => listenOn(publicServer, port, host),
    close: async () => {
      credentials.stop();
      for (const h of hooks) await h.close?.();
      if (publicServer.listening) {
        publicServer.closeAllConnections?.();
        await new Promise<void>((resolve) => publicServer.close(() => resolve()));
      }
      await new Promise<void>((resolve) => {
        events.close();
        server.closeAllConnections?.();
        server.close(() => resolve());
      });
    },
  };
}

/** The paired terminal behind a live-event socket, if any. */
function terminalOf(c: Caller): string | null {
  return c.kind === 'device' ? (c.terminal?.id ?? null) : null;
}
