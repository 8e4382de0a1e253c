/**
 * 运行概览: today's security alarms when there are any, today's figures, charts (waiting per service, arrivals per hour, satisfaction), the
 * 差评 of the day with their reasons in words, window states and the per-service table. Live:
 * refreshed on queue, window and rating events (coalesced), with a 20 s poll as a safety net.
 */
import { useCallback, useState } from 'react';
import { LEVEL_NAMES } from '../../common/evaluation.js';
import type { AdminEvaluationReport, DayStatistics } from '../../main/server/admin/types.js';
import type { ApiHall } from '../shared/api-types.js';
import { useServices } from '../shared/app.js';
import { BUILT_IN_REASONS, taskLabel } from '../shared/catalogue.js';
import { BarChart, ColumnChart } from '../shared/charts/bar-chart.js';
import { hourBars, percentText, satisfactionBars, satisfactionRate, secondsText } from '../shared/charts/chart-data.js';
import { EmptyRow, ErrorBanner, TableHead, WINDOW_STATE_TEXT } from '../shared/components.js';
import { useHallSettings } from '../shared/hall-settings.js';
import { useCatalogue } from '../shared/hooks.js';
import { errorMessage } from '../shared/hub-client.js';
import { useAdminApi, useLive } from './admin-hooks.js';
import { HallAlarms } from './hall-alarms.js';
import { Kpi } from './kpi.js';
import { SecurityAlarms } from './security-alarms.js';

const LIVE_TYPES = ['ticket.', 'queue.', 'window.', 'evaluation.', 'day.'];

const BUILT_IN_REASON_TEXT = new Map(BUILT_IN_REASONS.map((r) => [r.code, r.text]));
/** A 差评 row's reasons in words: the hub's texts, else the kiosk's built-in list, else the code. */
function reasonsOf(b: AdminEvaluationReport['bad'][number]): string {
  return b.reasons
    .map((c, i) => {
      const hub = b.reasonTexts?.[i];
      return hub && hub !== c ? hub : (BUILT_IN_REASON_TEXT.get(c) ?? c);
    })
    .join('、');
}

export function DashboardPanel({ hall }: { hall: ApiHall | null }) {
  const api = useAdminApi();
  const [stats, setStats] = useState<DayStatistics | null>(null);
  const [ratings, setRatings] = useState<AdminEvaluationReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const day = hall?.businessDay ?? null;
  const load = useCallback(() => {
    if (!day) return;
    Promise.all([api.dayStats(day), api.evaluations({ day })]).then(
      ([s, r]) => {
        setStats(s);
        setRatings(r);
        setError(null);
      },
      (e) => setError(errorMessage(e)),
    );
  }, [api, day]);
  useLive(load, LIVE_TYPES, 20_000);

  const waitingNow = hall?.services.reduce((s, x) => s + x.waiting, 0) ?? 0;
  const rate = ratings ? satisfactionRate(ratings.counts) : null;
  const name = (code: string) => hall?.services.find((s) => s.code === code)?.name ?? code;
  // 事项 names for the 差评 list: the platform catalogue when the hub has one, else the hall's services.
  const { client } = useServices();
  const settings = useHallSettings();
  const catalogue = useCatalogue(client) ?? null;
  return (
    <div className="a-dashboard">
      <ErrorBanner message={error} />
      <SecurityAlarms day={day} />
      <HallAlarms />
      <section className="a-kpis" aria-label="今日指标">
        <Kpi label="当前等候" value={`${waitingNow}`} unit="人" testId="kpi-waiting" />
        <Kpi label="今日取号" value={`${stats?.total.issued ?? '—'}`} unit="张" testId="kpi-issued" />
        <Kpi label="今日办结" value={`${stats?.total.served ?? '—'}`} unit="件" testId="kpi-served" />
        <Kpi label="平均等候" value={secondsText(stats?.total.meanWaitSeconds)} />
        <Kpi label="P90 等候" value={secondsText(stats?.total.p90WaitSeconds)} />
        <Kpi label="满意率" value={percentText(rate)} hint={`评价 ${ratings?.total ?? 0} 次`} testId="kpi-rate" />
      </section>

      <div className="a-grid">
        <section className="card a-panel">
          <h2>各业务当前等候</h2>
          <BarChart
            title="各业务当前等候人数"
            unit="人"
            bars={(hall?.services ?? []).map((s) => ({ label: s.name, value: s.waiting }))}
          />
        </section>
        <section className="card a-panel">
          <h2>今日各时段取号</h2>
          <ColumnChart title="今日各时段取号数" unit="张" bars={hourBars(stats?.byHour ?? {})} />
        </section>
        <section className="card a-panel">
          <h2>今日满意度分布</h2>
          <BarChart title="今日评价等级分布" unit="次" bars={satisfactionBars(ratings?.counts ?? {})} />
        </section>
        <section className="card a-panel a-bad">
          <h2>今日差评（{ratings?.bad.length ?? 0}）</h2>
          {ratings?.bad.length ? (
            <table className="a-table" data-testid="bad-list">
              <TableHead cols={['时间', '等级', '窗口', '工号', '事项', '原因 / 说明']} />
              <tbody>
                {ratings.bad.map((b) => (
                  <tr key={b.id}>
                    <td>{b.createdAt.slice(11, 16)}</td>
                    <td className="a-bad-level">{LEVEL_NAMES[b.level] ?? b.level}</td>
                    <td>{b.windowNo ?? '—'}</td>
                    <td>{b.staffNo ?? '—'}</td>
                    <td>
                      {taskLabel(b.taskCode, b.taskName, {
                        catalogue,
                        services: hall?.services,
                        tasks: settings?.tasks,
                      })}
                    </td>
                    <td>{[reasonsOf(b), b.text].filter(Boolean).join('；') || '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <p className="muted">今天没有差评</p>
          )}
        </section>
        <section className="card a-panel a-windows">
          <h2>窗口状态</h2>
          <ul>
            {hall?.windows.map((w) => (
              <li key={w.no} className={`a-win ${w.state}`}>
                <span>
                  <b>{w.no}号</b> {w.name}
                </span>
                <span className="a-win-state">
                  <span aria-hidden="true">{w.state === 'paused' ? '‖ ' : w.state === 'closed' ? '○ ' : '● '}</span>
                  {WINDOW_STATE_TEXT[w.state]}
                  {w.current ? ` · ${w.current.number}` : ''}
                  {w.pauseReason ? ` · ${w.pauseReason}` : ''}
                </span>
                <span className="muted">{w.staffNo ? `工号 ${w.staffNo}` : ''}</span>
              </li>
            ))}
          </ul>
        </section>
        <section className="card a-panel a-wide">
          <h2>各业务今日办结与等候</h2>
          <table className="a-table">
            <TableHead cols={['业务', '取号', '办结', '平均等候', 'P90 等候']} />
            <tbody>
              {Object.entries(stats?.byService ?? {}).map(([code, s]) => (
                <tr key={code}>
                  <td>{name(code)}</td>
                  <td>{s.issued}</td>
                  <td>{s.served}</td>
                  <td>{secondsText(s.meanWaitSeconds)}</td>
                  <td>{secondsText(s.p90WaitSeconds)}</td>
                </tr>
              ))}
              {stats && Object.keys(stats.byService).length === 0 ? <EmptyRow cols={5}>今天还没有取号</EmptyRow> : null}
            </tbody>
          </table>
        </section>
      </div>
    </div>
  );
}
