/**
 * 服务评价 at the kiosk: 补充评价 of a finished case found by its 办件编号. The hub takes a kiosk's
 * rating only for the case's applicant, so the rating carries the ID number the kiosk already has
 * (a card presented anywhere) or the one typed here; the hub allows a first rating and one follow-up.
 */
import { useEffect, useState } from 'react';
import { checkTyping } from '../../../common/cert-number.js';
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

  useEffect(() => say('服务评价。请输入办件编号'), [say]);
  const ready = found !== null && applicant !== null;
  useEffect(() => {
    if (ready) say('请选择您对本次服务的满意程度');
  }, [ready, say]);

  const look = async () => {
    setBusy(true);
    setError(null);
    try {
      const c = await client.caseById(code);
      if (!c.finishTime) setError('该办件尚未办结，办结后才能评价');
      else if ((c.evaluations ?? []).length >= 2) setError('该办件已有评价和一次追评，不能再评价');
      else {
        setFound(c);
        if (!applicant) say('请刷身份证，或输入办事人的证件号码');
      }
    } catch (e) {
      setError(
        e instanceof HubError && e.code === 'UNKNOWN_CASE' ? '没有找到这个办件编号，请核对后重试' : errorMessage(e),
      );
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
      say('感谢您的评价');
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
      <section className="kiosk-evaluate done" aria-label="评价完成">
        <p className="kiosk-thanks">感谢您的评价！</p>
        <button type="button" className="btn primary kiosk-big-btn" onClick={finish}>
          完成
        </button>
      </section>
    );
  }
  return (
    <section className="kiosk-evaluate" aria-label="服务评价">
      <h2 className="kiosk-title">服务评价</h2>
      {found && applicant ? (
        <>
          <CaseTimeline c={found} />
          <RatingForm catalogue={cat} busy={busy} error={error} allowText={false} onSubmit={(r) => void submit(r)} />
        </>
      ) : found ? (
        <>
          <p className="kiosk-lead">请确认是办事人本人：刷身份证，或输入证件号码</p>
          <ErrorBanner message={error} />
          <CardPrompt text="请将身份证放在感应区" />
          <div className="kiosk-id-body">
            <IdKeypad value={typed} onChange={setTyped} today={today} />
            <button
              type="button"
              className="btn primary kiosk-big-btn"
              disabled={typedCheck.state !== 'valid' || busy}
              onClick={confirmTyped}
            >
              确认
            </button>
          </div>
        </>
      ) : (
        <>
          <p className="kiosk-lead">请输入办件回执上的办件编号</p>
          <ErrorBanner message={error} />
          <CodeKeypad value={code} onChange={setCode} label="办件编号" maxLength={48} />
          <button
            type="button"
            className="btn primary kiosk-big-btn"
            disabled={code.length < 4 || busy}
            onClick={() => void look()}
          >
            {busy ? '正在查询…' : '下一步'}
          </button>
        </>
      )}
    </section>
  );
}
