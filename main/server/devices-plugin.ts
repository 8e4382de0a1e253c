/**
 * The hub's side of the devices, composed: the health table of every configured device
 * (`device-health-table.ts`, published as `device.status`), the HTTP routes (`device-routes.ts`),
 * the browser device bridge (`device-bridge-socket.ts`) and — when the device service runs in this
 * process (`govhall start`) — the routing of its events: window caller keys to queue actions
 * (`caller-key-actions.ts`), evaluation keypad keys to ratings (`keypad-ratings.ts`), calls to the
 * window LED strips (`led-follows-calls.ts`).
 *
 * Every handler is guarded: a device or a client that misbehaves is logged, never fatal.
 */
import { deviceRoutes } from '../../common/api/routes.js';
import type { DeviceService } from '../devices/device-service.js';
import { runCallerKey } from './caller-key-actions.js';
import { deviceBridgeSocket } from './device-bridge-socket.js';
import { DeviceHealthTable } from './device-health-table.js';
import { addDeviceRoutes } from './device-routes.js';
import { EvaluationRequests } from './evaluation-requests.js';
import type { HubContext, HubPlugin } from './hub-plugin.js';
import { recordKeypadRating } from './keypad-ratings.js';
import { ledStripsFollowCalls } from './led-follows-calls.js';
import type { PadPresence } from './pad-plugin.js';

export { BRIDGE_PATH } from './device-bridge-socket.js';

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

export function devicesPlugin(opts: DevicesPluginOptions = {}): HubPlugin {
  return { name: 'devices', install: (ctx) => installDevices(ctx, opts) };
}

function installDevices(ctx: HubContext, opts: DevicesPluginOptions) {
  ctx.listRoute(deviceRoutes.deviceBridge);
  const service = opts.service ?? null;
  const requests = opts.requests ?? new EvaluationRequests();
  requests.attach(ctx);
  const table = new DeviceHealthTable(ctx.engine.config.devices, () => ctx.clock.now());
  const bridge = deviceBridgeSocket(ctx, table, service);
  const guard = (what: string, fn: () => void) => {
    try {
      fn();
    } catch (err) {
      ctx.log('error', what, { error: (err as Error).message });
    }
  };

  const offs: (() => void)[] = [
    // An admin's change of the devices section (a terminal added, a printer's width) applies at once.
    ctx.onPublished((stored) => {
      if (stored.some((e) => e.event.type === 'config.changed' && e.event.sections.includes('devices')))
        table.reconfigure(ctx.engine.config.devices);
    }),
    table.onChange((row) => {
      ctx.emit({
        type: 'device.status',
        deviceId: row.deviceId,
        kind: row.kind,
        state: row.state,
        detail: row.detail,
        terminal: row.terminal,
      });
      bridge.send(row.terminal, {
        type: 'device.status',
        deviceId: row.deviceId,
        kind: row.kind,
        state: row.state,
        detail: row.detail,
      });
    }),
  ];
  if (service) {
    const show = (windowNo: number, text: string) => void service.showOnWindow(windowNo, text).catch(() => {});
    offs.push(
      service.on('status', (s) => guard('设备状态处理失败', () => table.update(s))),
      service.on('card', (e) => guard('读卡事件转发失败', () => bridge.sendCard(e.terminal, e.card))),
      service.on('card.removed', (e) =>
        guard('读卡事件转发失败', () => {
          ctx.cardReads.removedAt(e.terminal);
          bridge.send(e.terminal, { type: 'card.removed' });
        }),
      ),
      service.on('key', (e) =>
        guard('窗口键盘处理失败', () =>
          runCallerKey(ctx, e, {
            transferTo: (id) => {
              const d = table.config(id);
              return d?.kind === 'keypad' ? d.transferTo : undefined;
            },
            showOnWindow: show,
          }),
        ),
      ),
      service.on('rating', (e) =>
        guard('评价键盘处理失败', () => {
          const d = table.config(e.deviceId);
          recordKeypadRating(ctx, requests, e, d?.kind === 'evalkeypad' ? d.badRatingReason : undefined);
        }),
      ),
      ledStripsFollowCalls(ctx, service),
    );
    for (const s of service.statuses()) guard('设备状态处理失败', () => table.update(s));
  }

  addDeviceRoutes(ctx, {
    table,
    service,
    pads: opts.pads,
    ...(opts.testTimeoutMs !== undefined ? { testTimeoutMs: opts.testTimeoutMs } : {}),
  });

  return {
    upgrade: bridge.upgrade,
    close() {
      for (const off of offs) off();
      bridge.close();
      if (!opts.requests) requests.detach();
    },
  };
}
