/**
 * 安全告警: today's `security.alarm` rows (someone trying PINs), live, on top of the dashboard —
 * shown only when there are any. Read from the audit log, so an alarm raised while no console was
 * open is there too (docs/security.md).
 */
import { useCallback, useState } from 'react';
import type { AuditRow } from './admin-api.js';
import { useAdminApi, useLive } from './admin-hooks.js';

const SECURITY_TYPES = ['security.'];

/** One `security.alarm` audit row in words. */
export function alarmText(r: AuditRow): string {
  const d = (r.detail ?? {}) as { kind?: string; failures?: number; blocks?: number; blockedUntil?: string | null };
  if (d.kind === 'sign_in_blocked')
    return `地址 ${r.subject ?? '—'} 登录连续失败 ${d.failures ?? '?'} 次，已暂停其登录至 ${d.blockedUntil?.slice(11, 16) ?? '—'}（第 ${d.blocks ?? 1} 次）`;
  if (d.kind === 'sign_in_flood') return `登录请求过多（被拒 ${d.failures ?? '?'} 次），可能有人在批量尝试 PIN`;
  return r.action;
}

export function SecurityAlarms({ day }: { day: string | null }) {
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
