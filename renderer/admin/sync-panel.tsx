/**
 * The provincial platform sync (`/sync/status`, `/sync/rejected`, `POST /sync/retry` from the sync
 * feature): pending records, the oldest one's age, rejected records with their codes, and a retry.
 * A hub without the sync answers 501/404 and the panel says the sync is not enabled.
 */
import { useCallback, useState } from 'react';
import { secondsText } from '../shared/charts/chart-data.js';
import { ErrorBanner } from '../shared/components.js';
import { errorMessage } from '../shared/hub-client.js';
import { useAdminApi, useLive } from './admin-hooks.js';

interface SyncStatus {
  pending: number;
  oldestPendingSeconds: number | null;
  rejected: number;
  lastSuccessAt: string | null;
  lastError: string | null;
}

interface RejectedRow {
  id: string;
  kind?: string;
  caseId?: string | null;
  code?: string | null;
  message?: string | null;
  rejectedAt?: string | null;
  [k: string]: unknown;
}

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
            .optional<RejectedRow[] | { items?: RejectedRow[] }>('/sync/rejected')
            .then((r) => setRejected(Array.isArray(r) ? r : (r?.items ?? [])))
            .catch(() => undefined);
      },
      (e) => setError(errorMessage(e)),
    );
  }, [api]);
  useLive(load, SYNC_TYPES, 15_000);

  const retry = async (ids?: string[]) => {
    try {
      await api.client.post('/sync/retry', ids ? { ids } : {});
      setNote('已安排重新上报');
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
              <div className="a-kpi-value small">{status.lastSuccessAt?.slice(0, 19).replace('T', ' ') ?? '从未'}</div>
            </div>
          </div>
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
              <thead>
                <tr>
                  <th scope="col">记录</th>
                  <th scope="col">类型</th>
                  <th scope="col">办件</th>
                  <th scope="col">拒绝代码</th>
                  <th scope="col">说明</th>
                  <th scope="col">操作</th>
                </tr>
              </thead>
              <tbody>
                {rejected.map((r) => (
                  <tr key={r.id}>
                    <td>{r.id}</td>
                    <td>{r.kind === 'evaluation' ? '评价' : r.kind === 'case' ? '办件' : (r.kind ?? '—')}</td>
                    <td>{r.caseId ?? '—'}</td>
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
