/**
 * The hub's device bridge (`/api/v1/devices/bridge`, docs/devices.md「浏览器设备桥」) for terminals
 * whose devices run in the hub's process (the embedded hall): a page uses its terminal's devices —
 * it gets the card reads and device statuses of its terminal and asks for tickets to be printed, the
 * hall's part of the ticket filled in by the hub. Only the terminal's own paired token opens it (a
 * card read is personal data); a terminal of its own (`govhall terminal`) serves the same bridge
 * on its local origin instead.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import { answerBridgeMessage, bridgeEntry } from '../devices/bridge-protocol.js';
import type { DeviceService } from '../devices/device-service.js';
import { fillTicket } from '../devices/ticket-fill.js';
import type { CardData } from '../devices/types.js';
import { closeRevoked } from './credential-watch.js';
import type { DeviceHealthTable } from './device-health-table.js';
import type { Caller, HubContext } from './hub-plugin.js';

export const BRIDGE_PATH = '/api/v1/devices/bridge';

export interface DeviceBridgeSocket {
  /** Takes the bridge's upgrade; false for any other path. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, url: URL): boolean;
  /** Sends a message to every bridge page of a terminal. */
  send(terminal: string, msg: Record<string, unknown>): void;
  /**
   * Sends a card read to every bridge page of its terminal, each with a read id of its own (for the
   * case lookup by card, see card-reads.ts); each delivery of clear card data is audited.
   */
  sendCard(terminal: string, card: CardData): void;
  close(): void;
}

export function deviceBridgeSocket(
  ctx: HubContext,
  table: DeviceHealthTable,
  service: DeviceService | null,
): DeviceBridgeSocket {
  const clients = new Set<{ ws: WebSocket; terminal: string; caller: Caller }>();
  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });

  const send = (terminal: string, msg: Record<string, unknown>) => {
    const text = JSON.stringify(msg);
    for (const c of clients) {
      if (c.terminal !== terminal || c.ws.readyState !== c.ws.OPEN) continue;
      try {
        c.ws.send(text);
      } catch {
        // closed under us; its close handler removes it
      }
    }
  };

  const sendCard = (terminal: string, card: CardData) => {
    for (const c of clients) {
      if (c.terminal !== terminal || c.ws.readyState !== c.ws.OPEN) continue;
      // The row first: clear card data that cannot be put on record (a full disk) is not sent.
      ctx.audit({
        actor: ctx.actorOf(c.caller),
        action: 'card.read',
        subject: terminal,
        result: 'ok',
        detail: { certType: card.certType },
      });
      const readId = ctx.cardReads.issue({ certNo: card.certNo, terminal }, c.caller.bearer);
      try {
        c.ws.send(JSON.stringify({ type: 'card', card: { ...card, readId } }));
      } catch {
        // closed under us; its close handler removes it
      }
    }
  };

  const attach = (ws: WebSocket, terminal: string, baseUrl: string, caller: Caller) => {
    const client = { ws, terminal, caller };
    clients.add(client);
    // A revoked token or ended session loses the bridge (card reads included) within a second.
    const unwatch = ctx.watchCredential(caller.bearer, () => {
      clients.delete(client);
      closeRevoked(ws);
    });
    ws.once('close', unwatch);
    const reply = (m: Record<string, unknown>) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(m));
    };
    for (const r of table.ofTerminal(terminal)) reply({ type: 'device.status', ...bridgeEntry(r) });
    const devices = {
      statuses: () => table.ofTerminal(terminal),
      fill: (t: Parameters<typeof fillTicket>[0]) => fillTicket(t, ctx.engine.config, baseUrl),
      print: (t: Parameters<typeof fillTicket>[0]) => service?.print(terminal, t) ?? null,
      noPrinterMessage: '此中枢不管理该终端的打印机',
    };
    ws.on('message', (data) => answerBridgeMessage(data.toString(), devices, reply));
    const gone = () => clients.delete(client);
    ws.on('close', gone);
    ws.on('error', gone);
  };

  const refuse = (socket: Duplex, status: string, code: string, message: string) =>
    socket.end(
      `HTTP/1.1 ${status}\r\ncontent-type: application/json; charset=utf-8\r\nconnection: close\r\n\r\n${JSON.stringify({ code, message })}`,
    );

  // A revoked (or re-paired) terminal loses its bridge at once.
  const offClosed = ctx.onTerminalClosed((id) => {
    for (const c of [...clients]) {
      if (c.terminal !== id) continue;
      clients.delete(c);
      c.ws.close(4401, 'revoked');
    }
  });

  return {
    send,
    sendCard,
    upgrade(req, socket, head, url) {
      if (url.pathname !== BRIDGE_PATH) return false;
      const caller = ctx.authenticate(req, url.searchParams.get('token'));
      if (!caller) {
        refuse(socket, '401 Unauthorized', 'UNAUTHORIZED', '缺少或无效的令牌，请先配对终端（govhall terminal）');
        return true;
      }
      // A terminal's card reads and printer are its own: only its own paired token opens them.
      if (caller.kind !== 'device' || !caller.terminal) {
        refuse(
          socket,
          '403 Forbidden',
          'TERMINAL_TOKEN_REQUIRED',
          '设备桥只接受该终端自己的令牌：请用 govhall terminal 配对终端，由终端提供设备桥',
        );
        return true;
      }
      const terminal = caller.terminal.id;
      const asked = url.searchParams.get('terminal');
      if (asked !== null && asked !== '' && asked !== terminal) {
        refuse(
          socket,
          '403 Forbidden',
          'WRONG_TERMINAL',
          `本令牌属于终端「${terminal}」，不能使用终端「${asked}」的设备`,
        );
        return true;
      }
      if (!table.terminals.has(terminal)) {
        refuse(socket, '404 Not Found', 'UNKNOWN_TERMINAL', `大厅配置中没有终端「${terminal}」`);
        return true;
      }
      wss.handleUpgrade(req, socket, head, (ws) => attach(ws, terminal, hubBaseUrl(req), caller));
      return true;
    },
    close() {
      offClosed();
      for (const c of clients) c.ws.terminate();
      clients.clear();
      wss.close();
    },
  };
}

/**
 * The hub's address as the terminal reached it (`{baseUrl}` of the ticket QR URL): the Host header,
 * and https when a reverse proxy says so.
 */
export function hubBaseUrl(req: IncomingMessage): string {
  const fwd = req.headers['x-forwarded-proto'];
  const proto = (Array.isArray(fwd) ? fwd[0] : fwd)?.split(',')[0]?.trim() === 'https' ? 'https' : 'http';
  const host = req.headers.host ?? '127.0.0.1';
  return `${proto}://${host}`;
}
