/**
 * The HTTP routes of the devices (docs/devices.md「HTTP 接口」): the device list with health, a
 * remote terminal's health report, a key pressed on a simulated keypad, and the admin's device
 * tests. Registration only; what a route does lives in the modules it calls.
 */
import { deviceRoutes as api } from '../../common/api/routes.js';
import type { DeviceService } from '../devices/device-service.js';
import type { DeviceHealthTable } from './device-health-table.js';
import { type KnownDevice, runDeviceTest } from './device-tests.js';
import { ApiError } from './http-kit.js';
import type { HubContext } from './hub-plugin.js';
import type { PadPresence } from './pad-plugin.js';

export interface DeviceRoutesDeps {
  table: DeviceHealthTable;
  service: DeviceService | null;
  pads: PadPresence | undefined;
  /** Bound on each wait of a test action; default that of `runDeviceTest`. */
  testTimeoutMs?: number;
}

export function addDeviceRoutes(ctx: HubContext, deps: DeviceRoutesDeps): void {
  const { table, service, pads } = deps;
  /** Configured devices, then the pads seen on the pad endpoint. */
  const known = (id: string): KnownDevice | null => {
    const row = table.get(id);
    if (row) return row;
    const pad = pads?.list().find((p) => p.deviceId === id);
    return pad ? { ...pad, kind: 'pad' } : null;
  };

  ctx.defineRoute(api.devices, () => {
    const rows = [...table.all(), ...(pads?.list() ?? []).map((p) => ({ ...p, kind: 'pad', transport: 'websocket' }))];
    return {
      devices: rows.map((r) => ({ ...r, since: r.since === null ? null : new Date(r.since).toISOString() })),
      local: service !== null,
    };
  });

  // Demo and test aid: press a key on a simulated keypad of this process (govhall start).
  ctx.defineRoute(api.pressKey, ({ body, params }) => {
    const id = params.id;
    if (!table.get(id)) throw new ApiError(404, 'UNKNOWN_DEVICE', `大厅配置中没有设备 ${id}`);
    if (!service?.simulated(id)) throw new ApiError(409, 'NOT_SIMULATED', `设备 ${id} 不是本进程的模拟设备`);
    if (!service.pressSimulated(id, body.key))
      throw new ApiError(400, 'INVALID_INPUT', `字段 key：设备 ${id} 没有按键「${body.key}」`);
    return undefined;
  });

  // The admin's test actions (test print, read card, ping a pad or keypad, fresh status).
  ctx.defineRoute(api.testDevice, ({ caller, body, params }) =>
    runDeviceTest(
      {
        ctx,
        service,
        pads,
        ...(deps.testTimeoutMs !== undefined ? { timeoutMs: deps.testTimeoutMs } : {}),
        find: known,
      },
      caller,
      params.id,
      body,
    ),
  );

  // A remote terminal reports the health of its own devices.
  ctx.defineRoute(api.reportDeviceStatus, ({ caller: c, body }) => {
    const row = table.get(body.deviceId);
    if (!row) throw new ApiError(404, 'UNKNOWN_DEVICE', `大厅配置中没有设备 ${body.deviceId}`);
    if (body.terminal !== undefined && body.terminal !== row.terminal)
      throw new ApiError(400, 'INVALID_INPUT', `字段 terminal：设备 ${body.deviceId} 属于终端 ${row.terminal}`);
    // A paired terminal speaks only for its own devices.
    if (c.kind === 'device' && c.terminal && row.terminal !== c.terminal.id)
      throw new ApiError(
        403,
        'FOREIGN_DEVICE',
        `设备 ${body.deviceId} 属于终端 ${row.terminal}，终端 ${c.terminal.id} 不能报告它的状态`,
      );
    // A window's device token speaks only for devices of its window.
    if (
      c.kind === 'device' &&
      !c.terminal &&
      c.token.windowNo !== null &&
      row.windowNo !== null &&
      row.windowNo !== c.token.windowNo
    )
      throw new ApiError(
        403,
        'WRONG_WINDOW',
        `该令牌属于 ${c.token.windowNo} 号窗口，不能报告 ${row.windowNo} 号窗口的设备`,
      );
    table.update({ deviceId: body.deviceId, state: body.state, detail: body.detail ?? null });
    return undefined;
  });
}
