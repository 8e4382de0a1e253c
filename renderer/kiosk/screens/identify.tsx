/**
 * 取号 step 2: who is taking the ticket — swipe the ID card (the card event fills the applicant and
 * the ticket is taken), type the number on the keypad, or 无证件 where the service allows it.
 */
import { useEffect, useRef, useState } from 'react';
import { checkTyping } from '../../../common/cert-number.js';
import type { ApiService } from '../../shared/api-types.js';
import { ErrorBanner } from '../../shared/components.js';
import { CardPrompt } from '../card-prompt.js';
import { IconButton } from '../icons.js';
import { IdKeypad, KeypadActions } from '../keypad.js';
import { type Purpose, useKiosk } from '../kiosk-context.js';

export function IdentifyScreen({ purpose, service }: { purpose: Purpose; service: ApiService }) {
  const { applicant, setApplicant, issue, today, busy, error, say, elder } = useKiosk();
  const [mode, setMode] = useState<'card' | 'keypad'>('card');
  const [typed, setTyped] = useState('');
  const attempted = useRef<unknown>(null);

  useEffect(() => {
    say(
      service.allowAnonymous
        ? `${service.name}。请刷身份证，或输入证件号码，没有证件请点无证件取号`
        : `${service.name}。请将身份证放在感应区，或输入证件号码`,
    );
  }, [say, service]);

  // The card (or the keypad's confirm) set the applicant: take the ticket once.
  useEffect(() => {
    if (applicant && attempted.current !== applicant) {
      attempted.current = applicant;
      void issue(service, purpose);
    }
  }, [applicant, issue, service, purpose]);

  const check = checkTyping(typed, today);
  const invalidReason = check.state === 'invalid' ? check.reason : null;
  useEffect(() => {
    if (mode === 'keypad' && invalidReason) say(invalidReason);
  }, [mode, invalidReason, say]);

  const confirmTyped = () => {
    if (check.state !== 'valid') return;
    setApplicant({
      name: '手工录入',
      certType: 'resident',
      certNo: check.normalized,
      birthDate: check.birthDate,
      source: 'keypad',
    });
  };

  return (
    <section className="kiosk-identify" aria-label="身份确认">
      <h2 className="kiosk-title">
        {service.name}
        <span className="kiosk-subtitle">请确认办事人身份</span>
      </h2>
      <ErrorBanner message={error} />
      {busy ? (
        <p className="kiosk-busy" role="status">
          正在取号…
        </p>
      ) : null}
      {mode === 'card' ? (
        <>
          <CardPrompt text="请将身份证放在感应区" />
          <div className={`kiosk-id-options${elder ? ' stack' : ''}`}>
            <IconButton icon="keypad" onClick={() => setMode('keypad')}>
              输入证件号码
            </IconButton>
            {service.allowAnonymous ? (
              <IconButton icon="person" disabled={busy} onClick={() => void issue(service, purpose, true)}>
                无证件取号
              </IconButton>
            ) : null}
          </div>
        </>
      ) : (
        <div className="kiosk-id-body">
          <IdKeypad value={typed} onChange={setTyped} today={today} />
          <KeypadActions
            side
            onCard={() => setMode('card')}
            confirm="确认取号"
            disabled={check.state !== 'valid' || busy}
            onConfirm={confirmTyped}
          />
        </div>
      )}
    </section>
  );
}
