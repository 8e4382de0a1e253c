/**
 * 统计报表: the daily (`GET /stats?day=`) or monthly (`GET /stats/month?month=`) report — totals,
 * charts and the table by service, window and staff — and its CSV export (UTF-8 with BOM).
 */
import { useEffect, useState } from 'react';
import type { DayStatistics, MonthStatistics } from '../../main/server/admin/types.js';
import type { ApiHall } from '../shared/api-types.js';
import { BarChart, ColumnChart } from '../shared/charts/bar-chart.js';
import { hourBars, satisfactionBars, secondsText } from '../shared/charts/chart-data.js';
import { ErrorBanner, TableHead } from '../shared/components.js';
import { errorMessage } from '../shared/hub-client.js';
import { downloadBlob, fetchPdf } from '../shared/pdf-document.js';
import { useAdminApi } from './admin-hooks.js';
import { StatusNote } from './edit-fields.js';
import { Kpi } from './kpi.js';

export function StatsPanel({ hall }: { hall: ApiHall | null }) {
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
  /** The same period as a PDF report made by the hub (figures, charts, 差评 list; docs/documents.md). */
  const downloadPdf = async () => {
    try {
      const path = mode === 'day' ? `/admin/reports/daily.pdf?day=${day}` : `/admin/reports/monthly.pdf?month=${month}`;
      const name = `${hall?.name ?? '大厅'}${mode === 'day' ? `日报-${day}` : `月报-${month}`}.pdf`;
      downloadBlob(await fetchPdf(api.client, path), name);
      setNote(`已下载 ${name}`);
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
        <button type="button" className="btn" onClick={downloadPdf} data-testid="report-pdf">
          下载 PDF 报表
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
