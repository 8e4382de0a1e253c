/** The forms of the window's queue actions: 过号, 暂停 (with a reason), 转移 (service or window, front or back). */
import { useState } from 'react';
import type { ApiHall } from '../shared/api-types.js';
import { ErrorBanner } from '../shared/components.js';
import { PAUSE_REASONS } from './actions.js';
import { DialogButtons, type FormProps, Modal, RadioGroup } from './modal.js';

/** The answer is whether the ticket goes back to the end of the queue (once per ticket). */
export function SkipForm({ onCancel, onSubmit }: FormProps<boolean>) {
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
        <DialogButtons submit="确认过号" onCancel={onCancel} />
      </form>
    </Modal>
  );
}

const REASON_OPTIONS = PAUSE_REASONS.map((r) => ({ value: r, label: r }));

/** The answer is the reason: one of the list, or the words typed for 其他. */
export function PauseForm({ onCancel, onSubmit }: FormProps<string>) {
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
        <RadioGroup legend="暂停原因" name="reason" options={REASON_OPTIONS} value={choice} onChange={setChoice} />
        {choice === '其他' ? (
          <label>
            说明
            <input value={other} maxLength={100} onChange={(e) => setOther(e.target.value)} />
          </label>
        ) : null}
        <ErrorBanner message={error} />
        <DialogButtons submit="暂停" onCancel={onCancel} />
      </form>
    </Modal>
  );
}

export interface TransferBody {
  toServiceCode?: string;
  toWindowNo?: number;
  position: 'front' | 'back';
}

const TARGETS = [
  { value: 'service', label: '其他业务' },
  { value: 'window', label: '指定窗口' },
] as const;
const POSITIONS = [
  { value: 'front', label: '排在最前' },
  { value: 'back', label: '排在队尾' },
] as const;

export function TransferForm({
  hall,
  fromWindow,
  onCancel,
  onSubmit,
}: FormProps<TransferBody> & { hall: ApiHall; fromWindow: number }) {
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
        <RadioGroup legend="转到" name="kind" options={TARGETS} value={kind} onChange={setKind} />
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
        <RadioGroup legend="排队位置" name="pos" options={POSITIONS} value={position} onChange={setPosition} />
        <DialogButtons submit="确认转移" onCancel={onCancel} />
      </form>
    </Modal>
  );
}
