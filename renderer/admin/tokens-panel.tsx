/**
 * Terminal tokens (`/admin/tokens`): who may connect — list, create (the token is shown once, with
 * the address to open on the terminal) and revoke. A display or pad token never expires on its own;
 * revoking it here is how a lost or replaced terminal is shut out.
 */

import { type FormEvent, useCallback, useEffect, useState } from 'react';
import type { z } from 'zod';
import type { deviceTokenAnswer } from '../../common/api/responses.js';
import { DEVICE_ROLES, type DeviceRole, ROLE_TEXT, WINDOW_BOUND_ROLES } from '../../common/roles.js';
import { useServices } from '../shared/app.js';
import { ErrorBanner, RowAction, TableHead } from '../shared/components.js';
import { errorMessage } from '../shared/hub-client.js';

type TokenRow = z.output<typeof deviceTokenAnswer>;

const when = (ms: number) =>
  new Intl.DateTimeFormat('zh-CN', { dateStyle: 'short', timeStyle: 'short', hour12: false }).format(ms);

export function TokensPanel() {
  const { client, identity } = useServices();
  const [rows, setRows] = useState<TokenRow[]>([]);
  const [showRevoked, setShowRevoked] = useState(false);
  const [role, setRole] = useState<DeviceRole>('display');
  const [windowNo, setWindowNo] = useState('');
  const [name, setName] = useState('');
  const [created, setCreated] = useState<{ token: string; url: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(() => {
    client.call('listTokens').then(setRows, (e) => setError(errorMessage(e)));
  }, [client]);
  useEffect(load, [load]);

  const create = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    const no = windowNo.trim() ? Number(windowNo) : undefined;
    try {
      const r = await client.call('createToken', {
        body: { role, ...(no !== undefined ? { windowNo: no } : {}), ...(name.trim() ? { name: name.trim() } : {}) },
      });
      const q = new URLSearchParams({ token: r.token, ...(no !== undefined ? { window: String(no) } : {}) });
      setCreated({ token: r.token, url: `${identity.hubUrl}/${role}/?${q}` });
      setName('');
      load();
    } catch (err) {
      setError(errorMessage(err));
    }
  };

  const revoke = async (t: TokenRow) => {
    if (!window.confirm(`吊销「${t.name ?? t.id}」后该终端立即无法连接，确定吊销？`)) return;
    try {
      await client.delete(`/admin/tokens/${encodeURIComponent(t.id)}`);
      load();
    } catch (err) {
      setError(errorMessage(err));
    }
  };

  const visible = rows.filter((r) => showRevoked || r.revokedAt === null).reverse();
  return (
    <section className="card a-panel" aria-labelledby="tokens-title">
      <h2 id="tokens-title">终端令牌</h2>
      <form className="a-form-row" onSubmit={create}>
        <label>
          终端角色
          <select value={role} onChange={(e) => setRole(e.target.value as DeviceRole)}>
            {DEVICE_ROLES.map((r) => (
              <option key={r} value={r}>
                {ROLE_TEXT[r]}
              </option>
            ))}
          </select>
        </label>
        <label>
          窗口号{WINDOW_BOUND_ROLES.includes(role) ? '（必填）' : '（可不填）'}
          <input inputMode="numeric" value={windowNo} onChange={(e) => setWindowNo(e.target.value)} size={6} />
        </label>
        <label className="a-grow">
          名称（如“二楼显示屏”）
          <input value={name} maxLength={60} onChange={(e) => setName(e.target.value)} />
        </label>
        <button type="submit" className="btn primary">
          新建令牌
        </button>
      </form>
      <ErrorBanner message={error} />
      {created ? (
        <div className="a-created" role="status">
          <p>
            <b>令牌只显示这一次</b>，请在终端上打开下面的地址（打开后令牌保存在该终端，并从地址栏去掉）：
          </p>
          <code data-testid="created-url">{created.url}</code>
        </div>
      ) : null}
      <label className="a-inline a-spaced">
        <input type="checkbox" checked={showRevoked} onChange={(e) => setShowRevoked(e.target.checked)} />
        显示已吊销的令牌
      </label>
      <table className="a-table" data-testid="token-table">
        <TableHead cols={['名称', '角色', '窗口', '创建时间', '状态', '操作']} />
        <tbody>
          {visible.map((t) => (
            <tr key={t.id}>
              <td>{t.name ?? <span className="muted">{t.id.slice(0, 8)}</span>}</td>
              <td>{ROLE_TEXT[t.role as DeviceRole] ?? t.role}</td>
              <td>{t.windowNo ?? '—'}</td>
              <td>{when(t.createdAt)}</td>
              <td>{t.revokedAt === null ? '有效' : `已吊销（${when(t.revokedAt)}）`}</td>
              <td>
                <RowAction when={t.revokedAt === null} danger onClick={() => revoke(t)}>
                  吊销
                </RowAction>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
