/**
 * Core contract: a staff member signs in at a window with staff number and PIN, and signs out; a
 * manager signs in to the admin console the same way (`POST /admin/sessions`). Both sign-ins go
 * through the sign-in guard (rates, growing penalty, alarms; docs/security.md) and the lock of the
 * contract: 5 wrong PINs lock that staff number for that address for 5 minutes.
 */
import type { IncomingMessage } from 'node:http';
import { coreRoutes as api } from '../../common/api/routes.js';
import { isoInZone } from '../../common/hall-time.js';
import type { StaffConfig } from '../../kiosk-config/hall-config.js';
import { verifyPin } from '../../kiosk-config/pin-hash.js';
import type { Actor } from '../queue/types.js';
import { ApiError, clientAddress } from './http-kit.js';
import type { HubContext, HubPlugin } from './hub-plugin.js';
import { SignInFailureLog } from './sign-in-audit.js';
import { type SignInAlarm, SignInGuard, type SignInLimits } from './sign-in-guard.js';
import { windowJson } from './ticket-json.js';

/** Checked for unknown staff numbers too, so the answer's timing does not tell which is wrong. */
const DUMMY_HASH = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';

export interface StaffPluginOptions {
  sessionTtlMs: number;
  /** Admin console sessions are shorter: they can change the hall. */
  adminSessionTtlMs?: number;
  signInLimits?: Partial<SignInLimits>;
}

export function staffPlugin(opts: StaffPluginOptions): HubPlugin {
  return {
    name: 'staff',
    install(ctx) {
      const { engine, tokens } = ctx;
      const guard = new SignInGuard(
        opts.signInLimits ?? {},
        () => ctx.clock.now(),
        (a) => raiseAlarm(ctx, a),
      );
      const failures = new SignInFailureLog(
        (f) =>
          ctx.audit({
            actor: {
              role: 'staff',
              terminalId: f.windowNo ? `window-${f.windowNo}` : null,
              staffNo: f.staffNo,
              address: f.address,
            },
            action: f.action,
            subject: f.staffNo,
            result: 'refused',
            detail: { windowNo: f.windowNo, locked: f.locked },
          }),
        (s) =>
          ctx.audit({
            actor: { role: 'staff', terminalId: null, staffNo: null, address: s.address },
            action: 'staff.sign-in.failures',
            subject: null,
            result: 'refused',
            detail: {
              from: isoInZone(s.from, ctx.timeZone()),
              to: isoInZone(s.to, ctx.timeZone()),
              failures: s.failures,
              staffNos: s.staffNos,
              locks: s.locks,
            },
          }),
        () => ctx.clock.now(),
      );
      const flusher = setInterval(() => guardedFlush(ctx, failures), 60_000);
      flusher.unref();

      /** Staff number and PIN checked under every rule; the staff member, or an ApiError. */
      const checkPin = async (
        req: IncomingMessage,
        body: { staffNo: string; pin: string },
        action: 'staff.sign-in' | 'admin.sign-in',
        windowNo: number | null,
      ): Promise<{ staff: StaffConfig; address: string }> => {
        const address = clientAddress(req);
        guard.admit(address);
        const now = ctx.clock.now();
        const locked = tokens.pinLockedUntil(body.staffNo, address, now);
        if (locked) {
          const secs = Math.ceil((locked - now) / 1000);
          throw new ApiError(
            429,
            'PIN_LOCKED',
            `PIN 连续输错次数过多，该工号在本机已锁定，请 ${Math.ceil(secs / 60)} 分钟后再试`,
            { 'retry-after': String(secs) },
          );
        }
        const staff = engine.config.staff.find((s) => s.no === body.staffNo);
        const ok = (await verifyPin(body.pin, staff?.pinHash ?? DUMMY_HASH)) && !!staff;
        if (ok) {
          tokens.clearPinFailures(staff.no, address);
          return { staff, address };
        }
        const at = ctx.clock.now();
        const r = tokens.recordPinFailure(body.staffNo, address, at);
        guard.failed(address);
        failures.failure({ address, staffNo: body.staffNo, action, windowNo, locked: r.locked });
        if (r.locked) {
          throw new ApiError(429, 'PIN_LOCKED', 'PIN 连续输错 5 次，该工号在本机已锁定 5 分钟', {
            'retry-after': String(Math.ceil(((r.lockedUntil ?? at) - at) / 1000)),
          });
        }
        throw new ApiError(401, 'BAD_CREDENTIALS', '工号或 PIN 不正确');
      };

      ctx.defineRoute(api.staffSignIn, async ({ req, body }) => {
        const { staff, address } = await checkPin(req, body, 'staff.sign-in', body.windowNo);
        const now = ctx.clock.now();
        const actor: Actor = { role: 'staff', terminalId: `window-${body.windowNo}`, staffNo: staff.no, address };
        if (!engine.config.windows.some((w) => w.no === body.windowNo))
          throw new ApiError(404, 'UNKNOWN_WINDOW', `窗口 ${body.windowNo} 不存在`);
        if (!staff.windows.includes(body.windowNo)) {
          throw new ApiError(403, 'WINDOW_NOT_ASSIGNED', `工号 ${staff.no} 未分配到 ${body.windowNo} 号窗口`);
        }
        tokens.revokeSessionsOfWindow(body.windowNo, now);
        // The window's earlier session just ended: its live connections close with it.
        ctx.credentialsChanged();
        const token = tokens.createStaffSession(staff.no, body.windowNo, opts.sessionTtlMs, now);
        const window = ctx.run(() => engine.openWindow(body.windowNo, staff.no, actor));
        return {
          token,
          staff: { no: staff.no, name: staff.name, role: staff.role },
          window: windowJson(window, ctx.timeZone()),
          expiresAt: isoInZone(now + opts.sessionTtlMs, ctx.timeZone()),
        };
      });

      ctx.defineRoute(api.staffSignOut, ({ caller }) => {
        if (caller.kind !== 'staff') throw new ApiError(403, 'STAFF_SESSION_REQUIRED', '只有窗口工作人员会话可以签退');
        ctx.run(() => engine.closeWindow(caller.session.windowNo, ctx.actorOf(caller)));
        tokens.revokeStaffSession(caller.token, ctx.clock.now());
        ctx.credentialsChanged();
        return undefined;
      });

      const adminTtl = opts.adminSessionTtlMs ?? 8 * 3600_000;
      ctx.defineRoute(api.adminSignIn, async ({ req, body }) => {
        const { staff, address } = await checkPin(req, body, 'admin.sign-in', null);
        const actor: Actor = { role: 'admin', terminalId: 'admin-session', staffNo: staff.no, address };
        if (staff.role !== 'manager') {
          ctx.audit({
            actor,
            action: 'admin.sign-in',
            subject: staff.no,
            result: 'refused',
            detail: { role: staff.role },
          });
          throw new ApiError(403, 'NOT_A_MANAGER', `工号 ${staff.no} 不是大厅管理员（manager），不能登录管理后台`);
        }
        const now = ctx.clock.now();
        const token = tokens.createAdminSession(staff.no, adminTtl, now);
        ctx.audit({ actor, action: 'admin.sign-in', subject: staff.no, result: 'ok', detail: null });
        return {
          token,
          staff: { no: staff.no, name: staff.name, role: staff.role },
          expiresAt: isoInZone(now + adminTtl, ctx.timeZone()),
        };
      });

      ctx.defineRoute(api.adminSignOut, ({ caller }) => {
        if (caller.kind !== 'admin')
          throw new ApiError(403, 'ADMIN_SESSION_REQUIRED', '只有管理后台会话可以退出登录；设备令牌请由管理员吊销');
        tokens.revokeStaffSession(caller.token, ctx.clock.now());
        ctx.audit({
          actor: ctx.actorOf(caller),
          action: 'admin.sign-out',
          subject: caller.session.staffNo,
          result: 'ok',
          detail: null,
        });
        ctx.credentialsChanged();
        return undefined;
      });

      return {
        close() {
          clearInterval(flusher);
          guardedFlush(ctx, failures, true);
        },
      };
    },
  };
}

