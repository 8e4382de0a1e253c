/**
 * Terminals and pairing (hub-api.md v1.1, docs/terminal.md): a terminal asks to pair and shows a
 * 6-digit code, the admin approves the code, the terminal collects its token once; with it the
 * terminal reads its hall config entry (pushed again as `terminal.config` when it changes), reports
 * what it can see, and acts in the roles its entry gives it (auth.ts). The admin lists terminals
 * and revokes one, which closes every socket it holds.
 */
import { createHash, randomBytes, randomInt } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { terminalRoutes as api } from '../../common/api/routes.js';
import type { DeviceState } from '../../common/device-kinds.js';
import { isoInZone } from '../../common/hall-time.js';
import { type TerminalConfig, terminalGrants, terminalWindows } from '../../kiosk-config/devices-schema.js';
import type { HallConfig } from '../../kiosk-config/hall-config.js';
import type { TerminalStore } from '../store/terminals.js';
import { ApiError, RateLimiter } from './http-kit.js';
import type { HubContext, HubPlugin } from './hub-plugin.js';
import { PairingBook } from './terminal-pairings.js';

export interface TerminalPluginOptions {
  store: TerminalStore;
  /** Pairing requests per address: burst, then one per `everyMs` (default 10, then one every 6 s). */
  pairingLimit?: { burst: number; everyMs: number };
}

/** What a terminal receives: its entry of the hall config and the hall's part of its printed tickets. */
export function terminalView(config: HallConfig, entry: TerminalConfig) {
  const body = {
    terminalId: entry.id,
    name: entry.name ?? null,
    windows: terminalWindows(entry),
    entry: JSON.parse(JSON.stringify(entry)) as object,
    hall: { code: config.hall.code, name: config.hall.name, timeZone: config.hall.timeZone },
    ticketText: { ...config.ticketText },
    ...(config.public ? { publicBaseUrl: config.public.baseUrl } : {}),
  };
  const version = createHash('sha256').update(JSON.stringify(body)).digest('hex').slice(0, 16);
  return { ...body, version };
}

const addressOf = (req: IncomingMessage) => req.socket.remoteAddress ?? null;

export function terminalPlugin(opts: TerminalPluginOptions): HubPlugin {
  return { name: 'terminals', install: (ctx) => installTerminals(ctx, opts) };
}

