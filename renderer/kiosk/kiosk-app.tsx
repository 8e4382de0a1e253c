/**
 * The kiosk: one screen at a time, a top bar with the hall, the time, 长辈模式 and 返回首页, and an
 * idle reset that wipes the person's data. A card presented anywhere fills the applicant (and turns
 * on 长辈模式 for a holder aged 60 or more); the current screen decides what to do with it.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ageOn } from '../../common/cert-number.js';
import { businessDayOf } from '../../common/hall-time.js';
import { language, languageForCard, REFERENCE, setLanguage, t } from '../i18n/i18n.js';
import { useLanguage } from '../i18n/use-language.js';
import { useBusySignal } from '../shared/activity-signal.js';
import type { ApiService, ApiTicket } from '../shared/api-types.js';
import { useServices } from '../shared/app.js';
import type { CardData, DeviceStatusEntry, TicketPrint } from '../shared/bridge.js';
import { ConnectionBadge, ErrorBanner, HallClock } from '../shared/components.js';
import { useHall } from '../shared/hooks.js';
import { errorMessage } from '../shared/hub-client.js';
import { priorityText } from '../shared/labels.js';
import { SpeechQueue } from '../shared/speech.js';
import { useIdleReset } from '../shared/use-idle-reset.js';
import { Icon } from './icons.js';
import './kiosk.css';
import {
  type KioskApplicant,
  KioskContext,
  type KioskContextValue,
  type Purpose,
  type Screen,
} from './kiosk-context.js';
import { AppointmentScreen } from './screens/appointment.js';
import { BookAppointmentScreen } from './screens/book-appointment.js';
import { CasesScreen } from './screens/cases.js';
import { EvaluateScreen } from './screens/evaluate.js';
import { GuideScreen } from './screens/guide.js';
import { HomeScreen } from './screens/home.js';
import { IdentifyScreen } from './screens/identify.js';
import { ServicesScreen } from './screens/services.js';
import { TicketScreen } from './screens/ticket.js';

declare global {
  interface Window {
    /** What the kiosk asked to speak (newest last), for tests and support staff. */
    govhallSpeech?: string[];
  }
}

/** Settings from the address: `?idle=90` seconds before returning home (elder mode doubles it). */
function settings() {
  const q = new URLSearchParams(window.location.search);
  const idle = Number(q.get('idle'));
  return { idleSeconds: Number.isFinite(idle) && idle >= 5 ? idle : 90 };
}

export const HOME: Screen = { name: 'home' };