function guardedFlush(ctx: HubContext, log: SignInFailureLog, all = false): void {
  try {
    log.flush(all);
  } catch (e) {
    ctx.log('error', '登录失败汇总写入审计失败', { error: (e as Error).message });
  }
}

/** An alarm is an event (live on the admin console, persisted) and an audit row. */
function raiseAlarm(ctx: HubContext, a: SignInAlarm): void {
  const until = a.until === null ? null : isoInZone(a.until, ctx.timeZone());
  const message =
    a.kind === 'sign_in_blocked'
      ? `地址 ${a.address} 登录连续失败 ${a.failures} 次，已暂停其登录至 ${until?.slice(11, 16)}（第 ${a.blocks} 次暂停）；请核实该终端`
      : `登录请求超出中枢受理能力（被拒 ${a.failures} 次），可能有人在批量尝试 PIN；请检查大厅网络`;
  try {
    ctx.emit({
      type: 'security.alarm',
      kind: a.kind,
      address: a.address,
      failures: a.failures,
      blockedUntil: until,
      message,
    });
    ctx.audit({
      actor: { role: 'system', terminalId: null, staffNo: null, address: a.address },
      action: 'security.alarm',
      subject: a.address,
      result: 'refused',
      detail: { kind: a.kind, failures: a.failures, blocks: a.blocks, blockedUntil: until },
    });
  } catch (e) {
    ctx.log('error', '无法记录安全告警', { error: (e as Error).message, kind: a.kind });
  }
  ctx.log('warn', message, { kind: a.kind, address: a.address });
}
