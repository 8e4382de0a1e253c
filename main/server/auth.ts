/**
 * Who is calling, and may they: bearer tokens (device tokens, window sessions and admin sessions),
 * the per-caller rate limit, role checks and the window a staff session is signed in at. Every
 * route goes through `authorize` with its route description's access rule, so no handler checks
 * credentials itself.
 */
import type { IncomingMessage } from 'node:http';
import type { Access } from '../../common/api/route-spec.js';
import type { DeviceRole } from '../../common/roles.js';
import type { TerminalGrant } from '../../kiosk-config/devices-schema.js';
import type { Actor } from '../queue/types.js';
import type { AdminSession, DeviceToken, StaffSession, TokenStore } from '../store/tokens.js';
import type { Clock } from '../time/clock.js';
import { ApiError, clientAddress, RateLimiter } from './http-kit.js';

/**
 * `bearer` is the token as presented (kept so an open WebSocket can be closed when it stops being
 * valid); `address` is where the request came from (for the audit log).
 */
interface CallerBase {
  key: string;
  bearer: string;
  address: string;
}
/**
 * A device token, or a paired terminal's token seen as the device token of the role a route needs
 * (`terminal` says which terminal, and every role its hall config entry gives it).
 */
export type DeviceCaller = CallerBase & { kind: 'device'; token: DeviceToken; terminal?: TerminalCaller };
export interface TerminalCaller {
  id: string;
  grants: TerminalGrant[];
}
/** A staff member signed in at a window (`POST /staff/sessions`). */
export type StaffCaller = CallerBase & { kind: 'staff'; session: StaffSession; token: string };
/** A manager signed in to the admin console (`POST /admin/sessions`): the admin role, no window. */
export type AdminCaller = CallerBase & { kind: 'admin'; session: AdminSession; token: string };
export type Caller = DeviceCaller | StaffCaller | AdminCaller;

export interface HubAuthOptions {
  tokens: TokenStore;
  clock: Clock;
  rateLimit?: { perSecond: number; burst: number };
  /** Whether a staff number is a manager in the running config: an admin session ends when not. */
  isManager?: (staffNo: string) => boolean;
  /**
   * Requests per source address of the citizens' routes and pages (config `public.rateLimit`,
   * read at each request so a config change applies at once).
   */
  publicLimit?: () => { perMinute: number; burst: number };
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

/** Without a `public` section: two polls a second for a minute, ample for a phone following a ticket. */
export const DEFAULT_PUBLIC_LIMIT = { perMinute: 120, burst: 60 } as const;

export class HubAuth {
  private readonly limiter: RateLimiter;
  private publicLimiter: { key: string; limiter: RateLimiter } | null = null;

  constructor(private readonly o: HubAuthOptions) {
    this.limiter = new RateLimiter(o.rateLimit?.perSecond ?? 200, o.rateLimit?.burst ?? 400, () => o.clock.now());
  }

  /** The caller of a request or null; `queryToken` is for WebSocket upgrades (`?token=`). */
  authenticate(req: IncomingMessage, queryToken?: string | null): Caller | null {
    const header = req.headers.authorization;
    const token = header?.startsWith('Bearer ') ? header.slice(7).trim() : (queryToken ?? null);
    if (!token) return null;
    return this.identify(token, clientAddress(req));
  }

  /** Who a token stands for right now (null once revoked, expired or signed out). */
  identify(token: string, address: string): Caller | null {
    const base = { bearer: token, address, key: token.slice(0, 16) };
    if (token.startsWith('ghs_')) {
      const session = this.o.tokens.findStaffSession(token, this.o.clock.now());
      return session ? { ...base, kind: 'staff', session, token } : null;
    }
    if (token.startsWith('gha_')) {
      const session = this.o.tokens.findAdminSession(token, this.o.clock.now());
      if (!session || (this.o.isManager && !this.o.isManager(session.staffNo))) return null;
      return { ...base, kind: 'admin', session, token };
    }
    const terminalId = this.o.terminals?.find(token) ?? null;
    if (terminalId !== null) {
      if (address) this.o.terminals?.seen?.(terminalId, address);
      const terminal = { id: terminalId, grants: this.o.terminals?.grants(terminalId) ?? [] };
      const device = asDevice(terminal, terminal.grants[0]);
      return { ...base, kind: 'device', token: device, key: `terminal:${terminalId}`, terminal };
    }
    const dev = this.o.tokens.findDeviceToken(token);
    return dev ? { ...base, kind: 'device', token: dev, key: dev.id } : null;
  }

  /** Whether a token presented earlier still stands for someone (see CredentialWatch). */
  stillValid(token: string): boolean {
    return this.identify(token, '') !== null;
  }

  /**
   * A bearer token as the device token of `role`: a device token as it is, a paired terminal's as
   * its grant of that role (or its first role, so the caller's role check names what it has).
   * For sockets that sign in inside their protocol (the pad endpoint's `hello`).
   */
  deviceTokenFor(token: string, role: DeviceRole, address: string | null): DeviceToken | null {
    const terminalId = this.o.terminals?.find(token) ?? null;
    if (terminalId === null) return /^gh[sa]_/.test(token) ? null : this.o.tokens.findDeviceToken(token);
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

  /**
   * Caller with one of `roles` (or a window session when `allowStaff`), else 403. An admin session
   * is the admin role: it passes wherever an admin device token does.
   */
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
    const ok = c.kind === 'staff' ? allowStaff : roles.includes(c.kind === 'admin' ? 'admin' : c.token.role);
    if (ok) return c;
    const who =
      c.kind === 'staff' ? '窗口工作人员会话' : c.kind === 'admin' ? '管理后台会话' : `「${c.token.role}」令牌`;
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

  /**
   * A citizen's request (a public route or page): counted per source address, never per token —
   * a phone has none — and refused with 429 and Retry-After beyond the hall's limit.
   */
  takePublic(req: IncomingMessage): void {
    const l = this.o.publicLimit?.() ?? DEFAULT_PUBLIC_LIMIT;
    const key = `${l.perMinute}/${l.burst}`;
    if (this.publicLimiter?.key !== key)
      this.publicLimiter = { key, limiter: new RateLimiter(l.perMinute / 60, l.burst, () => this.o.clock.now()) };
    const wait = this.publicLimiter.limiter.take(clientAddress(req));
    if (wait !== null)
      throw new ApiError(429, 'RATE_LIMITED', `请求过于频繁，请 ${wait} 秒后再试`, { 'retry-after': String(wait) });
  }

  /** Checks a route's access rule; tokenless routes answer null (no token needed). */
  authorize(req: IncomingMessage, access: Access, params: Record<string, string>): Caller | null {
    switch (access.kind) {
      case 'public':
        this.takePublic(req);
        return null;
      case 'open':
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

/** The audit log's "who": a staff member at a window or the console, or a device token's terminal. */
export const actorOf = (c: Caller): Actor => {
  switch (c.kind) {
    case 'staff':
      return {
        role: 'staff',
        terminalId: `window-${c.session.windowNo}`,
        staffNo: c.session.staffNo,
        address: c.address,
      };
    case 'admin':
      return { role: 'admin', terminalId: 'admin-session', staffNo: c.session.staffNo, address: c.address };
    case 'device':
      return { role: c.token.role, terminalId: c.token.name ?? c.token.id, staffNo: null, address: c.address };
  }
};
