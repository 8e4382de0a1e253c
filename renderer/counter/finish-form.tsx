/**
 * 办结 a ticket: the form (`finish-case.ts` turns it into the case), sent on this session's token.
 * On success the hub asks the window's pad for a rating; the screen then waits for it.
 */
import { type FormEvent, useEffect, useState } from 'react';
import type { ApiTicket } from '../shared/api-types.js';
import { useServices } from '../shared/app.js';
import { ErrorBanner } from '../shared/components.js';
import { useHallSettings } from '../shared/hall-settings.js';
import { errorMessage, HubError } from '../shared/hub-client.js';
import { CASE_TYPES, RESULT_OPTIONS } from './actions.js';
import { BLANK_FINISH, type FinishDraft, finishBody, type TaskOption, type UploadedMaterial } from './finish-case.js';
import { DialogButtons, Modal, RadioGroup } from './modal.js';

export interface FinishResult {
  caseId: string;
  evaluationRequestId: string;
  /** The 扫码评价 code (only in this answer): shown as a QR on this screen and printed on the receipt, never kept. */
  ratingCode?: string;
  /** The result the form sent (the 不予受理通知书 is offered for `rejected`). */
  result: string;
}

/**
 * 事项 for a service: the hub's catalogue (`GET /catalog`: the platform's merged with the hall
 * config's local one, so names are there from the first minute), otherwise the service's bare codes.
 */
export function useTasks(serviceCode: string): TaskOption[] {
  const { client } = useServices();
  const settings = useHallSettings();
  const [catalog, setCatalog] = useState<TaskOption[] | null>(null);
  useEffect(() => {
    let alive = true;
    client.call('catalog').then(
      (c) => alive && setCatalog(c.items),
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

export function FinishForm({
  windowNo,
  ticket,
  uploaded = [],
  onCancel,
  onFinished,
  onError,
}: {
  windowNo: number;
  ticket: ApiTicket;
  /** Materials scanned and uploaded for this ticket: listed, and named in the case by their hash. */
  uploaded?: readonly UploadedMaterial[];
  onCancel: () => void;
  onFinished: (r: FinishResult) => void;
  /** A failure the screen handles too (a 401 signs out). */
  onError: (e: unknown) => void;
}) {
  const { client } = useServices();
  const tasks = useTasks(ticket.serviceCode);
  const [d, setDraft] = useState<FinishDraft>(BLANK_FINISH);
  const set = (patch: Partial<FinishDraft>) => setDraft((x) => ({ ...x, ...patch }));
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  // The first 事项 is picked once the list arrives.
  useEffect(() => {
    if (tasks[0]) setDraft((x) => (x.taskCode ? x : { ...x, taskCode: tasks[0]!.taskCode }));
  }, [tasks]);
  const task = tasks.find((t) => t.taskCode === d.taskCode);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const r = finishBody(d, tasks, uploaded);
    if (!r.ok) return setError(r.error);
    setBusy(true);
    setError(null);
    try {
      const answer = await client.windowAction<Omit<FinishResult, 'result'>>(windowNo, 'finish', r.body);
      onFinished({ ...answer, result: r.body.case.result });
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
            <select name="taskCode" value={d.taskCode} onChange={(e) => set({ taskCode: e.target.value })}>
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
            <input
              name="taskCode"
              value={d.manualCode}
              maxLength={40}
              onChange={(e) => set({ manualCode: e.target.value })}
            />
          </label>
        )}
        <div className="c-row">
          <label>
            办结结果
            <select
              name="result"
              value={d.result}
              onChange={(e) => set({ result: e.target.value as FinishDraft['result'] })}
            >
              {RESULT_OPTIONS.map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </select>
          </label>
          <RadioGroup
            legend="办件类型"
            name="caseType"
            options={CASE_TYPES}
            value={d.caseType}
            onChange={(caseType) => set({ caseType })}
          />
        </div>
        <label className="c-check">
          <input type="checkbox" checked={d.hasAgent} onChange={(e) => set({ hasAgent: e.target.checked })} />
          帮代办（他人代为申请）
        </label>
        {d.hasAgent ? (
          <div className="c-row">
            <label>
              代办人姓名
              <input value={d.agentName} maxLength={60} onChange={(e) => set({ agentName: e.target.value })} />
            </label>
            <label>
              代办人身份证号
              <input value={d.agentCertNo} maxLength={18} onChange={(e) => set({ agentCertNo: e.target.value })} />
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
                  // A scanned material is taken: ticked, and sent by its hash (finish-case.ts).
                  disabled={uploaded.some((u) => u.name === m.name)}
                  checked={d.checked.includes(m.name) || uploaded.some((u) => u.name === m.name)}
                  onChange={(e) => {
                    const on = e.target.checked;
                    setDraft((x) => ({
                      ...x,
                      checked: on ? [...x.checked, m.name] : x.checked.filter((y) => y !== m.name),
                    }));
                  }}
                />
                {m.name}
                {m.required ? '（必交）' : ''}
                {uploaded.some((u) => u.name === m.name) ? '（已采集）' : ''}
              </label>
            ))}
          </fieldset>
        ) : null}
        {uploaded.length ? (
          <fieldset className="c-materials c-scanned">
            <legend>已采集的材料（随办件上报）</legend>
            <ul>
              {uploaded.map((m) => (
                <li key={m.sha256}>
                  {m.name} · {m.pages} 页 · {Math.round(m.bytes / 1024)} KB
                </li>
              ))}
            </ul>
          </fieldset>
        ) : null}
        <label>
          其他材料（每行一项）
          <textarea rows={2} value={d.extra} onChange={(e) => set({ extra: e.target.value })} />
        </label>
        <ErrorBanner message={error} />
        <DialogButtons submit="确认办结" onCancel={onCancel} busy={busy} />
      </form>
    </Modal>
  );
}
