/**
 * 取号 step 1: services grouped by category with waiting counts and estimated waits.
 * With an applicant already known (card swiped) a tap takes the ticket at once.
 */
import { useEffect } from 'react';
import { maskName } from '../../../common/mask.js';
import { t } from '../../i18n/i18n.js';
import type { ApiService } from '../../shared/api-types.js';
import { ErrorBanner } from '../../shared/components.js';
import { type Purpose, useKiosk } from '../kiosk-context.js';
import { waitLabel } from '../wait-label.js';

export function ServicesScreen({ purpose }: { purpose: Purpose }) {
  const { hall, go, applicant, appointmentCode, issue, busy, error, elder, say, lang } = useKiosk();
  // biome-ignore lint/correctness/useExhaustiveDependencies: said again in the new language
  useEffect(
    () => say(purpose === 'appointment' ? t('kiosk.services.sayAppointment') : t('kiosk.services.say')),
    [say, purpose, lang],
  );
  const services = hall?.services ?? [];
  const pick = (s: ApiService) => {
    if (!s.open) return;
    // A known person, or an appointment code (the booking says who): take the ticket at once.
    if (applicant || (purpose === 'appointment' && appointmentCode)) void issue(s, purpose);
    else go({ name: 'identify', purpose, service: s });
  };
  const groups = new Map<string, ApiService[]>();
  for (const s of services) {
    const list = groups.get(s.category) ?? [];
    list.push(s);
    groups.set(s.category, list);
  }
  const sections = elder ? [['', services] as const] : [...groups.entries()];
  return (
    <section className="kiosk-services" aria-label={t('kiosk.services.label')}>
      <h2 className="kiosk-title">
        {purpose === 'appointment' ? t('kiosk.services.titleAppointment') : t('kiosk.services.title')}
      </h2>
      {applicant ? (
        <p className="kiosk-applicant" data-testid="applicant">
          {t('kiosk.services.applicant', {
            name: maskName(applicant.name === '手工录入' ? '' : applicant.name) || t('kiosk.services.typedOnly'),
          })}
          {applicant.source === 'card' ? t('kiosk.services.byCard') : t('kiosk.services.byKeypad')}
        </p>
      ) : null}
      <ErrorBanner message={error} />
      {!hall ? <p className="muted">{t('kiosk.services.loading')}</p> : null}
      <div className="kiosk-service-groups">
        {sections.map(([category, list]) => (
          <div key={category || 'all'} className="kiosk-service-group">
            {category ? <h3 className="kiosk-category">{category}</h3> : null}
            <div className="kiosk-service-grid">
              {list.map((s) => (
                <button
                  key={s.code}
                  type="button"
                  className="kiosk-service"
                  disabled={!s.open || busy}
                  onClick={() => pick(s)}
                >
                  <span className="kiosk-service-name">{s.name}</span>
                  <span className="kiosk-service-meta">
                    {s.open ? (
                      <>
                        {t('kiosk.services.waiting', { n: s.waiting })} · {waitLabel(s.estimatedWaitSeconds)}
                      </>
                    ) : (
                      t('kiosk.services.closed')
                    )}
                  </span>
                </button>
              ))}
            </div>
          </div>
        ))}
      </div>
    </section>
  );
}
