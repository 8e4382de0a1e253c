/**
 * The device bridge on the terminal's local origin (`/api/v1/devices/bridge`): the same messages as
 * the hub's (main/devices/bridge-protocol.ts), served from this PC's own device service, with no
 * token involved (the origin is the terminal's own). Of a card only the number and type go to the
 * hub, registered with the terminal's token for the id the kiosk looks cases up with. The hall's part of a ticket comes from the configuration the hub
 * sent (hall name, header, footer, QR address on the hub).
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import type { z } from 'zod';
import { inventoryBody } from '../../common/api/requests.js';
import type { HallConfig } from '../../kiosk-config/hall-config.js';
import { answerBridgeMessage, type BridgeDevices, bridgeEntry } from '../devices/bridge-protocol.js';
import { fillTicket } from '../devices/ticket-fill.js';
import type { CardEvent, DeviceServiceEvents, DeviceStatus, PrintResult, TicketPrint } from '../devices/types.js';
import type { TerminalConfigView } from './terminal-types.js';

export const LOCAL_BRIDGE_PATH = '/api/v1/devices/bridge';

/** The devices of one terminal as the bridge needs them (`TerminalDevices`, or the embedded hall's service for one terminal). */
export interface TerminalDeviceSource {
  statuses(): DeviceStatus[];
  readonly service: { print(terminal: string, t: TicketPrint): Promise<PrintResult> } | null;
  on<K extends 'status' | 'card' | 'card.removed'>(type: K, cb: (e: DeviceServiceEvents[K]) => void): () => void;
}

/**
 * Registers the terminal's card reads with the hub (`POST /terminals/me/card-reads`, the terminal's
 * token), so its kiosk page can look the holder's cases up by the read's id.
 */
export interface CardReadRegistry {
  /** The read's id, or null when the hub cannot give one now (the page then asks for the receipt code). */
  register(e: CardEvent): Promise<string | null>;
  /** The card left the reader. */
  removed(): void;
}

/** What a page reports it sees (`{ type: 'inventory', cameras, displays }`), checked like the hub checks it. */
export const pageInventoryMessage = inventoryBody.pick({ cameras: true, displays: true });
export type PageInventory = z.output<typeof pageInventoryMessage>;

export interface LocalBridgeOptions {
  devices: TerminalDeviceSource;
  /** A page told what it sees (cameras, displays). */
  pageInventory?: (inventory: PageInventory) => void;
  cardReads?: CardReadRegistry;
  hubUrl: string;
  /** The configuration in use (null while unpaired: the bridge then has no devices). */
  config(): TerminalConfigView | null;
}

export function localBridge(o: LocalBridgeOptions) {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  const clients = new Set<WebSocket>();
  // Listeners besides the pages' sockets: the Electron shell hands the same messages to its windows over IPC.
  const listeners = new Set<(m: Record<string, unknown>) => void>();
  const broadcast = (m: Record<string, unknown>) => {
    const text = JSON.stringify(m);
    for (const ws of clients) if (ws.readyState === ws.OPEN) ws.send(text);
    for (const l of [...listeners]) l(m);
  };
  // Bumped by every card and every removal: a read id that comes back after the card was taken
  // away (or another was put down) is not sent with a card that is no longer there.
  let cardSeq = 0;
  const onCard = async (e: CardEvent) => {
    const seq = ++cardSeq;
    const readId = o.cardReads ? await o.cardReads.register(e).catch(() => null) : null;
    if (seq !== cardSeq) return;
    broadcast({ type: 'card', card: readId ? { ...e.card, readId } : e.card });
  };
  const offs = [
    o.devices.on('card', (e) => void onCard(e)),
    o.devices.on('card.removed', () => {
      cardSeq++;
      broadcast({ type: 'card.removed' });
      o.cardReads?.removed();
    }),
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

  /** The messages only a terminal's own bridge takes, then the shared protocol. */
  const answer = (text: string, reply: (m: Record<string, unknown>) => void) => {
    let msg: { type?: unknown } | null = null;
    try {
      msg = JSON.parse(text);
    } catch {
      // the shared protocol answers INVALID_JSON
    }
    if (msg?.type === 'inventory') {
      const { type: _t, ...rest } = msg as Record<string, unknown>;
      const inv = pageInventoryMessage.safeParse(rest);
      if (inv.success) o.pageInventory?.(inv.data);
      return reply({ type: 'inventory.result', ok: inv.success });
    }
    answerBridgeMessage(text, devices, reply);
  };

  return {
    upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
      wss.handleUpgrade(req, socket, head, (ws) => {
        clients.add(ws);
        const reply = (m: Record<string, unknown>) => {
          if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(m));
        };
        for (const s of o.devices.statuses()) reply({ type: 'device.status', ...bridgeEntry(s) });
        ws.on('message', (data) => answer(data.toString(), reply));
        const gone = () => clients.delete(ws);
        ws.on('close', gone);
        ws.on('error', gone);
      });
    },
    /** Hears what the pages hear (cards with their read id, removals, device states); returns the unsubscribe. */
    subscribe(listener: (m: Record<string, unknown>) => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    /** Answers one page message (`print`, `status`) as the socket would; resolves with the first reply. */
    ask(msg: Record<string, unknown>): Promise<Record<string, unknown>> {
      return new Promise((resolve) => answer(JSON.stringify(msg), resolve));
    },
    /** Closes every page's bridge (the terminal was revoked: nothing of its devices stays open). */
    closeAll(): void {
      for (const ws of clients) ws.close(4401, 'revoked');
      clients.clear();
    },
    close(): void {
      listeners.clear();
      for (const off of offs) off();
      for (const ws of clients) ws.terminate();
      clients.clear();
      wss.close();
    },
  };
}
