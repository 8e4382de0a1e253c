/** The window terminal's forms: 过号, 暂停 (with reason), 转移 (service or window, front or back), 办结. */
import { type FormEvent, type ReactNode, useEffect, useRef, useState } from 'react';
import { useHallSettings } from '../display/hall-settings.js';
import type { ApiHall, ApiTicket } from '../shared/api-types.js';
import { useServices } from '../shared/app.js';
import { ErrorBanner } from '../shared/components.js';
import { errorMessage, HubError } from '../shared/hub-client.js';
import { CASE_TYPES, PAUSE_REASONS, PRIORITY_TEXT, RESULT_OPTIONS } from './actions.js';

export function Modal({
  title,
  onCancel,
  children,
  wide,
}: {
  title: string;
  onCancel: () => void;
  children: ReactNode;
  wide?: boolean;
}) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const first = ref.current?.querySelector<HTMLElement>('input, select, textarea, button');
    first?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onCancel();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onCancel]);
  return (
    <div className="c-overlay">
      <div
        ref={ref}
        className={`card c-dialog ${wide ? 'wide' : ''}`}
        role="dialog"
        aria-modal="true"
        aria-label={title}
      >
        <h2>{title}</h2>
        {children}
      </div>
    </div>
  );
}

function Buttons({ submit, onCancel, busy }: { submit: string; onCancel: () => void; busy?: boolean }) {
  return (
    <div className="c-dialog-buttons">
      <button type="button" className="btn" onClick={onCancel}>
        取消（Esc）
      </button>
      <button type="submit" className="btn primary" disabled={busy}>
        {submit}
      </button>
    </div>
  );
}

export function SkipForm({ onCancel, onSubmit }: { onCancel: () => void; onSubmit: (requeue: boolean) => void }) {
  const [requeue, setRequeue] = useState(false);
  return (
    <Modal title="过号" onCancel={onCancel}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          onSubmit(requeue);
        }}
      >
        <p>群众未到窗口，确认过号？</p>
        <label className="c-check">
          <input type="checkbox" checked={requeue} onChange={(e) => setRequeue(e.target.checked)} />
          让该号回到队尾重新排队（每张票只能一次）
        </label>
        <Buttons submit="确认过号" onCancel={onCancel} />
      </form>
    </Modal>
  );
}

export function PauseForm({ onCancel, onSubmit }: { onCancel: () => void; onSubmit: (reason: string) => void }) {
  const [choice, setChoice] = useState(PAUSE_REASONS[0]!);
  const [other, setOther] = useState('');
  const [error, setError] = useState<string | null>(null);
  return (
    <Modal title="暂停服务" onCancel={onCancel}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          const reason = choice === '其他' ? other.trim() : choice;
          if (!reason) return setError('请填写暂停原因');
          onSubmit(reason);
        }}
      >
        <fieldset className="c-radios">
          <legend>暂停原因</legend>
          {PAUSE_REASONS.map((r) => (
            <label key={r}>
              <input type="radio" name="reason" checked={choice === r} onChange={() => setChoice(r)} />
              {r}
            </label>
          ))}
        </fieldset>
        {choice === '其他' ? (
          <label>
            说明
            <input value={other} maxLength={100} onChange={(e) => setOther(e.target.value)} />
          </label>
        ) : null}
        <ErrorBanner message={error} />
        <Buttons submit="暂停" onCancel={onCancel} />
      </form>
    </Modal>
  );
}

export interface TransferBody {
  toServiceCode?: string;
  toWindowNo?: number;
  position: 'front' | 'back';
}

