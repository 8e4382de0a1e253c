/**
 * `/api/v1/pads`: the WebSocket where third-party Android evaluation pads (评价器) join the hall.
 * A pad signs in with an evaluator device token (bound to one window), keeps a heartbeat, receives
 * `evaluate` when its window finishes a case, and sends the citizen's rating, which is recorded by
 * the same rules as `POST /evaluations`. The protocol is written for vendors in docs/pad-protocol.md.
 */

import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import { z } from 'zod';
import { deviceRoutes } from '../../common/api/routes.js';
import { EVALUATION_LEVELS, fromPlatformSatisfaction, LEVEL_NAMES } from '../../common/evaluation.js';
import { isoInZone } from '../../common/hall-time.js';
import { DEMO_EVALUATION_REASONS } from '../../kiosk-config/evaluation-reasons.js';
import type { DeviceToken } from '../store/tokens.js';
import { closeRevoked } from './credential-watch.js';
import { recordRating } from './evaluation-recorder.js';
import { EvaluationRequests, type OpenRequest } from './evaluation-requests.js';
import type { HubContext, HubPlugin } from './hub-plugin.js';

export const PAD_PATH = '/api/v1/pads';
export const PAD_PROTOCOL = 1;

export interface ReasonEntry {
  code: string;
  text: string;
  /** Levels the reason may be chosen for. */
  levels: string[];
}

/** Pads seen since the hub started, for `GET /devices` (they are not in the hall config). */
export interface PadSighting {
  deviceId: string;
  terminal: string;
  windowNo: number | null;
  state: 'ok' | 'offline';
  detail: string | null;
  since: number;
}

/** The answer to an admin's ping of a pad (`POST /devices/{id}/test { action: "ping" }`). */
export interface PadPingResult {
  /** Open connections signed in under that device id (one token may serve several pads). */
  connections: number;
  /** How many of them answered within the timeout. */
  answered: number;
  /** The slowest answer's round trip in ms; null when none answered. */
  roundTripMs: number | null;
}

export class PadPresence {
  private readonly pads = new Map<string, PadSighting>();
  private pinger: ((deviceId: string, timeoutMs: number) => Promise<PadPingResult>) | null = null;
  set(s: PadSighting): void {
    this.pads.set(s.deviceId, s);
  }
  list(): PadSighting[] {
    return [...this.pads.values()];
  }
  /** Set by the pad endpoint that owns the connections. */
  attachPinger(fn: ((deviceId: string, timeoutMs: number) => Promise<PadPingResult>) | null): void {
    this.pinger = fn;
  }
  /** Pings every open connection of a pad; `connections: 0` when it is not connected. */
  ping(deviceId: string, timeoutMs: number): Promise<PadPingResult> {
    return this.pinger?.(deviceId, timeoutMs) ?? Promise.resolve({ connections: 0, answered: 0, roundTripMs: null });
  }
}

export interface PadEndpointOptions {
  /** Shared with the devices plugin so keypads and pads see the same open requests. */
  requests?: EvaluationRequests;
  /** Shared with the devices plugin, which lists the pads with the configured devices. */
  presence?: PadPresence;
  /** A pad that sends nothing for this long is offline (default 45 s = 3 heartbeats). */
  heartbeatSeconds?: number;
  /** Time to sign in after connecting (default 10 s). */
  helloTimeoutMs?: number;
  reasons?: ReasonEntry[];
}

export function defaultReasons(): ReasonEntry[] {
  return DEMO_EVALUATION_REASONS.map((r) => ({
    code: r.code,
    text: r.text,
    levels: EVALUATION_LEVELS.filter((l) => r.forLevels.some((n) => fromPlatformSatisfaction(n) === l)),
  }));
}

const helloMsg = z
  .object({
    type: z.literal('hello'),
    token: z.string().min(1).max(200).optional(),
    protocol: z.number().int().optional(),
    windowNo: z.number().int().optional(),
    staffNo: z.string().max(16).optional(),
    vendor: z.string().max(60).optional(),
    model: z.string().max(60).optional(),
    serial: z.string().max(60).optional(),
  })
  .strict();

