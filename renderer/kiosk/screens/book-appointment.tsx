/**
 * 预约: book a later slot at the kiosk — the service, the day, the slot (places left shown), then
 * the person by ID card or typed number; the answer is the 8-character code to check in with.
 * The hub keeps the rules (one booking per person, service and day; capacity; closed slots).
 */

import { useCallback, useEffect, useRef, useState } from 'react';
import { isoWeekday } from '../../../common/hall-calendar.js';
import { t } from '../../i18n/i18n.js';
import { useServices } from '../../shared/app.js';
import { ErrorBanner } from '../../shared/components.js';
import { errorMessage } from '../../shared/hub-client.js';
import { IdEntry, useIdEntry } from '../id-entry.js';
import { useKiosk } from '../kiosk-context.js';

/** Every user-facing string of this screen, in one place (for the language catalogues). */
export const BOOK_TEXT = {
  get title() {
    return t('kiosk.book.title');
  },
  get pickService() {
    return t('kiosk.book.pickService');
  },
  get pickDay() {
    return t('kiosk.book.pickDay');
  },
  get pickSlot() {
    return t('kiosk.book.pickSlot');
  },
  get identify() {
    return t('kiosk.book.identify');
  },
  get cardPrompt() {
    return t('kiosk.book.cardPrompt');
  },
  get typeNumber() {
    return t('kiosk.book.typeNumber');
  },
  get confirm() {
    return t('kiosk.book.confirm');
  },
  get booking() {
    return t('kiosk.book.booking');
  },
  get loading() {
    return t('kiosk.book.loading');
  },
  get noServices() {
    return t('kiosk.book.noServices');
  },
  get closed() {
    return t('kiosk.book.closed');
  },
  get passed() {
    return t('kiosk.book.passed');
  },
  get today() {
    return t('kiosk.book.today');
  },
  get doneTitle() {
    return t('kiosk.book.doneTitle');
  },
  get codeLabel() {
    return t('kiosk.book.codeLabel');
  },
  get finish() {
    return t('kiosk.book.finish');
  },
  get back() {
    return t('kiosk.book.back');
  },
  get speakStart() {
    return t('kiosk.book.speakStart');
  },
  left: (n: number) => (n > 0 ? t('kiosk.book.left', { n }) : t('kiosk.book.full')),
  get weekday() {
    return ['', ...t('kiosk.book.weekdays').split(',')];
  },
  doneSummary: (service: string, day: string, from: string, to: string) => `${service} · ${day} ${from}–${to}`,
  doneHint: (before: number, after: number) => t('kiosk.book.doneHint', { before, after }),
  speakDone: (code: string) => t('kiosk.book.speakDone', { code: code.split('').join(' ') }),
  // Stored as the applicant's name when the number was typed: a marker, never shown, never translated.
  typedName: '手工录入',
};

interface BookableService {
  code: string;
  name: string;
  days: string[];
  checkIn: { beforeMinutes: number; afterMinutes: number };
}
interface Slot {
  start: string;
  end: string;
  capacity: number;
  booked: number;
  closed: boolean;
  passed: boolean;
}
interface Booked {
  code: string;
  serviceName: string;
  day: string;
  from: string;
  to: string;
  checkIn: BookableService['checkIn'];
}

const hhmm = (iso: string) => iso.slice(11, 16);
const T = BOOK_TEXT;

