/**
 * The hall manager's console (1920×1080): a live dashboard with charts, the devices of every
 * terminal, the configuration (applied without restart, audited), the platform sync, and daily and
 * monthly statistics with CSV export. Everything is read through the admin token.
 */
import { useCallback, useEffect, useState } from 'react';
import type { AdminEvaluationReport, DayStatistics, MonthStatistics } from '../../main/server/admin/types.js';
import { useHallSettings } from '../display/hall-settings.js';
import type { ApiHall } from '../shared/api-types.js';
import { useServices } from '../shared/app.js';
import { BUILT_IN_REASONS, taskLabel } from '../shared/catalogue.js';
import { BarChart, ColumnChart } from '../shared/charts/bar-chart.js';
import {
  hourBars,
  LEVEL_NAMES,
  type Level,
  percentText,
  satisfactionBars,
  satisfactionRate,
  secondsText,
} from '../shared/charts/chart-data.js';
import { ConnectionBadge, ErrorBanner, HallClock, WINDOW_STATE_TEXT } from '../shared/components.js';
import { useCatalogue, useHall } from '../shared/hooks.js';
import { errorMessage } from '../shared/hub-client.js';
import type { AuditRow } from './admin-api.js';
import { useAdminApi, useLive } from './admin-hooks.js';
import { ConfigPanel } from './config-panel.js';
import { DevicesPanel } from './devices-panel.js';
import { SyncPanel } from './sync-panel.js';
import { TokensPanel } from './tokens-panel.js';
import './admin.css';
import { EmptyRow, StatusNote, TabBar, TableHead } from './edit-fields.js';

type Tab = 'dashboard' | 'devices' | 'config' | 'tokens' | 'sync' | 'stats';
const TABS: { id: Tab; label: string }[] = [
  { id: 'dashboard', label: '运行概览' },
  { id: 'devices', label: '设备' },
  { id: 'config', label: '配置' },
  { id: 'tokens', label: '终端令牌' },
  { id: 'sync', label: '平台同步' },
  { id: 'stats', label: '统计报表' },
];

export function AdminApp() {
  const [tab, setTab] = useState<Tab>('dashboard');
  const { hall, error } = useHall(15_000);
  return (
    <div className="admin">
      <header className="a-header">
        <h1>
          {hall?.name ?? '大厅'} · 大厅管理
          {hall ? <span className="a-day">营业日 {hall.businessDay}</span> : null}
        </h1>
        <HallClock className="a-clock" />
        <ConnectionBadge />
      </header>
      <TabBar className="a-tabs" label="管理功能" tabs={TABS} current={tab} onSelect={setTab} />
      <main className="a-main">
        <ErrorBanner message={hall ? null : error} />
        {tab === 'dashboard' ? <Dashboard hall={hall} /> : null}
        {tab === 'devices' ? <DevicesPanel /> : null}
        {tab === 'config' ? <ConfigPanel /> : null}
        {tab === 'tokens' ? <TokensPanel /> : null}
        {tab === 'sync' ? <SyncPanel /> : null}
        {tab === 'stats' ? <StatsPanel hall={hall} /> : null}
      </main>
    </div>
  );
}

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

const SECURITY_TYPES = ['security.'];

/** One `security.alarm` audit row in words (docs/security.md). */
function alarmText(r: AuditRow): string {
  const d = (r.detail ?? {}) as { kind?: string; failures?: number; blocks?: number; blockedUntil?: string | null };
  if (d.kind === 'sign_in_blocked')
    return `地址 ${r.subject ?? '—'} 登录连续失败 ${d.failures ?? '?'} 次，已暂停其登录至 ${d.blockedUntil?.slice(11, 16) ?? '—'}（第 ${d.blocks ?? 1} 次）`;
  if (d.kind === 'sign_in_flood') return `登录请求过多（被拒 ${d.failures ?? '?'} 次），可能有人在批量尝试 PIN`;
  return r.action;
}

/**
 * Today's security alarms (someone trying PINs), live: shown only when there are any, above
 * everything else. Read from the audit log, so an alarm raised while no console was open is there too.
 */
function SecurityAlarms({ day }: { day: string | null }) {
  const api = useAdminApi();
  const [rows, setRows] = useState<AuditRow[]>([]);
  const load = useCallback(() => {
    api.audit('security.', 5).then(
      (r) => setRows(r),
      () => setRows([]),
    );
  }, [api]);
  useLive(load, SECURITY_TYPES, 60_000);
  const today = day ? rows.filter((r) => r.at.startsWith(day)) : [];
  if (!today.length) return null;
  return (
    <section className="card a-alarms" aria-label="安全告警" data-testid="security-alarms">
      <h2>安全告警</h2>
      <ul>
        {today.map((r) => (
          <li key={r.id}>
            <span className="muted">{r.at.slice(11, 16)}</span> {alarmText(r)}
          </li>
        ))}
      </ul>
    </section>
  );
}

