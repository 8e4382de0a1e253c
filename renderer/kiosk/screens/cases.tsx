/**
 * 办件查询: by 办件编号 (the hall's own record, `GET /cases/{id}`) or by ID card. A card the
 * hub's own reader read (it comes with a read id) lists the holder's cases at once; any other
 * number — a local reader the hub cannot vouch for, or a typed one — needs the 办件编号 from the
 * receipt as well (docs/security.md), so nobody lists a stranger's cases by typing their number.
 * Shows a status timeline: 受理 → 办理 → 办结, and the ratings given.
 */
import { useEffect, useState } from 'react';
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

const STATUS_TEXT: Record<string, string> = {
  accepted: '已受理',
  processing: '办理中',
  finished: '已办结',
  done: '已办结',
};

/** The two ways to look a case up, as tabs. */
const LOOKUPS = [
  { mode: 'code', icon: 'keypad', label: '输入办件编号' },
  { mode: 'card', icon: 'card', label: '刷身份证查询' },
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
        { name: '受理', time: c.acceptTime, done: !!c.acceptTime },
        { name: '办理', time: null, done: finished || !!c.acceptTime },
        { name: '办结', time: c.finishTime, done: finished },
      ];
  const evaluations = c.evaluations ?? [];
  return (
    <div className="case-card" data-testid="case-card">
      <p className="case-name">{c.taskName || c.taskCode}</p>
      <p className="case-no">
        办件编号 {c.projectNo ?? c.id} · 状态：<b>{STATUS_TEXT[c.status] ?? c.status}</b>
        {c.applicantName ? ` · 申请人 ${c.applicantName}` : ''}
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
      {c.windowNo ? <p className="muted">办理窗口：{c.windowNo} 号</p> : null}
      {evaluations.length ? (
        <p className="muted">评价：{evaluations.map((e) => levelText(e.level)).join('、')}</p>
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

  useEffect(() => say('办件查询。请输入办件编号，或刷身份证'), [say]);

  const run = async (key: CaseKey) => {
    setBusy(true);
    setError(null);
    setFound(null);
    try {
      const list = await findCase(client, key);
      setFound(list);
      say(list.length ? `查到 ${list.length} 件办件` : '没有查到办件');
    } catch (e) {
      // The hub's own words otherwise: an expired card read says to present the card again.
      const msg =
        e instanceof HubError && e.code === 'UNKNOWN_CASE' ? '没有找到这个办件编号，请核对后重试' : errorMessage(e);
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
    else say('请输入回执上的办件编号');
  }, [applicant, mode]);

  return (
    <section className="kiosk-cases" aria-label="办件查询">
      <h2 className="kiosk-title">办件查询</h2>
      <div className="kiosk-tabs" role="tablist">
        {LOOKUPS.map((t) => (
          <button
            key={t.mode}
            type="button"
            role="tab"
            aria-selected={mode === t.mode}
            className={`kiosk-tab${mode === t.mode ? ' on' : ''}`}
            onClick={() => setMode(t.mode)}
          >
            <Icon name={t.icon} size={36} />
            {t.label}
          </button>
        ))}
      </div>
      <ErrorBanner message={error} />
      {found ? (
        <div className="case-list">
          {found.length === 0 ? <p>没有查到办件。</p> : found.map((c) => <CaseTimeline key={c.id} c={c} />)}
        </div>
      ) : needsCode && applicant ? (
        <>
          <p className="kiosk-lead">为保护个人信息，请再输入回执上的办件编号</p>
          <CodeKeypad value={code} onChange={setCode} label="回执上的办件编号" maxLength={48} />
          <button
            type="button"
            className="btn primary kiosk-big-btn"
            disabled={code.length < 4 || busy}
            onClick={() => void run({ certNo: applicant.certNo, caseNo: code })}
          >
            {busy ? '正在查询…' : '查询'}
          </button>
        </>
      ) : mode === 'card' ? (
        <CardPrompt text="请将身份证放在感应区" />
      ) : (
        <>
          <CodeKeypad value={code} onChange={setCode} label="办件编号" maxLength={48} />
          <button
            type="button"
            className="btn primary kiosk-big-btn"
            disabled={code.length < 4 || busy}
            onClick={() => void run({ caseNo: code })}
          >
            {busy ? '正在查询…' : '查询'}
          </button>
        </>
      )}
      {found ? (
        <button type="button" className="btn kiosk-big-btn" onClick={() => setFound(null)}>
          {elder ? '再查一件' : '查询其他办件'}
        </button>
      ) : null}
    </section>
  );
}