export function BookAppointmentScreen() {
  const { client } = useServices();
  const { applicant, setApplicant, today, say, finish } = useKiosk();
  const [services, setServices] = useState<BookableService[] | null>(null);
  const [service, setService] = useState<BookableService | null>(null);
  const [day, setDay] = useState<string | null>(null);
  const [slots, setSlots] = useState<Slot[] | null>(null);
  const [slot, setSlot] = useState<Slot | null>(null);
  const entry = useIdEntry(today);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<Booked | null>(null);
  const attempted = useRef<unknown>(null);

  useEffect(() => say(T.speakStart), [say]);
  useEffect(() => {
    client.call('publicServices').then(
      (list) => setServices(list),
      (e) => setError(errorMessage(e)),
    );
  }, [client]);
  useEffect(() => {
    if (!service || !day) return;
    setSlots(null);
    client.call('appointmentSlots', { query: { serviceCode: service.code, day } }).then(
      (list) => setSlots(list),
      (e) => setError(errorMessage(e)),
    );
  }, [client, service, day]);

  const book = useCallback(
    async (who: { name: string; certType: string; certNo: string }) => {
      if (!service || !slot || !day || busy) return;
      setBusy(true);
      setError(null);
      try {
        const a = await client.call('bookAppointment', {
          body: {
            serviceCode: service.code,
            slotStart: slot.start,
            applicant: { name: who.name, certType: who.certType as 'resident', certNo: who.certNo },
          },
        });
        const booked = {
          code: a.code,
          serviceName: service.name,
          day,
          from: hhmm(a.slotStart),
          to: hhmm(a.slotEnd),
          checkIn: service.checkIn,
        };
        setDone(booked);
        say(T.speakDone(a.code));
      } catch (e) {
        const msg = errorMessage(e);
        setError(msg);
        say(msg);
        // A refused booking (full, already booked) lets the person pick another slot.
        setSlot(null);
        setApplicant(null);
        attempted.current = null;
      } finally {
        setBusy(false);
      }
    },
    [client, service, slot, day, busy, say, setApplicant],
  );

  // The card (read anywhere on this screen) says who books, once a slot is chosen.
  useEffect(() => {
    if (slot && applicant && attempted.current !== applicant) {
      attempted.current = applicant;
      void book(applicant);
    }
  }, [slot, applicant, book]);

  const { check } = entry;
  const back = () => {
    setError(null);
    if (slot) setSlot(null);
    else if (day) setDay(null);
    else setService(null);
  };

  if (done) {
    return (
      <section className="kiosk-appointment" aria-label={T.doneTitle}>
        <h2 className="kiosk-title">{T.doneTitle}</h2>
        <p className="kiosk-lead">{T.codeLabel}</p>
        <p className="kiosk-book-code" data-testid="appointment-code">
          {done.code}
        </p>
        <p className="kiosk-book-summary">{T.doneSummary(done.serviceName, done.day, done.from, done.to)}</p>
        <p className="kiosk-lead">{T.doneHint(done.checkIn.beforeMinutes, done.checkIn.afterMinutes)}</p>
        <div className="kiosk-book-actions">
          <button type="button" className="btn primary kiosk-big-btn" onClick={finish}>
            {T.finish}
          </button>
        </div>
      </section>
    );
  }

  return (
    <section className="kiosk-appointment" aria-label={T.title}>
      <h2 className="kiosk-title">
        {T.title}
        <span className="kiosk-subtitle">
          {!service ? T.pickService : !day ? T.pickDay : !slot ? T.pickSlot : T.identify}
        </span>
      </h2>
      <ErrorBanner message={error} />
      {service ? (
        <p className="kiosk-book-summary">
          {service.name}
          {day ? ` · ${day}` : ''}
          {slot ? ` ${hhmm(slot.start)}–${hhmm(slot.end)}` : ''}
        </p>
      ) : null}

      {!service ? (
        services === null ? (
          <p className="muted">{T.loading}</p>
        ) : services.length === 0 ? (
          <p className="kiosk-lead">{T.noServices}</p>
        ) : (
          <div className="kiosk-service-grid">
            {services.map((s) => (
              <button key={s.code} type="button" className="kiosk-service" onClick={() => setService(s)}>
                <span className="kiosk-service-name">{s.name}</span>
              </button>
            ))}
          </div>
        )
      ) : !day ? (
        <div className="kiosk-book-days">
          {service.days.map((d) => (
            <button key={d} type="button" className="kiosk-book-day" onClick={() => setDay(d)}>
              {d.slice(5).replace('-', '月')}日<small>{d === today ? T.today : T.weekday[isoWeekday(d)]}</small>
            </button>
          ))}
        </div>
      ) : !slot ? (
        slots === null ? (
          <p className="muted">{T.loading}</p>
        ) : (
          <div className="kiosk-book-slots">
            {slots.map((s) => {
              const left = s.capacity - s.booked;
              return (
                <button
                  key={s.start}
                  type="button"
                  className="kiosk-book-slot"
                  disabled={s.closed || s.passed || left <= 0}
                  onClick={() => setSlot(s)}
                >
                  {hhmm(s.start)}
                  <small>{s.passed ? T.passed : s.closed ? T.closed : T.left(left)}</small>
                </button>
              );
            })}
          </div>
        )
      ) : busy ? (
        <p className="kiosk-busy" role="status">
          {T.booking}
        </p>
      ) : (
        <IdEntry
          entry={entry}
          text={{ card: T.cardPrompt, type: T.typeNumber, confirm: T.confirm }}
          busy={busy}
          onConfirm={() => {
            if (check.state === 'valid')
              void book({ name: T.typedName, certType: 'resident', certNo: check.normalized });
          }}
        />
      )}
      {service ? (
        <div className="kiosk-book-actions">
          <button type="button" className="btn kiosk-big-btn" onClick={back}>
            {T.back}
          </button>
        </div>
      ) : null}
    </section>
  );
}
