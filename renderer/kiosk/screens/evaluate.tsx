/**
 * 服务评价 at the kiosk: 补充评价 of a finished case found by its 办件编号. The hub takes a kiosk's
 * rating only for the case's applicant, so the rating carries the ID number the kiosk already has
 * (a card presented anywhere) or the one typed here; the hub allows a first rating and one follow-up.
 */

import { useEffect, useState } from 'react';
import { checkTyping } from '../../../common/cert-number.js';
import { t } from '../../i18n/i18n.js';
import type { ApiCase } from '../../shared/api-types.js';
import { useServices } from '../../shared/app.js';
import { ErrorBanner } from '../../shared/components.js';
import { useCatalogue } from '../../shared/hooks.js';
import { errorMessage, HubError } from '../../shared/hub-client.js';
import { type RatingChoice, RatingForm } from '../../shared/rating-form.js';
import { CardPrompt } from '../card-prompt.js';
import { CodeKeypad, IdKeypad } from '../keypad.js';
import { useKiosk } from '../kiosk-context.js';
import { CaseTimeline } from './cases.js';

export function EvaluateScreen() {
  const { client } = useServices();
  const { say, finish, applicant, setApplicant, today } = useKiosk();
  const [typed, setTyped] = useState('');
  const [code, setCode] = useState('');
  const [found, setFound] = useState<ApiCase | null>(null);
  const cat = useCatalogue(client) ?? null;
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);

  useEffect(() => say(t('kiosk.evaluate.sayStart')), [say]);
  const ready = found !== null && applicant !== null;
  useEffect(() => {
    if (ready) say(t('kiosk.evaluate.sayLevel'));
  }, [ready, say]);

  const look = async () => {
    setBusy(true);
    setError(null);
    try {
      const c = await client.caseById(code);
      if (!c.finishTime) setError(t('kiosk.evaluate.notFinished'));
      else if ((c.evaluations ?? []).length >= 2) setError(t('kiosk.evaluate.noMore'));
      else {
        setFound(c);
        if (!applicant) say(t('kiosk.evaluate.sayIdentify'));
      }
    } catch (e) {
      setError(e instanceof HubError && e.code === 'UNKNOWN_CASE' ? t('kiosk.evaluate.unknown') : errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  const typedCheck = checkTyping(typed, today);
  const confirmTyped = () => {
    if (typedCheck.state !== 'valid') return;
    setError(null);
    setApplicant({
      name: '手工录入',
      certType: 'resident',
      certNo: typedCheck.normalized,
      birthDate: typedCheck.birthDate,
      source: 'keypad',
    });
  };

  const submit = async (r: RatingChoice) => {
    if (!found || !applicant) return;
    setBusy(true);
    setError(null);
    try {
      await client.evaluate({
        caseId: found.id,
        level: r.level,
        certNo: applicant.certNo,
        ...(r.reasons.length ? { reasons: r.reasons } : {}),
        ...(r.text ? { text: r.text } : {}),
      });
      setDone(true);
      say(t('kiosk.evaluate.thanksSay'));
    } catch (e) {
      // A typed number that is not the applicant's: let them type it again.
      if (e instanceof HubError && e.code === 'NOT_THE_APPLICANT' && applicant.source === 'keypad') {
        setApplicant(null);
        setTyped('');
      }
      setError(errorMessage(e));
      say(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  if (done) {
    return (
      <section className="kiosk-evaluate done" aria-label={t('kiosk.evaluate.doneLabel')}>
        <p className="kiosk-thanks">{t('kiosk.evaluate.thanks')}</p>
        <button type="button" className="btn primary kiosk-big-btn" onClick={finish}>
          {t('kiosk.ticket.done')}
        </button>
      </section>
    );
  }
  return (
    <section className="kiosk-evaluate" aria-label={t('kiosk.evaluate.title')}>
      <h2 className="kiosk-title">{t('kiosk.evaluate.title')}</h2>
      {found && applicant ? (
        <>
          <CaseTimeline c={found} />
          <RatingForm catalogue={cat} busy={busy} error={error} allowText={false} onSubmit={(r) => void submit(r)} />
        </>
      ) : found ? (
        <>
          <p className="kiosk-lead">{t('kiosk.evaluate.identify')}</p>
          <ErrorBanner message={error} />
          <CardPrompt text={t('kiosk.identify.card')} />
          <div className="kiosk-id-body">
            <IdKeypad value={typed} onChange={setTyped} today={today} />
            <button
              type="button"
              className="btn primary kiosk-big-btn"
              disabled={typedCheck.state !== 'valid' || busy}
              onClick={confirmTyped}
            >
              {t('kiosk.evaluate.confirm')}
            </button>
          </div>
        </>
      ) : (
        <>
          <p className="kiosk-lead">{t('kiosk.evaluate.codeLead')}</p>
          <ErrorBanner message={error} />
          <CodeKeypad value={code} onChange={setCode} label={t('kiosk.evaluate.codeLabel')} maxLength={48} />
          <button
            type="button"
            className="btn primary kiosk-big-btn"
            disabled={code.length < 4 || busy}
            onClick={() => void look()}
          >
            {busy ? t('kiosk.evaluate.looking') : t('kiosk.evaluate.next')}
          </button>
        </>
      )}
    </section>
  );
}
