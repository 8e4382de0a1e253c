/**
 * `/t/{ticketCode}`: the number, the service, people ahead and the wait, polled every few seconds
 * (no socket: a poll survives WeChat's browser, a sleeping phone and the guest Wi-Fi's proxies);
 * when called, a large "请到 3 号窗口" and a vibration where the phone allows it.
 */
import { t } from '../i18n/i18n.js';
import { api, h, isError, show } from './dom.js';

interface PublicTicket {
  number: string;
  serviceName: string;
  status: 'waiting' | 'called' | 'serving' | 'done' | 'skipped' | 'transferred' | 'cancelled';
  ahead: number;
  estimatedWaitSeconds: number;
  windowNo: number | null;
  calledAt: string | null;
  recallCount: number;
}

/** Seconds between polls: often enough to feel live, rare enough for 200 phones on one hub. */
export const POLL_SECONDS = 5;

const minutes = (s: number) => Math.max(1, Math.round(s / 60));

function render(tk: PublicTicket): void {
  if ((tk.status === 'called' || tk.status === 'serving') && tk.windowNo !== null) {
    show(
      h(
        'section',
        { class: 'card called', role: 'alert', 'data-testid': 'called' },
        h('p', { class: 'number', 'data-testid': 'number' }, tk.number),
        h('p', { class: 'go' }, t('phone.ticket.goTo', { window: tk.windowNo })),
        h('p', {}, tk.status === 'serving' ? t('phone.ticket.serving') : t('phone.ticket.calledNote')),
      ),
    );
    return;
  }
  const waiting = tk.status === 'waiting';
  show(
    h(
      'section',
      { class: 'card' },
      h('h1', { class: 'sr' }, t('phone.ticket.title')),
      h('p', { class: 'service' }, tk.serviceName),
      h('p', { class: 'number', 'data-testid': 'number' }, tk.number),
      waiting
        ? h(
            'div',
            { class: 'facts' },
            h('p', {}, h('b', { 'data-testid': 'ahead' }, String(tk.ahead)), t('phone.ticket.ahead')),
            h(
              'p',
              {},
              h('b', {}, tk.ahead === 0 ? t('phone.ticket.soon') : String(minutes(tk.estimatedWaitSeconds))),
              tk.ahead === 0 ? t('phone.ticket.next') : t('phone.ticket.minutes'),
            ),
          )
        : h('p', { class: 'status', 'data-testid': 'status' }, t(`phone.ticket.status.${tk.status}`)),
    ),
    h('p', { class: 'note' }, waiting ? t('phone.ticket.keepOpen') : t('phone.ticket.ask')),
  );
}

/** Starts following the ticket; returns what redraws it in another language. */
export function ticketPage(code: string): () => void {
  let last: PublicTicket | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const poll = async () => {
    clearTimeout(timer);
    const a = await api<PublicTicket>('GET', `/public/tickets/${encodeURIComponent(code)}`);
    let next = POLL_SECONDS;
    if (a.status === 200 && a.body && !isError(a.body)) {
      const tk = a.body;
      const newCall =
        tk.status === 'called' &&
        (last?.status !== 'called' || last.calledAt !== tk.calledAt || last.recallCount !== tk.recallCount);
      last = tk;
      render(tk);
      // A vibration once per call (and per recall): where the browser allows it, the phone buzzes.
      if (newCall && 'vibrate' in navigator) navigator.vibrate([400, 200, 400, 200, 400]);
      document.title = `${tk.number} · ${t('phone.ticket.title')}`;
      if (tk.status === 'done' || tk.status === 'cancelled') return;
    } else if (a.status === 404) {
      show(
        h(
          'section',
          { class: 'card' },
          h('h1', {}, t('phone.ticket.unknown')),
          h('p', {}, t('phone.ticket.unknownHint')),
        ),
      );
      return;
    } else {
      next = a.retryAfter ?? POLL_SECONDS * 2;
      if (last) render(last);
      const main = document.getElementById('main');
      main?.append(h('p', { class: 'error', role: 'status' }, a.status === 0 ? t('phone.offline') : t('phone.busy')));
    }
    timer = setTimeout(poll, next * 1000);
  };
  // Back from the background (a locked phone): ask at once instead of waiting for the timer.
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') void poll();
  });
  void poll();
  return () => {
    if (last) render(last);
  };
}
