/**
 * The ticket: the number large, the people ahead, the estimated wait, and what the printer did.
 * When printing fails the screen says so plainly, keeps the number, and shows a QR code to photograph.
 */
import QRCode from 'qrcode';
import { useEffect, useState } from 'react';
import { t } from '../../i18n/i18n.js';
import type { ApiService, ApiTicket } from '../../shared/api-types.js';
import { priorityText } from '../../shared/labels.js';
import { type PrintState, useKiosk } from '../kiosk-context.js';
import { waitLabel } from '../wait-label.js';

export function TicketScreen({
  ticket,
  service,
  print,
}: {
  ticket: ApiTicket;
  service: ApiService;
  print: PrintState;
}) {
  const { say, finish, lang } = useKiosk();
  const failed = print.state === 'done' && !print.result.ok ? print.result : null;
  // The same code the paper would carry: the URL the hub filled from the config's ticketText.qrUrl
  // (none when the hall has no QR URL, or no hub answered).
  const qrText = failed?.qr ?? null;
  const [qr, setQr] = useState<string | null>(null);

  // biome-ignore lint/correctness/useExhaustiveDependencies: said again in the new language
  useEffect(() => {
    const digits = ticket.number.split('').join(' ');
    say(t('kiosk.ticket.say', { digits, n: ticket.ahead }));
  }, [say, ticket, lang]);

  useEffect(() => {
    if (print.state !== 'done') return;
    if (print.result.ok) say(t('kiosk.ticket.printedSay'));
    else
      say(
        t(print.result.qr ? 'kiosk.ticket.failedQrSay' : 'kiosk.ticket.failedSay', { message: print.result.message }),
      );
  }, [print, say]);

  useEffect(() => {
    if (!qrText) return;
    let alive = true;
    QRCode.toDataURL(qrText, {
      margin: 1,
      width: 320,
      errorCorrectionLevel: 'M',
    })
      .then((url) => alive && setQr(url))
      .catch(() => alive && setQr(null));
    return () => {
      alive = false;
    };
  }, [qrText]);

  return (
    <section className="kiosk-ticket" aria-label={t('kiosk.ticket.label')}>
      <div className="kiosk-ticket-main">
        <p className="kiosk-ticket-service">{service.name}</p>
        <p className="kiosk-ticket-label">{t('kiosk.ticket.yourNumber')}</p>
        <p className="kiosk-ticket-number" data-testid="ticket-number">
          {ticket.number}
        </p>
        {ticket.priority ? <p className="kiosk-badge">{priorityText(ticket.priority)}</p> : null}
        <p className="kiosk-ticket-ahead">
          <span data-testid="ticket-ahead" data-n={ticket.ahead}>
            {t('kiosk.ticket.ahead', { n: ticket.ahead })}
          </span>{' '}
          · {waitLabel(ticket.estimatedWaitSeconds)}
        </p>
      </div>
      <div className="kiosk-ticket-side">
        {print.state === 'printing' ? (
          <p className="kiosk-print printing" role="status">
            {t('kiosk.ticket.printing')}
          </p>
        ) : failed ? (
          <div className="kiosk-print failed" role="alert" data-testid="print-failed">
            <p className="kiosk-print-title">⚠ {failed.message}</p>
            <p>
              {t('kiosk.ticket.kept', { number: ticket.number })}
              {qrText ? t('kiosk.ticket.keptQr') : ''}
              {t('kiosk.ticket.keptEnd')}
            </p>
            {qrText && qr ? (
              <img
                className="kiosk-qr"
                src={qr}
                alt={t('kiosk.ticket.qrAlt', { number: ticket.number })}
                data-testid="ticket-qr"
              />
            ) : null}
          </div>
        ) : (
          <p className="kiosk-print ok" role="status" data-testid="print-ok">
            {t('kiosk.ticket.printed')}
          </p>
        )}
        <p className="kiosk-ticket-hint">{t('kiosk.ticket.hint')}</p>
        <button type="button" className="btn primary kiosk-big-btn" onClick={finish}>
          {t('kiosk.ticket.done')}
        </button>
      </div>
    </section>
  );
}