export function KioskApp() {
  const { client, bridge } = useServices();
  const { hall, error: hallError } = useHall(15_000);
  const [screen, setScreen] = useState<Screen>(HOME);
  const [applicant, setApplicant] = useState<KioskApplicant | null>(null);
  const [appointmentCode, setAppointmentCode] = useState<string | null>(null);
  const [elder, setElderState] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [resetKey, setResetKey] = useState(0);
  const [printerProblem, setPrinterProblem] = useState<string | null>(null);
  const lang = useLanguage();
  // Prompts are spoken in the kiosk's current language (read at each prompt).
  const speech = useMemo(
    () =>
      new SpeechQueue({
        get lang() {
          return language();
        },
      }),
    [],
  );
  const elderRef = useRef(elder);
  elderRef.current = elder;
  const screenRef = useRef(screen);
  screenRef.current = screen;
  const { idleSeconds } = useMemo(settings, []);
  const today = hall?.businessDay ?? businessDayOf(Date.now(), 'Asia/Shanghai');

  useEffect(() => {
    window.govhallSpeech = speech.log;
  }, [speech]);

  const say = useCallback(
    (text: string) => {
      if (elderRef.current) speech.say(text, { interrupt: true });
      else speech.log.push(text);
    },
    [speech],
  );

  const setElder = useCallback(
    (on: boolean) => {
      setElderState(on);
      elderRef.current = on;
      if (on) speech.say(t('kiosk.elderSpoken'), { interrupt: true });
      else speech.cancel();
    },
    [speech],
  );

  useEffect(() => {
    document.documentElement.dataset.elder = elder ? 'true' : 'false';
  }, [elder]);

  const go = useCallback((s: Screen) => {
    setError(null);
    setScreen(s);
  }, []);

  const resetAll = useCallback(() => {
    // Wipe the person: applicant, codes, tickets on screen, typed input (remount), speech.
    speech.cancel();
    setApplicant(null);
    setAppointmentCode(null);
    setError(null);
    setBusy(false);
    setElderState(false);
    elderRef.current = false;
    // The next person starts in Chinese.
    setLanguage(REFERENCE);
    setScreen(HOME);
    setResetKey((k) => k + 1);
  }, [speech]);

  // A card anywhere: fill the applicant; elder mode for 60+; from home go straight to 取号.
  useEffect(
    () =>
      bridge.onCard((card: CardData) => {
        const a: KioskApplicant = {
          name: card.name,
          certType: card.certType,
          certNo: card.certNo,
          birthDate: card.birthDate,
          source: 'card',
          ...(card.readId ? { readId: card.readId } : {}),
        };
        setApplicant(a);
        // A 外国人永久居留身份证 holder is served in English (they can switch back).
        const cardLanguage = languageForCard(card.certType);
        if (cardLanguage !== REFERENCE) setLanguage(cardLanguage);
        const elderly = card.birthDate ? ageOn(card.birthDate, today) >= 60 : false;
        if (elderly && !elderRef.current) setElder(true);
        if (screenRef.current.name === 'home') {
          setError(null);
          setScreen({ name: 'services', purpose: 'ticket' });
        }
      }),
    [bridge, today, setElder],
  );

  // Printer health from the device service: tell people before they take a ticket.
  useEffect(() => {
    let alive = true;
    const apply = (s: DeviceStatusEntry) => {
      if (s.kind !== 'printer') return;
      setPrinterProblem(s.state === 'error' || s.state === 'offline' ? (s.detail ?? t('kiosk.printerDown')) : null);
    };
    bridge.deviceStatus().then(
      (list) => alive && list.forEach(apply),
      () => {},
    );
    const off = bridge.onDeviceStatus(apply);
    return () => {
      alive = false;
      off();
    };
  }, [bridge]);

  // Shows the ticket and prints it; the screen follows the printer's answer.
  const present = useCallback(
    async (ticket: ApiTicket & { ticketCode?: string }) => {
      const service: ApiService = hall?.services.find((x) => x.code === ticket.serviceCode) ?? {
        code: ticket.serviceCode,
        name: ticket.serviceCode,
        category: '',
        prefix: '',
        waiting: 0,
        open: true,
        estimatedWaitSeconds: 0,
        allowAnonymous: false,
      };
      setScreen({ name: 'ticket', ticket, service, print: { state: 'printing' } });
      const printJob: TicketPrint = {
        hallName: hall?.name ?? '',
        number: ticket.number,
        serviceName: service.name,
        ahead: ticket.ahead,
        estimatedWaitSeconds: ticket.estimatedWaitSeconds,
        issuedAt: ticket.issuedAt,
        // The label, as on screen (老年人优先), not the queue's code; an appointment says so.
        priority: priorityText(ticket.priority) ?? (ticket.channel === 'appointment' ? '预约' : null),
        applicantName: ticket.applicant?.name ?? null,
        ticketId: ticket.id,
        ...(ticket.ticketCode ? { ticketCode: ticket.ticketCode } : {}),
        // Only the ticket's facts: the hub fills the hall's header, footer and QR URL from its
        // running config (docs/devices.md, "票面由中枢填写").
      };
      const result = await bridge.print(printJob).catch(() => ({
        ok: false as const,
        code: 'ERROR' as const,
        message: '打印失败，未能打印号票',
      }));
      setScreen((s) =>
        s.name === 'ticket' && s.ticket.id === ticket.id ? { ...s, print: { state: 'done', result } } : s,
      );
    },
    [hall, bridge],
  );

  // A kiosk takes kiosk tickets only: appointment tickets come from a check-in (screens/appointment.tsx).
  const issue = useCallback(
    async (service: ApiService, _purpose: Purpose, anonymous = false) => {
      if (busy) return;
      setBusy(true);
      setError(null);
      let ticket: ApiTicket & { ticketCode?: string };
      try {
        ticket = await client.issueTicket({
          serviceCode: service.code,
          channel: 'kiosk',
          ...(applicant && !anonymous
            ? { applicant: { name: applicant.name, certType: applicant.certType, certNo: applicant.certNo } }
            : {}),
        });
      } catch (e) {
        const msg = errorMessage(e);
        setError(msg);
        say(msg);
        setBusy(false);
        return;
      }
      setBusy(false);
      await present(ticket);
    },
    [busy, client, applicant, say, present],
  );

  const onHome = screen.name === 'home';
  // Off the home screen a citizen is mid-flow: the terminal does not update under their hands.
  useBusySignal('kiosk', !onHome);
  // The ticket screen has done its job: back home sooner (the number is on paper or photographed).
  const idleFor = screen.name === 'ticket' ? Math.min(idleSeconds, 30) : idleSeconds;
  const idle = useIdleReset({
    idleSeconds: elder ? idleFor * 2 : idleFor,
    warnSeconds: Math.min(elder ? 20 : 10, Math.floor(idleFor / 2)),
    active: !onHome || applicant !== null,
    onReset: resetAll,
  });

  const ctx: KioskContextValue = {
    lang,
    hall,
    today,
    applicant,
    setApplicant,
    appointmentCode,
    setAppointmentCode,
    elder,
    setElder,
    say,
    go,
    finish: resetAll,
    screen,
    issue,
    present,
    busy,
    printerProblem,
    error,
    setError,
  };

  const waiting = hall?.services.reduce((n, s) => n + s.waiting, 0) ?? null;

  return (
    <KioskContext.Provider value={ctx}>
      <div className={`kiosk touch${elder ? ' elder' : ''}`} data-screen={screen.name}>
        <header className="kiosk-bar">
          <div className="kiosk-hall">
            <h1 className="kiosk-hall-name">{hall?.name ?? t('kiosk.hall')}</h1>
            {waiting !== null ? <span className="kiosk-waiting">{t('kiosk.waiting', { n: waiting })}</span> : null}
          </div>
          <HallClock className="kiosk-clock" showDate={!elder} />
          <div className="kiosk-bar-actions">
            <button
              type="button"
              className="btn kiosk-lang-toggle"
              lang={lang === REFERENCE ? 'en' : REFERENCE}
              title={t('kiosk.languageLabel')}
              data-testid="language"
              onClick={() => setLanguage(lang === REFERENCE ? 'en' : REFERENCE)}
            >
              {t('kiosk.language')}
            </button>
            <button
              type="button"
              className={`btn kiosk-elder-toggle${elder ? ' primary' : ''}`}
              aria-pressed={elder}
              onClick={() => setElder(!elder)}
            >
              <Icon name="elder" size={32} />
              {elder ? t('kiosk.elderOff') : t('kiosk.elderOn')}
            </button>
            {!onHome ? (
              <button type="button" className="btn kiosk-home-btn" onClick={resetAll}>
                <Icon name="home" size={32} />
                {t('kiosk.home')}
              </button>
            ) : null}
          </div>
        </header>
        {hallError && !hall ? <ErrorBanner message={hallError} /> : null}
        <main className="kiosk-main" key={resetKey}>
          {screen.name === 'home' && <HomeScreen />}
          {screen.name === 'services' && <ServicesScreen purpose={screen.purpose} />}
          {screen.name === 'identify' && <IdentifyScreen purpose={screen.purpose} service={screen.service} />}
          {screen.name === 'ticket' && (
            <TicketScreen ticket={screen.ticket} service={screen.service} print={screen.print} />
          )}
          {screen.name === 'appointment' && <AppointmentScreen />}
          {screen.name === 'book' && <BookAppointmentScreen />}
          {screen.name === 'cases' && <CasesScreen />}
          {screen.name === 'guide' && <GuideScreen />}
          {screen.name === 'evaluate' && <EvaluateScreen />}
        </main>
        <footer className="kiosk-foot">
          <ConnectionBadge />
          <span className="muted">{t('kiosk.help')}</span>
        </footer>
        {idle.warning ? (
          <div className="kiosk-idle" role="alertdialog" aria-labelledby="idle-title">
            <div className="kiosk-idle-box">
              <p id="idle-title" className="kiosk-idle-title">
                {t('kiosk.idle.back', { n: idle.remaining })}
              </p>
              <p>{t('kiosk.idle.wipe')}</p>
              <button type="button" className="btn primary kiosk-big-btn" onClick={idle.touch}>
                {t('kiosk.idle.continue')}
              </button>
            </div>
          </div>
        ) : null}
      </div>
    </KioskContext.Provider>
  );
}
