/**
 * The ticket: the number large, the people ahead, the estimated wait, and what the printer did.
 * When printing fails the screen says so plainly, keeps the number, and shows a QR code to photograph.
 */
import QRCode from 'qrcode';
import { useEffect, useState } from 'react';
import type { ApiService, ApiTicket } from '../../shared/api-types.js';
import { waitText } from '../../shared/components.js';
import { priorityText } from '../../shared/labels.js';
import { type PrintState, useKiosk } from '../kiosk-context.js';

export function TicketScreen({
  ticket,
  service,
  print,
}: {
  ticket: ApiTicket;
  service: ApiService;
  print: PrintState;
}) {
  const { say, finish } = useKiosk();
  const failed = print.state === 'done' && !print.result.ok ? print.result : null;
  // The same code the paper would carry: the URL the hub filled from the config's ticketText.qrUrl
  // (none when the hall has no QR URL, or no hub answered).
  const qrText = failed?.qr ?? null;
  const [qr, setQr] = useState<string | null>(null);

  useEffect(() => {
    const digits = ticket.number.split('').join(' ');
    say(`您的号码是 ${digits}，前面还有 ${ticket.ahead} 人。`);
  }, [say, ticket]);

  useEffect(() => {
    if (print.state !== 'done') return;
    if (print.result.ok) say('号票已打印，请取走号票，留意叫号');
    else
      say(
        print.result.qr
          ? `${print.result.message}。请记下号码，或用手机拍下屏幕上的二维码`
          : `${print.result.message}。请记下您的号码`,
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
    <section className="kiosk-ticket" aria-label="取号结果">
      <div className="kiosk-ticket-main">
        <p className="kiosk-ticket-service">{service.name}</p>
        <p className="kiosk-ticket-label">您的号码</p>
        <p className="kiosk-ticket-number" data-testid="ticket-number">
          {ticket.number}
        </p>
        {ticket.priority ? <p className="kiosk-badge">{priorityText(ticket.priority)}</p> : null}
        <p className="kiosk-ticket-ahead">
          前面还有 <b data-testid="ticket-ahead">{ticket.ahead}</b> 人 · {waitText(ticket.estimatedWaitSeconds)}
        </p>
      </div>
      <div className="kiosk-ticket-side">
        {print.state === 'printing' ? (
          <p className="kiosk-print printing" role="status">
            正在打印号票…
          </p>
        ) : failed ? (
          <div className="kiosk-print failed" role="alert" data-testid="print-failed">
            <p className="kiosk-print-title">⚠ {failed.message}</p>
            <p>
              号码已登记，不会作废。请记住您的号码 {ticket.number}
              {qrText ? '，或用手机拍下二维码' : ''}；需要纸质号票请咨询工作人员。
            </p>
            {qrText && qr ? (
              <img className="kiosk-qr" src={qr} alt={`号票二维码：${ticket.number}`} data-testid="ticket-qr" />
            ) : null}
          </div>
        ) : (
          <p className="kiosk-print ok" role="status" data-testid="print-ok">
            ✓ 号票已打印，请取走号票
          </p>
        )}
        <p className="kiosk-ticket-hint">请留意大厅显示屏和语音叫号</p>
        <button type="button" className="btn primary kiosk-big-btn" onClick={finish}>
          完成
        </button>
      </div>
    </section>
  );
}
