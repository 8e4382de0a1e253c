/**
 * 当前号码: the window's current ticket with the applicant in full — the hub reveals it only to the
 * session serving it, so it is fetched on this session's token (masked for everyone else).
 */
import { type ReactNode, useEffect, useState } from 'react';
import type { ApiHall, ApiTicket, ApiWindow } from '../shared/api-types.js';
import { useServices } from '../shared/app.js';
import { useNow } from '../shared/hooks.js';
import { priorityText } from '../shared/labels.js';
import { durationText } from './actions.js';

/** The window's current ticket, fetched again when the window's state changes (called → serving). */
export function useCurrentTicket(win: ApiWindow | null): ApiTicket | null {
  const { client } = useServices();
  const [ticket, setTicket] = useState<ApiTicket | null>(null);
  const currentId = win?.current?.id ?? null;
  // biome-ignore lint/correctness/useExhaustiveDependencies: state is a refetch trigger, not an input.
  useEffect(() => {
    if (!currentId) {
      setTicket(null);
      return;
    }
    let alive = true;
    client.ticket(currentId).then(
      (t) => alive && setTicket(t),
      () => undefined,
    );
    return () => {
      alive = false;
    };
  }, [client, currentId, win?.state]);
  return currentId ? ticket : null;
}

export function CurrentTicket({
  hall,
  win,
  ticket,
  children,
}: {
  hall: ApiHall | null;
  win: ApiWindow | null;
  ticket: ApiTicket | null;
  /** Below the ticket: whether the citizen rated the last case. */
  children?: ReactNode;
}) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region needs keyboard access (axe scrollable-region-focusable).
    <section className="card c-current" aria-labelledby="current-title" tabIndex={0}>
      <h2 id="current-title">当前号码</h2>
      {ticket ? (
        <TicketFacts ticket={ticket} serviceName={hall?.services.find((s) => s.code === ticket.serviceCode)?.name} />
      ) : (
        <p className="c-empty">
          {win?.state === 'paused'
            ? `窗口已暂停${win.pauseReason ? `：${win.pauseReason}` : ''}`
            : '当前没有号码，按「叫号」呼叫下一位'}
        </p>
      )}
      {children}
    </section>
  );
}

const STATUS_TEXT: Partial<Record<ApiTicket['status'], string>> = { called: '已呼叫，等待到场', serving: '办理中' };

function TicketFacts({ ticket, serviceName }: { ticket: ApiTicket; serviceName: string | undefined }) {
  const now = useNow(1000);
  const waitedSeconds =
    ticket.calledAt && ticket.issuedAt ? (Date.parse(ticket.calledAt) - Date.parse(ticket.issuedAt)) / 1000 : null;
  const sinceSeconds = (now - Date.parse(ticket.startedAt ?? ticket.calledAt ?? ticket.issuedAt)) / 1000;
  const priority = priorityText(ticket.priority);
  return (
    <div data-testid="current-ticket">
      <div className="c-number-line">
        <span className="c-number">{ticket.number}</span>
        <span className={`c-status ${ticket.status}`}>{STATUS_TEXT[ticket.status] ?? ticket.status}</span>
        {priority ? (
          <span className="c-priority">
            <span aria-hidden="true">★ </span>
            {priority}
          </span>
        ) : null}
      </div>
      <dl className="c-facts">
        <dt>业务</dt>
        <dd>{serviceName ?? ticket.serviceCode}</dd>
        <dt>申请人</dt>
        <dd>{ticket.applicant ? `${ticket.applicant.name}（${ticket.applicant.certNo}）` : '未登记（无证件取号）'}</dd>
        <dt>取号时间</dt>
        <dd>{ticket.issuedAt.slice(11, 19)}</dd>
        <dt>等候时长</dt>
        <dd>{waitedSeconds !== null ? durationText(waitedSeconds) : '—'}</dd>
        <dt>{ticket.status === 'serving' ? '已办理' : '已呼叫'}</dt>
        <dd>{durationText(sinceSeconds)}</dd>
        {ticket.recallCount ? (
          <>
            <dt>重呼次数</dt>
            <dd>{ticket.recallCount}</dd>
          </>
        ) : null}
      </dl>
    </div>
  );
}
