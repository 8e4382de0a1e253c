/**
 * The browser form of the bridge: a WebSocket to the hub's device bridge endpoint, which relays the
 * devices of this terminal (card reader, printer) run by the device service. Used when the kiosk UI
 * runs in a plain browser next to a `govhall` process that owns the devices.
 *
 * Wire format (JSON, one object per message), see docs/ui.md "设备桥":
 *   hub → page  { type: 'card', card } | { type: 'card.removed' } | { type: 'device.status', ...entry }
 *               | { type: 'print.result', id, result } | { type: 'status.result', id, devices }
 *   page → hub  { type: 'print', id, ticket } | { type: 'status', id }
 *   page → terminal  { type: 'inventory', cameras, displays } (a terminal's own bridge only)
 */

import { ReconnectingSocket, wsUrl } from '../../common/reconnecting-socket.js';
import {
  type CardData,
  type DeviceBridge,
  type DeviceStatusEntry,
  Listeners,
  type PrintResult,
  printFailureText,
} from './bridge.js';

export interface BrowserBridgeOptions {
  baseUrl: string;
  token: string | null;
  terminalId: string | null;
  path?: string;
  printTimeoutMs?: number;
  WebSocketImpl?: typeof WebSocket;
}

export const DEVICE_BRIDGE_PATH = '/api/v1/devices/bridge';

export function browserBridge(opts: BrowserBridgeOptions): DeviceBridge {
  const cards = new Listeners<CardData>();
  const removed = new Listeners<undefined>();
  const status = new Listeners<DeviceStatusEntry>();
  const pending = new Map<string, (v: unknown) => void>();
  let nextId = 1;
  // The last inventory, sent again on every (re)connect: the terminal may have restarted.
  let inventory: string | null = null;

  const socket = new ReconnectingSocket({
    url: () => wsUrl(opts.baseUrl, opts.path ?? DEVICE_BRIDGE_PATH, { token: opts.token, terminal: opts.terminalId }),
    minDelayMs: 1000,
    maxDelayMs: 15_000,
    ...(opts.WebSocketImpl ? { WebSocketImpl: opts.WebSocketImpl } : {}),
    onOpen: (ws) => {
      if (inventory) ws.send(inventory);
    },
    onMessage: (msg) => {
      switch (msg.type) {
        case 'card':
          if (msg.card && typeof msg.card === 'object') cards.emit(msg.card as CardData);
          break;
        case 'card.removed':
          removed.emit(undefined);
          break;
        case 'device.status': {
          const { type: _t, ...entry } = msg;
          status.emit(entry as unknown as DeviceStatusEntry);
          break;
        }
        case 'print.result':
          pending.get(String(msg.id))?.(msg.result);
          break;
        case 'status.result':
          pending.get(String(msg.id))?.(msg.devices);
          break;
      }
    },
  });

  /** Sends a request and waits for its answer, or resolves `fallback` on timeout / no connection. */
  const ask = <T>(msg: Record<string, unknown>, fallback: T, timeoutMs: number): Promise<T> =>
    new Promise((resolve) => {
      if (!socket.isOpen) return resolve(fallback);
      const id = String(nextId++);
      const t = setTimeout(() => {
        pending.delete(id);
        resolve(fallback);
      }, timeoutMs);
      pending.set(id, (v) => {
        clearTimeout(t);
        pending.delete(id);
        resolve(v as T);
      });
      socket.send(JSON.stringify({ ...msg, id }));
    });

  // The hub relays devices per terminal: without `?terminal=` there is nothing to connect to.
  if (opts.terminalId) socket.start();
  return {
    kind: 'browser',
    onCard: (cb) => cards.add(cb),
    onCardRemoved: (cb) => removed.add(() => cb()),
    print: (ticket) => {
      const offline: PrintResult = { ok: false, code: 'NO_PRINTER', message: printFailureText('NO_PRINTER') };
      if (!socket.isOpen) return Promise.resolve(offline);
      return ask<PrintResult>(
        { type: 'print', ticket },
        { ok: false, code: 'TIMEOUT', message: printFailureText('TIMEOUT') },
        opts.printTimeoutMs ?? 15_000,
      );
    },
    deviceStatus: () => ask<DeviceStatusEntry[]>({ type: 'status' }, [], 5000),
    onDeviceStatus: (cb) => status.add(cb),
    reportInventory: (inv) => {
      // Only a terminal's own bridge (its local origin, no token) keeps an inventory.
      if (opts.token) return;
      inventory = JSON.stringify({ type: 'inventory', ...inv });
      socket.send(inventory);
    },
    close: () => {
      socket.stop();
      cards.clear();
      removed.clear();
      status.clear();
    },
  };
}