export function TransferForm({
  hall,
  fromWindow,
  onCancel,
  onSubmit,
}: {
  hall: ApiHall;
  fromWindow: number;
  onCancel: () => void;
  onSubmit: (b: TransferBody) => void;
}) {
  const [kind, setKind] = useState<'service' | 'window'>('service');
  const [service, setService] = useState(hall.services[0]?.code ?? '');
  const windows = hall.windows.filter((w) => w.no !== fromWindow);
  const [windowNo, setWindowNo] = useState(windows[0]?.no ?? 0);
  const [position, setPosition] = useState<'front' | 'back'>('front');
  return (
    <Modal title="转移" onCancel={onCancel}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          onSubmit(kind === 'service' ? { toServiceCode: service, position } : { toWindowNo: windowNo, position });
        }}
      >
        <fieldset className="c-radios">
          <legend>转到</legend>
          <label>
            <input type="radio" name="kind" checked={kind === 'service'} onChange={() => setKind('service')} />
            其他业务
          </label>
          <label>
            <input type="radio" name="kind" checked={kind === 'window'} onChange={() => setKind('window')} />
            指定窗口
          </label>
        </fieldset>
        {kind === 'service' ? (
          <label>
            目标业务
            <select value={service} onChange={(e) => setService(e.target.value)}>
              {hall.services.map((s) => (
                <option key={s.code} value={s.code}>
                  {s.name}（{s.waiting} 人等候）
                </option>
              ))}
            </select>
          </label>
        ) : (
          <label>
            目标窗口
            <select value={windowNo} onChange={(e) => setWindowNo(Number(e.target.value))}>
              {windows.map((w) => (
                <option key={w.no} value={w.no}>
                  {w.no}号 {w.name}
                </option>
              ))}
            </select>
          </label>
        )}
        <fieldset className="c-radios">
          <legend>排队位置</legend>
          <label>
            <input type="radio" name="pos" checked={position === 'front'} onChange={() => setPosition('front')} />
            排在最前
          </label>
          <label>
            <input type="radio" name="pos" checked={position === 'back'} onChange={() => setPosition('back')} />
            排在队尾
          </label>
        </fieldset>
        <Buttons submit="确认转移" onCancel={onCancel} />
      </form>
    </Modal>
  );
}

interface CatalogItem {
  taskCode: string;
  taskName: string;
  materials?: { name: string; required?: boolean }[];
}

/**
 * 事项 for a service: the hub's cached platform catalogue when it has one (`GET /catalog`), otherwise
 * the service's 事项 codes from the hall config (names unknown then).
 */
function useTasks(serviceCode: string): CatalogItem[] {
  const { client } = useServices();
  const settings = useHallSettings();
  const [catalog, setCatalog] = useState<CatalogItem[] | null>(null);
  useEffect(() => {
    let alive = true;
    client.get<{ items?: CatalogItem[] }>('/catalog').then(
      (c) => alive && setCatalog(Array.isArray(c?.items) ? c.items : []),
      () => alive && setCatalog([]),
    );
    return () => {
      alive = false;
    };
  }, [client]);
  const codes = settings?.tasks[serviceCode] ?? [];
  const fromCatalog = (catalog ?? []).filter((i) => codes.length === 0 || codes.includes(i.taskCode));
  if (fromCatalog.length) return fromCatalog;
  return codes.map((c) => ({ taskCode: c, taskName: '' }));
}

export interface FinishResult {
  caseId: string;
  evaluationRequestId: string;
}

