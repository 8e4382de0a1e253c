/**
 * The window's actions against the hub (`POST /windows/{no}/<action>`): one at a time, with what
 * happened said in words. A 401 means the session ended elsewhere: back to sign-in.
 */
import { useCallback, useState } from 'react';
import type { ApiTicket } from '../shared/api-types.js';
import { useServices } from '../shared/app.js';
import { errorMessage, HubError } from '../shared/hub-client.js';
import type { CounterAction } from './actions.js';

export interface WindowActions {
  busy: boolean;
  /** What the last action did (已呼叫 A001, 已过号 …). */
  message: string | null;
  error: string | null;
  /**
   * Runs `action` (or `call`: a chosen ticket) and reloads the hall; `done` is what to say when it
   * worked. Resolves to the hub's answer, undefined after a failure.
   */
  act(action: CounterAction | 'call', body?: unknown, done?: string): Promise<ApiTicket | undefined>;
  /** Shows a failure, or signs out on 401. */
  fail(e: unknown): void;
  say(message: string): void;
}

export function useWindowActions(
  windowNo: number,
  { reload, onSignOut, onCalled }: { reload: () => void; onSignOut: (callHub: boolean) => void; onCalled: () => void },
): WindowActions {
  const { client } = useServices();
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const fail = useCallback(
    (e: unknown) => {
      if (e instanceof HubError && e.status === 401) {
        onSignOut(false);
        return;
      }
      setError(errorMessage(e));
    },
    [onSignOut],
  );

  const act = useCallback(
    async (action: CounterAction | 'call', body?: unknown, done?: string) => {
      setBusy(true);
      setError(null);
      setMessage(null);
      try {
        const out = await client.windowAction<ApiTicket | undefined>(windowNo, action, body);
        if (action === 'call-next' && out === undefined) setMessage('当前没有等候的群众');
        else if (done) setMessage(done);
        else if ((action === 'call-next' || action === 'call') && out) setMessage(`已呼叫 ${out.number}`);
        if (action === 'call-next' || action === 'call') onCalled();
        reload();
        return out;
      } catch (e) {
        fail(e);
        return undefined;
      } finally {
        setBusy(false);
      }
    },
    [client, windowNo, reload, fail, onCalled],
  );

  return { busy, message, error, act, fail, say: setMessage };
}
