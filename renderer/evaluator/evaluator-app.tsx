/**
 * The evaluation pad beside a window (800×1280 portrait or 1280×800). Idle: the staff member
 * serving at this window. On a rating request for this window (`evaluation.requested` event or the
 * pad link's `evaluate`): the five levels, nothing preselected; 差评 need a reason or text; a
 * thank-you; after a quiet spell back to idle, recorded as "not evaluated" (told to the hub over
 * the pad link when it is up, and kept on the pad either way; see docs/ui.md).
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { useBusySignal } from '../shared/activity-signal.js';
import type { ApiWindow, HubEventOf } from '../shared/api-types.js';
import { useServices } from '../shared/app.js';
import type { Catalogue } from '../shared/catalogue.js';
import { Avatar, ConnectionBadge, ErrorBanner, HallClock, WINDOW_STATE_TEXT } from '../shared/components.js';
import { useHallSettings } from '../shared/hall-settings.js';
import { useCatalogue, useHall } from '../shared/hooks.js';
import { errorMessage, HubError } from '../shared/hub-client.js';
import { ratingPageUrl, useQrDataUrl } from '../shared/qr.js';
import { type RatingChoice, RatingForm } from '../shared/rating-form.js';
import { useIdleReset } from '../shared/use-idle-reset.js';
import './evaluator.css';
import { PadLink, type PadWelcome, reasonsFromWelcome } from './pad-link.js';
import { knownStaffName, recordNotEvaluated, rememberStaffName } from './pad-memory.js';

/** The hub's reason codes (from the pad welcome) are the ones the platform accepts: prefer them. */
const padCatalogue = (w: PadWelcome): Catalogue => ({
  version: '',
  items: [],
  evaluationReasons: reasonsFromWelcome(w),
});

/** One rating request, from the event stream or the pad link. */
type RatingRequest = Pick<HubEventOf<'evaluation.requested'>, 'windowNo' | 'caseId' | 'evaluationRequestId' | 'staff'>;

type Phase = { name: 'idle' } | { name: 'rate'; request: RatingRequest } | { name: 'thanks' };

function settings() {
  const q = new URLSearchParams(window.location.search);
  const n = (k: string, d: number) => {
    const v = Number(q.get(k));
    return Number.isFinite(v) && v >= 3 ? v : d;
  };
  const rate = Number(q.get('rateTimeout'));
  return { rateOverride: Number.isFinite(rate) && rate >= 3 ? rate : null, thanksSeconds: n('thanksTimeout', 8) };
}

