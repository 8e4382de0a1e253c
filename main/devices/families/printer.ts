/**
 * The ticket printer family: `TicketPrinter` (drivers/printer) on the device's link, its health
 * changes passed on as device status, and a status poll while idle so a paper change or an opened
 * cover is seen without a print.
 */

import { PrinterSimulator } from '../../../drivers/printer/printer-simulator.js';
import { TicketPrinter } from '../../../drivers/printer/ticket-printer.js';
import { type DeviceFamily, familyBasics } from '../device-family.js';
import type { PrintFailureCode } from '../types.js';

/** Status poll while idle. */
const STATUS_POLL_MS = 5000;

export const printerFamily: DeviceFamily<'printer'> = {
  ...familyBasics('printer'),
  testActions: ['print', 'status'],
  defaultBaud: 9600,
  open(link, device, sink) {
    const printer = new TicketPrinter(link, {
      width: device.options.width ?? 80,
      onStatusChange: (h) => sink.status(h.state, h.detail),
    });
    const stopPoll = printer.startPolling(STATUS_POLL_MS);
    // First look now, and again whenever the port comes back.
    const look = () => void printer.status().catch(() => undefined);
    const offState = link.onState((s) => {
      if (s.state === 'online') look();
    });
    if (link.state === 'online') look();
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
  },
  simulator(far) {
    const sim = new PrinterSimulator(far);
    return { sim, stop: () => sim.close() };
  },
};
