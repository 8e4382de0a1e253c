/**
 * Who is calling, and may they: bearer tokens (device tokens and staff sessions), the per-caller
 * rate limit, role checks and the window a staff session is signed in at. Every route goes through
 * `authorize` with its route description's access rule, so no handler checks credentials itself.
 */
import type { IncomingMessage } from 'node:http';
import type { Access } from '../../common/api/route-spec.js';
import type { DeviceRole } from '../../common/roles.js';
import type { TerminalGrant } from '../../kiosk-config/devices-schema.js';
import type { Actor } from '../queue/types.js';
import type { DeviceToken, StaffSession, TokenStore } from '../store/tokens.js';
import type { Clock } from '../time/clock.js';
import { ApiError, RateLimiter } from './http-kit.js';

/**
 * A device token, or a paired terminal's token seen as the device token of the role a route needs
 * (`terminal` says which terminal, and every role its hall config entry gives it).
 */
export type DeviceCaller = { kind: 'device'; token: DeviceToken; key: string; terminal?: TerminalCaller };
export interface TerminalCaller {
  id: string;
  grants: TerminalGrant[];
}
export type StaffCaller = { kind: 'staff'; session: StaffSession; token: string; key: string };
export type Caller = DeviceCaller | StaffCaller;

export interface HubAuthOptions {
  tokens: TokenStore;
  clock: Clock;
  rateLimit?: { perSecond: number; burst: number };
  /** Paired terminals: the terminal a token belongs to, the roles its config entry gives it, when it was seen. */
  terminals?: {
    find(token: string): string | null;
    grants(terminalId: string): TerminalGrant[];
    seen?(terminalId: string, address: string | null): void;
  };
}

/** A terminal's token as the device token of one of its roles (the first one when `grant` is absent). */
function asDevice(terminal: TerminalCaller, grant: TerminalGrant | undefined): DeviceToken {
  return {
    id: `terminal:${terminal.id}`,
    role: grant?.role ?? 'display',
    windowNo: grant?.windowNo ?? null,
    name: terminal.id,
    createdAt: 0,
    revokedAt: null,
  };
}

export class HubAuth {
  private readonly limiter: RateLimiter;

  constructor(private readonly o: HubAuthOptions) {
    this.limiter = new RateLimiter(o.rateLimit?.perSecond ?? 200, o.rateLimit?.burst ?? 400, () => o.clock.now());
  }

  /** The caller of a request or null; `queryToken` is for WebSocket upgrades (`?token=`). */
  authenticate(req: IncomingMessage, queryToken?: string | null): Caller | null {
    const header = req.headers.authorization;
    const token = header?.startsWith('Bearer ') ? header.slice(7).trim() : (queryToken ?? null);
    if (!token) return null;
    if (token.startsWith('ghs_')) {
      const session = this.o.tokens.findStaffSession(token, this.o.clock.now());
      return session ? { kind: 'staff', session, token, key: token.slice(0, 16) } : null;
    }
    const terminalId = this.o.terminals?.find(token) ?? null;
    if (terminalId !== null) {
      this.o.terminals?.seen?.(terminalId, req.socket?.remoteAddress ?? null);
      const terminal = { id: terminalId, grants: this.o.terminals?.grants(terminalId) ?? [] };
      return { kind: 'device', token: asDevice(terminal, terminal.grants[0]), key: `terminal:${terminalId}`, terminal };
    }
    const dev = this.o.tokens.findDeviceToken(token);
    return dev ? { kind: 'device', token: dev, key: dev.id } : null;
  }

  /**
   * A bearer token as the device token of `role`: a device token as it is, a paired terminal's as
   * its grant of that role (or its first role, so the caller's role check names what it has).
   * For sockets that sign in inside their protocol (the pad endpoint's `hello`).
   */
  deviceTokenFor(token: string, role: DeviceRole, address: string | null): DeviceToken | null {
    const terminalId = this.o.terminals?.find(token) ?? null;
    if (terminalId === null) return token.startsWith('ghs_') ? null : this.o.tokens.findDeviceToken(token);
    this.o.terminals?.seen?.(terminalId, address);
    const terminal = { id: terminalId, grants: this.o.terminals?.grants(terminalId) ?? [] };
    return asDevice(terminal, terminal.grants.find((g) => g.role === role) ?? terminal.grants[0]);
  }