const rateMsg = z
  .object({
    type: z.literal('rate'),
    id: z.union([z.string().max(64), z.number()]).optional(),
    requestId: z.string().max(64).optional(),
    caseId: z.string().min(1).max(64),
    level: z.enum(EVALUATION_LEVELS),
    reasons: z.array(z.string().min(1).max(32)).max(20).default([]),
    text: z.string().max(500).optional(),
  })
  .strict();

const dismissMsg = z.object({ type: z.literal('dismiss'), requestId: z.string().min(1).max(64) }).strict();

interface Pad {
  ws: WebSocket;
  token: DeviceToken | null;
  /** Stops watching the token the pad signed in with (see CredentialWatch). */
  unwatch?: () => void;
  deviceId: string;
  windowNo: number | null;
  lastSeen: number;
  info: { vendor?: string; model?: string; serial?: string };
}

const CLOSE = { unauthorized: 4001, forbidden: 4003, timeout: 4008, protocol: 4002 } as const;

export function padPlugin(opts: PadEndpointOptions = {}): HubPlugin {
  return {
    name: 'pad',
    install(ctx) {
      return installPads(ctx, opts);
    },
  };
}

function installPads(ctx: HubContext, opts: PadEndpointOptions) {
  ctx.listRoute(deviceRoutes.pads);
  const requests = opts.requests ?? new EvaluationRequests();
  requests.attach(ctx);
  const heartbeatMs = (opts.heartbeatSeconds ?? 15) * 1000;
  const reasons = opts.reasons ?? defaultReasons();
  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  const pads = new Set<Pad>();
  const send = (p: Pad, msg: Record<string, unknown>) => {
    try {
      if (p.ws.readyState === p.ws.OPEN) p.ws.send(JSON.stringify(msg));
    } catch {
      // a socket that fails to send is closed by its own error handler
    }
  };
  const iso = (ms: number) => isoInZone(ms, ctx.timeZone());
  const evaluateMsg = (r: OpenRequest) => ({
    type: 'evaluate',
    requestId: r.requestId,
    caseId: r.caseId,
    windowNo: r.windowNo,
    staff: r.staff,
    taskCode: r.taskCode,
    taskName: r.taskName,
    requestedAt: iso(r.requestedAt),
    expiresAt: iso(r.expiresAt),
    // The 差评 reasons again, so a pad that missed a catalogue update still offers current codes.
    reasons,
  });
  const welcomeMsg = (p: Pad, staffNo: string | null) => {
    const staff = staffNo ? ctx.engine.config.staff.find((s) => s.no === staffNo) : undefined;
    return {
      type: 'welcome',
      protocol: PAD_PROTOCOL,
      deviceId: p.deviceId,
      windowNo: p.windowNo,
      windowName: ctx.engine.config.windows.find((w) => w.no === p.windowNo)?.name ?? null,
      staff: staff ? { no: staff.no, name: staff.name } : null,
      heartbeatSeconds: heartbeatMs / 1000,
      evaluateTimeoutSeconds: requests.timeoutSeconds,
      levels: EVALUATION_LEVELS.map((l) => ({ level: l, name: LEVEL_NAMES[l] })),
      reasons,
      serverTime: iso(ctx.clock.now()),
    };
  };
  // Staff sign in or out after a pad connected: the pad's idle screen shows who serves (name and
  // number), so every pad of that window gets a fresh welcome when the window's staff number changes.
  const staffOf = new Map<number, string | null>(ctx.engine.windows().map((w) => [w.no, w.staffNo]));
  const offWindows = ctx.engine.onEvents((events) => {
    for (const { event: e } of events) {
      if (e.type !== 'window.changed') continue;
      const before = staffOf.has(e.window.no) ? staffOf.get(e.window.no) : undefined;
      staffOf.set(e.window.no, e.window.staffNo);
      if (before === e.window.staffNo) continue;
      try {
        for (const p of pads) if (p.windowNo === e.window.no) send(p, welcomeMsg(p, e.window.staffNo));
      } catch (err) {
        ctx.log('warn', '评价器工作人员更新失败', { error: (err as Error).message });
      }
    }
  });
  const status = (p: Pad, state: 'ok' | 'offline', detail: string | null) => {
    const terminal = p.token?.name ?? `window-${p.windowNo}`;
    opts.presence?.set({ deviceId: p.deviceId, terminal, windowNo: p.windowNo, state, detail, since: ctx.clock.now() });
    try {
      ctx.emit({ type: 'device.status', deviceId: p.deviceId, kind: 'pad', state, detail, terminal });
    } catch (err) {
      ctx.log('warn', '评价器状态记录失败', { error: (err as Error).message });
    }
  };

  const offRequests = requests.onChange((c) => {
    for (const p of pads) {
      if (p.windowNo !== c.request.windowNo) continue;
      if (c.kind === 'open') send(p, evaluateMsg(c.request));
      else
        send(p, {
          type: 'evaluate.cancel',
          requestId: c.request.requestId,
          caseId: c.request.caseId,
          reason: c.reason,
        });
    }
  });

  // Heartbeat watch: a pad silent for 3 heartbeats is closed and reported offline.
  const watch = setInterval(
    () => {
      const now = Date.now();
      for (const p of pads) {
        if (now - p.lastSeen > heartbeatMs * 3) {
          send(p, { type: 'error', code: 'HEARTBEAT_TIMEOUT', message: '心跳超时，连接已关闭，请检查网络后重新连接' });
          p.ws.close(CLOSE.timeout, 'heartbeat timeout');
          p.ws.terminate();
        }
      }
    },
    Math.max(50, Math.min(heartbeatMs, 5000)),
  );
  watch.unref();

  // The admin's ping: a WebSocket ping frame, which every WebSocket stack answers by itself, so it
  // tests the pad's connection without adding a message that protocol-1 pads would not know.
  const pingOne = (p: Pad, timeoutMs: number) =>
    new Promise<number | null>((resolve) => {
      const started = performance.now();
      const done = (v: number | null) => {
        clearTimeout(timer);
        p.ws.off('pong', onPong);
        p.ws.off('close', onClose);
        resolve(v);
      };
      const onPong = () => done(Math.round(performance.now() - started));
      const onClose = () => done(null);
      const timer = setTimeout(() => done(null), timeoutMs);
      p.ws.on('pong', onPong);
      p.ws.on('close', onClose);
      try {
        p.ws.ping();
      } catch {
        done(null);
      }
    });
  opts.presence?.attachPinger(async (deviceId, timeoutMs) => {
    const open = [...pads].filter((p) => p.deviceId === deviceId && p.ws.readyState === p.ws.OPEN);
    const rtts = (await Promise.all(open.map((p) => pingOne(p, timeoutMs)))).filter((r): r is number => r !== null);
    return { connections: open.length, answered: rtts.length, roundTripMs: rtts.length ? Math.max(...rtts) : null };
  });

  const deviceTokenOf = (token: string) => ctx.deviceTokenFor(token, 'evaluator', null);
  // A revoked (or re-paired) terminal's pads are signed out at once.
  const offClosed = ctx.onTerminalClosed((terminalId) => {
    for (const p of [...pads]) if (p.token?.id === `terminal:${terminalId}`) p.ws.close(CLOSE.unauthorized, 'revoked');
  });

  const signIn = (p: Pad, raw: unknown): void => {
    const parsed = helloMsg.safeParse(raw);
    if (!parsed.success) {
      send(p, { type: 'error', code: 'INVALID_INPUT', message: `登录消息有误：${fieldOf(parsed.error)}` });
      p.ws.close(CLOSE.protocol, 'bad hello');
      return;
    }
    const h = parsed.data;
    const tokenText = h.token ?? (p as Pad & { queryToken?: string }).queryToken ?? null;
    const tok = tokenText ? deviceTokenOf(tokenText) : null;
    /** Says why in Chinese, then closes with the matching close code. */
    const refuse = (code: 'UNAUTHORIZED' | 'FORBIDDEN_ROLE', message: string) => {
      send(p, { type: 'error', code, message });
      const [closeCode, reason] =
        code === 'UNAUTHORIZED' ? [CLOSE.unauthorized, 'unauthorized'] : [CLOSE.forbidden, 'forbidden'];
      p.ws.close(closeCode, reason);
    };
    if (!tok) {
      refuse('UNAUTHORIZED', '缺少或无效的令牌，请向管理员申领评价器令牌（govhall token create）');
      return;
    }
    if (tok.role !== 'evaluator' || tok.windowNo === null) {
      refuse('FORBIDDEN_ROLE', '评价器需要绑定窗口的 evaluator 令牌，请向管理员申领');
      return;
    }
    if (h.windowNo !== undefined && h.windowNo !== tok.windowNo) {
      send(p, {
        type: 'error',
        code: 'WRONG_WINDOW',
        message: `本令牌属于 ${tok.windowNo} 号窗口，不能登录 ${h.windowNo} 号窗口`,
      });
      p.ws.close(CLOSE.forbidden, 'wrong window');
      return;
    }
    if (h.staffNo !== undefined) {
      const s = ctx.engine.config.staff.find((x) => x.no === h.staffNo);
      if (!s?.windows.includes(tok.windowNo)) {
        send(p, {
          type: 'error',
          code: 'WINDOW_NOT_ASSIGNED',
          message: `工号 ${h.staffNo} 未分配到 ${tok.windowNo} 号窗口`,
        });
        p.ws.close(CLOSE.forbidden, 'staff not assigned');
        return;
      }
    }
    p.token = tok;
    // A revoked evaluator token ends the pad's connection (within a second).
    p.unwatch = ctx.watchCredential(tokenText!, () => {
      send(p, { type: 'error', code: 'UNAUTHORIZED', message: '评价器令牌已被吊销，请向管理员重新申领' });
      closeRevoked(p.ws);
    });
    p.windowNo = tok.windowNo;
    // A paired terminal's pad is named after its terminal; a device token's after the token.
    p.deviceId = tok.id.startsWith('terminal:') ? `pad-${tok.name}` : `pad-${tok.id.slice(0, 8)}`;
    p.info = {
      ...(h.vendor ? { vendor: h.vendor } : {}),
      ...(h.model ? { model: h.model } : {}),
      ...(h.serial ? { serial: h.serial } : {}),
    };
    pads.add(p);
    const ws = ctx.engine.windows().find((w) => w.no === tok.windowNo);
    send(p, welcomeMsg(p, ws?.staffNo ?? null));
    status(p, 'ok', [h.vendor, h.model].filter(Boolean).join(' ') || null);
    const open = requests.pending(tok.windowNo);
    if (open) send(p, evaluateMsg(open));
  };

  const rate = (p: Pad, raw: unknown): void => {
    const parsed = rateMsg.safeParse(raw);
    const id = (raw as { id?: unknown })?.id;
    const idField = typeof id === 'string' || typeof id === 'number' ? { id } : {};
    if (!parsed.success) {
      send(p, { type: 'error', ...idField, code: 'INVALID_INPUT', message: fieldOf(parsed.error) });
      return;
    }
    const m = parsed.data;
    const tok = p.token!;
    // A pad answers a request: the first rating of that case. Anything later is a follow-up made
    // at a kiosk or by QR code, never silently by the pad.
    if (ctx.cases.get(m.caseId) && ctx.cases.evaluationsOf(m.caseId).length > 0) {
      requests.closeCase(m.caseId, 'rated');
      send(p, { type: 'error', ...idField, code: 'ALREADY_EVALUATED', message: '该办件已经评价过' });
      return;
    }
    const out = recordRating(
      ctx,
      {
        caseId: m.caseId,
        level: m.level,
        reasons: m.reasons,
        text: m.text ?? null,
        channel: 'pad',
        deviceId: tok.id,
        onlyWindow: tok.windowNo,
      },
      { role: 'evaluator', terminalId: tok.id, staffNo: null },
    );
    if (!out.ok) {
      send(p, { type: 'error', ...idField, code: out.code, message: out.message });
      return;
    }
    // The open request closes by itself: the tracker hears the published `evaluation.recorded`.
    send(p, { type: 'rated', ...idField, caseId: out.caseId, evaluationId: out.id, assessNumber: out.assessNumber });
  };

  const attach = (ws: WebSocket, queryToken: string | null) => {
    const p: Pad & { queryToken?: string } = {
      ws,
      token: null,
      deviceId: '',
      windowNo: null,
      lastSeen: Date.now(),
      info: {},
      ...(queryToken ? { queryToken } : {}),
    };
    const helloTimer = setTimeout(() => {
      if (!p.token) {
        send(p, { type: 'error', code: 'UNAUTHORIZED', message: '连接后应在 10 秒内发送 hello 登录' });
        ws.close(CLOSE.unauthorized, 'no hello');
      }
    }, opts.helloTimeoutMs ?? 10_000);
    helloTimer.unref();
    ws.on('message', (data) => {
      p.lastSeen = Date.now();
      let msg: { type?: unknown };
      try {
        msg = JSON.parse(data.toString());
      } catch {
        send(p, { type: 'error', code: 'INVALID_JSON', message: '消息不是有效的 JSON' });
        return;
      }
      try {
        if (!p.token) {
          if (msg?.type === 'hello') signIn(p, msg);
          else {
            send(p, { type: 'error', code: 'UNAUTHORIZED', message: '请先发送 hello 登录' });
            ws.close(CLOSE.unauthorized, 'not signed in');
          }
          return;
        }
        switch (msg?.type) {
          case 'ping':
            send(p, { type: 'pong', at: iso(ctx.clock.now()) });
            return;
          case 'rate':
            rate(p, msg);
            return;
          case 'dismiss': {
            const d = dismissMsg.safeParse(msg);
            if (!d.success) return send(p, { type: 'error', code: 'INVALID_INPUT', message: fieldOf(d.error) });
            const r = requests.find(d.data.requestId);
            if (!r || r.windowNo !== p.windowNo)
              return send(p, { type: 'error', code: 'UNKNOWN_REQUEST', message: '没有这个待评价请求' });
            requests.dismiss(d.data.requestId);
            return;
          }
          case 'hello':
            send(p, { type: 'error', code: 'ALREADY_SIGNED_IN', message: '已经登录' });
            return;
          default:
            send(p, { type: 'error', code: 'UNKNOWN_MESSAGE', message: '不认识的消息类型' });
        }
      } catch (err) {
        ctx.log('error', '评价器消息处理失败', { error: (err as Error).message });
        send(p, { type: 'error', code: 'INTERNAL', message: '中枢内部错误，已记录日志' });
      }
    });
    const gone = () => {
      clearTimeout(helloTimer);
      p.unwatch?.();
      if (pads.delete(p)) status(p, 'offline', '评价器连接已断开');
    };
    ws.on('close', gone);
    ws.on('error', gone);
  };

  return {
    upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, url: URL): boolean {
      if (url.pathname !== PAD_PATH) return false;
      // A terminal's local origin forwards its pages' pad link with its own token in the header.
      const header = req.headers.authorization;
      const bearer = header?.startsWith('Bearer ') ? header.slice(7).trim() : null;
      wss.handleUpgrade(req, socket, head, (ws) => attach(ws, url.searchParams.get('token') ?? bearer));
      return true;
    },
    close() {
      offClosed();
      clearInterval(watch);
      offRequests();
      offWindows();
      opts.presence?.attachPinger(null);
      for (const p of pads) p.ws.terminate();
      pads.clear();
      if (!opts.requests) requests.detach();
      wss.close();
    },
  };
}

function fieldOf(err: z.ZodError): string {
  const i = err.issues[0];
  if (!i) return '输入有误';
  const f = i.path.join('.');
  if (i.code === 'invalid_value' || i.code === 'invalid_type') return `字段 ${f || 'type'}：取值无效`;
  if (i.code === 'unrecognized_keys') return `不认识的字段：${(i as { keys?: string[] }).keys?.join('、')}`;
  return `字段 ${f}：${i.message}`;
}
