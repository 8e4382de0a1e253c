/** Core contract: the admin lists, creates and revokes device tokens; each change is audited. */
import { coreRoutes as api } from '../../common/api/routes.js';
import { WINDOW_BOUND_ROLES } from '../../common/roles.js';
import { ApiError } from './http-kit.js';
import type { HubPlugin } from './hub-plugin.js';

export function tokenPlugin(): HubPlugin {
  return {
    name: 'tokens',
    install(ctx) {
      const { tokens } = ctx;
      ctx.defineRoute(api.listTokens, () => tokens.listDeviceTokens());
      ctx.defineRoute(api.createToken, ({ body, caller }) => {
        const bound = WINDOW_BOUND_ROLES.includes(body.role);
        if (bound && body.windowNo === undefined) {
          throw new ApiError(400, 'INVALID_INPUT', `字段 windowNo：${body.role} 令牌必须绑定窗口`);
        }
        if (!bound && body.windowNo !== undefined) {
          throw new ApiError(400, 'INVALID_INPUT', `字段 windowNo：${body.role} 令牌不属于某个窗口，请去掉 windowNo`);
        }
        if (body.windowNo !== undefined && !ctx.engine.config.windows.some((w) => w.no === body.windowNo)) {
          throw new ApiError(400, 'INVALID_INPUT', `字段 windowNo：大厅配置中没有 ${body.windowNo} 号窗口`);
        }
        const created = tokens.createDeviceToken(
          { role: body.role, windowNo: body.windowNo ?? null, name: body.name ?? null },
          ctx.clock.now(),
        );
        ctx.audit({
          actor: ctx.actorOf(caller),
          action: 'token.create',
          subject: created.id,
          result: 'ok',
          detail: { role: body.role, windowNo: body.windowNo ?? null },
        });
        return created;
      });
      ctx.defineRoute(api.revokeToken, ({ params, caller }) => {
        if (!tokens.revokeDeviceToken(params.id, ctx.clock.now()))
          throw new ApiError(404, 'UNKNOWN_TOKEN', '令牌不存在或已吊销');
        // Its open WebSockets (events, device bridge, pads) close now.
        ctx.credentialsChanged();
        ctx.audit({
          actor: ctx.actorOf(caller),
          action: 'token.revoke',
          subject: params.id,
          result: 'ok',
          detail: null,
        });
        return undefined;
      });
      return undefined;
    },
  };
}
