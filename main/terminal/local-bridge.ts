/**
 * The device bridge on the terminal's local origin (`/api/v1/devices/bridge`): the same messages as
 * the hub's (main/devices/bridge-protocol.ts), served from this PC's own device service — card
 * reads never leave the terminal except as the page sends them on, and no token is involved (the
 * origin is the terminal's own). The hall's part of a ticket comes from the configuration the hub
 * sent (hall name, header, footer, QR address on the hub).
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import type { HallConfig } from '../../kiosk-config/hall-config.js';
import { answerBridgeMessage, type BridgeDevices, bridgeEntry } from '../devices/bridge-protocol.js';
import { fillTicket } from '../devices/ticket-fill.js';
import type { DeviceServiceEvents, DeviceStatus, PrintResult, TicketPrint } from '../devices/types.js';
import type { TerminalConfigView } from './terminal-types.js';

export const LOCAL_BRIDGE_PATH = '/api/v1/devices/bridge';

/** The devices of one terminal as the bridge needs them (`TerminalDevices`, or the embedded hall's service for one terminal). */
export interface TerminalDeviceSource {
  statuses(): DeviceStatus[];
  readonly service: { print(terminal: string, t: TicketPrint): Promise<PrintResult> } | null;
  on<K extends 'status' | 'card' | 'card.removed'>(type: K, cb: (e: DeviceServiceEvents[K]) => void): () => void;
}

export interface LocalBridgeOptions {
  devices: TerminalDeviceSource;
  hubUrl: string;
  /** The configuration in use (null while unpaired: the bridge then has no devices). */
  config(): TerminalConfigView | null;
}

export function localBridge(o: LocalBridgeOptions) {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  const clients = new Set<WebSocket>();
  const broadcast = (m: Record<string, unknown>) => {
    const text = JSON.stringify(m);
    for (const ws of clients) if (ws.readyState === ws.OPEN) ws.send(text);
  };
  const offs = [
    o.devices.on('card', (e) => broadcast({ type: 'card', card: e.card })),
    o.devices.on('card.removed', () => broadcast({ type: 'card.removed' })),
    o.devices.on('status', (s) => broadcast({ type: 'device.status', ...bridgeEntry(s) })),
  ];
  const devices: BridgeDevices = {
    statuses: () => o.devices.statuses(),
    fill: (t) => {
      const c = o.config();
      if (!c) return t;
      return fillTicket(
        t,
        {
          hall: { name: c.hall.name } as HallConfig['hall'],
          ticketText: c.ticketText,
          ...(c.publicBaseUrl ? { public: { baseUrl: c.publicBaseUrl } } : {}),
        },
        o.hubUrl,
      );
    },
    print: (t) => {
      const c = o.config();
      const service = o.devices.service;
      return c && service ? service.print(c.terminalId, t) : null;
    },
    noPrinterMessage: '本终端没有可用的打印机',
  };

  return {
    upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
      wss.handleUpgrade(req, socket, head, (ws) => {
        clients.add(ws);
        const reply = (m: Record<string, unknown>) => {
          if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(m));
        };
        for (const s of o.devices.statuses()) reply({ type: 'device.status', ...bridgeEntry(s) });
        ws.on('message', (data) => answerBridgeMessage(data.toString(), devices, reply));
        const gone = () => clients.delete(ws);
        ws.on('close', gone);
        ws.on('error', gone);
      });
    },
    /** Closes every page's bridge (the terminal was revoked: nothing of its devices stays open). */
    closeAll(): void {
      for (const ws of clients) ws.close(4401, 'revoked');
      clients.clear();
    },
    close(): void {
      for (const off of offs) off();
      for (const ws of clients) ws.terminate();
      clients.clear();
      wss.close();
    },
  };
}