export function EvaluatorApp() {
  const { client, events, identity } = useServices();
  const { hall, error: hallError } = useHall(30_000);
  const [phase, setPhase] = useState<Phase>({ name: 'idle' });
  const cat = useCatalogue(client) ?? null;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [staffName, setStaffName] = useState<{ no: string; name: string } | null>(null);
  const [formKey, setFormKey] = useState(0);
  const phaseRef = useRef(phase);
  phaseRef.current = phase;
  const [{ rateOverride, thanksSeconds }] = useState(settings);
  const [pad, setPad] = useState<PadWelcome | null>(null);
  const linkRef = useRef<PadLink | null>(null);
  // The hub's own timeout when the pad link is up (it records "not evaluated" itself), else 60 s.
  const rateSeconds = rateOverride ?? pad?.evaluateTimeoutSeconds ?? 60;
  const windowNo = identity.windowNo;
  const win: ApiWindow | undefined = hall?.windows.find((w) => w.no === windowNo);
  // A rating asked for: the terminal does not update until the citizen is done.
  useBusySignal(`evaluator-${windowNo ?? 0}`, phase.name === 'rate');

  const startRequest = useCallback(
    (e: RatingRequest) => {
      if (windowNo !== null && e.windowNo !== windowNo) return;
      const prev = phaseRef.current;
      if (prev.name === 'rate' && prev.request.caseId === e.caseId) return; // same request from events and the pad link
      if (prev.name === 'rate') recordNotEvaluated(prev.request, 'replaced', false);
      if (e.staff) {
        setStaffName(e.staff);
        rememberStaffName(e.staff.no, e.staff.name);
      }
      setError(null);
      setFormKey((k) => k + 1);
      setPhase({ name: 'rate', request: e });
    },
    [windowNo],
  );
  useEffect(() => events.on('evaluation.requested', (e) => startRequest(e)), [events, startRequest]);
  // The hub gave up on the request (its timeout, or the citizen skipped on another pad).
  useEffect(
    () =>
      events.on('evaluation.expired', (e) => {
        const p = phaseRef.current;
        if (p.name === 'rate' && p.request.caseId === e.caseId) setPhase({ name: 'idle' });
      }),
    [events],
  );
  useEffect(() => {
    const link = new PadLink(
      { baseUrl: identity.hubUrl, token: identity.token, windowNo, terminalId: identity.terminalId },
      {
        // The hub sends welcome again whenever staff sign in or out at this window: the latest wins
        // (staff null = nobody signed in).
        welcome: (w) => {
          setPad(w);
          setStaffName(w.staff);
          if (w.staff) rememberStaffName(w.staff.no, w.staff.name);
        },
        evaluate: (e) =>
          startRequest({ windowNo: e.windowNo, caseId: e.caseId, evaluationRequestId: e.requestId, staff: e.staff }),
        cancel: (c) => {
          const p = phaseRef.current;
          if (p.name !== 'rate' || p.request.caseId !== c.caseId || busyRef.current) return;
          if (c.reason === 'rated') setPhase({ name: 'thanks' });
          else if (c.reason !== 'replaced') setPhase({ name: 'idle' });
        },
        down: () => setPad(null),
      },
    ).start();
    linkRef.current = link;
    return () => link.stop();
  }, [identity.hubUrl, identity.token, identity.terminalId, windowNo, startRequest]);

  // Another channel (the kiosk, a QR code) rated this case meanwhile: nothing left to ask.
  useEffect(
    () =>
      events.on('evaluation.recorded', (e) => {
        const p = phaseRef.current;
        if (p.name === 'rate' && p.request.caseId === e.caseId && !busyRef.current) setPhase({ name: 'thanks' });
      }),
    [events],
  );
  const busyRef = useRef(false);
  busyRef.current = busy;

  const timeout = useCallback(() => {
    const p = phaseRef.current;
    if (p.name === 'rate') {
      const told = linkRef.current?.dismiss(p.request.evaluationRequestId) ?? false;
      recordNotEvaluated(p.request, 'timeout', told);
    }
    setError(null);
    setPhase({ name: 'idle' });
  }, []);
  const idle = useIdleReset({
    idleSeconds: phase.name === 'thanks' ? thanksSeconds : rateSeconds,
    warnSeconds: phase.name === 'thanks' ? 0 : 10,
    active: phase.name !== 'idle',
    onReset: timeout,
  });

  const submit = async (r: RatingChoice) => {
    if (phase.name !== 'rate') return;
    setBusy(true);
    setError(null);
    try {
      await client.evaluate({
        caseId: phase.request.caseId,
        level: r.level,
        channel: 'pad',
        ...(r.reasons.length ? { reasons: r.reasons } : {}),
        ...(r.text ? { text: r.text } : {}),
      });
      setPhase({ name: 'thanks' });
    } catch (e) {
      if (e instanceof HubError && e.code === 'ALREADY_EVALUATED') setPhase({ name: 'thanks' });
      else setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  // /hall gives only the staff number; names come with evaluation requests and are remembered per number.
  const staff = staffName ?? (win?.staffNo ? { no: win.staffNo, name: knownStaffName(win.staffNo) ?? '' } : null);
  // A new staff member signed in at the window: forget the previous name.
  useEffect(() => {
    if (staffName && win && win.staffNo !== staffName.no) setStaffName(null);
  }, [win, staffName]);

  return (
    <div className="evaluator touch" data-phase={phase.name}>
      <header className="ev-bar">
        <span className="ev-window">{windowNo !== null ? `${windowNo} 号窗口` : '评价器'}</span>
        <span className="ev-window-name">{win?.name ?? ''}</span>
        <HallClock className="ev-clock" showDate={false} />
      </header>
      {windowNo === null ? <ErrorBanner message="评价器未绑定窗口：请在地址中加上 ?window=窗口号" /> : null}
      {hallError && !hall ? <ErrorBanner message={hallError} /> : null}
      <main className="ev-main">
        {phase.name === 'idle' ? (
          <section className="ev-idle" aria-label="工作人员信息">
            {staff ? (
              <>
                <Avatar name={staff.name || staff.no} size={220} />
                {staff.name ? <p className="ev-staff-name">{staff.name}</p> : null}
                <p className={staff.name ? 'ev-staff-no' : 'ev-staff-name'}>工号 {staff.no}</p>
                <p className="ev-welcome">竭诚为您服务，欢迎对我的服务进行评价</p>
              </>
            ) : (
              <>
                <Avatar name="窗" size={220} />
                <p className="ev-staff-name">{win?.state === 'paused' ? WINDOW_STATE_TEXT.paused : '暂无工作人员'}</p>
                <p className="ev-welcome">{win?.pauseReason ?? '请到其他窗口办理，谢谢'}</p>
              </>
            )}
          </section>
        ) : phase.name === 'rate' ? (
          <section className="ev-rate" aria-label="服务评价">
            <h1 className="ev-title">请对本次服务进行评价</h1>
            <p className="ev-sub">
              {phase.request.staff ? `工作人员：${phase.request.staff.name}（工号 ${phase.request.staff.no}）` : ''}
            </p>
            <RatingForm
              key={formKey}
              catalogue={pad?.reasons.length ? padCatalogue(pad) : cat}
              busy={busy}
              error={error}
              allowText
              onSubmit={(r) => void submit(r)}
            />
            <PhoneRating windowNo={windowNo} caseId={phase.request.caseId} />
            {idle.warning ? (
              <p className="ev-countdown" role="status">
                {idle.remaining} 秒后未评价将自动返回
              </p>
            ) : null}
          </section>
        ) : (
          <section className="ev-thanks" aria-label="感谢">
            <p className="ev-thanks-title">感谢您的评价！</p>
            <p className="ev-sub">您的意见将帮助我们改进服务</p>
          </section>
        )}
      </main>
      <footer className="ev-foot">
        <ConnectionBadge />
      </footer>
    </div>
  );
}

/**
 * The case's 扫码评价 QR under the form, for a citizen who would rather rate on their phone (or
 * later): the pad asks the hub for its window's open code (never carried in events).
 */
function PhoneRating({ windowNo, caseId }: { windowNo: number | null; caseId: string }) {
  const { client } = useServices();
  const settings = useHallSettings();
  const [code, setCode] = useState<string | null>(null);
  useEffect(() => {
    if (windowNo === null) return;
    let alive = true;
    setCode(null);
    client.call('windowRatingCode', { params: { no: windowNo } }).then(
      (r) => alive && r.caseId === caseId && setCode(r.ratingCode),
      () => undefined,
    );
    return () => {
      alive = false;
    };
  }, [client, windowNo, caseId]);
  const qr = useQrDataUrl(code ? ratingPageUrl(settings?.publicBaseUrl, code) : null);
  if (!qr) return null;
  return (
    <figure className="ev-phone-qr" data-testid="pad-rating-qr">
      <img src={qr} alt="扫码评价二维码" width={140} height={140} />
      <figcaption>也可以用手机扫码评价</figcaption>
    </figure>
  );
}