function installTerminals(ctx: HubContext, opts: TerminalPluginOptions) {
  const { store } = opts;
  const now = () => ctx.clock.now();
  const book = new PairingBook({ now, newSecret: () => randomBytes(24).toString('base64url'), randomInt });
  const limit = opts.pairingLimit ?? { burst: 10, everyMs: 6000 };
  const pairingLimiter = new RateLimiter(1000 / limit.everyMs, limit.burst, now);
  // Terminals poll every few seconds; this only stops a loop.
  const pollLimiter = new RateLimiter(5, 30, now);
  const limited = (limiter: RateLimiter, req: IncomingMessage) => {
    const wait = limiter.take(addressOf(req) ?? 'unknown');
    if (wait !== null)
      throw new ApiError(429, 'RATE_LIMITED', '请求过于频繁，请稍后再试', { 'retry-after': String(wait) });
  };
  const iso = (ms: number | null) => (ms === null ? null : isoInZone(ms, ctx.timeZone()));
  const entryOf = (id: string) => ctx.engine.config.devices?.terminals.find((t) => t.id === id) ?? null;

  // Device health as the hub last published it (`device.status`), for the terminal list.
  const health = new Map<string, { state: DeviceState; detail: string | null }>();
  // The version each terminal was last sent, so a config change is pushed only where it changed something.
  const sent = new Map<string, string>();
  for (const t of ctx.engine.config.devices?.terminals ?? [])
    sent.set(t.id, terminalView(ctx.engine.config, t).version);
  const offPublished = ctx.onPublished((stored) => {
    for (const { event } of stored) {
      if (event.type === 'device.status') health.set(event.deviceId, { state: event.state, detail: event.detail });
      if (event.type === 'config.changed') pushChangedConfigs();
    }
  });
  const pushChangedConfigs = () => {
    const config = ctx.engine.config;
    for (const t of config.devices?.terminals ?? []) {
      const view = terminalView(config, t);
      if (sent.get(t.id) === view.version) continue;
      sent.set(t.id, view.version);
      ctx.sendToTerminal(t.id, { type: 'terminal.config', at: iso(now()), config: view });
    }
  };

  ctx.defineRoute(api.requestPairing, ({ req, body }) => {
    limited(pairingLimiter, req);
    const p = book.request(body.terminalId, body.name ?? null, addressOf(req));
    if (!p) throw new ApiError(429, 'RATE_LIMITED', '待批准的配对过多，请稍后再试', { 'retry-after': '60' });
    ctx.log('info', '终端请求配对', { terminalId: p.terminalId, address: p.address });
    return { pairingId: p.pairingId, code: p.code, expiresAt: iso(p.expiresAt)! };
  });

  ctx.defineRoute(api.pairingStatus, ({ req, params }) => {
    limited(pollLimiter, req);
    const s = book.poll(params.pairingId);
    if (!s) throw new ApiError(404, 'UNKNOWN_PAIRING', '没有这个配对请求，请在终端上重新发起配对');
    return s;
  });

  ctx.defineRoute(api.approvePairing, ({ caller, body }) => {
    const p = book.findCode(body.code);
    if (!p) throw new ApiError(404, 'UNKNOWN_CODE', '配对码不存在或已过期，请核对终端屏幕上的 6 位数字');
    if (!entryOf(p.terminalId))
      throw new ApiError(
        409,
        'TERMINAL_NOT_CONFIGURED',
        `大厅配置中没有终端「${p.terminalId}」，请先在配置的 devices.terminals 中添加它，再批准`,
      );
    // Pairing again replaces the old token now: whoever held it is cut off.
    const token = store.pair(p.terminalId, p.name, now());
    ctx.closeTerminal(p.terminalId);
    book.approve(p, token);
    ctx.audit({
      actor: ctx.actorOf(caller),
      action: 'terminal.pair',
      subject: p.terminalId,
      result: 'ok',
      detail: { address: p.address },
    });
    return { terminalId: p.terminalId };
  });

  ctx.defineRoute(api.terminalConfig, ({ caller }) => {
    const entry = entryOf(caller.terminal.id);
    if (!entry)
      throw new ApiError(404, 'TERMINAL_NOT_CONFIGURED', `大厅配置中没有终端「${caller.terminal.id}」，请管理员添加`);
    const view = terminalView(ctx.engine.config, entry);
    sent.set(entry.id, view.version);
    return view;
  });

  ctx.defineRoute(api.terminalInventory, ({ caller, body }) => {
    store.setInventory(caller.terminal.id, body, now());
    return undefined;
  });

  // A standalone terminal's card reader is not the hub's: the terminal registers each read with its
  // own token, and only that token (the one its pages are forwarded with) can use the id.
  ctx.defineRoute(api.registerCardRead, ({ caller, body }) => {
    const id = caller.terminal.id;
    const reader = entryOf(id)?.devices.find((d) => d.id === body.deviceId);
    if (reader?.kind !== 'idcard')
      throw new ApiError(
        409,
        'NOT_THIS_TERMINALS_READER',
        `「${body.deviceId}」不是终端「${id}」在大厅配置中的读卡器，请在管理后台的终端设置中核对设备编号`,
      );
    ctx.audit({
      actor: ctx.actorOf(caller),
      action: 'card.read',
      subject: id,
      result: 'ok',
      detail: { certType: body.certType, deviceId: body.deviceId },
    });
    return { readId: ctx.cardReads.issue({ certNo: body.certNo, terminal: id }, caller.bearer) };
  });

  ctx.defineRoute(api.endCardReads, ({ caller }) => {
    ctx.cardReads.removedAt(caller.terminal.id);
    return undefined;
  });

  ctx.defineRoute(api.listTerminals, () => {
    const config = ctx.engine.config;
    const paired = new Map(store.list().map((p) => [p.terminalId, p]));
    const ids = [...(config.devices?.terminals ?? []).map((t) => t.id), ...paired.keys()];
    return [...new Set(ids)].map((id) => {
      const entry = entryOf(id);
      const p = paired.get(id);
      return {
        terminalId: id,
        name: entry?.name ?? p?.name ?? null,
        roles: [...new Set(entry ? terminalGrants(entry).map((g) => g.role) : [])],
        windows: entry ? terminalWindows(entry) : [],
        configured: entry !== null,
        paired: !!p && p.revokedAt === null,
        pairedAt: iso(p?.pairedAt ?? null),
        lastSeenAt: iso(p?.lastSeenAt ?? null),
        address: p?.address ?? null,
        devices: (entry?.devices ?? []).map((d) => ({
          deviceId: d.id,
          kind: d.kind,
          state: health.get(d.id)?.state ?? 'unknown',
          detail: health.get(d.id)?.detail ?? null,
        })),
        inventory: (p?.inventory as object | null) ?? null,
      };
    });
  });

  ctx.defineRoute(api.revokeTerminal, ({ caller, params }) => {
    const id = params.terminalId;
    if (!store.revoke(id, now())) throw new ApiError(404, 'UNKNOWN_TERMINAL', `终端「${id}」没有配对或已吊销`);
    ctx.sendToTerminal(id, { type: 'terminal.revoked', at: iso(now()) });
    ctx.closeTerminal(id);
    ctx.audit({ actor: ctx.actorOf(caller), action: 'terminal.revoke', subject: id, result: 'ok', detail: null });
    ctx.log('info', '终端令牌已吊销', { terminalId: id });
    return undefined;
  });

  return {
    close() {
      offPublished();
    },
  };
}
