/**
 * What a queue ticket carries to the printer: the ticket's facts from the kiosk, the hall's texts and
 * QR filled in by the hub. One shape for the kiosk page, the device bridge, the device service and
 * the ticket layout, so a field is named once.
 */
export interface TicketPrint {
  hallName: string;
  /** The ticket number as called, e.g. `A012`. */
  number: string;
  serviceName: string;
  /** Tickets waiting before this one. */
  ahead: number;
  estimatedWaitSeconds?: number;
  /** ISO 8601 with the hall's offset (`2026-11-23T09:05:00+08:00`) or text printed as it is. */
  issuedAt: string;
  /** Priority label, e.g. 老年人优先 (the label, not the code). */
  priority?: string | null;
  /** Applicant name; printed masked (张*三) whatever is passed. */
  applicantName?: string | null;
  /** The ticket's id (fills `{ticketId}` of the config's QR URL). */
  ticketId?: string;
  /**
   * The ticket's code from the issue's `201` answer (fills `{ticketCode}`: the phone page
   * `{publicBaseUrl}/t/{ticketCode}`). Never printed as text; only inside the QR.
   */
  ticketCode?: string;
  /**
   * Hall texts and the QR: filled by the hub from the running config's `ticketText`
   * (`main/devices/ticket-fill.ts`; a terminal's own values are ignored, so every client prints
   * the same ticket). See docs/devices.md.
   */
  qr?: string;
  /** Line above the hall name (config `ticketText.header`). */
  header?: string;
  /** The short notice at the bottom (config `ticketText.footer`). */
  footer?: string;
}
