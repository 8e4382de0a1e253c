/**
 * 告警 on the dashboard: 差评整改 near or past their deadline, a calendar year missing, 承诺件 near
 * or past their promised date, and services whose wait is over the threshold (suggest opening
 * another window). Shown only when there is something; live on the alarms' events.
 */
import { useCallback, useState } from 'react';
import type { AnswerOf } from '../../common/api/route-spec.js';
import type { ApiRoutes } from '../../common/api/routes.js';
import { useServices } from '../shared/app.js';
import { useLive } from './admin-hooks.js';

type Alarms = AnswerOf<ApiRoutes['hallAlarms']>;
const LIVE = ['rectification.', 'promise.', 'wait.', 'queue.'];

export function HallAlarms() {
  const { client } = useServices();
  const [a, setA] = useState<Alarms | null>(null);
  const load = useCallback(() => {
    client.call('hallAlarms').then(setA, () => setA(null));
  }, [client]);
  useLive(load, LIVE, 60_000);
  if (!a) return null;
  const r = a.rectifications;
  const any = r.dueSoon || r.overdue || r.calendarMissing.length || a.promises.length || a.waits.length;
  if (!any) return null;
  return (
    <section className="card a-alarms" aria-label="大厅告警" data-testid="hall-alarms">
      <h2>大厅告警</h2>
      <ul>
        {r.overdue ? (
          <li className="a-late" data-testid="alarm-overdue">
            差评整改逾期 {r.overdue} 件，请到「差评整改」尽快处理
          </li>
        ) : null}
        {r.dueSoon ? <li>差评整改临近期限 {r.dueSoon} 件</li> : null}
        {r.calendarMissing.length ? (
          <li>大厅日历缺少 {r.calendarMissing.join('、')} 年的节假日安排：期限只按周末计算，请在配置中补上</li>
        ) : null}
        {a.promises.map((p) => (
          <li key={p.caseId} className={p.overdue ? 'a-late' : ''}>
            承诺件{p.overdue ? '已超期' : '临近期限'}：{p.taskName ?? p.taskCode}（办件 {p.caseId}，{p.windowNo ?? '—'}{' '}
            号窗口）承诺 {p.promiseDate} 前办结{p.overdue ? '' : `，还剩 ${p.workingDaysLeft} 个工作日`}
          </li>
        ))}
        {a.waits.map((w) => (
          <li key={w.serviceCode} data-testid={`alarm-wait-${w.serviceCode}`}>
            {w.message}（可办理窗口：{w.windows.join('、')} 号）
          </li>
        ))}
      </ul>
    </section>
  );
}