export function FinishForm({
  windowNo,
  ticket,
  onCancel,
  onFinished,
  onError,
}: {
  windowNo: number;
  ticket: ApiTicket;
  onCancel: () => void;
  onFinished: (r: FinishResult) => void;
  onError: (e: unknown) => void;
}) {
  const { client } = useServices();
  const tasks = useTasks(ticket.serviceCode);
  const [taskCode, setTaskCode] = useState('');
  const [manualCode, setManualCode] = useState('');
  const [result, setResult] = useState<string>('approved');
  const [caseType, setCaseType] = useState<string>('1');
  const [hasAgent, setHasAgent] = useState(false);
  const [agentName, setAgentName] = useState('');
  const [agentCertNo, setAgentCertNo] = useState('');
  const [checked, setChecked] = useState<string[]>([]);
  const [extra, setExtra] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!taskCode && tasks[0]) setTaskCode(tasks[0].taskCode);
  }, [tasks, taskCode]);
  const task = tasks.find((t) => t.taskCode === taskCode);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const code = tasks.length ? taskCode : manualCode.trim();
    if (!code) return setError('请选择或填写办理事项');
    if (hasAgent && !agentName.trim()) return setError('请填写代办人姓名');
    const materials = [
      ...checked,
      ...extra
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean),
    ];
    const body = {
      case: {
        taskCode: code,
        ...(task?.taskName ? { taskName: task.taskName } : {}),
        result,
        caseType,
        ...(hasAgent
          ? {
              agent: {
                name: agentName.trim(),
                ...(agentCertNo.trim() ? { certType: 'resident', certNo: agentCertNo.trim().toUpperCase() } : {}),
              },
            }
          : {}),
        ...(materials.length ? { materials } : {}),
      },
    };
    setBusy(true);
    setError(null);
    try {
      const r = await client.windowAction<FinishResult>(windowNo, 'finish', body);
      onFinished(r);
    } catch (err) {
      setError(errorMessage(err));
      if (err instanceof HubError && err.status === 401) onError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal title={`办结 ${ticket.number}`} onCancel={onCancel} wide>
      <form onSubmit={submit} className="c-finish">
        {tasks.length ? (
          <label>
            办理事项
            <select name="taskCode" value={taskCode} onChange={(e) => setTaskCode(e.target.value)}>
              {tasks.map((t) => (
                <option key={t.taskCode} value={t.taskCode}>
                  {t.taskName ? `${t.taskName}（${t.taskCode}）` : t.taskCode}
                </option>
              ))}
            </select>
          </label>
        ) : (
          <label>
            事项编码
            <input name="taskCode" value={manualCode} maxLength={40} onChange={(e) => setManualCode(e.target.value)} />
          </label>
        )}
        <div className="c-row">
          <label>
            办结结果
            <select name="result" value={result} onChange={(e) => setResult(e.target.value)}>
              {RESULT_OPTIONS.map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </select>
          </label>
          <fieldset className="c-radios">
            <legend>办件类型</legend>
            {CASE_TYPES.map((t) => (
              <label key={t.value}>
                <input
                  type="radio"
                  name="caseType"
                  checked={caseType === t.value}
                  onChange={() => setCaseType(t.value)}
                />
                {t.label}
              </label>
            ))}
          </fieldset>
        </div>
        <label className="c-check">
          <input type="checkbox" checked={hasAgent} onChange={(e) => setHasAgent(e.target.checked)} />
          帮代办（他人代为申请）
        </label>
        {hasAgent ? (
          <div className="c-row">
            <label>
              代办人姓名
              <input value={agentName} maxLength={60} onChange={(e) => setAgentName(e.target.value)} />
            </label>
            <label>
              代办人身份证号
              <input value={agentCertNo} maxLength={18} onChange={(e) => setAgentCertNo(e.target.value)} />
            </label>
          </div>
        ) : null}
        {task?.materials?.length ? (
          <fieldset className="c-materials">
            <legend>收取材料</legend>
            {task.materials.map((m) => (
              <label key={m.name}>
                <input
                  type="checkbox"
                  checked={checked.includes(m.name)}
                  onChange={(e) =>
                    setChecked((c) => (e.target.checked ? [...c, m.name] : c.filter((x) => x !== m.name)))
                  }
                />
                {m.name}
                {m.required ? '（必交）' : ''}
              </label>
            ))}
          </fieldset>
        ) : null}
        <label>
          其他材料（每行一项）
          <textarea rows={2} value={extra} onChange={(e) => setExtra(e.target.value)} />
        </label>
        <ErrorBanner message={error} />
        <Buttons submit="确认办结" onCancel={onCancel} busy={busy} />
      </form>
    </Modal>
  );
}

/**
 * The waiting tickets of this window's services, in queue order, to call one by number (an
 * appointment, someone who stepped out). Names are masked here: nobody is being served yet.
 */
export function QueueDialog({
  windowNo,
  services,
  canCall,
  onCancel,
  onCall,
}: {
  windowNo: number;
  services: { code: string; name: string }[];
  canCall: boolean;
  onCancel: () => void;
  onCall: (ticketId: string) => void;
}) {
  const { client } = useServices();
  const [tickets, setTickets] = useState<ApiTicket[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let alive = true;
    Promise.all(services.map((s) => client.get<ApiTicket[]>(`/queue?serviceCode=${encodeURIComponent(s.code)}`))).then(
      (lists) => {
        if (!alive) return;
        const mine = lists
          .flat()
          .filter((t) => t.targetWindowNo == null || t.targetWindowNo === windowNo)
          .sort((a, b) => Date.parse(a.issuedAt) - Date.parse(b.issuedAt));
        setTickets(mine);
      },
      (e) => alive && setError(errorMessage(e)),
    );
    return () => {
      alive = false;
    };
  }, [client, services, windowNo]);
  const name = (code: string) => services.find((s) => s.code === code)?.name ?? code;
  return (
    <Modal title="等候队列" onCancel={onCancel} wide>
      <ErrorBanner message={error} />
      {!canCall ? <p className="muted">窗口空闲时才能选号呼叫。</p> : null}
      {tickets === null && !error ? <p className="muted">正在读取…</p> : null}
      {tickets?.length === 0 ? <p>当前没有等候的群众。</p> : null}
      {tickets?.length ? (
        <div className="c-queue-list">
          <table>
            <thead>
              <tr>
                <th scope="col">票号</th>
                <th scope="col">业务</th>
                <th scope="col">优先</th>
                <th scope="col">取号时间</th>
                <th scope="col">申请人</th>
                <th scope="col">操作</th>
              </tr>
            </thead>
            <tbody>
              {tickets.map((t) => (
                <tr key={t.id}>
                  <td className="c-queue-number">{t.number}</td>
                  <td>{name(t.serviceCode)}</td>
                  <td>{t.priority ? (PRIORITY_TEXT[t.priority] ?? '优先') : t.appointmentId ? '预约' : ''}</td>
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
