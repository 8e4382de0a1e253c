/** Core contract: a staff member signs in at a window with staff number and PIN, and signs out. */
import { coreRoutes as api } from '../../common/api/routes.js';
import { isoInZone } from '../../common/hall-time.js';
import { verifyPin } from '../../kiosk-config/pin-hash.js';
import type { Actor } from '../queue/types.js';
import { ApiError } from './http-kit.js';
import type { HubPlugin } from './hub-plugin.js';
import { windowJson } from './ticket-json.js';

/** Checked for unknown staff numbers too, so the answer's timing does not tell which is wrong. */
const DUMMY_HASH = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';

export function staffPlugin(sessionTtlMs: number): HubPlugin {
  return {
    name: 'staff',
    install(ctx) {
      const { engine, tokens } = ctx;
      ctx.defineRoute(api.staffSignIn, ({ body }) => {
        const now = ctx.clock.now();
        const locked = tokens.pinLockedUntil(body.staffNo, now);
        if (locked) {
          const secs = Math.ceil((locked - now) / 1000);
          throw new ApiError(
            429,
            'PIN_LOCKED',
            `PIN 连续输错次数过多，工号已锁定，请 ${Math.ceil(secs / 60)} 分钟后再试`,
            { 'retry-after': String(secs) },
          );
        }
        const staff = engine.config.staff.find((s) => s.no === body.staffNo);
        const ok = verifyPin(body.pin, staff?.pinHash ?? DUMMY_HASH) && !!staff;
        const actor: Actor = { role: 'staff', terminalId: `window-${body.windowNo}`, staffNo: body.staffNo };
        if (!ok) {
          const r = tokens.recordPinFailure(body.staffNo, now);
          ctx.audit({
            actor,
            action: 'staff.sign-in',
            subject: body.staffNo,
            result: 'refused',
            detail: { windowNo: body.windowNo, locked: r.locked },
          });
          if (r.locked) {
            throw new ApiError(429, 'PIN_LOCKED', 'PIN 连续输错 5 次，工号已锁定 5 分钟', {
              'retry-after': String(Math.ceil(((r.lockedUntil ?? now) - now) / 1000)),
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
        const token = tokens.createStaffSession(staff.no, body.windowNo, sessionTtlMs, now);
        const window = ctx.run(() => engine.openWindow(body.windowNo, staff.no, actor));
        return {
          token,
          staff: { no: staff.no, name: staff.name, role: staff.role },
          window: windowJson(window, ctx.timeZone()),
          expiresAt: isoInZone(now + sessionTtlMs, ctx.timeZone()),
        };
      });
      ctx.defineRoute(api.staffSignOut, ({ caller }) => {
        if (caller.kind !== 'staff') throw new ApiError(403, 'STAFF_SESSION_REQUIRED', '只有窗口工作人员会话可以签退');
        ctx.run(() => engine.closeWindow(caller.session.windowNo, ctx.actorOf(caller)));
        tokens.revokeStaffSession(caller.token, ctx.clock.now());
        return undefined;
      });
      return undefined;
    },
  };
}
