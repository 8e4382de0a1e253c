/**
 * 预约 in the admin console: the day's bookings (cancel), the no-show rate, how full each
 * service's slots are, booking on a caller's behalf, and closing slots (a holiday, a training
 * afternoon) — `GET /admin/appointments`, `POST /admin/appointments/closures`.
 */
import { useCallback, useState } from 'react';
import type { AnswerOf } from '../../common/api/route-spec.js';
import type { ApiRoutes } from '../../common/api/routes.js';
import { AppointmentList, BookForm, DeskForm, DeskStatus, useDeskAction } from '../shared/appointment-desk.js';
import { ErrorBanner } from '../shared/components.js';
import { errorMessage } from '../shared/hub-client.js';
import { useAdminApi, useLive } from './admin-hooks.js';
import { Kpi } from './kpi.js';

/** Every user-facing string of the panel, in one place (for the language catalogues). */
export const APPOINTMENTS_TEXT = {
  title: '预约',
  day: '日期',
  total: '预约',
  checkedIn: '已签到',
  noShow: '爽约',
  noShowRate: '爽约率',
  noShowHint: '爽约 ÷（已签到 + 爽约）',
  useTitle: '时段使用',
  use: (booked: number, capacity: number) => `${booked} / ${capacity}`,
  closeTitle: '停止预约',
  service: '业务',
  allServices: '全部业务',
  from: '开始（可不填，整天）',
  to: '结束',
  reason: '原因',
  close: '停止预约',
  closed: (n: number) => `已停止预约${n ? `；该时段已有 ${n} 个预约，请通知办事人` : ''}`,
  closures: '已停止预约的时段',
  wholeDay: '全天',
  slotClosed: '停',
} as const;
const T = APPOINTMENTS_TEXT;

type DayAnswer = AnswerOf<ApiRoutes['adminAppointments']>;
const pct = (x: number | null) => (x === null ? '—' : `${Math.round(x * 100)}`);
const hhmm = (iso: string) => iso.slice(11, 16);

export function AppointmentsPanel({ today }: { today: string }) {
  const api = useAdminApi();
  const [day, setDay] = useState(today);
  const [data, setData] = useState<DayAnswer | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(() => {
    api.client.call('adminAppointments', { query: { day } }).then(
      (d) => {
        setData(d);
        setError(null);
      },
      (e) => setError(errorMessage(e)),
    );
  }, [api, day]);
  useLive(load, ['ticket.'], 30_000);
  const serviceName = (code: string) => data?.services.find((s) => s.serviceCode === code)?.name ?? code;

  return (
    <section className="card a-panel" aria-labelledby="appt-title">
      <h2 id="appt-title">{T.title}</h2>
      <ErrorBanner message={error} />
      <label className="appt-day">
        {T.day}
        <input type="date" value={day} onChange={(e) => e.target.value && setDay(e.target.value)} />
      </label>
      {data ? (
        <>
          <div className="a-kpis">
            <Kpi label={T.total} value={String(data.appointments.length)} testId="appt-total" />
            <Kpi label={T.checkedIn} value={String(data.counts.checked_in)} />
            <Kpi label={T.noShow} value={String(data.counts.no_show)} />
            <Kpi
              label={T.noShowRate}
              value={pct(data.noShowRate)}
              unit="%"
              hint={T.noShowHint}
              testId="appt-no-show-rate"
            />
          </div>
          <h3>{T.useTitle}</h3>
          {data.services.map((s) => (
            <div key={s.serviceCode} className="appt-use">
              <div className="appt-use-head">
                <b>{s.name}</b>
                <span>
                  {T.use(s.booked, s.capacity)}（{pct(s.use)}%）
                </span>
              </div>
              <ul className="appt-slots" aria-label={`${s.name} ${T.useTitle}`}>
                {s.slots.map((x) => (
                  <li
                    key={x.start}
                    className={`appt-slot${x.closed ? ' closed' : ''}`}
                    title={`${hhmm(x.start)} ${x.booked}/${x.capacity}`}
                  >
                    <span
                      className="appt-slot-bar"
                      style={{ height: `${Math.min(100, (x.booked / x.capacity) * 100)}%` }}
                    />
                    <span className="appt-slot-time">{hhmm(x.start)}</span>
                    <span className="appt-slot-n">{x.closed ? T.slotClosed : `${x.booked}/${x.capacity}`}</span>
                  </li>
                ))}
              </ul>
            </div>
          ))}
          <AppointmentList day={day} rows={data.appointments} serviceName={serviceName} onChanged={load} />
          <CloseSlots day={day} services={data.services} closures={data.closures} onClosed={load} />
        </>
      ) : null}
      <BookForm today={today} onBooked={load} />
    </section>
  );
}

function CloseSlots({
  day,
  services,
  closures,
  onClosed,
}: {
  day: string;
  services: DayAnswer['services'];
  closures: DayAnswer['closures'];
  onClosed: () => void;
}) {
  const api = useAdminApi();
  const [serviceCode, setServiceCode] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [reason, setReason] = useState('');
  const { error, note, setNote, act } = useDeskAction();
  const submit = () =>
    act(async () => {
      const r = await api.client.call('closeAppointmentSlots', {
        body: {
          day,
          reason: reason.trim(),
          ...(serviceCode ? { serviceCode } : {}),
          ...(from ? { from } : {}),
          ...(to ? { to } : {}),
        },
      });
      setNote(T.closed(r.affected));
      setReason('');
      onClosed();
    });
  return (
    <DeskForm label={T.closeTitle} onSubmit={() => void submit()}>
      <h3>
        {T.closeTitle}（{day}）
      </h3>
      <DeskStatus error={error} note={note} />
      {closures.length ? (
        <ul className="appt-closures" aria-label={T.closures}>
          {closures.map((c) => (
            <li key={c.id}>
              {c.serviceCode
                ? (services.find((s) => s.serviceCode === c.serviceCode)?.name ?? c.serviceCode)
                : T.allServices}{' '}
              {c.from ? `${c.from}–${c.to ?? '24:00'}` : T.wholeDay}：{c.reason}
            </li>
          ))}
        </ul>
      ) : null}
      <div className="appt-fields">
        <label>
          {T.service}
          <select value={serviceCode} onChange={(e) => setServiceCode(e.target.value)}>
            <option value="">{T.allServices}</option>
            {services.map((s) => (
              <option key={s.serviceCode} value={s.serviceCode}>
                {s.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {T.from}
          <input type="time" value={from} onChange={(e) => setFrom(e.target.value)} />
        </label>
        <label>
          {T.to}
          <input type="time" value={to} onChange={(e) => setTo(e.target.value)} />
        </label>
        <label>
          {T.reason}
          <input value={reason} onChange={(e) => setReason(e.target.value)} required maxLength={200} />
        </label>
      </div>
      <button type="submit" className="btn" disabled={!reason.trim()}>
        {T.close}
      </button>
    </DeskForm>
  );
}
