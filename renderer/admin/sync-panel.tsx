/**
 * The provincial platform sync (`/sync/status`, `/sync/rejected`, `POST /sync/retry` from the sync
 * feature): pending records, the oldest one's age, rejected records with their codes, and a retry.
 * A hub without the sync answers 501/404 and the panel says the sync is not enabled.
 */
import { useCallback, useState } from 'react';
import { outboxKindName } from '../../common/outbox-kind.js';
import { secondsText } from '../shared/charts/chart-data.js';
import { ErrorBanner, TableHead } from '../shared/components.js';
import { errorMessage } from '../shared/hub-client.js';
import { useAdminApi, useLive } from './admin-hooks.js';

interface SyncStatus {
  pending: number;
  oldestPendingSeconds: number | null;
  rejected: number;
  lastSuccessAt: string | null;
  lastError: string | null;
  /** Extensions of the sync feature (docs/hub-api-extensions.md); absent on older hubs. */
  configured?: boolean;
  platformUrl?: string | null;
  delivered?: number;
  running?: boolean;
  failures?: number;
  nextAttemptAt?: string | null;
  alarm?: boolean;
  catalogue?: { version: string; fetchedAt: string | null; items: number } | null;
}

interface RejectedRow {
  id: string;
  kind?: string;
  caseId?: string | null;
  version?: number;
  code?: string | null;
  message?: string | null;
  at?: string | null;
  attempts?: number;
}

const time = (iso: string | null | undefined) => (iso ? iso.slice(0, 19).replace('T', ' ') : null);

const SYNC_TYPES = ['sync.'];

export function SyncPanel() {
  const api = useAdminApi();
  const [status, setStatus] = useState<SyncStatus | null>(null);
  const [rejected, setRejected] = useState<RejectedRow[]>([]);
  const [off, setOff] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const load = useCallback(() => {
    api.optional<SyncStatus>('/sync/status').then(
      (s) => {
        setOff(s === null);
        setStatus(s);
        setError(null);
        if (s)
          api
            .optional<RejectedRow[] | { records?: RejectedRow[]; items?: RejectedRow[] }>('/sync/rejected')
            .then((r) => setRejected(Array.isArray(r) ? r : (r?.records ?? r?.items ?? [])))
            .catch(() => undefined);
      },
      (e) => setError(errorMessage(e)),
    );
  }, [api]);
  useLive(load, SYNC_TYPES, 15_000);

  const retry = async (ids?: string[]) => {
    try {
      const r = await api.client.call('syncRetry', { body: ids ? { ids } : {} });
      setNote(`已安排重新上报${typeof r?.requeued === 'number' ? ` ${r.requeued} 条` : ''}`);
      load();
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  return (
    <section className="card a-panel" aria-labelledby="sync-title">
      <h2 id="sync-title">省级平台同步</h2>
      <ErrorBanner message={error} />
      {off ? <p className="a-empty">平台同步尚未启用：办件和评价保存在本地，启用后自动补传。</p> : null}
      {status ? (
        <>
          {status.configured === false ? (
            <p className="a-empty">未配置省级平台：办件和评价保存在本地发件箱，配置平台后自动补传。</p>
          ) : null}
          {status.alarm ? (
            <p className="a-warn" role="alert">
              ⚠ 同步告警：待上报记录积压或等待过久，请检查与省级平台的连接。
            </p>
          ) : null}
          <div className="a-kpis">
            <div className="card a-kpi">
              <div className="a-kpi-label">待上报</div>
              <div className="a-kpi-value">{status.pending}</div>
            </div>
            <div className="card a-kpi">
              <div className="a-kpi-label">最早一条已等</div>
              <div className="a-kpi-value">{secondsText(status.oldestPendingSeconds)}</div>
            </div>
            <div className="card a-kpi">
              <div className="a-kpi-label">被拒绝</div>
              <div className="a-kpi-value">{status.rejected}</div>
            </div>
            <div className="card a-kpi">
              <div className="a-kpi-label">最近成功</div>
              <div className="a-kpi-value small">{time(status.lastSuccessAt) ?? '从未'}</div>
            </div>
          </div>
          <dl className="a-facts">
            {status.platformUrl ? (
              <>
                <dt>平台地址</dt>
                <dd>{status.platformUrl}</dd>
              </>
            ) : null}
            {status.delivered !== undefined ? (
              <>
                <dt>累计已上报</dt>
                <dd>{status.delivered} 条</dd>
              </>
            ) : null}
            {status.failures ? (
              <>
                <dt>连续失败</dt>
                <dd>
                  {status.failures} 次{status.nextAttemptAt ? `，下次尝试 ${time(status.nextAttemptAt)}` : ''}
                </dd>
              </>
            ) : null}
            {status.catalogue !== undefined ? (
              <>
                <dt>事项目录</dt>
                <dd>
                  {status.catalogue
                    ? `版本 ${status.catalogue.version}，${status.catalogue.items} 项，取得于 ${time(status.catalogue.fetchedAt) ?? '—'}`
                    : '尚未取得'}
                </dd>
              </>
            ) : null}
          </dl>
          {status.lastError ? <p className="a-warn">最近错误：{status.lastError}</p> : null}
          <div className="a-toolbar">
            <button type="button" className="btn primary" onClick={() => retry()}>
              立即重试全部
            </button>
            {note ? <span role="status">{note}</span> : null}
          </div>
          <h3>被拒绝的记录</h3>
          {rejected.length ? (
            <table className="a-table">
              <TableHead cols={['记录', '类型', '办件', '拒绝时间', '拒绝代码', '说明', '操作']} />
              <tbody>
                {rejected.map((r) => (
                  <tr key={r.id}>
                    <td>{r.id}</td>
                    <td>{outboxKindName(r.kind)}</td>
                    <td>
                      {r.caseId ?? '—'}
                      {r.version ? `（第 ${r.version} 版）` : ''}
                    </td>
                    <td>{time(r.at) ?? '—'}</td>
                    <td>
                      <code>{r.code ?? '—'}</code>
                    </td>
                    <td>{r.message ?? ''}</td>
                    <td>
                      <button type="button" className="btn" onClick={() => retry([r.id])}>
                        重试
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <p className="muted">没有被拒绝的记录</p>
          )}
        </>
      ) : null}
    </section>
  );
}
