/**
 * The hub's side of the devices: health of every configured device (`GET /devices`, `POST
 * /devices/status` for remote terminals, `device.status` events), the browser device bridge
 * (`/api/v1/devices/bridge`, see docs/devices.md), and — when the device service runs in this
 * process (`govhall start`) — the routing of its events: window caller keys to queue actions,
 * evaluation keypad keys to ratings, calls to the window LED strips.
 *
 * Every handler is guarded: a device or a client that misbehaves is logged, never fatal.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import { z } from 'zod';
import { isBadRating } from '../../common/evaluation.js';
import type { DeviceConfig } from '../../kiosk-config/devices-schema.js';
import type { DeviceService } from '../devices/device-service.js';
import { formatLedText } from '../devices/led-text.js';
import { fillTicket } from '../devices/ticket-fill.js';
import type { CardData, DeviceState, DeviceStatus, KeyActionEvent, RatingKeyEvent } from '../devices/types.js';
import type { Actor } from '../queue/types.js';
import { closeRevoked } from './credential-watch.js';
import { runDeviceTest } from './device-tests.js';
import { recordRating } from './evaluation-recorder.js';
import { EvaluationRequests } from './evaluation-requests.js';
import { ApiError, readJsonBody, sendJson, validate } from './http-kit.js';
import type { Caller, HubContext, HubPlugin } from './hub-plugin.js';
import type { PadPresence } from './pad-endpoint.js';

export const BRIDGE_PATH = '/api/v1/devices/bridge';

export interface DevicesPluginOptions {
  /** The device service of this process (`govhall start`); absent on a hub whose terminals run their own. */
  service?: DeviceService | null;
  /** Shared with the pad endpoint. */
  requests?: EvaluationRequests;
  /** Pads seen by the pad endpoint, listed with the configured devices. */
  pads?: PadPresence;
  /** Bound on each wait of a test action (`POST /devices/{id}/test`), default 3000 ms. */
  testTimeoutMs?: number;
}

interface Row {
  deviceId: string;
  kind: string;
  terminal: string;
  windowNo: number | null;
  transport: string;
  state: DeviceState;
  detail: string | null;
  since: number | null;
}

const STATES = ['ok', 'warning', 'error', 'offline', 'unknown'] as const;

const statusBody = z
  .object({
    deviceId: z.string().min(1).max(40),
    state: z.enum(STATES),
    detail: z.string().max(200).nullable().optional(),
    kind: z.string().max(20).optional(),
    terminal: z.string().max(40).optional(),
  })
  .strict();

const ticketPrint = z
  .object({
    hallName: z.string().max(60),
    number: z.string().min(1).max(16),
    serviceName: z.string().max(60),
    ahead: z.number().int().min(0),
    estimatedWaitSeconds: z.number().int().min(0).optional(),
    issuedAt: z.string().max(40),
    priority: z.string().max(20).nullable().optional(),
    applicantName: z.string().max(40).nullable().optional(),
    ticketId: z.string().min(1).max(64).optional(),
    // Accepted for older kiosks, then replaced by the running config's (fillTicket).
    qr: z.string().max(500).optional(),
    header: z.string().max(200).optional(),
    footer: z.string().max(200).optional(),
  })
  .strict();

export function devicesPlugin(opts: DevicesPluginOptions = {}): HubPlugin {
  return { name: 'devices', install: (ctx) => installDevices(ctx, opts) };
}

