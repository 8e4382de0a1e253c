/**
 * `GET /api/v1/hall/settings`: what every screen may know of the hall config (the scrolling notice,
 * the announcement template and repeat count, the 事项 codes of each service, whether recorded
 * clips exist). Kept fresh by `config.changed` and by reconnects.
 */
import { useCallback, useEffect, useState } from 'react';
import type { z } from 'zod';
import type { hallSettingsAnswer } from '../../common/api/responses.js';
import { useServices } from './app.js';
import { useRefreshOnEvents } from './hooks.js';

export type HallSettings = z.output<typeof hallSettingsAnswer>;

export function useHallSettings(): HallSettings | null {
  const { client } = useServices();
  const [settings, setSettings] = useState<HallSettings | null>(null);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let alive = true;
    void tick;
    client.call('hallSettings').then(
      (s) => alive && setSettings(s),
      () => undefined,
    );
    return () => {
      alive = false;
    };
  }, [client, tick]);
  const reload = useCallback(() => setTick((x) => x + 1), []);
  useRefreshOnEvents(reload, (e) => e.type === 'config.changed', { debounceMs: 0 });
  return settings;
}
