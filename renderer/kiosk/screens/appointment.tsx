/**
 * 预约签到: the person identifies by ID card or types the appointment code, picks the booked
 * service, and gets an appointment ticket (called first when the hall's policy says so).
 * The hub has no appointment register yet, so the code is passed on as `appointmentId` for the
 * window to check; see docs/ui.md.
 */
import { useEffect, useState } from 'react';
import { CardPrompt } from '../card-prompt.js';
import { IconButton } from '../icons.js';
import { CodeKeypad, KeypadActions } from '../keypad.js';
import { useKiosk } from '../kiosk-context.js';

export function AppointmentScreen() {
  const { applicant, go, setAppointmentCode, say } = useKiosk();
  const [mode, setMode] = useState<'card' | 'code'>('card');
  const [code, setCode] = useState('');
  useEffect(() => say('预约签到。请刷身份证，或输入预约码'), [say]);
  useEffect(() => {
    if (applicant) go({ name: 'services', purpose: 'appointment' });
  }, [applicant, go]);
  const ok = /^[0-9A-Z]{4,32}$/.test(code);
  return (
    <section className="kiosk-appointment" aria-label="预约签到">
      <h2 className="kiosk-title">预约签到</h2>
      {mode === 'card' ? (
        <>
          <CardPrompt text="请将预约时使用的身份证放在感应区" />
          <div className="kiosk-id-options">
            <IconButton icon="keypad" onClick={() => setMode('code')}>
              输入预约码
            </IconButton>
          </div>
        </>
      ) : (
        <>
          <p className="kiosk-lead">请输入预约短信中的预约码（数字或字母）</p>
          <CodeKeypad value={code} onChange={setCode} maxLength={32} label="预约码" />
          <KeypadActions
            onCard={() => setMode('card')}
            confirm="下一步"
            disabled={!ok}
            onConfirm={() => {
              setAppointmentCode(code);
              go({ name: 'services', purpose: 'appointment' });
            }}
          />
        </>
      )}
    </section>
  );
}
