/**
 * The HTTP routes of the devices (docs/devices.md「HTTP 接口」): the device list with health, a
 * remote terminal's health report, a key pressed on a simulated keypad, and the admin's device
 * tests. Registration only; what a route does lives in the modules it calls.
 */
import { z } from 'zod';
import { DEVICE_STATES } from '../../common/device-kinds.js';
import type { DeviceService } from '../devices/device-service.js';
import type { DeviceHealthTable } from './device-health-table.js';
import { type KnownDevice, runDeviceTest } from './device-tests.js';
import { ApiError, readJsonBody, sendJson, validate } from './http-kit.js';
import type { HubContext } from './hub-plugin.js';
import type { PadPresence } from './pad-plugin.js';

export interface DeviceRoutesDeps {
  table: DeviceHealthTable;
  service: DeviceService | null;
  pads: PadPresence | undefined;
  /** Bound on each wait of a test action; default that of `runDeviceTest`. */
  testTimeoutMs?: number;
}

const statusBody = z
  .object({
    deviceId: z.string().min(1).max(40),
    state: z.enum(DEVICE_STATES),
    detail: z.string().max(200).nullable().optional(),
    kind: z.string().max(20).optional(),
    terminal: z.string().max(40).optional(),
  })
  .strict();

const pressBody = z.object({ key: z.string().min(1).max(32) }).strict();

export function addDeviceRoutes(ctx: HubContext, deps: DeviceRoutesDeps): void {
  const { table, service, pads } = deps;
  /** Configured devices, then the pads seen on the pad endpoint. */
  const known = (id: string): KnownDevice | null => {
    const row = table.get(id);
    if (row) return row;
    const pad = pads?.list().find((p) => p.deviceId === id);
    return pad ? { ...pad, kind: 'pad' } : null;
  };

  ctx.router.add('GET', '/api/v1/devices', ({ req, res }) => {
    ctx.requireRole(req, ['admin', 'counter', 'kiosk'], true);
    const rows = [...table.all(), ...(pads?.list() ?? []).map((p) => ({ ...p, kind: 'pad', transport: 'websocket' }))];
    sendJson(res, 200, {
      devices: rows.map((r) => ({ ...r, since: r.since === null ? null : new Date(r.since).toISOString() })),
      local: service !== null,
    });
  });

  // Demo and test aid: press a key on a simulated keypad of this process (govhall start).
  ctx.router.add('POST', '/api/v1/devices/{id}/press', async ({ req, res, params }) => {
    ctx.requireRole(req, ['admin'], false);
    const body = validate(pressBody, await readJsonBody(req));
    const id = params.id!;
    if (!table.get(id)) throw new ApiError(404, 'UNKNOWN_DEVICE', `大厅配置中没有设备 ${id}`);
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
        pads,
        ...(deps.testTimeoutMs !== undefined ? { timeoutMs: deps.testTimeoutMs } : {}),
        find: known,
      },
      caller,
      params.id!,
      body,
    );
    sendJson(res, 200, result);
  });

  // A remote terminal reports the health of its own devices.
  ctx.router.add('POST', '/api/v1/devices/status', async ({ req, res }) => {
    const c = ctx.requireRole(req, ['kiosk', 'counter', 'evaluator', 'admin'], false);
    const body = validate(statusBody, await readJsonBody(req));
    const row = table.get(body.deviceId);
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
    table.update({ deviceId: body.deviceId, state: body.state, detail: body.detail ?? null });
    sendJson(res, 204, undefined);
  });
}
