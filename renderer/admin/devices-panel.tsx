/**
 * Devices of every terminal with live health (`GET /devices`, kept live by `device.status`) and test
 * actions (`POST /devices/{id}/test`: test print, read card, ping pad or keypad, fresh status). A hub
 * without that route answers 404 NOT_FOUND: the panel then says so plainly instead of failing.
 */
import { useCallback, useEffect, useState } from 'react';
import type { TestAction } from '../../common/api/requests.js';
import { DEVICE_STATE_TEXT, type DeviceState, kindText, type StatusKind } from '../../common/device-kinds.js';
import { useServices } from '../shared/app.js';
import { ErrorBanner, TableHead } from '../shared/components.js';
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

const STATE_ICON: Record<DeviceState, string> = { ok: '✔', warning: '⚠', error: '✖', offline: '○', unknown: '?' };
/** The test each kind offers: label and the action name sent to the hub (docs/devices.md 设备测试). */
const TESTS: Partial<Record<StatusKind, { action: string; label: string }>> = {
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

const byTerminalThenId = (a: DeviceRow, b: DeviceRow) =>
  (a.terminal ?? '').localeCompare(b.terminal ?? '') || a.deviceId.localeCompare(b.deviceId);

/**
 * `GET /devices` every 15 s, each `device.status` event applied at once. `devices` is null while
 * loading; `missing` when the hub has no device service.
 */
function useDevices(): { devices: DeviceRow[] | null; missing: boolean; error: string | null } {
  const api = useAdminApi();
  const { events } = useServices();
  const [devices, setDevices] = useState<DeviceRow[] | null>(null);
  const [missing, setMissing] = useState(false);
  const [error, setError] = useState<string | null>(null);
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
      const row: DeviceRow = {
        deviceId: e.deviceId,
        kind: e.kind,
        state: e.state,
        detail: e.detail,
        since: e.at,
        ...(e.terminal ? { terminal: e.terminal } : {}),
      };
      setDevices((list) => [...(list ?? []).filter((d) => d.deviceId !== e.deviceId), row].sort(byTerminalThenId));
    });
    // Statuses missed beyond what the hub replays: read them all again.
    const offResync = events.onResync(load);
    return () => {
      clearInterval(iv);
      off();
      offResync();
    };
  }, [load, events]);
  return { devices, missing, error };
}

/** Runs a device's test on the hub; the outcome, in words, per device. */
function useDeviceTests(): { notes: Record<string, string>; test(d: DeviceRow, action: string): Promise<void> } {
  const api = useAdminApi();
  const [notes, setNotes] = useState<Record<string, string>>({});
  const note = (d: DeviceRow, text: string) => setNotes((n) => ({ ...n, [d.deviceId]: text }));
  const test = async (d: DeviceRow, action: string) => {
    note(d, '正在测试…');
    try {
      const r = await api.client.call('testDevice', {
        params: { id: d.deviceId },
        body: { action: action as TestAction },
      });
      note(d, r?.message ?? (r?.ok === false ? '测试未通过' : '测试完成'));
    } catch (e) {
      // A missing route (older hub), not a missing device: that one has its own message.
      const unsupported =
        e instanceof HubError &&
        (e.status === 405 || e.status === 501 || (e.status === 404 && e.code !== 'UNKNOWN_DEVICE'));
      note(d, unsupported ? '此中枢暂不支持远程测试该设备' : errorMessage(e));
    }
  };
  return { notes, test };
}

export function DevicesPanel() {
  const { devices, missing, error } = useDevices();
  const { notes, test } = useDeviceTests();
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
          <TableHead cols={['终端', '设备', '类型', '状态', '说明', '测试']} />
          <tbody>
            {devices.map((d) => (
              <DeviceLine key={d.deviceId} d={d} note={notes[d.deviceId]} onTest={(action) => test(d, action)} />
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}

function DeviceLine({ d, note, onTest }: { d: DeviceRow; note: string | undefined; onTest: (action: string) => void }) {
  const t = TESTS[d.kind as StatusKind];
  return (
    <tr>
      <td>{d.terminal ?? '—'}</td>
      <td>{d.deviceId}</td>
      <td>{kindText(d.kind)}</td>
      <td className={`a-dev ${d.state}`}>
        <span aria-hidden="true">{STATE_ICON[d.state as DeviceState] ?? '?'} </span>
        {DEVICE_STATE_TEXT[d.state as DeviceState] ?? d.state}
      </td>
      <td>{note ?? d.detail ?? ''}</td>
      <td>
        {t ? (
          <button type="button" className="btn" onClick={() => onTest(t.action)}>
            {t.label}
          </button>
        ) : null}
      </td>
    </tr>
  );
}
