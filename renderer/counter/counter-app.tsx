/**
 * The window terminal (staff PC, 1366×768 and up): sign in with staff number, PIN and window; then
 * large action buttons with function-key shortcuts, the current ticket (full applicant details only
 * because this session serves it — the hub masks otherwise), the queue lengths of the window's
 * services, and the 办结 form. After 办结 the window's pad asks for a rating and this screen shows
 * whether the citizen rated (`evaluation.recorded` for that case).
 */
import { type FormEvent, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ApiTicket, ApiWindow } from '../shared/api-types.js';
import { type AppServices, ServicesProvider, useServices } from '../shared/app.js';
import { ConnectionBadge, ErrorBanner, HallClock, WINDOW_STATE_TEXT } from '../shared/components.js';
import { EventStream } from '../shared/event-stream.js';
import { useHall, useNow } from '../shared/hooks.js';
import { errorMessage, HubError } from '../shared/hub-client.js';
import { forget, recall, remember } from '../shared/token.js';
import {
  ACTIONS,
  type ActionSpec,
  actionForKey,
  type CounterAction,
  durationText,
  isEnabled,
  LEVEL_TEXT,
  PRIORITY_TEXT,
} from './actions.js';
import { FinishForm, type FinishResult, PauseForm, QueueDialog, SkipForm, TransferForm } from './counter-forms.js';
import './counter.css';

interface Session {
  token: string;
  staffNo: string;
  staffName: string | null;
  windowNo: number;
}

function loadSession(): Session | null {
  const token = recall('counter', 'session');
  const staffNo = recall('counter', 'staffNo');
  const windowNo = Number(recall('counter', 'sessionWindow'));
  if (!token || !staffNo || !Number.isInteger(windowNo) || windowNo < 1) return null;
  return { token, staffNo, staffName: null, windowNo };
}

function saveSession(s: Session | null) {
  if (!s) {
    for (const k of ['session', 'staffNo', 'sessionWindow']) forget('counter', k);
    return;
  }
  remember('counter', 'session', s.token);
  remember('counter', 'staffNo', s.staffNo);
  remember('counter', 'sessionWindow', String(s.windowNo));
}

export function CounterApp() {
  const base = useServices();
  const [session, setSession] = useState<Session | null>(() => loadSession());
  // Signed in, everything (hall, events, actions) runs on the staff session's own credential.
  const staffServices = useMemo<AppServices | null>(() => {
    if (!session) return null;
    return {
      ...base,
      client: base.client.withToken(session.token),
      events: new EventStream({ baseUrl: base.identity.hubUrl, token: session.token }),
    };
  }, [base, session]);
  useEffect(() => {
    staffServices?.events.start();
    return () => staffServices?.events.stop();
  }, [staffServices]);

  const signOut = useCallback(
    async (callHub: boolean) => {
      if (callHub && staffServices) await staffServices.client.signOut().catch(() => undefined);
      saveSession(null);
      setSession(null);
    },
    [staffServices],
  );

  if (!session || !staffServices) {
    return (
      <SignIn
        onSignedIn={(s) => {
          saveSession(s);
          setSession(s);
        }}
      />
    );
  }
  return (
    <ServicesProvider value={staffServices}>
      <CounterScreen session={session} onSignOut={signOut} />
    </ServicesProvider>
  );
}

function SignIn({ onSignedIn }: { onSignedIn: (s: Session) => void }) {
  const { client, identity } = useServices();
  const [staffNo, setStaffNo] = useState('');
  const [pin, setPin] = useState('');
  const [windowNo, setWindowNo] = useState(identity.windowNo ? String(identity.windowNo) : '');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const firstField = useRef<HTMLInputElement>(null);
  useEffect(() => firstField.current?.focus(), []);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const no = Number(windowNo);
    if (!staffNo.trim() || !pin || !Number.isInteger(no) || no < 1) {
      setError('请填写工号、PIN 和窗口号');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const r = await client.signIn(staffNo.trim(), pin, no);
      onSignedIn({ token: r.token, staffNo: r.staff.no, staffName: r.staff.name, windowNo: no });
    } catch (err) {
      setError(errorMessage(err));
      setPin('');
    } finally {
      setBusy(false);
    }
  };
  return (
    <main className="c-signin">
      <form className="card c-signin-card" onSubmit={submit} aria-labelledby="signin-title">
        <h1 id="signin-title">窗口签到</h1>
        <p className="muted">请输入工号、PIN 和窗口号</p>
        <label>
          工号
          <input
            name="staffNo"
            autoComplete="username"
            inputMode="numeric"
            value={staffNo}
            onChange={(e) => setStaffNo(e.target.value)}
            ref={firstField}
          />
        </label>
        <label>
          PIN
          <input
            name="pin"
            type="password"
            autoComplete="current-password"
            inputMode="numeric"
            value={pin}
            onChange={(e) => setPin(e.target.value)}
          />
        </label>
        <label>
          窗口号
          <input name="windowNo" inputMode="numeric" value={windowNo} onChange={(e) => setWindowNo(e.target.value)} />
        </label>
        <ErrorBanner message={error} />
        <button type="submit" className="btn primary c-signin-btn" disabled={busy}>
          {busy ? '正在签到…' : '签到'}
        </button>
      </form>
    </main>
  );
}

