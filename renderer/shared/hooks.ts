/** Small hooks every role uses: the clock, the hall snapshot kept live by events, the stream state. */
import { useEffect, useState } from 'react';
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
 * `GET /hall`, refreshed when queues or windows change (debounced), after a reconnect and after a
 * resync (the hub could not replay what was missed), and every `pollMs` as a safety net. `error`
 * is the Chinese message of the last failure, if any.
 */
export function useHall(pollMs = 30_000): { hall: ApiHall | null; error: string | null; reload: () => void } {
  const { client, events } = useServices();
  const [hall, setHall] = useState<ApiHall | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [tick, setTick] = useState(0);
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
  useEffect(() => {
    let t: ReturnType<typeof setTimeout> | null = null;
    const bump = () => {
      if (t) return;
      t = setTimeout(() => {
        t = null;
        setTick((x) => x + 1);
      }, 300);
    };
    const offs = [
      events.onEvent((e) => {
        if (e.type === 'queue.changed' || e.type === 'window.changed' || e.type === 'day.rolled') bump();
      }),
      events.onState((s) => s === 'open' && bump()),
      events.onResync(bump),
    ];
    const iv = setInterval(bump, pollMs);
    return () => {
      for (const o of offs) o();
      clearInterval(iv);
      if (t) clearTimeout(t);
    };
  }, [events, pollMs]);
  return { hall, error, reload: () => setTick((x) => x + 1) };
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