  /** Caller or 401/429. */
  requireCaller(req: IncomingMessage): Caller {
    const c = this.authenticate(req);
    if (!c) throw new ApiError(401, 'UNAUTHORIZED', '缺少或无效的令牌（Authorization: Bearer …）');
    const wait = this.limiter.take(c.key);
    if (wait !== null)
      throw new ApiError(429, 'RATE_LIMITED', '请求过于频繁，请稍后再试', { 'retry-after': String(wait) });
    return c;
  }

  /** Caller with one of `roles` (or a staff session when `allowStaff`), else 403. */
  requireRole(req: IncomingMessage, roles: readonly DeviceRole[], allowStaff: boolean): Caller {
    const c = this.requireCaller(req);
    if (c.kind === 'device' && c.terminal) {
      // A terminal acts in whichever of its roles the route allows.
      const grant = c.terminal.grants.find((g) => roles.includes(g.role));
      if (grant) return { ...c, token: asDevice(c.terminal, grant) };
      const what = c.terminal.grants.length
        ? `终端 ${c.terminal.id}（${c.terminal.grants.map((g) => g.role).join('、')}）`
        : `终端 ${c.terminal.id}（大厅配置中没有它的界面角色）`;
      throw new ApiError(403, 'FORBIDDEN_ROLE', `${what}无权执行此操作`);
    }
    if (c.kind === 'staff' ? allowStaff : roles.includes(c.token.role)) return c;
    const who = c.kind === 'staff' ? '窗口工作人员会话' : `「${c.token.role}」令牌`;
    throw new ApiError(403, 'FORBIDDEN_ROLE', `${who}无权执行此操作`);
  }

  /** The staff session signed in at window `no` (from the path), else 400/403. */
  requireWindowStaff(req: IncomingMessage, no: string | undefined): { caller: StaffCaller; windowNo: number } {
    const windowNo = Number(no);
    if (!Number.isInteger(windowNo) || windowNo < 1)
      throw new ApiError(400, 'INVALID_INPUT', '字段 windowNo：应为正整数');
    const c = this.requireCaller(req);
    if (c.kind !== 'staff') throw new ApiError(403, 'STAFF_SESSION_REQUIRED', '窗口操作需要工作人员在该窗口登录');
    if (c.session.windowNo !== windowNo) {
      throw new ApiError(403, 'WRONG_WINDOW', `当前登录的是 ${c.session.windowNo} 号窗口，不能操作 ${windowNo} 号窗口`);
    }
    return { caller: c, windowNo };
  }

  /** Checks a route's access rule; public routes answer null (no token needed). */
  authorize(req: IncomingMessage, access: Access, params: Record<string, string>): Caller | null {
    switch (access.kind) {
      case 'public':
        return null;
      case 'window':
        return this.requireWindowStaff(req, params.no).caller;
      case 'roles':
        return this.requireRole(req, access.roles, access.staff);
      case 'terminal': {
        const c = this.requireCaller(req);
        if (c.kind === 'device' && c.terminal) return c;
        throw new ApiError(403, 'TERMINAL_TOKEN_REQUIRED', '此接口只供已配对的终端使用（govhall terminal）');
      }
    }
  }
}

/** The audit log's "who": a staff member at a window, or a device token's terminal. */
export const actorOf = (c: Caller): Actor =>
  c.kind === 'staff'
    ? { role: 'staff', terminalId: `window-${c.session.windowNo}`, staffNo: c.session.staffNo }
    : { role: c.token.role, terminalId: c.token.name ?? c.token.id, staffNo: null };
