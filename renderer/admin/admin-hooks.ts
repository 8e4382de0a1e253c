/** Hooks of the admin console: the admin API on this page's token, and refresh-on-events. */
import { useEffect, useMemo } from 'react';
import { useServices } from '../shared/app.js';
import { AdminApi } from './admin-api.js';

export function useAdminApi(): AdminApi {
  const { client } = useServices();
  return useMemo(() => new AdminApi(client), [client]);
}

/** Calls `fn` now, after relevant live events (debounced), after a reconnect or resync, and every `pollMs`. */
export function useLive(fn: () => void, types: string[], pollMs = 30_000): void {
  const { events } = useServices();
  useEffect(() => {
    fn();
    let t: ReturnType<typeof setTimeout> | null = null;
    const bump = () => {
      if (t) return;
      t = setTimeout(() => {
        t = null;
        fn();
      }, 500);
    };
    const offs = [
      events.onEvent((e) => {
        if (types.some((p) => e.type.startsWith(p))) bump();
      }),
      events.onState((s) => s === 'open' && bump()),
      events.onResync(bump),
    ];
    const iv = setInterval(fn, pollMs);
    return () => {
      for (const o of offs) o();
      clearInterval(iv);
      if (t) clearTimeout(t);
    };
  }, [events, fn, types, pollMs]);
}
