/**
 * The hub's LAN API (docs: shared hub-api.md, exact; additions in docs/hub-api-extensions.md).
 * Who may do what is decided here, once per request, from the bearer token.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isoInZone } from '../../common/hall-time.js';
import type { DeviceRole } from '../../common/roles.js';
import { verifyPin } from '../../kiosk-config/pin-hash.js';
import { CaseError } from '../cases/case-error.js';
import type { QueueEngine } from '../queue/engine.js';
import type { QueueRepository, StoredEvent } from '../queue/repository.js';
import { type Actor, QueueError, type QueueErrorCode, type Ticket } from '../queue/types.js';
import type { CaseRepository } from '../store/case-repository.js';
import type { TokenStore } from '../store/tokens.js';
import type { Clock } from '../time/clock.js';
import {
  callBody,
  createTokenBody,
  dayQuery,
  evaluationBody,
  finishBody,
  issueTicketBody,
  pauseBody,
  skipBody,
  staffSessionBody,
  transferBody,
} from './api-schemas.js';
import { recordEvaluation } from './evaluation-recorder.js';
import { EventHub } from './event-hub.js';
import { ApiError, RateLimiter, Router, readJsonBody, sendJson, validate } from './http-kit.js';
import type { Caller, HubContext, HubPlugin, HubPluginHooks } from './hub-plugin.js';
import { buildOpenApi } from './openapi.js';
import { eventMessage, ticketJson, windowJson } from './ticket-json.js';

export interface HubServerDeps {
  engine: QueueEngine;
  repo: QueueRepository & { transaction<T>(fn: () => T): T };
  tokens: TokenStore;
  cases: CaseRepository;
  clock: Clock;
  version: string;
  /** Staff session lifetime; a display or pad token never expires. */
  staffSessionTtlMs?: number;
  rateLimit?: { perSecond: number; burst: number };
  log?: (level: 'info' | 'warn' | 'error', msg: string, fields?: Record<string, unknown>) => void;
  /** Features installed beside the core API (see hub-plugin.ts). */
  plugins?: HubPlugin[];
}

const STATUS_OF: Record<QueueErrorCode, number> = {
  SERVICE_CLOSED: 409,
  DAILY_LIMIT_REACHED: 409,
  INVALID_CERT_NO: 400,
  UNKNOWN_SERVICE: 400,
  UNKNOWN_WINDOW: 404,
  UNKNOWN_TICKET: 404,
  PRIORITY_NOT_ENABLED: 400,
  ANONYMOUS_NOT_ALLOWED: 400,
  WINDOW_CLOSED: 409,
  WINDOW_PAUSED: 409,
  WINDOW_BUSY: 409,
  NO_CURRENT_TICKET: 409,
  INVALID_STATE: 409,
  SERVICE_NOT_AT_WINDOW: 409,
  ALREADY_REQUEUED: 409,
};

function fromQueueError(e: QueueError): ApiError {
  let status = STATUS_OF[e.code] ?? 409;
  // An unknown window named in a body is bad input; in the path it is "not found".
  if (e.code === 'UNKNOWN_WINDOW' && e.field && e.field !== 'windowNo') status = 400;
  const message = status === 400 && e.field ? `字段 ${e.field}：${e.message}` : e.message;
  return new ApiError(status, e.code, message);
}

export interface HubServer {
  server: Server;
  events: EventHub;
  listen(port: number, host: string): Promise<{ port: number; url: string }>;
  close(): Promise<void>;
}

