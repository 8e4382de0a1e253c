/**
 * Booking on a caller's behalf and cancelling, for the counter and the admin console: a form
 * (service, day, slot with places left, name, ID number checked as typed, phone) and the day's
 * list with 取消 on each booking still open. The hub keeps the rules; refusals show as they come.
 */
import { type ReactNode, useCallback, useEffect, useState } from 'react';
import { APPOINTMENT_STATUS_TEXT, type AppointmentStatus } from '../../common/appointment-terms.js';
import { checkTyping } from '../../common/cert-number.js';
import { useServices } from './app.js';
import { ErrorBanner, RowAction, StatusNote, TableHead } from './components.js';
import { errorMessage } from './hub-client.js';
import './appointment-desk.css';

/** Every user-facing string of the desk, in one place (for the language catalogues). */
export const DESK_TEXT = {
  bookTitle: '代为预约',
  service: '业务',
  day: '日期',
  slot: '时段',
  name: '姓名',
  certNo: '身份证号码',
  phone: '联系电话（可不填）',
  book: '预约',
  booked: (code: string, from: string) => `已预约 ${from}，预约码 ${code}（请告知办事人）`,
  left: (n: number) => (n > 0 ? `余 ${n}` : '已约满'),
  closed: '停止预约',
  passed: '已过',
  listTitle: (day: string) => `${day} 的预约`,
  cols: ['时段', '业务', '预约码', '办事人', '来源', '状态', '操作'] as const,
  cancel: '取消',
  cancelled: (code: string) => `已取消预约 ${code}`,
  none: '这一天还没有预约。',
  fromPlatform: '省平台',
  source: { kiosk: '取号机', counter: '窗口', admin: '管理', public: '手机', platform: '省平台' } as Record<
    string,
    string
  >,
  pick: '请选择',
} as const;
const T = DESK_TEXT;

export interface DeskRow {
  id: string;
  code: string;
  serviceCode: string;
  slotStart: string;
  slotEnd: string;
  status: AppointmentStatus;
  source: string;
  applicant: { name: string; certNo: string };
}

const hhmm = (iso: string) => iso.slice(11, 16);

/** The refusal and the confirmation of a desk's last action; `act` clears the old refusal and shows a new one. */
export function useDeskAction() {
  const [error, setError] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const act = useCallback(async (action: () => Promise<void>) => {
    setError(null);
    try {
      await action();
    } catch (e) {
      setError(errorMessage(e));
    }
  }, []);
  return { error, setError, note, setNote, act };
}

/** The refusal banner, then the confirmation line, as every part of the desk shows them. */
export function DeskStatus({ error, note }: { error: string | null; note: string | null }) {
  return (
    <>
      <ErrorBanner message={error} />
      <StatusNote className="appt-note" message={note} />
    </>
  );
}

/** A desk form: submitting runs `onSubmit` in the page instead of leaving it. */
export function DeskForm({ label, onSubmit, children }: { label: string; onSubmit: () => void; children: ReactNode }) {
  return (
    <form
      className="appt-form"
      aria-label={label}
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit();
      }}
    >
      {children}
    </form>
  );
}

