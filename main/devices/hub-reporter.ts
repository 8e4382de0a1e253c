/**
 * A terminal that runs its own devices (not in the hub's process) tells the hub their health over
 * HTTP: `POST /api/v1/devices/status` with the terminal's device token. Failures are retried with
 * the latest state only (older states are superseded), never thrown.
 */
import type { DeviceService } from './device-service.js';
import type { DeviceStatus } from './types.js';

export interface HubReporterOptions {
  hubUrl: string;
  token: string;
  /** Retry delay after a failed report (default 5000 ms). */
  retryMs?: number;
  fetch?: typeof fetch;
  log?: (level: 'warn', msg: string, fields?: Record<string, unknown>) => void;
}

export function reportToHub(service: DeviceService, opts: HubReporterOptions): () => void {
  const doFetch = opts.fetch ?? fetch;
  const latest = new Map<string, DeviceStatus>();
  let timer: NodeJS.Timeout | null = null;
  let sending = false;
  let stopped = false;

  const flush = async () => {
    if (sending || stopped) return;
    sending = true;
    try {
      for (const [id, s] of [...latest]) {
        const res = await doFetch(`${opts.hubUrl.replace(/\/$/, '')}/api/v1/devices/status`, {
          method: 'POST',
          headers: { authorization: `Bearer ${opts.token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ deviceId: s.deviceId, state: s.state, detail: s.detail, terminal: s.terminal }),
        });
        // 4xx will not get better by retrying (unknown device, wrong window): drop it and say so.
        if (res.ok || (res.status >= 400 && res.status < 500 && res.status !== 429)) {
          if (!res.ok) opts.log?.('warn', '中枢拒绝了设备状态', { deviceId: id, status: res.status });
          if (latest.get(id) === s) latest.delete(id);
        } else throw new Error(`HTTP ${res.status}`);
      }
    } catch (e) {
      opts.log?.('warn', '向中枢报告设备状态失败，稍后重试', { error: (e as Error).message });
      if (!stopped && !timer) {
        timer = setTimeout(() => {
          timer = null;
          void flush();
        }, opts.retryMs ?? 5000);
        timer.unref();
      }
    } finally {
      sending = false;
    }
    if (latest.size && !timer && !stopped) void flush();
  };

  const off = service.on('status', (s) => {
    latest.set(s.deviceId, s);
    void flush();
  });
  for (const s of service.statuses()) if (s.state !== 'unknown') latest.set(s.deviceId, s);
  void flush();
  return () => {
    stopped = true;
    off();
    if (timer) clearTimeout(timer);
  };
}
