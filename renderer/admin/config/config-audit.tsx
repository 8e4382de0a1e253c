/** 修改记录: the latest config changes from the audit trail, applied or refused. */

import { EmptyRow, TableHead } from '../../shared/components.js';
import type { AuditRow } from '../admin-api.js';
import { sectionsText } from './config-draft.js';

export function ConfigAudit({ rows }: { rows: readonly AuditRow[] }) {
  return (
    <section className="card a-panel">
      <h2>修改记录</h2>
      <table className="a-table" data-testid="config-audit">
        <TableHead cols={['时间', '操作者', '结果', '修改部分']} />
        <tbody>
          {rows.map((a) => {
            const d = (a.detail ?? {}) as { sections?: string[]; code?: string };
            return (
              <tr key={a.id}>
                <td>{a.at.slice(0, 19).replace('T', ' ')}</td>
                <td>{a.terminalId ?? a.actorRole}</td>
                <td>{a.result === 'ok' ? '✔ 已生效' : `✖ 被拒绝${d.code ? `（${d.code}）` : ''}`}</td>
                <td>{sectionsText(d.sections ?? [])}</td>
              </tr>
            );
          })}
          {rows.length === 0 ? <EmptyRow cols={4}>还没有修改记录</EmptyRow> : null}
        </tbody>
      </table>
    </section>
  );
}