function Dashboard({ hall }: { hall: ApiHall | null }) {
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
                    <td className="a-bad-level">{LEVEL_NAMES[b.level as Level] ?? b.level}</td>
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

function Kpi({
  label,
  value,
  unit,
  hint,
  testId,
}: {
  label: string;
  value: string;
  unit?: string;
  hint?: string;
  testId?: string;
}) {
  return (
    <div className="card a-kpi" data-testid={testId}>
      <div className="a-kpi-label">{label}</div>
      <div className="a-kpi-value">
        {value}
        {unit && value !== '—' ? <small> {unit}</small> : null}
      </div>
      {hint ? <div className="a-kpi-hint muted">{hint}</div> : null}
    </div>
  );
}

function StatsPanel({ hall }: { hall: ApiHall | null }) {
  const api = useAdminApi();
  const today = hall?.businessDay ?? new Date().toISOString().slice(0, 10);
  const [mode, setMode] = useState<'day' | 'month'>('day');
  const [day, setDay] = useState(today);
  const [month, setMonth] = useState(today.slice(0, 7));
  const [dayStats, setDayStats] = useState<DayStatistics | null>(null);
  const [monthStats, setMonthStats] = useState<MonthStatistics | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  useEffect(() => {
    setError(null);
    if (mode === 'day') api.dayStats(day).then(setDayStats, (e) => setError(errorMessage(e)));
    else api.monthStats(month).then(setMonthStats, (e) => setError(errorMessage(e)));
  }, [api, mode, day, month]);
  const svc = (c: string) => hall?.services.find((s) => s.code === c)?.name ?? c;
  const s = mode === 'day' ? dayStats : monthStats;
  const exportCsv = async () => {
    try {
      const name = await api.downloadCsv(mode === 'day' ? { day } : { month });
      setNote(`已导出 ${name}`);
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  return (
    <div className="a-stats">
      <div className="a-toolbar">
        <fieldset className="a-seg">
          <legend className="sr-only">统计周期</legend>
          <label>
            <input type="radio" name="mode" checked={mode === 'day'} onChange={() => setMode('day')} /> 日报
          </label>
          <label>
            <input type="radio" name="mode" checked={mode === 'month'} onChange={() => setMode('month')} /> 月报
          </label>
        </fieldset>
        {mode === 'day' ? (
          <label>
            日期 <input type="date" value={day} onChange={(e) => e.target.value && setDay(e.target.value)} />
          </label>
        ) : (
          <label>
            月份 <input type="month" value={month} onChange={(e) => e.target.value && setMonth(e.target.value)} />
          </label>
        )}
        <button type="button" className="btn primary" onClick={exportCsv}>
          导出 CSV（Excel）
        </button>
        <StatusNote note={note} />
      </div>
      <ErrorBanner message={error} />
      {s ? (
        <>
          <section className="a-kpis" aria-label="合计">
            <Kpi label="取号" value={String(s.total.issued)} unit="张" />
            <Kpi label="办结" value={String(s.total.served)} unit="件" />
            <Kpi label="过号" value={String(s.total.skipped)} unit="张" />
            <Kpi label="平均等候" value={secondsText(s.total.meanWaitSeconds)} />
            <Kpi label="P90 等候" value={secondsText(s.total.p90WaitSeconds)} />
            <Kpi label="平均办理" value={secondsText(s.total.meanServeSeconds)} />
          </section>
          <div className="a-grid two">
            <section className="card a-panel">
              <h2>{mode === 'month' ? '每日办结' : '各时段取号'}</h2>
              {mode === 'month' && monthStats ? (
                <ColumnChart
                  title={`${month} 每日办结`}
                  unit="件"
                  bars={monthStats.days.map((d) => ({ label: d.day.slice(8), value: d.served }))}
                />
              ) : (
                <ColumnChart title={`${day} 各时段取号`} unit="张" bars={hourBars(dayStats?.byHour ?? {})} />
              )}
            </section>
            <section className="card a-panel">
              <h2>{mode === 'month' ? '评价等级分布' : '各业务办结'}</h2>
              {mode === 'month' && monthStats ? (
                <BarChart title={`${month} 评价等级分布`} unit="次" bars={satisfactionBars(monthStats.satisfaction)} />
              ) : (
                <BarChart
                  title={`${day} 各业务办结`}
                  unit="件"
                  bars={Object.entries(dayStats?.byService ?? {}).map(([k, v]) => ({ label: svc(k), value: v.served }))}
                />
              )}
            </section>
          </div>
          <section className="card a-panel">
            <h2>分项统计</h2>
            <table className="a-table">
              <TableHead cols={['分组', '项目', '取号', '办结', '过号', '平均等候', 'P90 等候', '平均办理']} />
              <tbody>
                {(
                  [
                    ['业务', s.byService, svc],
                    ['窗口', s.byWindow, (k: string) => `${k}号窗口`],
                    ['人员', s.byStaff, (k: string) => `工号 ${k}`],
                  ] as const
                ).flatMap(([group, m, label]) =>
                  Object.entries(m).map(([k, v]) => (
                    <tr key={`${group}-${k}`}>
                      <td>{group}</td>
                      <td>{label(k)}</td>
                      <td>{v.issued}</td>
                      <td>{v.served}</td>
                      <td>{v.skipped}</td>
                      <td>{secondsText(v.meanWaitSeconds)}</td>
                      <td>{secondsText(v.p90WaitSeconds)}</td>
                      <td>{secondsText(v.meanServeSeconds)}</td>
                    </tr>
                  )),
                )}
              </tbody>
            </table>
          </section>
        </>
      ) : null}
    </div>
  );
}
