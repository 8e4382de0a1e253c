/**
 * Terminals (hub-api.md v1.1 "Terminals and pairing"): approve a terminal by the 6-digit code on
 * its screen, see every terminal of the hall config — its roles, address, when it was last seen and
 * the health of its devices — and revoke one (it loses its token and every connection at once, and
 * shows a new pairing code). 编辑配置 edits the terminal's entry of the hall config
 * (`devices.terminals`) beside what the terminal reports it can see (terminal-entry-editor.tsx).
 */
import { type FormEvent, useCallback, useState } from 'react';
import type { z } from 'zod';
import type { terminalListAnswer } from '../../common/api/responses.js';
import { DEVICE_STATE_TEXT, type DeviceState, kindText } from '../../common/device-kinds.js';
import { ROLE_TEXT } from '../../common/roles.js';
import { useServices } from '../shared/app.js';
import { ErrorBanner, RowAction, StatusNote, TableHead } from '../shared/components.js';
import { errorMessage } from '../shared/hub-client.js';
import { useLive } from './admin-hooks.js';
import { TerminalEntryEditor } from './terminal-entry-editor.js';

type TerminalRow = z.output<typeof terminalListAnswer>[number];

const when = (iso: string | null) =>
  iso
    ? new Intl.DateTimeFormat('zh-CN', { dateStyle: 'short', timeStyle: 'medium', hour12: false }).format(new Date(iso))
    : '—';

function roleText(t: TerminalRow): string {
  if (!t.windows.length) return '—';
  return t.windows.map((w) => `${ROLE_TEXT[w.role]}${w.window !== undefined ? ` ${w.window}号` : ''}`).join('、');
}

export function TerminalsPanel() {
  const { client } = useServices();
  const [rows, setRows] = useState<TerminalRow[]>([]);
  const [code, setCode] = useState('');
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState<TerminalRow | null>(null);
  const load = useCallback(() => {
    client.call('listTerminals').then(setRows, (e) => setError(errorMessage(e)));
  }, [client]);
  useLive(load, ['device.status', 'config.changed'], 10_000);

  const approve = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setNotice(null);
    try {
      const r = await client.call('approvePairing', { body: { code: code.trim() } });
      setNotice(`终端 ${r.terminalId} 已配对，几秒内自动打开它的界面`);
      setCode('');
      load();
    } catch (err) {
      setError(errorMessage(err));
    }
  };

  const revoke = async (t: TerminalRow) => {
    if (!window.confirm(`吊销终端「${t.name ?? t.terminalId}」后它立即断开，屏幕回到配对码，确定吊销？`)) return;
    setError(null);
    try {
      await client.call('revokeTerminal', { params: { terminalId: t.terminalId } });
      setNotice(`终端 ${t.terminalId} 已吊销`);
      load();
    } catch (err) {
      setError(errorMessage(err));
    }
  };

  return (
    <section className="card a-panel" aria-labelledby="terminals-title">
      <h2 id="terminals-title">终端</h2>
      <form className="a-form-row" onSubmit={approve}>
        <label>
          配对码（终端屏幕上的 6 位数字）
          <input
            name="pairing-code"
            inputMode="numeric"
            autoComplete="off"
            pattern="\d{6}"
            maxLength={6}
            size={8}
            value={code}
            onChange={(e) => setCode(e.target.value.replace(/\D/g, ''))}
          />
        </label>
        <button type="submit" className="btn primary" disabled={code.length !== 6}>
          批准配对
        </button>
      </form>
      <ErrorBanner message={error} />
      <StatusNote className="a-created" message={notice} />
      <table className="a-table" data-testid="terminal-table">
        <TableHead cols={['终端', '界面', '地址', '最近在线', '设备', '状态', '操作']} />
        <tbody>
          {rows.map((t) => (
            <tr key={t.terminalId} data-terminal={t.terminalId}>
              <td>
                {t.terminalId}
                {t.name ? <div className="muted">{t.name}</div> : null}
              </td>
              <td>{roleText(t)}</td>
              <td>{t.address ?? '—'}</td>
              <td>{when(t.lastSeenAt)}</td>
              <td>
                {t.devices.length
                  ? t.devices.map((d) => (
                      <div key={d.deviceId} title={d.detail ?? ''}>
                        {kindText(d.kind)} {d.deviceId}：{DEVICE_STATE_TEXT[d.state as DeviceState] ?? d.state}
                        {d.detail ? `（${d.detail}）` : ''}
                      </div>
                    ))
                  : '—'}
              </td>
              <td>{!t.configured ? '配置中已没有' : t.paired ? `已配对（${when(t.pairedAt)}）` : '未配对'}</td>
              <td>
                <button type="button" className="btn" onClick={() => setEditing(t)}>
                  编辑配置
                </button>
                <RowAction when={t.paired} danger onClick={() => revoke(t)}>
                  吊销
                </RowAction>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {editing ? (
        <TerminalEntryEditor
          key={editing.terminalId}
          terminal={editing}
          onClose={(saved) => {
            if (saved) setNotice(`终端 ${editing.terminalId} 的配置已保存，已推送给终端`);
            setEditing(null);
            load();
          }}
        />
      ) : null}
    </section>
  );
}