export function createHubServer(deps: HubServerDeps): HubServer {
  const { engine, tokens, cases, clock } = deps;
  const tz = () => engine.config.hall.timeZone;
  const ttl = deps.staffSessionTtlMs ?? 12 * 3600_000;
  const limiter = new RateLimiter(deps.rateLimit?.perSecond ?? 200, deps.rateLimit?.burst ?? 400, () => clock.now());
  const router = new Router();

  const place = (t: Ticket) => {
    const v = engine.getTicket(t.id);
    return { ahead: v?.ahead ?? 0, estimatedWaitSeconds: v?.estimatedWaitSeconds ?? 0 };
  };
  // The newest stored seq, read once at start; after that every publish keeps it current.
  let lastSeqCache = deps.repo.lastEventSeq();
  const events = new EventHub({
    authenticate: (req) => {
      const url = new URL(req.url ?? '/', 'http://hub');
      return authenticate(req, url.searchParams.get('token'));
    },
    eventsAfter: (seq, limit) => deps.repo.eventsAfter(seq, limit),
    lastSeq: () => lastSeqCache,
    render: (e) => eventMessage(e, tz(), place),
  });
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

  function authenticate(req: IncomingMessage, queryToken?: string | null): Caller | null {
    const header = req.headers.authorization;
    const token = header?.startsWith('Bearer ') ? header.slice(7).trim() : (queryToken ?? null);
    if (!token) return null;
    if (token.startsWith('ghs_')) {
      const session = tokens.findStaffSession(token, clock.now());
      return session ? { kind: 'staff', session, token, key: token.slice(0, 16) } : null;
    }
    const dev = tokens.findDeviceToken(token);
    return dev ? { kind: 'device', token: dev, key: dev.id } : null;
  }

  const requireCaller = (req: IncomingMessage): Caller => {
    const c = authenticate(req);
    if (!c) throw new ApiError(401, 'UNAUTHORIZED', '缺少或无效的令牌（Authorization: Bearer …）');
    const wait = limiter.take(c.key);
    if (wait !== null)
      throw new ApiError(429, 'RATE_LIMITED', '请求过于频繁，请稍后再试', { 'retry-after': String(wait) });
    return c;
  };
  const requireRole = (req: IncomingMessage, roles: DeviceRole[], allowStaff: boolean): Caller => {
    const c = requireCaller(req);
    if (c.kind === 'staff' ? allowStaff : roles.includes(c.token.role)) return c;
    const who = c.kind === 'staff' ? '窗口工作人员会话' : `「${c.token.role}」令牌`;
    throw new ApiError(403, 'FORBIDDEN_ROLE', `${who}无权执行此操作`);
  };
  const actorOf = (c: Caller): Actor =>
    c.kind === 'staff'
      ? { role: 'staff', terminalId: `window-${c.session.windowNo}`, staffNo: c.session.staffNo }
      : { role: c.token.role, terminalId: c.token.name ?? c.token.id, staffNo: null };
  const windowSession = (
    req: IncomingMessage,
    no: string,
  ): { caller: Caller & { kind: 'staff' }; windowNo: number } => {
    const windowNo = Number(no);
    if (!Number.isInteger(windowNo) || windowNo < 1)
      throw new ApiError(400, 'INVALID_INPUT', '字段 windowNo：应为正整数');
    const c = requireCaller(req);
    if (c.kind !== 'staff') throw new ApiError(403, 'STAFF_SESSION_REQUIRED', '窗口操作需要工作人员在该窗口登录');
    if (c.session.windowNo !== windowNo) {
      throw new ApiError(403, 'WRONG_WINDOW', `当前登录的是 ${c.session.windowNo} 号窗口，不能操作 ${windowNo} 号窗口`);
    }
    return { caller: c, windowNo };
  };
  const reveal = (c: Caller | null, t: Ticket) =>
    c?.kind === 'staff' && t.windowNo === c.session.windowNo && (t.status === 'called' || t.status === 'serving');
  const renderTicket = (t: Ticket, c: Caller | null) =>
    ticketJson(t, { timeZone: tz(), reveal: reveal(c, t), ...place(t) });
  const run = <T>(fn: () => T): T => {
    try {
      return fn();
    } catch (e) {
      if (e instanceof QueueError) throw fromQueueError(e);
      if (e instanceof CaseError) {
        const status = {
          UNKNOWN_CASE: 404,
          REASON_REQUIRED: 400,
          ALREADY_EVALUATED: 409,
          WRONG_WINDOW: 403,
          INVALID_CERT_NO: 400,
        }[e.code];
        throw new ApiError(status, e.code, status === 400 && e.field ? `字段 ${e.field}：${e.message}` : e.message);
      }
      throw e;
    }
  };

  // ------------------------------------------------------------------ public
  router.add('GET', '/api/v1/health', ({ res }) => {
    sendJson(res, 200, { status: 'ok', version: deps.version, businessDay: engine.businessDay() });
  });
  router.add('GET', '/api/v1/openapi.json', ({ res }) => sendJson(res, 200, buildOpenApi(deps.version)));

  // ------------------------------------------------------------------ hall
  const hallJson = () => {
    const views = new Map(engine.services().map((s) => [s.code, s]));
    return {
      hallCode: engine.config.hall.code,
      name: engine.config.hall.name,
      businessDay: engine.businessDay(),
      services: engine.config.services.map((s) => ({
        code: s.code,
        name: s.name,
        category: s.category,
        prefix: s.prefix,
        waiting: views.get(s.code)?.waiting ?? 0,
        open: views.get(s.code)?.open ?? false,
        estimatedWaitSeconds: views.get(s.code)?.estimatedWaitSeconds ?? 0,
        allowAnonymous: s.allowAnonymous,
      })),
      windows: engine.config.windows.map((w) => {
        const st = engine.window(w.no);
        const cur = st.currentTicketId ? engine.getTicket(st.currentTicketId)?.ticket : null;
        return {
          no: w.no,
          name: w.name,
          services: w.services.map((s) => s.code),
          comprehensive: w.comprehensive,
          greenChannel: w.greenChannel,
          state: st.state,
          staffNo: st.staffNo,
          pauseReason: st.pauseReason,
          current: cur ? renderTicket(cur, null) : null,
        };
      }),
    };
  };
  router.add('GET', '/api/v1/hall', ({ req, res }) => {
    requireCaller(req);
    run(() => engine.rolloverIfDue());
    sendJson(res, 200, hallJson());
  });
  router.add('GET', '/api/v1/services', ({ req, res }) => {
    requireCaller(req);
    sendJson(res, 200, hallJson().services);
  });
  router.add('GET', '/api/v1/windows', ({ req, res }) => {
    requireCaller(req);
    sendJson(res, 200, hallJson().windows);
  });
  router.add('GET', '/api/v1/windows/{no}', ({ req, res, params }) => {
    requireCaller(req);
    const w = hallJson().windows.find((x) => String(x.no) === params.no);
    if (!w) throw new ApiError(404, 'UNKNOWN_WINDOW', `窗口 ${params.no} 不存在`);
    sendJson(res, 200, w);
  });
  router.add('GET', '/api/v1/queue', ({ req, res, url }) => {
    const c = requireRole(req, ['counter', 'admin'], true);
    const code = url.searchParams.get('serviceCode') ?? undefined;
    sendJson(
      res,
      200,
      engine.waitingTickets(code).map((t) => renderTicket(t, c)),
    );
  });

  // ------------------------------------------------------------------ tickets
  router.add('POST', '/api/v1/tickets', async ({ req, res }) => {
    const c = requireRole(req, ['kiosk', 'counter', 'admin'], true);
    const body = validate(issueTicketBody, await readJsonBody(req));
    const view = run(() =>
      engine.issue(
        {
          serviceCode: body.serviceCode,
          channel: body.channel,
          applicant: body.applicant ?? null,
          priority: body.priority ?? null,
          appointmentId: body.appointmentId ?? null,
        },
        actorOf(c),
      ),
    );
    sendJson(
      res,
      201,
      ticketJson(view.ticket, {
        timeZone: tz(),
        reveal: false,
        ahead: view.ahead,
        estimatedWaitSeconds: view.estimatedWaitSeconds,
      }),
    );
  });
  router.add('GET', '/api/v1/tickets/{id}', ({ req, res, params }) => {
    const c = requireCaller(req);
    const v = engine.getTicket(params.id!);
    if (!v) throw new ApiError(404, 'UNKNOWN_TICKET', `票号不存在：${params.id}`);
    sendJson(res, 200, renderTicket(v.ticket, c));
  });
  router.add('POST', '/api/v1/tickets/{id}/cancel', ({ req, res, params }) => {
    const c = requireRole(req, ['kiosk', 'counter', 'admin'], true);
    const t = run(() => engine.cancel(params.id!, actorOf(c)));
    sendJson(res, 200, renderTicket(t, c));
  });

  // ------------------------------------------------------------------ staff sessions
  router.add('POST', '/api/v1/staff/sessions', async ({ req, res }) => {
    const body = validate(staffSessionBody, await readJsonBody(req));
    const now = clock.now();
    const locked = tokens.pinLockedUntil(body.staffNo, now);
    if (locked) {
      const secs = Math.ceil((locked - now) / 1000);
      throw new ApiError(429, 'PIN_LOCKED', `PIN 连续输错次数过多，工号已锁定，请 ${Math.ceil(secs / 60)} 分钟后再试`, {
        'retry-after': String(secs),
      });
    }
    const staff = engine.config.staff.find((s) => s.no === body.staffNo);
    // Unknown numbers are checked against a dummy hash too, so timing does not tell which is wrong.
    const ok = verifyPin(body.pin, staff?.pinHash ?? DUMMY_HASH) && !!staff;
    const actor: Actor = { role: 'staff', terminalId: `window-${body.windowNo}`, staffNo: body.staffNo };
    if (!ok) {
      const r = tokens.recordPinFailure(body.staffNo, now);
      deps.repo.transaction(() =>
        deps.repo.appendAudit({
          at: now,
          actor,
          action: 'staff.sign-in',
          subject: body.staffNo,
          result: 'refused',
          detail: { windowNo: body.windowNo, locked: r.locked },
        }),
      );
      if (r.locked) {
        throw new ApiError(429, 'PIN_LOCKED', 'PIN 连续输错 5 次，工号已锁定 5 分钟', {
          'retry-after': String(Math.ceil((r.lockedUntil! - now) / 1000)),
        });
      }
      throw new ApiError(401, 'BAD_CREDENTIALS', '工号或 PIN 不正确');
    }
    if (!engine.config.windows.some((w) => w.no === body.windowNo))
      throw new ApiError(404, 'UNKNOWN_WINDOW', `窗口 ${body.windowNo} 不存在`);
    if (!staff.windows.includes(body.windowNo)) {
      throw new ApiError(403, 'WINDOW_NOT_ASSIGNED', `工号 ${staff.no} 未分配到 ${body.windowNo} 号窗口`);
    }
    tokens.clearPinFailures(staff.no);
    tokens.revokeSessionsOfWindow(body.windowNo, now);
    const token = tokens.createStaffSession(staff.no, body.windowNo, ttl, now);
    const window = run(() => engine.openWindow(body.windowNo, staff.no, actor));
    sendJson(res, 201, {
      token,
      staff: { no: staff.no, name: staff.name, role: staff.role },
      window: windowJson(window, tz()),
      expiresAt: isoInZone(now + ttl, tz()),
    });
  });
  router.add('DELETE', '/api/v1/staff/sessions/current', ({ req, res }) => {
    const c = requireCaller(req);
    if (c.kind !== 'staff') throw new ApiError(403, 'STAFF_SESSION_REQUIRED', '只有窗口工作人员会话可以签退');
    run(() => engine.closeWindow(c.session.windowNo, actorOf(c)));
    tokens.revokeStaffSession(c.token, clock.now());
    sendJson(res, 204, undefined);
  });

  // ------------------------------------------------------------------ window actions
  const windowAction = (
    name: string,
    act: (no: number, actor: Actor, body: unknown) => unknown,
    schema?: Parameters<typeof validate>[0],
  ) => {
    router.add('POST', `/api/v1/windows/{no}/${name}`, async ({ req, res, params }) => {
      const { caller, windowNo } = windowSession(req, params.no!);
      const raw = await readJsonBody(req);
      const body = schema ? validate(schema, raw) : undefined;
      const out = run(() => act(windowNo, actorOf(caller), body));
      if (out === null) return sendJson(res, 204, undefined);
      const isTicket = (o: unknown): o is Ticket => !!o && typeof o === 'object' && 'number' in o && 'seq' in o;
      sendJson(res, 200, isTicket(out) ? renderTicket(out, caller) : windowJson(out as never, tz()));
    });
  };
  windowAction('call-next', (no, a) => engine.callNext(no, a));
  windowAction('recall', (no, a) => engine.recall(no, a));
  windowAction('call', (no, a, b) => engine.call(no, (b as { ticketId: string }).ticketId, a), callBody);
  windowAction(
    'skip',
    (no, a, b) => engine.skip(no, { requeue: (b as { requeue?: boolean }).requeue === true }, a),
    skipBody,
  );
  windowAction('transfer', (no, a, b) => engine.transfer(no, b as never, a), transferBody);
  windowAction('pause', (no, a, b) => engine.pause(no, (b as { reason: string }).reason, a), pauseBody);
  windowAction('resume', (no, a) => engine.resume(no, a));
  windowAction('start', (no, a) => engine.start(no, a));
  router.add('POST', '/api/v1/windows/{no}/finish', async ({ req, res, params }) => {
    const { caller, windowNo } = windowSession(req, params.no!);
    const body = validate(finishBody, await readJsonBody(req));
    const actor = actorOf(caller);
    const staff = engine.config.staff.find((s) => s.no === caller.session.staffNo);
    const evaluationRequestId = `ER${clock.now().toString(36).toUpperCase()}${Math.random().toString(36).slice(2, 8).toUpperCase()}`;
    // Ticket, case and the rating request commit together or not at all, and are announced after.
    let caseId = '';
    run(() =>
      engine.finish(windowNo, actor, (ticket) => {
        const caseRec = cases.recordFinished(ticket, body.case, clock.now());
        caseId = caseRec.id;
        deps.repo.appendAudit({
          at: clock.now(),
          actor,
          action: 'case.finish',
          subject: caseRec.id,
          result: 'ok',
          detail: { ticketId: ticket.id, taskCode: caseRec.taskCode },
        });
        return [
          {
            type: 'evaluation.requested',
            windowNo,
            caseId: caseRec.id,
            evaluationRequestId,
            staff: staff ? { no: staff.no, name: staff.name } : null,
          },
        ];
      }),
    );
    sendJson(res, 200, { caseId, evaluationRequestId });
  });

  // ------------------------------------------------------------------ cases, evaluations, sync
  router.add('GET', '/api/v1/cases/{id}', ({ req, res, params }) => {
    requireCaller(req);
    const c = cases.get(params.id!);
    if (!c) throw new ApiError(404, 'UNKNOWN_CASE', `办件不存在：${params.id}`);
    const iso = (ms: number | null) => (ms === null ? null : isoInZone(ms, tz()));
    sendJson(res, 200, {
      id: c.id,
      projectNo: c.projectNo,
      taskCode: c.taskCode,
      taskName: c.taskName,
      status: c.status,
      result: c.result,
      caseType: c.caseType,
      windowNo: c.windowNo,
      staffNo: c.staffNo,
      ticketId: c.ticketId,
      acceptTime: iso(c.acceptTime),
      finishTime: iso(c.finishTime),
      evaluations: cases.evaluationsOf(c.id).map((e) => ({
        id: e.id,
        assessNumber: e.assessNumber,
        level: e.level,
        reasons: e.reasons,
        text: e.text,
        channel: e.channel,
        createdAt: iso(e.createdAt),
      })),
    });
  });
  router.add('POST', '/api/v1/evaluations', async ({ req, res }) => {
    const c = requireRole(req, ['evaluator', 'kiosk'], false) as Caller & { kind: 'device' };
    const body = validate(evaluationBody, await readJsonBody(req));
    // An evaluator pad belongs to one window and rates only what that window finished.
    const onlyWindow = c.token.role === 'evaluator' ? c.token.windowNo : null;
    const rec = recordEvaluation(
      { run, repo: deps.repo, clock, cases, publish },
      {
        caseId: body.caseId,
        level: body.level,
        reasons: body.reasons,
        text: body.text ?? null,
        channel: body.channel,
        deviceId: c.token.id,
        onlyWindow,
      },
      actorOf(c),
    );
    sendJson(res, 201, { id: rec.id, assessNumber: rec.assessNumber });
  });

  // ------------------------------------------------------------------ admin
  router.add('GET', '/api/v1/stats', ({ req, res, url }) => {
    requireRole(req, ['admin'], false);
    const day = url.searchParams.get('day') ?? engine.businessDay();
    const ok = dayQuery.safeParse(day);
    if (!ok.success) throw new ApiError(400, 'INVALID_INPUT', '字段 day：日期格式应为 YYYY-MM-DD');
    sendJson(res, 200, engine.statistics(day));
  });
  router.add('GET', '/api/v1/admin/tokens', ({ req, res }) => {
    requireRole(req, ['admin'], false);
    sendJson(res, 200, tokens.listDeviceTokens());
  });
  router.add('POST', '/api/v1/admin/tokens', async ({ req, res }) => {
    const c = requireRole(req, ['admin'], false);
    const body = validate(createTokenBody, await readJsonBody(req));
    if ((body.role === 'evaluator' || body.role === 'counter') && body.windowNo === undefined) {
      throw new ApiError(400, 'INVALID_INPUT', `字段 windowNo：${body.role} 令牌必须绑定窗口`);
    }
    const created = tokens.createDeviceToken(
      { role: body.role, windowNo: body.windowNo ?? null, name: body.name ?? null },
      clock.now(),
    );
    deps.repo.transaction(() =>
      deps.repo.appendAudit({
        at: clock.now(),
        actor: actorOf(c),
        action: 'token.create',
        subject: created.id,
        result: 'ok',
        detail: { role: body.role, windowNo: body.windowNo ?? null },
      }),
    );
    sendJson(res, 201, created);
  });
  router.add('DELETE', '/api/v1/admin/tokens/{id}', ({ req, res, params }) => {
    const c = requireRole(req, ['admin'], false);
    if (!tokens.revokeDeviceToken(params.id!, clock.now()))
      throw new ApiError(404, 'UNKNOWN_TOKEN', '令牌不存在或已吊销');
    deps.repo.transaction(() =>
      deps.repo.appendAudit({
        at: clock.now(),
        actor: actorOf(c),
        action: 'token.revoke',
        subject: params.id!,
        result: 'ok',
        detail: null,
      }),
    );
    sendJson(res, 204, undefined);
  });

  // ------------------------------------------------------------------ plugins
  const ctx: HubContext = {
    router,
    engine,
    repo: deps.repo,
    tokens,
    cases,
    clock,
    version: deps.version,
    timeZone: tz,
    authenticate,
    requireCaller,
    requireRole,
    actorOf,
    run,
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
    log: (level, msg, fields) => deps.log?.(level, msg, fields),
  };
  const hooks: HubPluginHooks[] = [];
  for (const p of deps.plugins ?? []) {
    const h = p.install(ctx);
    if (h) hooks.push(h);
  }

  // ------------------------------------------------------------------ plumbing
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    res.setHeader('access-control-allow-origin', '*');
    res.setHeader('access-control-allow-headers', 'authorization, content-type');
    res.setHeader('access-control-allow-methods', 'GET, POST, PUT, DELETE, OPTIONS');
    if (req.method === 'OPTIONS') {
      res.writeHead(204).end();
      return;
    }
    const url = new URL(req.url ?? '/', 'http://hub');
    try {
      if (!url.pathname.startsWith('/api/')) {
        for (const h of hooks) if (h.request && (await h.request(req, res, url))) return;
      }
      const { handler, params } = router.match(req.method ?? 'GET', url.pathname);
      await handler({ req, res, params, url });
    } catch (e) {
      if (res.headersSent) return void res.end();
      if (e instanceof ApiError) return sendJson(res, e.status, { code: e.code, message: e.message }, e.headers);
      deps.log?.('error', '请求处理失败', { path: url.pathname, error: (e as Error).message });
      sendJson(res, 500, { code: 'INTERNAL', message: '中枢内部错误，已记录日志' });
    }
  };

  const server = createServer((req, res) => void handle(req, res));
  server.keepAliveTimeout = 65_000;
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://hub');
    if (url.pathname === '/api/v1/events') return events.handleUpgrade(req, socket, head);
    for (const h of hooks) if (h.upgrade?.(req, socket, head, url)) return;
    socket.destroy();
  });
  server.on('clientError', (_err, socket) => socket.end('HTTP/1.1 400 Bad Request\r\n\r\n'));

  return {
    server,
    events,
    listen: (port, host) =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          const p = (server.address() as AddressInfo).port;
          resolve({ port: p, url: `http://${host.includes(':') ? `[${host}]` : host}:${p}` });
        });
      }),
    close: async () => {
      for (const h of hooks) await h.close?.();
      await new Promise<void>((resolve) => {
        events.close();
        server.closeAllConnections?.();
        server.close(() => resolve());
      });
    },
  };
}

const DUMMY_HASH = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';
