/** Small hooks every role uses: the clock, the hall snapshot kept live by events, the stream state. */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApiHall } from './api-types.js';
import { useServices } from './app.js';
import { type Catalogue, loadCatalogue } from './catalogue.js';
import type { StreamState } from './event-stream.js';
import { errorMessage, type HubClient } from './hub-client.js';

export function useNow(intervalMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(t);
  }, [intervalMs]);
  return now;
}

export function useStreamState(): StreamState {
  const { events } = useServices();
  const [s, setS] = useState(events.state);
  useEffect(() => {
    const off = events.onState(setS);
    // The socket may have opened between the first render and this effect.
    setS(events.state);
    return off;
  }, [events]);
  return s;
}

/**
 * Calls `refresh` after the live events `matches` accepts, after every reconnect and resync, coalescing
 * what arrives within `debounceMs` into one call, and every `pollMs` as a safety net (0: never).
 * The latest `refresh` and `matches` are used; changing them does not resubscribe.
 */
export function useRefreshOnEvents(
  refresh: () => void,
  matches: (e: { type: string }) => boolean,
  { debounceMs, pollMs = 0 }: { debounceMs: number; pollMs?: number },
): void {
  const { events } = useServices();
  const latest = useRef({ refresh, matches });
  useEffect(() => {
    latest.current = { refresh, matches };
  });
  useEffect(() => {
    let t: ReturnType<typeof setTimeout> | null = null;
    const bump = () => {
      if (t) return;
      t = setTimeout(() => {
        t = null;
        latest.current.refresh();
      }, debounceMs);
    };
    const offs = [
      events.onEvent((e) => latest.current.matches(e) && bump()),
      events.onState((s) => s === 'open' && bump()),
      // The hub could not replay what was missed: what the screen shows must be read again.
      events.onResync(bump),
    ];
    const iv = pollMs > 0 ? setInterval(bump, pollMs) : null;
    return () => {
      for (const o of offs) o();
      if (iv) clearInterval(iv);
      if (t) clearTimeout(t);
    };
  }, [events, debounceMs, pollMs]);
}

const HALL_EVENTS: ReadonlySet<string> = new Set(['queue.changed', 'window.changed', 'day.rolled']);

/**
 * `GET /hall`, refreshed when queues or windows change (debounced) and after a reconnect, and
 * every `pollMs` as a safety net. `error` is the Chinese message of the last failure, if any.
 */
export function useHall(pollMs = 30_000): { hall: ApiHall | null; error: string | null; reload: () => void } {
  const { client } = useServices();
  const [hall, setHall] = useState<ApiHall | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [tick, setTick] = useState(0);
  const reload = useCallback(() => setTick((x) => x + 1), []);
  useEffect(() => {
    let alive = true;
    void tick;
    client.hall().then(
      (h) => {
        if (!alive) return;
        setHall(h);
        setError(null);
      },
      (e) => alive && setError(errorMessage(e)),
    );
    return () => {
      alive = false;
    };
  }, [client, tick]);
  useRefreshOnEvents(reload, (e) => HALL_EVENTS.has(e.type), { debounceMs: 300, pollMs });
  return { hall, error, reload };
}

/** The platform catalogue via the hub: `undefined` while loading, `null` when the hub has none. */
export function useCatalogue(client: HubClient): Catalogue | null | undefined {
  const [cat, setCat] = useState<Catalogue | null | undefined>(undefined);
  useEffect(() => {
    let alive = true;
    loadCatalogue(client).then((c) => alive && setCat(c));
    return () => {
      alive = false;
    };
  }, [client]);
  return cat;
}
