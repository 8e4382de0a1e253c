/**
 * 预约 at the counter: book a later slot for the person at the window (or on the phone), see
 * today's bookings and cancel one on request.
 */
import { useCallback, useEffect, useState } from 'react';
import type { AnswerOf } from '../../common/api/route-spec.js';
import type { ApiRoutes } from '../../common/api/routes.js';
import { useServices } from '../shared/app.js';
import { AppointmentList, BookForm } from '../shared/appointment-desk.js';
import { ErrorBanner } from '../shared/components.js';
import { errorMessage } from '../shared/hub-client.js';
import { Modal } from './modal.js';

/** Every user-facing string of the dialog, in one place (for the language catalogues). */
export const COUNTER_APPOINTMENT_TEXT = { title: '预约', open: '预约 / 取消预约' } as const;

export function AppointmentDialog({ today, onCancel }: { today: string; onCancel: () => void }) {
  const { client } = useServices();
  const [data, setData] = useState<AnswerOf<ApiRoutes['adminAppointments']> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(() => {
    client.call('adminAppointments', { query: { day: today } }).then(setData, (e) => setError(errorMessage(e)));
  }, [client, today]);
  useEffect(() => load(), [load]);
  const serviceName = (code: string) => data?.services.find((s) => s.serviceCode === code)?.name ?? code;
  return (
    <Modal title={COUNTER_APPOINTMENT_TEXT.title} onCancel={onCancel} wide>
      <ErrorBanner message={error} />
      <BookForm today={today} onBooked={load} />
      {data ? (
        <AppointmentList day={today} rows={data.appointments} serviceName={serviceName} onChanged={load} />
      ) : null}
    </Modal>
  );
}
