/** 窗口签到: staff number, PIN and window number (`POST /staff/sessions`); a wrong PIN is said plainly. */
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { useServices } from '../shared/app.js';
import { ErrorBanner } from '../shared/components.js';
import { errorMessage } from '../shared/hub-client.js';
import type { Session } from './staff-session.js';

export function SignIn({ onSignedIn }: { onSignedIn: (s: Session) => void }) {
  const { client, identity } = useServices();
  const [staffNo, setStaffNo] = useState('');
  const [pin, setPin] = useState('');
  const [windowNo, setWindowNo] = useState(identity.windowNo ? String(identity.windowNo) : '');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const firstField = useRef<HTMLInputElement>(null);
  useEffect(() => firstField.current?.focus(), []);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const no = Number(windowNo);
    if (!staffNo.trim() || !pin || !Number.isInteger(no) || no < 1) {
      setError('请填写工号、PIN 和窗口号');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const r = await client.signIn(staffNo.trim(), pin, no);
      onSignedIn({ token: r.token, staffNo: r.staff.no, staffName: r.staff.name, windowNo: no });
    } catch (err) {
      setError(errorMessage(err));
      setPin('');
    } finally {
      setBusy(false);
    }
  };
  return (
    <main className="c-signin">
      <form className="card c-signin-card" onSubmit={submit} aria-labelledby="signin-title">
        <h1 id="signin-title">窗口签到</h1>
        <p className="muted">请输入工号、PIN 和窗口号</p>
        <label>
          工号
          <input
            name="staffNo"
            autoComplete="username"
            inputMode="numeric"
            value={staffNo}
            onChange={(e) => setStaffNo(e.target.value)}
            ref={firstField}
          />
        </label>
        <label>
          PIN
          <input
            name="pin"
            type="password"
            autoComplete="current-password"
            inputMode="numeric"
            value={pin}
            onChange={(e) => setPin(e.target.value)}
          />
        </label>
        <label>
          窗口号
          <input name="windowNo" inputMode="numeric" value={windowNo} onChange={(e) => setWindowNo(e.target.value)} />
        </label>
        <ErrorBanner message={error} />
        <button type="submit" className="btn primary c-signin-btn" disabled={busy}>
          {busy ? '正在签到…' : '签到'}
        </button>
      </form>
    </main>
  );
}
