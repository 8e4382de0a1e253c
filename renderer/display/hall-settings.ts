/**
 * `GET /api/v1/hall/settings`: what every screen may know of the hall config (the scrolling notice,
 * the announcement template and repeat count, the 事项 codes of each service, whether recorded
 * clips exist). Kept fresh by `config.changed` and by reconnects.
 */
import { useEffect, useState } from 'react';
import { useServices } from '../shared/app.js';

export interface HallSettings {
  version: string;
  notice: string[];
  announcement: { template: string; repeat: number };
  tasks: Record<string, string[]>;
  clips: boolean;
}

export function useHallSettings(): HallSettings | null {
  const { client, events } = useServices();
  const [settings, setSettings] = useState<HallSettings | null>(null);
  useEffect(() => {
    let alive = true;
    const load = () =>
      client.get<HallSettings>('/hall/settings').then(
        (s) => alive && setSettings(s),
        () => undefined,
      );
    void load();
    const offs = [
      events.onEvent((e) => {
        if ((e as { type: string }).type === 'config.changed') void load();
      }),
      events.onState((s) => s === 'open' && void load()),
      events.onResync(() => void load()),
    ];
    return () => {
      alive = false;
      for (const o of offs) o();
    };
  }, [client, events]);
  return settings;
}
