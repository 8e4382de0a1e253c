/**
 * 等候过久: when a service this window can serve has a citizen waiting longer than the hall's
 * threshold (config `alarms.waitMinutes`), the counter says so and suggests opening another
 * window. Live on `wait.alarm` and queue events, polled as a safety net.
 */
import { useCallback, useState } from 'react';
import type { AnswerOf } from '../../common/api/route-spec.js';
import type { ApiRoutes } from '../../common/api/routes.js';
import { useServices } from '../shared/app.js';
import { useRefreshOnEvents } from '../shared/hooks.js';

type Waits = AnswerOf<ApiRoutes['waitAlarms']>;

export function WaitAlarm({ windowNo }: { windowNo: number }) {
  const { client } = useServices();
  const [waits, setWaits] = useState<Waits>([]);
  const load = useCallback(() => {
    client.call('waitAlarms').then(
      (w) => setWaits(w.filter((x) => x.windows.includes(windowNo))),
      () => setWaits([]),
    );
  }, [client, windowNo]);
  useRefreshOnEvents(load, (e) => e.type === 'wait.alarm' || e.type === 'queue.changed', {
    debounceMs: 1000,
    pollMs: 60_000,
  });
  if (!waits.length) return null;
  return (
    <div className="c-wait-alarm" role="status" data-testid="wait-alarm">
      {waits.map((w) => (
        <p key={w.serviceCode}>
          <b>等候过久</b> {w.message}
        </p>
      ))}
    </div>
  );
}
