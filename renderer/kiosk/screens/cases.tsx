/**
 * 办件查询: by 办件编号 (the hall's own record, `GET /cases/{id}`) or by ID card. A card the
 * hub's own reader read (it comes with a read id) lists the holder's cases at once; any other
 * number — a local reader the hub cannot vouch for, or a typed one — needs the 办件编号 from the
 * receipt as well (docs/security.md), so nobody lists a stranger's cases by typing their number.
 * Shows a status timeline: 受理 → 办理 → 办结, and the ratings given.
 */

import { useEffect, useState } from 'react';
import { t } from '../../i18n/i18n.js';
import type { ApiCase } from '../../shared/api-types.js';
import { useServices } from '../../shared/app.js';
import { ErrorBanner } from '../../shared/components.js';
import { levelText } from '../../shared/evaluation-levels.js';
import { errorMessage, HubError } from '../../shared/hub-client.js';
import { CardPrompt } from '../card-prompt.js';
import { Icon } from '../icons.js';
import { CodeKeypad } from '../keypad.js';
import { useKiosk } from '../kiosk-context.js';

const TIME = new Intl.DateTimeFormat('zh-CN', {
  month: 'numeric',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
  timeZone: 'Asia/Shanghai',
});
const fmt = (iso: string | null) => (iso ? TIME.format(new Date(iso)) : '');

/** Catalogue keys of the case statuses (`kiosk.cases.status.*`). */
const STATUS_KEY: Record<string, string> = {
  accepted: 'kiosk.cases.status.accepted',
  processing: 'kiosk.cases.status.processing',
  finished: 'kiosk.cases.status.finished',
  done: 'kiosk.cases.status.finished',
};

/** The two ways to look a case up, as tabs. */
const LOOKUPS = [
  { mode: 'code', icon: 'keypad', label: 'kiosk.cases.byCode' },
  { mode: 'card', icon: 'card', label: 'kiosk.cases.byCard' },
] as const;

export type CaseKey = { caseNo: string } | { cardRead: string } | { certNo: string; caseNo: string };

export async function findCase(client: ReturnType<typeof useServices>['client'], key: CaseKey): Promise<ApiCase[]> {
  // The hall's lookup (main/server/sync-plugin.ts); numbers go in the body, never in the URL.
  if ('cardRead' in key)
    return (await client.post<{ cases: ApiCase[] }>('/cases/lookup', { cardRead: key.cardRead })).cases;
  if ('certNo' in key)
    return (await client.post<{ cases: ApiCase[] }>('/cases/lookup', { certNo: key.certNo, caseId: key.caseNo })).cases;
  return [await client.caseById(key.caseNo)];
}

export function CaseTimeline({ c }: { c: ApiCase }) {
  const finished = !!c.finishTime;
  // The platform's own steps when the hub could ask it; else the hall's record.
  const steps = c.progress?.steps.length
    ? c.progress.steps.map((s) => ({ name: s.name, time: s.time, done: true }))
    : [
        { name: t('kiosk.cases.step.accept'), time: c.acceptTime, done: !!c.acceptTime },
        { name: t('kiosk.cases.step.process'), time: null, done: finished || !!c.acceptTime },
        { name: t('kiosk.cases.step.finish'), time: c.finishTime, done: finished },
      ];
  const evaluations = c.evaluations ?? [];
  return (
    <div className="case-card" data-testid="case-card">
      <p className="case-name">{c.taskName || c.taskCode}</p>
      <p className="case-no">
        {t('kiosk.cases.no', { no: c.projectNo ?? c.id })} · {t('kiosk.cases.statusLabel')}
        <b>{STATUS_KEY[c.status] ? t(STATUS_KEY[c.status] as string) : c.status}</b>
        {c.applicantName ? ` · ${t('kiosk.cases.applicant', { name: c.applicantName })}` : ''}
      </p>
      <ol className="case-steps">
        {steps.map((s) => (
          <li key={s.name} className={s.done ? 'done' : ''}>
            <span className="case-step-mark" aria-hidden="true">
              {s.done ? '✓' : '○'}
            </span>
            <span className="case-step-name">{s.name}</span>
            <span className="case-step-time">{fmt(s.time)}</span>
          </li>
        ))}
      </ol>
      {c.windowNo ? <p className="muted">{t('kiosk.cases.window', { window: c.windowNo })}</p> : null}
      {evaluations.length ? (
        <p className="muted">
          {t('kiosk.cases.ratings', { levels: evaluations.map((e) => levelText(e.level)).join('、') })}
        </p>
      ) : null}
    </div>
  );
}

