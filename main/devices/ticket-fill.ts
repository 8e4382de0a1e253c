/**
 * The hall's part of a printed ticket. A terminal sends only the ticket's facts (number, service,
 * people ahead, time, priority label, masked applicant, ticket id); the hub fills in what the
 * running hall config says — hall name, header, footer (notice) and the QR URL of
 * `ticketText.qrUrl` — so every client prints the same ticket and a config edit shows on the next
 * ticket without touching the terminals.
 */
import { qrUrlFor } from '../../drivers/printer/ticket-layout.js';
import type { HallConfig } from '../../kiosk-config/hall-config.js';
import type { TicketPrint } from './types.js';

/**
 * The QR content of a ticket: `ticketText.qrUrl` with `{publicBaseUrl}`, `{ticketCode}`,
 * `{baseUrl}`, `{ticketId}`, `{number}` filled in; null when the hall has no QR URL, or the template needs a ticket id the terminal did not send.
 */
export function ticketQrUrl(
  config: Pick<HallConfig, 'ticketText'> & { public?: { baseUrl: string } | undefined },
  t: { ticketId?: string | null; ticketCode?: string | null; number: string },
  baseUrl: string,
): string | null {
  const template = config.ticketText.qrUrl?.trim();
  if (!template) return null;
  if (template.includes('{ticketId}') && !t.ticketId) return null;
  // A ticket issued without a code (an old kiosk) gets no QR rather than a link to nowhere.
  if (template.includes('{ticketCode}') && !t.ticketCode) return null;
  return qrUrlFor(template, {
    ticketId: t.ticketId ?? '',
    ticketCode: t.ticketCode ?? '',
    number: t.number,
    baseUrl,
    publicBaseUrl: config.public?.baseUrl ?? baseUrl,
  });
}

/** The ticket as it is printed: the terminal's facts plus the hall's texts and QR URL. */
export function fillTicket(
  t: TicketPrint,
  config: Pick<HallConfig, 'hall' | 'ticketText'> & { public?: { baseUrl: string } | undefined },
  baseUrl: string,
): TicketPrint {
  const { qr: _sentQr, header: _sentHeader, footer: _sentFooter, ...facts } = t;
  const qr = ticketQrUrl(config, t, baseUrl);
  const header = config.ticketText.header.trim();
  const footer = config.ticketText.footer.trim();
  return {
    ...facts,
    hallName: config.hall.name,
    ...(header ? { header } : {}),
    ...(footer ? { footer } : {}),
    ...(qr ? { qr } : {}),
  };
}