function installDevices(ctx: HubContext, opts: DevicesPluginOptions) {
  const service = opts.service ?? null;
  const requests = opts.requests ?? new EvaluationRequests();
  requests.attach(ctx);
  const rows = new Map<string, Row>();
  const configs = new Map<string, DeviceConfig>();
  for (const t of ctx.engine.config.devices?.terminals ?? []) {
    for (const d of t.devices) {
      configs.set(d.id, d);
      rows.set(d.id, {
        deviceId: d.id,
        kind: d.kind,
        terminal: t.id,
        windowNo: d.window ?? t.window ?? null,
        transport: d.transport.type,
        state: 'unknown',
        detail: null,
        since: null,
      });
    }
  }
  const terminals = new Set((ctx.engine.config.devices?.terminals ?? []).map((t) => t.id));
  const guard = (what: string, fn: () => void) => {
    try {
      fn();
    } catch (err) {
      ctx.log('error', what, { error: (err as Error).message });
    }
  };

  // ------------------------------------------------------------ health
  const bridgeClients = new Set<{ ws: WebSocket; terminal: string; caller: Caller }>();
  const toBridge = (terminal: string, msg: Record<string, unknown>) => {
    const text = JSON.stringify(msg);
    for (const c of bridgeClients) {
      if (c.terminal !== terminal || c.ws.readyState !== c.ws.OPEN) continue;
      try {
        c.ws.send(text);
      } catch {
        // closed under us; its close handler removes it
      }
    }
  };
  /**
   * A card read goes to each bridge client of its terminal with a read id of its own (for the
   * case lookup by card, see card-reads.ts), and each delivery of clear card data is audited.
   */
  const cardToBridge = (terminal: string, card: CardData) => {
    for (const c of bridgeClients) {
      if (c.terminal !== terminal || c.ws.readyState !== c.ws.OPEN) continue;
      const readId = ctx.cardReads.issue({ certNo: card.certNo, terminal }, c.caller.bearer);
      try {
        c.ws.send(JSON.stringify({ type: 'card', card: { ...card, readId } }));
      } catch {
        continue; // closed under us; its close handler removes it
      }
      ctx.audit({
        actor: ctx.actorOf(c.caller),
        action: 'card.read',
        subject: terminal,
        result: 'ok',
        detail: { certType: card.certType },
      });
    }
  };
  const update = (s: {
    deviceId: string;
    kind?: string;
    terminal?: string;
    state: DeviceState;
    detail: string | null;
  }) => {
    const row = rows.get(s.deviceId);
    if (!row) return false;
    if (row.state === s.state && row.detail === s.detail) return true;
    row.state = s.state;
    row.detail = s.detail;
    row.since = ctx.clock.now();
    ctx.emit({
      type: 'device.status',
      deviceId: row.deviceId,
      kind: row.kind,
      state: row.state,
      detail: row.detail,
      terminal: row.terminal,
    });
    toBridge(row.terminal, {
      type: 'device.status',
      deviceId: row.deviceId,
      kind: row.kind,
      state: row.state,
      detail: row.detail,
    });
    return true;
  };

  const offs: (() => void)[] = [];
  if (service) {
    offs.push(service.on('status', (s: DeviceStatus) => guard('设备状态处理失败', () => update(s))));
    offs.push(service.on('card', (e) => guard('读卡事件转发失败', () => cardToBridge(e.terminal, e.card))));
    offs.push(
      service.on('card.removed', (e) =>
        guard('读卡事件转发失败', () => {
          ctx.cardReads.removedAt(e.terminal);
          toBridge(e.terminal, { type: 'card.removed' });
        }),
      ),
    );
    offs.push(service.on('key', (e) => guard('窗口键盘处理失败', () => windowKey(e))));
    offs.push(service.on('rating', (e) => guard('评价键盘处理失败', () => keypadRating(e))));
    for (const s of service.statuses()) guard('设备状态处理失败', () => update(s));
    // LED strips follow the calls of their window.
    offs.push(
      ctx.engine.onEvents((events) => {
        for (const { event: e } of events) {
          if (e.type === 'ticket.called' || e.type === 'ticket.recalled') {
            const w = ctx.engine.config.windows.find((x) => x.no === e.windowNo);
            for (const t of service.ledTemplate(e.windowNo)) {
              const text = formatLedText(t.template, {
                number: e.ticket.number,
                window: e.windowNo,
                windowName: w?.name ?? '',
              });
              void service.showOnWindow(e.windowNo, text).catch(() => {});
            }
          } else if (e.type === 'window.changed' && (e.window.state === 'paused' || e.window.state === 'closed')) {
            for (const t of service.ledTemplate(e.window.no)) {
              const text = t.idleText ?? (e.window.state === 'paused' ? '暂停服务' : '');
              void service.showOnWindow(e.window.no, text).catch(() => {});
            }
          }
        }
      }),
    );
  }

  // ------------------------------------------------------------ keys and ratings
  const windowKey = (e: KeyActionEvent) => {
    const no = e.windowNo;
    const win = ctx.engine.window(no);
    const actor: Actor = { role: 'counter', terminalId: e.deviceId, staffNo: win.staffNo };
    const act = (): unknown => {
      switch (e.action) {
        case 'call-next':
          return ctx.engine.callNext(no, actor);
        case 'recall':
          return ctx.engine.recall(no, actor);
        case 'skip':
          return ctx.engine.skip(no, { requeue: false }, actor);
        case 'start':
          return ctx.engine.start(no, actor);
        case 'pause':
          return win.state === 'paused' ? ctx.engine.resume(no, actor) : ctx.engine.pause(no, '窗口呼叫器暂停', actor);
        case 'resume':
          return ctx.engine.resume(no, actor);
        case 'transfer': {
          const to = configs.get(e.deviceId)?.transferTo;
          if (!to) throw new Error('呼叫器的转移键未配置去向（transferTo）');
          return ctx.engine.transfer(
            no,
            {
              ...(to.serviceCode ? { toServiceCode: to.serviceCode } : {}),
              ...(to.windowNo ? { toWindowNo: to.windowNo } : {}),
              position: to.position,
            },
            actor,
          );
        }
        case 'query': {
          const codes = new Set(ctx.engine.config.windows.find((w) => w.no === no)?.services.map((s) => s.code));
          const waiting = ctx.engine
            .services()
            .filter((s) => codes.has(s.code))
            .reduce((n, s) => n + s.waiting, 0);
          void service?.showOnWindow(no, `等候 ${waiting} 人`).catch(() => {});
          return null;
        }
        case 'login':
          // Opening a window needs the staff PIN; a keypad key cannot carry it.
          throw new Error('呼叫器不能登录开窗，请在窗口叫号界面用工号和 PIN 登录');
      }
    };
    try {
      ctx.run(act);
      ctx.log('info', '呼叫器操作', { deviceId: e.deviceId, windowNo: no, action: e.action });
    } catch (err) {
      const ex = err as { code?: string; message?: string };
      ctx.log('warn', '呼叫器操作未执行', {
        deviceId: e.deviceId,
        windowNo: no,
        action: e.action,
        code: ex.code,
        error: ex.message,
      });
    }
  };

  const keypadRating = (e: RatingKeyEvent) => {
    const open = requests.pending(e.windowNo);
    if (!open) {
      ctx.log('warn', '评价键盘：该窗口没有待评价的办件', { deviceId: e.deviceId, windowNo: e.windowNo });
      return;
    }
    const reason = configs.get(e.deviceId)?.badRatingReason;
    if (isBadRating(e.level) && !reason) {
      ctx.log('warn', '评价键盘的差评需要原因：请配置 badRatingReason 或使用评价屏', { deviceId: e.deviceId });
      return;
    }
    const out = recordRating(
      ctx,
      {
        caseId: open.caseId,
        level: e.level,
        reasons: isBadRating(e.level) && reason ? [reason] : [],
        text: null,
        channel: 'pad',
        deviceId: e.deviceId,
        onlyWindow: e.windowNo,
      },
      { role: 'evaluator', terminalId: e.deviceId, staffNo: null },
    );
    // A recorded rating closes the open request through the published `evaluation.recorded` event.
    if (!out.ok) ctx.log('warn', '评价键盘的评价未记录', { deviceId: e.deviceId, code: out.code, error: out.message });
  };

  // ------------------------------------------------------------ HTTP
  const listRows = () =>
    [...rows.values(), ...(opts.pads?.list() ?? []).map((p) => ({ ...p, kind: 'pad', transport: 'websocket' }))].map(
      (r) => ({
        ...r,
        since: r.since === null ? null : new Date(r.since).toISOString(),
      }),
    );
  ctx.router.add('GET', '/api/v1/devices', ({ req, res }) => {
    ctx.requireRole(req, ['admin', 'counter', 'kiosk'], true);
    sendJson(res, 200, { devices: listRows(), local: service !== null });
  });
  // Demo and test aid: press a key on a simulated keypad of this process (govhall start).
  const pressBody = z.object({ key: z.string().min(1).max(32) }).strict();
  ctx.router.add('POST', '/api/v1/devices/{id}/press', async ({ req, res, params }) => {
    ctx.requireRole(req, ['admin'], false);
    const body = validate(pressBody, await readJsonBody(req));
    const id = params.id!;
    if (!rows.has(id)) throw new ApiError(404, 'UNKNOWN_DEVICE', `大厅配置中没有设备 ${id}`);
    if (!service?.simulated(id)) throw new ApiError(409, 'NOT_SIMULATED', `设备 ${id} 不是本进程的模拟设备`);
    if (!service.pressSimulated(id, body.key))
      throw new ApiError(400, 'INVALID_INPUT', `字段 key：设备 ${id} 没有按键「${body.key}」`);
    sendJson(res, 204, undefined);
  });
  // The admin's test actions (test print, read card, ping a pad or keypad, fresh status).
  ctx.router.add('POST', '/api/v1/devices/{id}/test', async ({ req, res, params }) => {
    const caller = ctx.requireRole(req, ['admin'], false);
    const body = await readJsonBody(req);
    const result = await runDeviceTest(
      {
        ctx,
        service,
        pads: opts.pads,
        ...(opts.testTimeoutMs !== undefined ? { timeoutMs: opts.testTimeoutMs } : {}),
        find: (id) => {
          const row = rows.get(id);
          if (row) return row;
          const pad = opts.pads?.list().find((p) => p.deviceId === id);
          return pad ? { ...pad, kind: 'pad' } : null;
        },
      },
      caller,
      params.id!,
      body,
    );
    sendJson(res, 200, result);
  });
  ctx.router.add('POST', '/api/v1/devices/status', async ({ req, res }) => {
    const c = ctx.requireRole(req, ['kiosk', 'counter', 'evaluator', 'admin'], false);
    const body = validate(statusBody, await readJsonBody(req));
    const row = rows.get(body.deviceId);
    if (!row) throw new ApiError(404, 'UNKNOWN_DEVICE', `大厅配置中没有设备 ${body.deviceId}`);
    if (body.terminal !== undefined && body.terminal !== row.terminal)
      throw new ApiError(400, 'INVALID_INPUT', `字段 terminal：设备 ${body.deviceId} 属于终端 ${row.terminal}`);
    // A window's device token speaks only for devices of its window.
    if (c.kind === 'device' && c.token.windowNo !== null && row.windowNo !== null && row.windowNo !== c.token.windowNo)
      throw new ApiError(
        403,
        'WRONG_WINDOW',
        `该令牌属于 ${c.token.windowNo} 号窗口，不能报告 ${row.windowNo} 号窗口的设备`,
      );
    update({ deviceId: body.deviceId, state: body.state, detail: body.detail ?? null });
    sendJson(res, 204, undefined);
  });

  // ------------------------------------------------------------ browser bridge
  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  const attachBridge = (ws: WebSocket, terminal: string, baseUrl: string, caller: Caller) => {
    const client = { ws, terminal, caller };
    bridgeClients.add(client);
    // A revoked token or ended session loses the bridge (card reads included) within a second.
    const unwatch = ctx.watchCredential(caller.bearer, () => {
      bridgeClients.delete(client);
      closeRevoked(ws);
    });
    ws.once('close', unwatch);
    const send = (m: Record<string, unknown>) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(m));
    };
    for (const r of rows.values())
      if (r.terminal === terminal)
        send({ type: 'device.status', deviceId: r.deviceId, kind: r.kind, state: r.state, detail: r.detail });
    ws.on('message', (data) => {
      let msg: { type?: unknown; id?: unknown; ticket?: unknown };
      try {
        msg = JSON.parse(data.toString());
      } catch {
        return send({ type: 'error', code: 'INVALID_JSON', message: '消息不是有效的 JSON' });
      }
      const id = typeof msg.id === 'string' || typeof msg.id === 'number' ? String(msg.id) : null;
      if (msg.type === 'status') {
        const devices = [...rows.values()]
          .filter((r) => r.terminal === terminal)
          .map((r) => ({ deviceId: r.deviceId, kind: r.kind, state: r.state, detail: r.detail }));
        return send({ type: 'status.result', id, devices });
      }
      if (msg.type === 'print') {
        const t = ticketPrint.safeParse(msg.ticket);
        if (!t.success)
          return send({ type: 'print.result', id, result: { ok: false, code: 'ERROR', message: '打印内容不完整' } });
        // The hall's texts and QR URL come from the running config, whatever the terminal sent; the
        // QR goes back with the result so the screen shows the same code when the paper fails.
        const ticket = fillTicket(t.data, ctx.engine.config, baseUrl);
        const qr = ticket.qr ? { qr: ticket.qr } : {};
        if (!service)
          return send({
            type: 'print.result',
            id,
            result: { ok: false, code: 'NO_PRINTER', message: '此中枢不管理该终端的打印机', ...qr },
          });
        service
          .print(terminal, ticket)
          .then((result) => send({ type: 'print.result', id, result: { ...result, ...qr } }))
          .catch(() =>
            send({ type: 'print.result', id, result: { ok: false, code: 'ERROR', message: '打印失败', ...qr } }),
          );
        return;
      }
      send({ type: 'error', code: 'UNKNOWN_MESSAGE', message: '不认识的消息类型' });
    });
    const gone = () => bridgeClients.delete(client);
    ws.on('close', gone);
    ws.on('error', gone);
  };

  const refuse = (socket: Duplex, status: string, code: string, message: string) =>
    socket.end(
      `HTTP/1.1 ${status}\r\ncontent-type: application/json; charset=utf-8\r\nconnection: close\r\n\r\n${JSON.stringify({ code, message })}`,
    );

  return {
    upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, url: URL): boolean {
      if (url.pathname !== BRIDGE_PATH) return false;
      const caller = ctx.authenticate(req, url.searchParams.get('token'));
      if (!caller) {
        refuse(socket, '401 Unauthorized', 'UNAUTHORIZED', '缺少或无效的令牌，请向管理员申领设备令牌');
        return true;
      }
      if (caller.kind === 'device' && !['kiosk', 'counter', 'evaluator', 'admin'].includes(caller.token.role)) {
        refuse(socket, '403 Forbidden', 'FORBIDDEN_ROLE', '该角色不能使用设备桥');
        return true;
      }
      const terminal = url.searchParams.get('terminal') ?? '';
      if (!terminals.has(terminal)) {
        refuse(socket, '404 Not Found', 'UNKNOWN_TERMINAL', `大厅配置中没有终端「${terminal}」`);
        return true;
      }
      wss.handleUpgrade(req, socket, head, (ws) => attachBridge(ws, terminal, hubBaseUrl(req), caller));
      return true;
    },
    close() {
      for (const off of offs) off();
      for (const c of bridgeClients) c.ws.terminate();
      bridgeClients.clear();
      if (!opts.requests) requests.detach();
      wss.close();
    },
  };
}

/**
 * The hub's address as the terminal reached it (`{baseUrl}` of the ticket QR URL): the Host header,
 * and https when a reverse proxy says so.
 */
export function hubBaseUrl(req: IncomingMessage): string {
  const fwd = req.headers['x-forwarded-proto'];
  const proto = (Array.isArray(fwd) ? fwd[0] : fwd)?.split(',')[0]?.trim() === 'https' ? 'https' : 'http';
  const host = req.headers.host ?? '127.0.0.1';
  return `${proto}://${host}`;
}
