/**
 * 预约签到: the person presents the ID card used for booking, or types the 8-character code; the
 * hub checks the booking and its check-in window and answers an appointment ticket. Too early says
 * when check-in opens; too late offers a normal ticket of the same service.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { t } from '../../i18n/i18n.js';
import { useServices } from '../../shared/app.js';
import { ErrorBanner } from '../../shared/components.js';
import { HubError } from '../../shared/hub-client.js';
import { CardPrompt } from '../card-prompt.js';
import { IconButton } from '../icons.js';
import { CodeKeypad, KeypadActions } from '../keypad.js';
import { useKiosk } from '../kiosk-context.js';

/** Every user-facing string of this screen, from the language catalogues (`kiosk.checkIn.*`). */
export const CHECK_IN_TEXT = {
  get title() {
    return t('kiosk.checkIn.title');
  },
  get speakStart() {
    return t('kiosk.checkIn.speakStart');
  },
  get cardPrompt() {
    return t('kiosk.checkIn.cardPrompt');
  },
  get typeCode() {
    return t('kiosk.checkIn.typeCode');
  },
  get codeLead() {
    return t('kiosk.checkIn.codeLead');
  },
  get codeLabel() {
    return t('kiosk.checkIn.codeLabel');
  },
  get confirm() {
    return t('kiosk.checkIn.confirm');
  },
  get checking() {
    return t('kiosk.checkIn.checking');
  },
  get normalTicket() {
    return t('kiosk.checkIn.normalTicket');
  },
  get book() {
    return t('kiosk.checkIn.book');
  },
  get failed() {
    return t('kiosk.checkIn.failed');
  },
};
const T = CHECK_IN_TEXT;
const CODE = /^[2-9A-HJKMNP-Z]{8}$/;

export function AppointmentScreen() {
  const { client } = useServices();
  const { applicant, go, say, present, lang } = useKiosk();
  const [mode, setMode] = useState<'card' | 'code'>('card');
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  /** What the hub refused, and whether it was too late (then a normal ticket is offered). */
  const [problem, setProblem] = useState<{ message: string; late: boolean } | null>(null);
  const attempted = useRef<unknown>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: said again in the new language
  useEffect(() => say(T.speakStart), [say, lang]);

  const checkIn = useCallback(
    async (by: { code: string } | { certNo: string }) => {
      if (busy) return;
      setBusy(true);
      setProblem(null);
      try {
        const ticket = await client.call('checkInAppointment', { body: by });
        await present(ticket);
      } catch (e) {
        const message = e instanceof HubError ? e.message : T.failed;
        setProblem({ message, late: e instanceof HubError && e.code === 'TOO_LATE' });
        say(message);
      } finally {
        setBusy(false);
      }
    },
    [busy, client, present, say],
  );

  useEffect(() => {
    if (applicant && attempted.current !== applicant) {
      attempted.current = applicant;
      void checkIn({ certNo: applicant.certNo });
    }
  }, [applicant, checkIn]);

  return (
    <section className="kiosk-appointment" aria-label={T.title}>
      <h2 className="kiosk-title">{T.title}</h2>
      <ErrorBanner message={problem?.message ?? null} />
      {problem?.late ? (
        <div className="kiosk-book-actions">
          <button
            type="button"
            className="btn primary kiosk-big-btn"
            onClick={() => go({ name: 'services', purpose: 'ticket' })}
          >
            {T.normalTicket}
          </button>
        </div>
      ) : null}
      {busy ? (
        <p className="kiosk-busy" role="status">
          {T.checking}
        </p>
      ) : mode === 'card' ? (
        <>
          <CardPrompt text={T.cardPrompt} />
          <div className="kiosk-id-options">
            <IconButton icon="keypad" onClick={() => setMode('code')}>
              {T.typeCode}
            </IconButton>
            <IconButton icon="appointment" onClick={() => go({ name: 'book' })}>
              {T.book}
            </IconButton>
          </div>
        </>
      ) : (
        <>
          <p className="kiosk-lead">{T.codeLead}</p>
          <CodeKeypad value={code} onChange={setCode} maxLength={8} label={T.codeLabel} />
          <KeypadActions
            onCard={() => setMode('card')}
            confirm={T.confirm}
            disabled={!CODE.test(code) || busy}
            onConfirm={() => void checkIn({ code })}
          />
        </>
      )}
    </section>
  );
}
