/**
 * Devices of every terminal with live health (`GET /devices`, kept live by `device.status`) and test
 * actions (`POST /devices/{id}/test`: test print, read card, ping pad or keypad, fresh status). A hub
 * without that route answers 404 NOT_FOUND: the panel then says so plainly instead of failing.
 */
import { useCallback, useEffect, useState } from 'react';
import { DEVICE_STATE_TEXT, type DeviceState, kindText } from '../../common/device-kinds.js';
import { useServices } from '../shared/app.js';
import { ErrorBanner } from '../shared/components.js';
import { errorMessage, HubError } from '../shared/hub-client.js';
import { useAdminApi } from './admin-hooks.js';

export interface DeviceRow {
  deviceId: string;
  kind: string;
  terminal?: string;
  state: string;
  detail: string | null;
  since?: number | string;
}

const STATE_ICON: Record<string, string> = { ok: '✔', warning: '⚠', error: '✖', offline: '○', unknown: '?' };
/** The test each kind offers: label and the action name sent to the hub (docs/devices.md 设备测试). */
const TESTS: Record<string, { action: string; label: string }> = {
  printer: { action: 'print', label: '测试打印' },
  idcard: { action: 'read', label: '读卡' },
  pad: { action: 'ping', label: '探测评价器' },
  evalkeypad: { action: 'ping', label: '检测' },
  ledstrip: { action: 'status', label: '刷新状态' },
  keypad: { action: 'ping', label: '检测' },
};

function normalise(data: unknown): DeviceRow[] {
  const list = Array.isArray(data) ? data : ((data as { devices?: unknown })?.devices ?? []);
  return Array.isArray(list) ? (list as DeviceRow[]) : [];
}

export function DevicesPanel() {
  const api = useAdminApi();
  const { events } = useServices();
  const [devices, setDevices] = useState<DeviceRow[] | null>(null);
  const [missing, setMissing] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notes, setNotes] = useState<Record<string, string>>({});
  const load = useCallback(() => {
    api.optional<unknown>('/devices').then(
      (d) => {
        setMissing(d === null);
        setDevices(d === null ? [] : normalise(d));
        setError(null);
      },
      (e) => setError(errorMessage(e)),
    );
  }, [api]);
  useEffect(() => {
    load();
    const iv = setInterval(load, 15_000);
    const off = events.on('device.status', (e) => {
      setDevices((list) => {
        const rest = (list ?? []).filter((d) => d.deviceId !== e.deviceId);
        const row: DeviceRow = {
          deviceId: e.deviceId,
          kind: e.kind,
          state: e.state,
          detail: e.detail,
          since: e.at,
          ...(e.terminal ? { terminal: e.terminal } : {}),
        };
        return [...rest, row].sort(
          (a, b) => (a.terminal ?? '').localeCompare(b.terminal ?? '') || a.deviceId.localeCompare(b.deviceId),
        );
      });
    });
    // Statuses missed beyond what the hub replays: read them all again.
    const offResync = events.onResync(load);
    return () => {
      clearInterval(iv);
      off();
      offResync();
    };
  }, [load, events]);

  const test = async (d: DeviceRow, action: string) => {
    setNotes((n) => ({ ...n, [d.deviceId]: '正在测试…' }));
    try {
      const r = await api.client.post<{ ok?: boolean; message?: string } | undefined>(
        `/devices/${encodeURIComponent(d.deviceId)}/test`,
        { action },
      );
      setNotes((n) => ({ ...n, [d.deviceId]: r?.message ?? (r?.ok === false ? '测试未通过' : '测试完成') }));
    } catch (e) {
      // A missing route (older hub), not a missing device: that one has its own message.
      const unsupported =
        e instanceof HubError &&
        (e.status === 405 || e.status === 501 || (e.status === 404 && e.code !== 'UNKNOWN_DEVICE'));
      setNotes((n) => ({ ...n, [d.deviceId]: unsupported ? '此中枢暂不支持远程测试该设备' : errorMessage(e) }));
    }
  };

  return (
    <section className="card a-panel" aria-labelledby="devices-title">
      <h2 id="devices-title">终端设备</h2>
      <ErrorBanner message={error} />
      {devices === null ? <p className="muted">正在读取…</p> : null}
      {devices !== null && devices.length === 0 ? (
        <p className="a-empty" data-testid="no-devices">
          未配置设备{missing ? '（本中枢未启用设备服务）' : ''}
          。设备接入后，这里显示每台终端的读卡器、打印机、评价器等的实时状态。
        </p>
      ) : null}
      {devices?.length ? (
        <table className="a-table">
          <thead>
            <tr>
              <th scope="col">终端</th>
              <th scope="col">设备</th>
              <th scope="col">类型</th>
              <th scope="col">状态</th>
              <th scope="col">说明</th>
              <th scope="col">测试</th>
            </tr>
          </thead>
          <tbody>
            {devices.map((d) => {
              const t = TESTS[d.kind];
              return (
                <tr key={d.deviceId}>
                  <td>{d.terminal ?? '—'}</td>
                  <td>{d.deviceId}</td>
                  <td>{kindText(d.kind)}</td>
                  <td className={`a-dev ${d.state}`}>
                    <span aria-hidden="true">{STATE_ICON[d.state] ?? '?'} </span>
                    {DEVICE_STATE_TEXT[d.state as DeviceState] ?? d.state}
                  </td>
                  <td>{notes[d.deviceId] ?? d.detail ?? ''}</td>
                  <td>
                    {t ? (
                      <button type="button" className="btn" onClick={() => test(d, t.action)}>
                        {t.label}
                      </button>
                    ) : null}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