export function BookForm({ today, onBooked }: { today: string; onBooked?: () => void }) {
  const { client } = useServices();
  const [services, setServices] = useState<{ code: string; name: string; days: string[] }[]>([]);
  const [serviceCode, setServiceCode] = useState('');
  const [day, setDay] = useState(today);
  const [slots, setSlots] = useState<
    { start: string; end: string; capacity: number; booked: number; closed: boolean; passed: boolean }[]
  >([]);
  const [slotStart, setSlotStart] = useState('');
  const [name, setName] = useState('');
  const [certNo, setCertNo] = useState('');
  const [phone, setPhone] = useState('');
  const { error, setError, note, setNote, act } = useDeskAction();

  useEffect(() => {
    client.call('publicServices').then(
      (list) => {
        setServices(list);
        setServiceCode((c) => c || list[0]?.code || '');
      },
      (e) => setError(errorMessage(e)),
    );
  }, [client, setError]);
  const loadSlots = useCallback(() => {
    if (!serviceCode || !day) return;
    client.call('appointmentSlots', { query: { serviceCode, day } }).then(
      (list) => setSlots(list),
      (e) => setError(errorMessage(e)),
    );
  }, [client, serviceCode, day, setError]);
  useEffect(() => loadSlots(), [loadSlots]);

  const check = checkTyping(certNo, today);
  const service = services.find((s) => s.code === serviceCode);
  const submit = () =>
    act(async () => {
      setNote(null);
      const a = await client.call('bookAppointment', {
        body: {
          serviceCode,
          slotStart,
          applicant: { name: name.trim(), certType: 'resident', certNo: certNo.trim() },
          ...(phone.trim() ? { phone: phone.trim() } : {}),
        },
      });
      setNote(T.booked(a.code, `${a.slotStart.slice(0, 10)} ${hhmm(a.slotStart)}`));
      setName('');
      setCertNo('');
      setPhone('');
      setSlotStart('');
      loadSlots();
      onBooked?.();
    });

  return (
    <DeskForm label={T.bookTitle} onSubmit={() => void submit()}>
      <h3>{T.bookTitle}</h3>
      <DeskStatus error={error} note={note} />
      <div className="appt-fields">
        <label>
          {T.service}
          <select value={serviceCode} onChange={(e) => setServiceCode(e.target.value)}>
            {services.map((s) => (
              <option key={s.code} value={s.code}>
                {s.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {T.day}
          <select value={day} onChange={(e) => setDay(e.target.value)}>
            {(service?.days ?? [today]).map((d) => (
              <option key={d} value={d}>
                {d}
              </option>
            ))}
          </select>
        </label>
        <label>
          {T.slot}
          <select value={slotStart} onChange={(e) => setSlotStart(e.target.value)} required>
            <option value="">{T.pick}</option>
            {slots.map((s) => (
              <option key={s.start} value={s.start} disabled={s.closed || s.passed || s.booked >= s.capacity}>
                {hhmm(s.start)}–{hhmm(s.end)}（
                {s.passed ? T.passed : s.closed ? T.closed : T.left(s.capacity - s.booked)}）
              </option>
            ))}
          </select>
        </label>
        <label>
          {T.name}
          <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={60} />
        </label>
        <label>
          {T.certNo}
          <input
            value={certNo}
            onChange={(e) => setCertNo(e.target.value.toUpperCase())}
            required
            maxLength={18}
            aria-invalid={check.state === 'invalid'}
            aria-describedby="appt-cert-hint"
          />
          <small id="appt-cert-hint" className={check.state === 'invalid' ? 'appt-bad' : 'muted'}>
            {check.state === 'invalid' ? check.reason : check.state === 'valid' ? '✓' : (check.hint ?? '')}
          </small>
        </label>
        <label>
          {T.phone}
          <input value={phone} onChange={(e) => setPhone(e.target.value)} inputMode="tel" maxLength={20} />
        </label>
      </div>
      <button type="submit" className="btn primary" disabled={!slotStart || !name.trim() || check.state !== 'valid'}>
        {T.book}
      </button>
    </DeskForm>
  );
}

export function AppointmentList({
  day,
  rows,
  serviceName,
  onChanged,
}: {
  day: string;
  rows: readonly DeskRow[];
  serviceName: (code: string) => string;
  onChanged: () => void;
}) {
  const { client } = useServices();
  const { error, note, setNote, act } = useDeskAction();
  const cancel = (r: DeskRow) =>
    act(async () => {
      await client.call('cancelAppointment', { params: { id: r.id } });
      setNote(T.cancelled(r.code));
      onChanged();
    });
  return (
    <div className="appt-list">
      <h3>{T.listTitle(day)}</h3>
      <DeskStatus error={error} note={note} />
      {rows.length === 0 ? <p className="muted">{T.none}</p> : null}
      {rows.length ? (
        <table className="a-table">
          <TableHead cols={T.cols} />
          <tbody>
            {rows.map((r) => (
              <tr key={r.id} data-status={r.status}>
                <td>
                  {hhmm(r.slotStart)}–{hhmm(r.slotEnd)}
                </td>
                <td>{serviceName(r.serviceCode)}</td>
                <td className="appt-code">{r.code}</td>
                <td>
                  {r.applicant.name} {r.applicant.certNo}
                </td>
                <td>{T.source[r.source] ?? r.source}</td>
                <td>{APPOINTMENT_STATUS_TEXT[r.status]}</td>
                <td>
                  <RowAction when={r.status === 'booked'} onClick={() => void cancel(r)}>
                    {T.cancel}
                  </RowAction>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}