export function CasesScreen() {
  const { client } = useServices();
  const { applicant, say, elder } = useKiosk();
  const [mode, setMode] = useState<'card' | 'code'>('code');
  const [code, setCode] = useState('');
  const [found, setFound] = useState<ApiCase[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => say(t('kiosk.cases.say')), [say]);

  const run = async (key: CaseKey) => {
    setBusy(true);
    setError(null);
    setFound(null);
    try {
      const list = await findCase(client, key);
      setFound(list);
      say(list.length ? t('kiosk.cases.found', { n: list.length }) : t('kiosk.cases.none'));
    } catch (e) {
      // The hub's own words otherwise: an expired card read says to present the card again.
      const msg = e instanceof HubError && e.code === 'UNKNOWN_CASE' ? t('kiosk.evaluate.unknown') : errorMessage(e);
      setError(msg);
      say(msg);
    } finally {
      setBusy(false);
    }
  };

  // A card the hub read is looked up at once; any other number waits for the receipt's code.
  const needsCode = mode === 'card' && applicant !== null && !applicant.readId;
  // biome-ignore lint/correctness/useExhaustiveDependencies: look up once per card, not per render of `run`
  useEffect(() => {
    if (mode !== 'card' || !applicant) return;
    setCode('');
    if (applicant.readId) void run({ cardRead: applicant.readId });
    else say(t('kiosk.cases.sayCode'));
  }, [applicant, mode]);

  return (
    <section className="kiosk-cases" aria-label={t('kiosk.cases.title')}>
      <h2 className="kiosk-title">{t('kiosk.cases.title')}</h2>
      <div className="kiosk-tabs" role="tablist">
        {LOOKUPS.map((tab) => (
          <button
            key={tab.mode}
            type="button"
            role="tab"
            aria-selected={mode === tab.mode}
            className={`kiosk-tab${mode === tab.mode ? ' on' : ''}`}
            onClick={() => setMode(tab.mode)}
          >
            <Icon name={tab.icon} size={36} />
            {t(tab.label)}
          </button>
        ))}
      </div>
      <ErrorBanner message={error} />
      {found ? (
        <div className="case-list">
          {found.length === 0 ? (
            <p>{t('kiosk.cases.noneText')}</p>
          ) : (
            found.map((c) => <CaseTimeline key={c.id} c={c} />)
          )}
        </div>
      ) : needsCode && applicant ? (
        <>
          <p className="kiosk-lead">{t('kiosk.cases.confirmCode')}</p>
          <CodeKeypad value={code} onChange={setCode} label={t('kiosk.cases.receiptCode')} maxLength={48} />
          <button
            type="button"
            className="btn primary kiosk-big-btn"
            disabled={code.length < 4 || busy}
            onClick={() => void run({ certNo: applicant.certNo, caseNo: code })}
          >
            {busy ? t('kiosk.evaluate.looking') : t('kiosk.cases.search')}
          </button>
        </>
      ) : mode === 'card' ? (
        <CardPrompt text={t('kiosk.identify.card')} />
      ) : (
        <>
          <CodeKeypad value={code} onChange={setCode} label={t('kiosk.evaluate.codeLabel')} maxLength={48} />
          <button
            type="button"
            className="btn primary kiosk-big-btn"
            disabled={code.length < 4 || busy}
            onClick={() => void run({ caseNo: code })}
          >
            {busy ? t('kiosk.evaluate.looking') : t('kiosk.cases.search')}
          </button>
        </>
      )}
      {found ? (
        <button type="button" className="btn kiosk-big-btn" onClick={() => setFound(null)}>
          {elder ? t('kiosk.cases.again') : t('kiosk.cases.other')}
        </button>
      ) : null}
    </section>
  );
}
