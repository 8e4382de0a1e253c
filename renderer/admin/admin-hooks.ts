/** Hooks of the admin console: the admin API on this page's token, and refresh-on-events. */
import { useEffect, useMemo } from 'react';
import { useServices } from '../shared/app.js';
import { useRefreshOnEvents } from '../shared/hooks.js';
import { AdminApi } from './admin-api.js';

export function useAdminApi(): AdminApi {
  const { client } = useServices();
  return useMemo(() => new AdminApi(client), [client]);
}

/** Calls `fn` now (and whenever it changes), after live events of the `types` prefixes (debounced) and every `pollMs`. */
export function useLive(fn: () => void, types: readonly string[], pollMs = 30_000): void {
  useEffect(() => fn(), [fn]);
  useRefreshOnEvents(fn, (e) => types.some((p) => e.type.startsWith(p)), { debounceMs: 500, pollMs });
}
