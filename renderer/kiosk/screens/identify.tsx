/**
 * 取号 step 2: who is taking the ticket — swipe the ID card (the card event fills the applicant and
 * the ticket is taken), type the number on the keypad, or 无证件 where the service allows it.
 */
import { useEffect, useRef } from 'react';
import { t } from '../../i18n/i18n.js';
import type { ApiService } from '../../shared/api-types.js';
import { ErrorBanner } from '../../shared/components.js';
import { IconButton } from '../icons.js';
import { IdEntry, useIdEntry } from '../id-entry.js';
import { type Purpose, useKiosk } from '../kiosk-context.js';

export function IdentifyScreen({ purpose, service }: { purpose: Purpose; service: ApiService }) {
  const { applicant, setApplicant, issue, today, busy, error, say, lang } = useKiosk();
  const entry = useIdEntry(today);
  const { mode, check } = entry;
  const attempted = useRef<unknown>(null);

  // biome-ignore lint/correctness/useExhaustiveDependencies: said again in the new language
  useEffect(() => {
    say(t(service.allowAnonymous ? 'kiosk.identify.sayAnonymous' : 'kiosk.identify.say', { service: service.name }));
  }, [say, service, lang]);

  // The card (or the keypad's confirm) set the applicant: take the ticket once.
  useEffect(() => {
    if (applicant && attempted.current !== applicant) {
      attempted.current = applicant;
      void issue(service, purpose);
    }
  }, [applicant, issue, service, purpose]);

  const invalidReason = check.state === 'invalid' ? check.reason : null;
  useEffect(() => {
    if (mode === 'keypad' && invalidReason) say(invalidReason);
  }, [mode, invalidReason, say]);

  const confirmTyped = () => {
    if (check.state !== 'valid') return;
    setApplicant({
      name: '手工录入',
      certType: 'resident',
      certNo: check.normalized,
      birthDate: check.birthDate,
      source: 'keypad',
    });
  };

  return (
    <section className="kiosk-identify" aria-label={t('kiosk.identify.label')}>
      <h2 className="kiosk-title">
        {service.name}
        <span className="kiosk-subtitle">{t('kiosk.identify.subtitle')}</span>
      </h2>
      <ErrorBanner message={error} />
      {busy ? (
        <p className="kiosk-busy" role="status">
          {t('kiosk.identify.busy')}
        </p>
      ) : null}
      <IdEntry
        entry={entry}
        text={{
          card: t('kiosk.identify.card'),
          type: t('kiosk.identify.type'),
          confirm: t('kiosk.identify.confirm'),
        }}
        busy={busy}
        onConfirm={confirmTyped}
      >
        {service.allowAnonymous ? (
          <IconButton icon="person" disabled={busy} onClick={() => void issue(service, purpose, true)}>
            {t('kiosk.identify.anonymous')}
          </IconButton>
        ) : null}
      </IdEntry>
    </section>
  );
}
