/**
 * The ticket printer in the device service: `TicketPrinter` (drivers/printer) on the device's link,
 * its health changes passed on as device status, and a status poll while idle so a paper change or
 * an opened cover is seen without a print.
 */

import { PrinterSimulator } from '../../drivers/printer/printer-simulator.js';
import { TicketPrinter } from '../../drivers/printer/ticket-printer.js';
import type { ByteLink } from '../../drivers/transport/byte-link.js';
import type { DeviceConfig } from '../../kiosk-config/devices-schema.js';
import type { DeviceLink } from './device-link.js';
import type { DriverHandle, DriverSink } from './device-service.js';
import type { PrintFailureCode } from './types.js';

export interface PrinterDriverOptions {
  /** Status poll while idle (default 5000 ms). */
  pollMs?: number;
  replyTimeoutMs?: number;
}

export function printerDriver(opts: PrinterDriverOptions = {}) {
  return (link: DeviceLink, device: DeviceConfig, sink: DriverSink): DriverHandle => {
    const printer = new TicketPrinter(link, {
      width: device.width ?? 80,
      ...(opts.replyTimeoutMs !== undefined ? { replyTimeoutMs: opts.replyTimeoutMs } : {}),
      onStatusChange: (h) => sink.status(h.state, h.detail),
    });
    const stopPoll = printer.startPolling(opts.pollMs ?? 5000);
    // First look now, and again whenever the port comes back.
    const look = () => void printer.status().catch(() => undefined);
    const offState = link.onState((s) => {
      if (s.connected) look();
    });
    if (link.connected) look();
    return {
      stop: async () => {
        offState();
        stopPoll();
        printer.close();
      },
      // A status request; its answer reaches the sink through onStatusChange.
      refresh: async () => {
        await printer.status();
      },
      print: async (ticket) => {
        const r = await printer.tryPrintTicket(ticket);
        if (r.ok) return r;
        const code: PrintFailureCode =
          r.code === 'WRITE_FAILED' ? 'ERROR' : r.code === 'CLOSED' ? 'OFFLINE' : (r.code as PrintFailureCode);
        return { ok: false, code, message: r.message };
      },
    };
  };
}

export function printerSimulator(link: ByteLink): PrinterSimulator {
  return new PrinterSimulator(link);
}
