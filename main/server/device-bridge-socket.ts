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
import { z } from 'zod';
import type { DeviceService } from '../devices/device-service.js';
import { fillTicket } from '../devices/ticket-fill.js';
import type { DeviceHealthTable, DeviceRow } from './device-health-table.js';
import type { HubContext } from './hub-plugin.js';

export const BRIDGE_PATH = '/api/v1/devices/bridge';

const ticketPrint = z
  .object({
    hallName: z.string().max(60),
    number: z.string().min(1).max(16),
    serviceName: z.string().max(60),
    ahead: z.number().int().min(0),
    estimatedWaitSeconds: z.number().int().min(0).optional(),
    issuedAt: z.string().max(40),
    priority: z.string().max(20).nullable().optional(),
    applicantName: z.string().max(40).nullable().optional(),
    ticketId: z.string().min(1).max(64).optional(),
    // Accepted for older kiosks, then replaced by the running config's (fillTicket).
    qr: z.string().max(500).optional(),
    header: z.string().max(200).optional(),
    footer: z.string().max(200).optional(),
  })
  .strict();

export interface DeviceBridgeSocket {
  /** Takes the bridge's upgrade; false for any other path. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, url: URL): boolean;
  /** Sends a message to every bridge page of a terminal. */
  send(terminal: string, msg: Record<string, unknown>): void;
  close(): void;
}

/** A device as the bridge shows it (`DeviceStatusEntry` of renderer/shared). */
const statusEntry = (r: DeviceRow) => ({ deviceId: r.deviceId, kind: r.kind, state: r.state, detail: r.detail });

export function deviceBridgeSocket(
  ctx: HubContext,
  table: DeviceHealthTable,
  service: DeviceService | null,
): DeviceBridgeSocket {
  const clients = new Set<{ ws: WebSocket; terminal: string }>();
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

  const attach = (ws: WebSocket, terminal: string, baseUrl: string) => {
    const client = { ws, terminal };
    clients.add(client);
    const reply = (m: Record<string, unknown>) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(m));
    };
    for (const r of table.ofTerminal(terminal)) reply({ type: 'device.status', ...statusEntry(r) });
    ws.on('message', (data) => {
      let msg: { type?: unknown; id?: unknown; ticket?: unknown };
      try {
        msg = JSON.parse(data.toString());
      } catch {
        return reply({ type: 'error', code: 'INVALID_JSON', message: '消息不是有效的 JSON' });
      }
      const id = typeof msg.id === 'string' || typeof msg.id === 'number' ? String(msg.id) : null;
      if (msg.type === 'status') {
        const devices = table.ofTerminal(terminal).map(statusEntry);
        return reply({ type: 'status.result', id, devices });
      }
      if (msg.type === 'print') {
        const t = ticketPrint.safeParse(msg.ticket);
        if (!t.success)
          return reply({ type: 'print.result', id, result: { ok: false, code: 'ERROR', message: '打印内容不完整' } });
        // The hall's texts and QR URL come from the running config, whatever the terminal sent; the
        // QR goes back with the result so the screen shows the same code when the paper fails.
        const ticket = fillTicket(t.data, ctx.engine.config, baseUrl);
        const qr = ticket.qr ? { qr: ticket.qr } : {};
        if (!service)
          return reply({
            type: 'print.result',
            id,
            result: { ok: false, code: 'NO_PRINTER', message: '此中枢不管理该终端的打印机', ...qr },
          });
        service
          .print(terminal, ticket)
          .then((result) => reply({ type: 'print.result', id, result: { ...result, ...qr } }))
          .catch(() =>
            reply({ type: 'print.result', id, result: { ok: false, code: 'ERROR', message: '打印失败', ...qr } }),
          );
        return;
      }
      reply({ type: 'error', code: 'UNKNOWN_MESSAGE', message: '不认识的消息类型' });
    });
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
      wss.handleUpgrade(req, socket, head, (ws) => attach(ws, terminal, hubBaseUrl(req)));
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
