/**
 * The waiting tickets of this window's services, in queue order, to call one by number (an
 * appointment, someone who stepped out). Names are masked here: nobody is being served yet.
 */
import { useEffect, useState } from 'react';
import type { ApiTicket } from '../shared/api-types.js';
import { useServices } from '../shared/app.js';
import { ErrorBanner, TableHead } from '../shared/components.js';
import { errorMessage } from '../shared/hub-client.js';
import { priorityText } from '../shared/labels.js';
import { Modal } from './modal.js';

export function QueueDialog({
  windowNo,
  services,
  canCall,
  onCancel,
  onCall,
}: {
  windowNo: number;
  services: readonly { code: string; name: string }[];
  canCall: boolean;
  onCancel: () => void;
  onCall: (ticketId: string) => void;
}) {
  const tickets = useWaitingTickets(windowNo, services);
  const name = (code: string) => services.find((s) => s.code === code)?.name ?? code;
  return (
    <Modal title="等候队列" onCancel={onCancel} wide>
      <ErrorBanner message={tickets.error} />
      {!canCall ? <p className="muted">窗口空闲时才能选号呼叫。</p> : null}
      {tickets.list === null && !tickets.error ? <p className="muted">正在读取…</p> : null}
      {tickets.list?.length === 0 ? <p>当前没有等候的群众。</p> : null}
      {tickets.list?.length ? (
        <div className="c-queue-list">
          <table>
            <TableHead cols={['票号', '业务', '优先', '取号时间', '申请人', '操作']} />
            <tbody>
              {tickets.list.map((t) => (
                <tr key={t.id}>
                  <td className="c-queue-number">{t.number}</td>
                  <td>{name(t.serviceCode)}</td>
                  <td>{priorityText(t.priority) ?? (t.appointmentId ? '预约' : '')}</td>
                  <td>{t.issuedAt.slice(11, 16)}</td>
                  <td>{t.applicant?.name ?? '—'}</td>
                  <td>
                    <button type="button" className="btn" disabled={!canCall} onClick={() => onCall(t.id)}>
                      呼叫 {t.number}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <div className="c-dialog-buttons">
        <button type="button" className="btn" onClick={onCancel}>
          关闭（Esc）
        </button>
      </div>
    </Modal>
  );
}

/** The tickets waiting for these services that this window may call, oldest first. */
function useWaitingTickets(
  windowNo: number,
  services: readonly { code: string }[],
): { list: ApiTicket[] | null; error: string | null } {
  const { client } = useServices();
  const [list, setList] = useState<ApiTicket[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let alive = true;
    Promise.all(services.map((s) => client.call('queue', { query: { serviceCode: s.code } }))).then(
      (lists) => {
        if (!alive) return;
        const mine = lists
          .flat()
          .filter((t) => t.targetWindowNo == null || t.targetWindowNo === windowNo)
          .sort((a, b) => Date.parse(a.issuedAt) - Date.parse(b.issuedAt));
        setList(mine);
      },
      (e) => alive && setError(errorMessage(e)),
    );
    return () => {
      alive = false;
    };
  }, [client, services, windowNo]);
  return { list, error };
}
