/**
 * 取号 step 1: services grouped by category with waiting counts and estimated waits.
 * With an applicant already known (card swiped) a tap takes the ticket at once.
 */
import { useEffect } from 'react';
import { maskName } from '../../../common/mask.js';
import type { ApiService } from '../../shared/api-types.js';
import { ErrorBanner, waitText } from '../../shared/components.js';
import { type Purpose, useKiosk } from '../kiosk-context.js';

export function ServicesScreen({ purpose }: { purpose: Purpose }) {
  const { hall, go, applicant, appointmentCode, issue, busy, error, elder, say } = useKiosk();
  useEffect(() => say(purpose === 'appointment' ? '请选择预约的业务' : '请选择要办理的业务'), [say, purpose]);
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
    <section className="kiosk-services" aria-label="选择业务">
      <h2 className="kiosk-title">{purpose === 'appointment' ? '预约签到：请选择预约的业务' : '请选择业务'}</h2>
      {applicant ? (
        <p className="kiosk-applicant" data-testid="applicant">
          办事人：{maskName(applicant.name === '手工录入' ? '' : applicant.name) || '已输入证件号码'}
          {applicant.source === 'card' ? '（已读取身份证）' : '（已输入证件号码）'}
        </p>
      ) : null}
      <ErrorBanner message={error} />
      {!hall ? <p className="muted">正在读取业务列表…</p> : null}
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
                        等候 <b>{s.waiting}</b> 人 · {waitText(s.estimatedWaitSeconds)}
                      </>
                    ) : (
                      '暂停取号'
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
