/** The admin endpoints (main/server/admin-*.ts) over the shared HubClient, plus PUT and file downloads. */
import type {
  AdminConfigApplied,
  AdminConfigChange,
  AdminConfigCheck,
  AdminConfigView,
  AdminEvaluationReport,
  DayStatistics,
  MonthStatistics,
} from '../../main/server/admin/types.js';
import type { AuditReportRow } from '../../main/store/admin-reader.js';
import { type HubClient, HubError } from '../shared/hub-client.js';
import { downloadBlob } from '../shared/pdf-document.js';

/** An audit row as the hub sends it: the store's row with the time as ISO text. */
export type AuditRow = Omit<AuditReportRow, 'at'> & { at: string };

export interface ConfigRefusal {
  code: string;
  message: string;
  problems: { path: string; message: string }[];
}

export class AdminApi {
  constructor(readonly client: HubClient) {}

  private async raw(method: string, path: string, body?: unknown): Promise<Response> {
    const headers: Record<string, string> = {};
    if (this.client.token) headers.authorization = `Bearer ${this.client.token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    try {
      return await fetch(`${this.client.baseUrl}/api/v1${path}`, {
        method,
        headers,
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
    } catch {
      throw new HubError(0, 'NETWORK', '暂时无法连接大厅中枢，请稍后再试');
    }
  }

  config(): Promise<AdminConfigView> {
    return this.client.get('/admin/config');
  }
  checkConfig(change: AdminConfigChange): Promise<AdminConfigCheck> {
    return this.client.post('/admin/config/check', change);
  }
  /** Applies a change; a refusal (400/409 with problems) is answered, not thrown. */
  async applyConfig(
    change: AdminConfigChange,
  ): Promise<{ ok: true; applied: AdminConfigApplied } | { ok: false; refusal: ConfigRefusal }> {
    const res = await this.raw('PUT', '/admin/config', change);
    const data = (await res.json().catch(() => null)) as Record<string, unknown> | null;
    if (res.ok) return { ok: true, applied: data as unknown as AdminConfigApplied };
    return {
      ok: false,
      refusal: {
        code: String(data?.code ?? `HTTP_${res.status}`),
        message: String(data?.message ?? `保存失败（${res.status}）`),
        problems: Array.isArray(data?.problems) ? (data.problems as ConfigRefusal['problems']) : [],
      },
    };
  }
  audit(prefix = 'config.', limit = 20): Promise<AuditRow[]> {
    return this.client.get(`/admin/audit?prefix=${encodeURIComponent(prefix)}&limit=${limit}`);
  }
  dayStats(day: string): Promise<DayStatistics> {
    return this.client.get(`/stats?day=${day}`);
  }
  monthStats(month: string): Promise<MonthStatistics> {
    return this.client.get(`/stats/month?month=${month}`);
  }
  evaluations(q: { day: string } | { month: string }): Promise<AdminEvaluationReport> {
    return this.client.get(`/admin/evaluations?${'day' in q ? `day=${q.day}` : `month=${q.month}`}`);
  }

  /** Downloads the CSV through an object URL (the token stays in a header, not in an address). */
  async downloadCsv(q: { day: string } | { month: string }): Promise<string> {
    const query = 'day' in q ? `day=${q.day}` : `month=${q.month}`;
    const res = await this.raw('GET', `/stats/export.csv?${query}`);
    if (!res.ok) {
      const d = (await res.json().catch(() => null)) as { message?: string } | null;
      throw new HubError(res.status, 'EXPORT_FAILED', d?.message ?? `导出失败（${res.status}）`);
    }
    const blob = await res.blob();
    const name = `govhall-stats-${'day' in q ? q.day : q.month}.csv`;
    downloadBlob(blob, name);
    return name;
  }

  /** GET that answers null for 404/501 (a feature not installed on this hub). */
  async optional<T>(path: string): Promise<T | null> {
    try {
      return await this.client.get<T>(path);
    } catch (e) {
      if (e instanceof HubError && (e.status === 404 || e.status === 501)) return null;
      throw e;
    }
  }
}
