/**
 * The device bridge's messages (docs/devices.md「浏览器设备桥」), one implementation for both places
 * that serve it: the hub (`main/server/device-bridge-socket.ts`, terminals inside the hub's
 * process) and a terminal's own local origin (`main/terminal/local-bridge.ts`). A page therefore
 * speaks the same protocol to either, and the hall's part of a ticket is filled in the same way.
 *
 *   → page  { type: 'card', card } | { type: 'card.removed' } | { type: 'device.status', …entry }
 *           | { type: 'print.result', id, result } | { type: 'status.result', id, devices }
 *   ← page  { type: 'print', id, ticket } | { type: 'status', id }
 */
import { z } from 'zod';
import type { PrintResult, TicketPrint } from './types.js';

export const ticketPrintInput = z
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
    ticketCode: z.string().min(1).max(64).optional(),
    // Accepted for older kiosks, then replaced by the running config's (fillTicket).
    qr: z.string().max(500).optional(),
    header: z.string().max(200).optional(),
    footer: z.string().max(200).optional(),
  })
  .strict();

/** A device as the bridge shows it (`DeviceStatusEntry` of renderer/shared). */
export interface BridgeDeviceEntry {
  deviceId: string;
  kind: string;
  state: string;
  detail: string | null;
}

export const bridgeEntry = (d: BridgeDeviceEntry): BridgeDeviceEntry => ({
  deviceId: d.deviceId,
  kind: d.kind,
  state: d.state,
  detail: d.detail,
});

export interface BridgeDevices {
  /** The terminal's devices with their last state. */
  statuses(): BridgeDeviceEntry[];
  /** The ticket as it is printed: the page's facts plus the hall's texts and QR (fillTicket). */
  fill(t: TicketPrint): TicketPrint;
  /** Prints on the terminal's printer, or null when this side runs no printer for it. */
  print(t: TicketPrint): Promise<PrintResult> | null;
  /** The answer when `print` is null. */
  noPrinterMessage: string;
}

/** Answers one message of a page; `reply` may be called later (a print). Never throws. */
export function answerBridgeMessage(text: string, devices: BridgeDevices, reply: (m: Record<string, unknown>) => void) {
  let msg: { type?: unknown; id?: unknown; ticket?: unknown };
  try {
    msg = JSON.parse(text);
  } catch {
    return reply({ type: 'error', code: 'INVALID_JSON', message: '消息不是有效的 JSON' });
  }
  const id = typeof msg.id === 'string' || typeof msg.id === 'number' ? String(msg.id) : null;
  if (msg.type === 'status') return reply({ type: 'status.result', id, devices: devices.statuses().map(bridgeEntry) });
  if (msg.type === 'print') {
    const t = ticketPrintInput.safeParse(msg.ticket);
    if (!t.success)
      return reply({ type: 'print.result', id, result: { ok: false, code: 'ERROR', message: '打印内容不完整' } });
    // The hall's texts and QR URL come from the running config, whatever the page sent; the QR goes
    // back with the result so the screen shows the same code when the paper fails.
    const ticket = devices.fill(t.data);
    const qr = ticket.qr ? { qr: ticket.qr } : {};
    const printing = devices.print(ticket);
    if (!printing)
      return reply({
        type: 'print.result',
        id,
        result: { ok: false, code: 'NO_PRINTER', message: devices.noPrinterMessage, ...qr },
      });
    printing
      .then((result) => reply({ type: 'print.result', id, result: { ...result, ...qr } }))
      .catch(() =>
        reply({ type: 'print.result', id, result: { ok: false, code: 'ERROR', message: '打印失败', ...qr } }),
      );
    return;
  }
  reply({ type: 'error', code: 'UNKNOWN_MESSAGE', message: '不认识的消息类型' });
}