type Dialog = null | 'skip' | 'transfer' | 'pause' | 'finish' | 'queue';

function CounterScreen({ session, onSignOut }: { session: Session; onSignOut: (callHub: boolean) => void }) {
  const { client, events } = useServices();
  const { hall, error: hallError, reload } = useHall(15_000);
  const now = useNow(1000);
  const [ticket, setTicket] = useState<ApiTicket | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [rating, setRating] = useState<{ caseId: string; level: string | null; expired?: boolean } | null>(null);

  const win: ApiWindow | null = hall?.windows.find((w) => w.no === session.windowNo) ?? null;
  const state = win?.state ?? null;
  const currentId = win?.current?.id ?? null;

  // The hub reveals the applicant to this session only: fetch the current ticket with it (again when
  // the window's state changes, e.g. called → serving).
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

  useEffect(() => {
    const offs = [
      events.on('evaluation.recorded', (e) => {
        setRating((r) => (r && r.caseId === e.caseId ? { ...r, level: e.level } : r));
      }),
      // The pad timed out or the citizen declined: recorded as "not evaluated" (never a default rating).
      events.onEvent((e) => {
        const x = e as unknown as { type: string; caseId?: string };
        if (x.type === 'evaluation.expired')
          setRating((r) => (r && r.caseId === x.caseId && !r.level ? { ...r, expired: true } : r));
      }),
    ];
    return () => {
      for (const o of offs) o();
    };
  }, [events]);

  const handleError = useCallback(
    (e: unknown) => {
      if (e instanceof HubError && e.status === 401) {
        onSignOut(false);
        return;
      }
      setError(errorMessage(e));
    },
    [onSignOut],
  );

  const act = useCallback(
    async (action: CounterAction | 'call', body?: unknown, done?: string) => {
      setBusy(true);
      setError(null);
      setMessage(null);
      try {
        const out = await client.windowAction<ApiTicket | undefined>(session.windowNo, action, body);
        if (action === 'call-next' && out === undefined) setMessage('当前没有等候的群众');
        else if (done) setMessage(done);
        else if (action === 'call-next' && out) setMessage(`已呼叫 ${out.number}`);
        if (action === 'call-next' || action === 'call') setRating(null);
        reload();
        return out;
      } catch (e) {
        handleError(e);
        return undefined;
      } finally {
        setBusy(false);
      }
    },
    [client, session.windowNo, reload, handleError],
  );

  const trigger = useCallback(
    (a: ActionSpec) => {
      if (busy || dialog || !isEnabled(a, state)) return;
      if (a.form) setDialog(a.action as Dialog);
      else void act(a.action, undefined, a.action === 'recall' ? '已重呼' : undefined);
    },
    [busy, dialog, state, act],
  );

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const a = actionForKey(e.key);
      if (!a) return;
      e.preventDefault();
      trigger(a);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [trigger]);

  const services = useMemo(
    () => (hall && win ? hall.services.filter((s) => win.services.includes(s.code)) : []),
    [hall, win],
  );
  const waitedSeconds =
    ticket?.calledAt && ticket.issuedAt ? (Date.parse(ticket.calledAt) - Date.parse(ticket.issuedAt)) / 1000 : null;
  const sinceSeconds = ticket
    ? (now - Date.parse(ticket.startedAt ?? ticket.calledAt ?? ticket.issuedAt)) / 1000
    : null;

  const onFinished = (r: FinishResult) => {
    setDialog(null);
    setRating({ caseId: r.caseId, level: null });
    setMessage('已办结，已请群众在评价器上评价');
    reload();
  };

  return (
    <div className="counter">
      <header className="c-header">
        <h1>
          {session.windowNo}号窗口 <span className="c-window-name">{win?.name ?? ''}</span>
        </h1>
        <span className="c-staff">
          工号 {session.staffNo}
          {session.staffName ? ` · ${session.staffName}` : ''}
        </span>
        <HallClock showDate={false} className="c-clock" />
        <ConnectionBadge />
        <button type="button" className="btn" onClick={() => onSignOut(true)}>
          签退
        </button>
      </header>

      <main className="c-main">
        {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region needs keyboard access (axe scrollable-region-focusable). */}
        <section className="card c-current" aria-labelledby="current-title" tabIndex={0}>
          <h2 id="current-title">当前号码</h2>
          {ticket && currentId ? (
            <div data-testid="current-ticket">
              <div className="c-number-line">
                <span className="c-number">{ticket.number}</span>
                <span className={`c-status ${ticket.status}`}>
                  {ticket.status === 'called'
                    ? '已呼叫，等待到场'
                    : ticket.status === 'serving'
                      ? '办理中'
                      : ticket.status}
                </span>
                {ticket.priority ? (
                  <span className="c-priority">
                    <span aria-hidden="true">★ </span>
                    {PRIORITY_TEXT[ticket.priority] ?? '优先'}
                  </span>
                ) : null}
              </div>
              <dl className="c-facts">
                <dt>业务</dt>
                <dd>{hall?.services.find((s) => s.code === ticket.serviceCode)?.name ?? ticket.serviceCode}</dd>
                <dt>申请人</dt>
                <dd>
                  {ticket.applicant ? `${ticket.applicant.name}（${ticket.applicant.certNo}）` : '未登记（无证件取号）'}
                </dd>
                <dt>取号时间</dt>
                <dd>{ticket.issuedAt.slice(11, 19)}</dd>
                <dt>等候时长</dt>
                <dd>{waitedSeconds !== null ? durationText(waitedSeconds) : '—'}</dd>
                <dt>{ticket.status === 'serving' ? '已办理' : '已呼叫'}</dt>
                <dd>{sinceSeconds !== null ? durationText(sinceSeconds) : '—'}</dd>
                {ticket.recallCount ? (
                  <>
                    <dt>重呼次数</dt>
                    <dd>{ticket.recallCount}</dd>
                  </>
                ) : null}
              </dl>
            </div>
          ) : (
            <p className="c-empty">
              {state === 'paused'
                ? `窗口已暂停${win?.pauseReason ? `：${win.pauseReason}` : ''}`
                : '当前没有号码，按「叫号」呼叫下一位'}
            </p>
          )}
          {rating ? (
            <p
              className={`c-rating ${rating.level ? `done ${BAD_LEVELS.has(rating.level) ? 'bad' : 'good'}` : ''}`}
              role="status"
              data-testid="rating-status"
            >
              {rating.level
                ? `群众已评价：${LEVEL_TEXT[rating.level] ?? rating.level}`
                : rating.expired
                  ? '群众未评价（已记为未评价，可在取号机补充评价）'
                  : '已请群众在评价器上评价，等待评价…'}
            </p>
          ) : null}
        </section>

        <section className="c-actions" aria-label="窗口操作">
          {ACTIONS.map((a) => (
            <button
              key={a.action}
              type="button"
              className={`btn c-action ${a.action === 'call-next' || a.action === 'finish' ? 'primary' : ''}`}
              disabled={busy || !isEnabled(a, state)}
              onClick={() => trigger(a)}
              aria-keyshortcuts={a.key}
            >
              <span className="c-action-label">{a.label}</span>
              <kbd className="c-key">{a.key}</kbd>
            </button>
          ))}
        </section>

        {/* Focusable: with many services the list scrolls, and a keyboard user must reach it. */}
        {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region needs keyboard access (axe scrollable-region-focusable). */}
        <section className="card c-queues" aria-labelledby="queues-title" tabIndex={0}>
          <h2 id="queues-title">本窗口业务等候</h2>
          <ul>
            {services.map((s) => (
              <li key={s.code}>
                <span>{s.name}</span>
                <span className="c-wait">
                  <b>{s.waiting}</b> 人等候
                </span>
              </li>
            ))}
          </ul>
          <div className="c-queue-foot">
            <span className="muted">窗口状态：{WINDOW_STATE_TEXT[state ?? 'closed']}</span>
            <button type="button" className="btn" onClick={() => setDialog('queue')}>
              查看队列 / 选号呼叫
            </button>
          </div>
        </section>
      </main>

      <div className="c-messages" aria-live="polite">
        <ErrorBanner message={error ?? (hall ? null : hallError)} />
        {message ? <p className="c-message">{message}</p> : null}
      </div>

      {dialog === 'skip' ? (
        <SkipForm
          onCancel={() => setDialog(null)}
          onSubmit={async (requeue) => {
            setDialog(null);
            await act('skip', { requeue }, requeue ? '已过号，该号回到队尾一次' : '已过号');
          }}
        />
      ) : null}
      {dialog === 'pause' ? (
        <PauseForm
          onCancel={() => setDialog(null)}
          onSubmit={async (reason) => {
            setDialog(null);
            await act('pause', { reason }, `窗口已暂停：${reason}`);
          }}
        />
      ) : null}
      {dialog === 'transfer' && hall ? (
        <TransferForm
          hall={hall}
          fromWindow={session.windowNo}
          onCancel={() => setDialog(null)}
          onSubmit={async (body) => {
            setDialog(null);
            await act('transfer', body, '已转移');
          }}
        />
      ) : null}
      {dialog === 'queue' ? (
        <QueueDialog
          windowNo={session.windowNo}
          services={services}
          canCall={state === 'idle' && !busy}
          onCancel={() => setDialog(null)}
          onCall={async (ticketId) => {
            setDialog(null);
            const t = await act('call', { ticketId });
            if (t) setMessage(`已呼叫 ${t.number}`);
          }}
        />
      ) : null}
      {dialog === 'finish' && ticket ? (
        <FinishForm
          windowNo={session.windowNo}
          ticket={ticket}
          onCancel={() => setDialog(null)}
          onFinished={onFinished}
          onError={handleError}
        />
      ) : null}
    </div>
  );
}

/**
 * 差评 levels: the counter reports them in a neutral, informational box, not the green of a
 * success (the words already say 不满意; colour is never the only signal).
 */
const BAD_LEVELS: ReadonlySet<string> = new Set(['dissatisfied', 'very_dissatisfied']);
