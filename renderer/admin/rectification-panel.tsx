/**
 * 差评整改: the items by due date (overdue in red), each with its case, the ratings' reasons and
 * text, the staff member and window, its history, and the next steps; filters; and the figures
 * (整改率, 按期整改率, 回访满意率) per window, staff member and service, this month and last.
 * Each step is recorded with the manager's staff number, so the tab works only in an admin
 * session: opened with a device token, it asks the manager to sign in (工号 + PIN) first.
 */
import { type FormEvent, useCallback, useMemo, useState } from 'react';
import type { RouteName } from '../../common/api/addresses.js';
import type { AnswerOf } from '../../common/api/route-spec.js';
import type { ApiRoutes } from '../../common/api/routes.js';
import { EVALUATION_LEVELS, type EvaluationLevel, LEVEL_NAMES } from '../../common/evaluation.js';
import { NEXT_STEPS, type RectificationStatus, STATUS_NAMES } from '../../common/rectification.js';
import { useServices } from '../shared/app.js';
import { BUILT_IN_REASONS } from '../shared/catalogue.js';
import { percentText } from '../shared/charts/chart-data.js';
import { EmptyRow, ErrorBanner, TableHead } from '../shared/components.js';
import { errorMessage, type HubClient, HubError } from '../shared/hub-client.js';
import { useLive } from './admin-hooks.js';
import { Kpi } from './kpi.js';

type Answer<K extends RouteName> = AnswerOf<ApiRoutes[K]>;
type Item = Answer<'listRectifications'>[number];
type Figures = Answer<'rectificationFigures'>;

const LIVE = ['rectification.', 'evaluation.recorded'];
const OPEN_STATUSES = 'open,verifying,rectifying,revisit';
const STEP_LABEL: Record<RectificationStatus, string> = {
  open: '登记',
  verifying: '开始核实',
  rectifying: '核实属实，开始整改',
  revisit: '整改完成，转回访',
  closed: '回访完成，办结',
  invalid: '认定为无效差评',
};
const BUILT_IN_REASON_TEXT = new Map(BUILT_IN_REASONS.map((r) => [r.code, r.text]));

/** The admin session of this console page (kept while the page is open, across tabs). */
let sessionToken: string | null = null;

export function RectificationPanel() {
  const { client } = useServices();
  const [session, setSession] = useState<HubClient | null>(() =>
    sessionToken ? client.withToken(sessionToken) : client,
  );
  const [needsSignIn, setNeedsSignIn] = useState(false);
  const [items, setItems] = useState<Item[] | null>(null);
  const [figures, setFigures] = useState<Figures | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState(OPEN_STATUSES);
  const [windowNo, setWindowNo] = useState('');
  const [overdueOnly, setOverdueOnly] = useState(false);
  const [selected, setSelected] = useState<string | null>(null);
  /** The item as its last step answered: still shown when the filter no longer lists it (closed). */
  const [stepped, setStepped] = useState<Item | null>(null);

  const load = useCallback(() => {
    if (!session) return;
    Promise.all([
      session.call('listRectifications', { query: status ? { status } : {} }),
      session.call('rectificationFigures'),
    ]).then(
      ([list, f]) => {
        setItems(list);
        setFigures(f);
        setError(null);
        setNeedsSignIn(false);
      },
      (e) => {
        if (e instanceof HubError && (e.code === 'ADMIN_SESSION_REQUIRED' || e.status === 401)) setNeedsSignIn(true);
        else setError(errorMessage(e));
      },
    );
  }, [session, status]);
  useLive(load, LIVE, 30_000);

  const shown = useMemo(
    () =>
      (items ?? []).filter(
        (i) => (!windowNo || String(i.windowNo) === windowNo) && (!overdueOnly || (i.overdue && i.finishedAt === null)),
      ),
    [items, windowNo, overdueOnly],
  );
  const windows = useMemo(
    () =>
      [...new Set((items ?? []).map((i) => i.windowNo).filter((w): w is number => w !== null))].sort((a, b) => a - b),
    [items],
  );
  const current = shown.find((i) => i.id === selected) ?? (stepped?.id === selected ? stepped : null);

  if (needsSignIn || !session) {
    return (
      <SignIn
        client={client}
        onSession={(token) => {
          sessionToken = token;
          setSession(client.withToken(token));
          setNeedsSignIn(false);
        }}
      />
    );
  }

  return (
    <div className="a-rect" data-testid="rectification-panel">
      <ErrorBanner message={error} />
      <FigureCards figures={figures} />
      <div className="a-toolbar">
        <label>
          状态
          <select value={status} onChange={(e) => setStatus(e.target.value)} data-testid="rect-status">
            <option value={OPEN_STATUSES}>待办（未办结）</option>
            <option value="">全部</option>
            {(Object.keys(STATUS_NAMES) as RectificationStatus[]).map((s) => (
              <option key={s} value={s}>
                {STATUS_NAMES[s]}
              </option>
            ))}
          </select>
        </label>
        <label>
          窗口
          <select value={windowNo} onChange={(e) => setWindowNo(e.target.value)}>
            <option value="">全部窗口</option>
            {windows.map((w) => (
              <option key={w} value={String(w)}>
                {w} 号窗口
              </option>
            ))}
          </select>
        </label>
        <label className="a-inline">
          <input type="checkbox" checked={overdueOnly} onChange={(e) => setOverdueOnly(e.target.checked)} />
          只看逾期
        </label>
        <span className="muted">共 {shown.length} 条，按到期时间排列</span>
      </div>
      <div className="a-rect-grid">
        <section className="card a-panel" aria-label="差评整改列表">
          <table className="a-table a-rect-list" data-testid="rect-list">
            <TableHead cols={['到期', '状态', '办件', '窗口', '工作人员', '等级', '原因 / 说明']} />
            <tbody>
              {shown.map((i) => {
                const late = i.overdue && i.finishedAt === null;
                return (
                  <tr
                    key={i.id}
                    className={`${late ? 'a-overdue' : ''} ${i.id === selected ? 'a-selected' : ''}`}
                    data-testid={`rect-row-${i.caseId}`}
                    onClick={() => setSelected(i.id)}
                  >
                    <td className="a-nowrap">
                      {i.dueDate}
                      {late ? <b className="a-late-tag">逾期</b> : null}
                    </td>
                    <td className="a-nowrap">{STATUS_NAMES[i.status]}</td>
                    <td>
                      <button type="button" className="a-link" onClick={() => setSelected(i.id)}>
                        {i.caseId}
                      </button>
                    </td>
                    <td>{i.windowNo ?? '—'}</td>
                    <td className="a-nowrap">{staffText(i)}</td>
                    <td className="a-bad-level">{LEVEL_NAMES[i.level]}</td>
                    <td>{reasonText(i)}</td>
                  </tr>
                );
              })}
              {items && shown.length === 0 ? <EmptyRow cols={7}>没有符合条件的差评整改</EmptyRow> : null}
            </tbody>
          </table>
        </section>
        <section className="card a-panel a-rect-detail" aria-label="整改详情" data-testid="rect-detail">
          {current ? (
            <Detail
              key={current.id}
              item={current}
              client={session}
              onDone={(updated) => {
                setStepped(updated);
                load();
              }}
            />
          ) : (
            <p className="muted">点击左侧一条差评，查看详情、处理记录并推进整改。</p>
          )}
        </section>
      </div>
    </div>
  );
}

const staffText = (i: Item) => (i.staffNo ? `${i.staffName ?? ''} ${i.staffNo}`.trim() : '—');

function reasonText(i: Item): string {
  const reasons = i.reasons.map((c, n) => {
    const hub = i.reasonTexts[n];
    return hub && hub !== c ? hub : (BUILT_IN_REASON_TEXT.get(c) ?? c);
  });
  return [reasons.join('、'), i.text].filter(Boolean).join('；') || '—';
}

function SignIn({ client, onSession }: { client: HubClient; onSession: (token: string) => void }) {
  const [staffNo, setStaffNo] = useState('');
  const [pin, setPin] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    try {
      const r = await client.call('adminSignIn', { body: { staffNo: staffNo.trim(), pin } });
      onSession(r.token);
    } catch (err) {
      setError(errorMessage(err));
    }
  };
  return (
    <section className="card a-panel a-rect-signin" aria-label="管理人员登录">
      <h2>差评整改需要管理人员登录</h2>
      <p className="muted">每一步处理都记录经办人工号。请用管理人员的工号和 PIN 登录（只在本页面有效）。</p>
      <ErrorBanner message={error} />
      <form onSubmit={submit} className="a-form-row">
        <label>
          工号
          <input
            value={staffNo}
            onChange={(e) => setStaffNo(e.target.value)}
            autoComplete="username"
            data-testid="rect-staff"
          />
        </label>
        <label>
          PIN
          <input
            type="password"
            inputMode="numeric"
            value={pin}
            onChange={(e) => setPin(e.target.value)}
            autoComplete="current-password"
            data-testid="rect-pin"
          />
        </label>
        <button type="submit" className="btn primary">
          登录
        </button>
      </form>
    </section>
  );
}

function Detail({ item, client, onDone }: { item: Item; client: HubClient; onDone: (updated: Item) => void }) {
  const [note, setNote] = useState('');
  const [contacted, setContacted] = useState(true);
  const [level, setLevel] = useState<EvaluationLevel | ''>('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const steps = NEXT_STEPS[item.status];
  const closing = steps.includes('closed');
  const step = async (to: RectificationStatus) => {
    setBusy(true);
    try {
      const updated = await client.call('transitionRectification', {
        params: { id: item.id },
        body: {
          to,
          note,
          ...(to === 'closed' ? { revisit: { contacted, ...(contacted && level ? { level } : {}) } } : {}),
        },
      });
      setNote('');
      setError(null);
      onDone(updated);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div>
      <h2>
        办件 {item.caseId} <span className={`a-status s-${item.status}`}>{STATUS_NAMES[item.status]}</span>
      </h2>
      <dl className="a-facts">
        <dt>评价</dt>
        <dd className="a-bad-level">
          {LEVEL_NAMES[item.level]}（{item.evaluationIds.length} 次差评）
        </dd>
        <dt>原因 / 说明</dt>
        <dd>{reasonText(item)}</dd>
        <dt>窗口 / 人员</dt>
        <dd>
          {item.windowNo ?? '—'} 号窗口 · {staffText(item)}
        </dd>
        <dt>登记时间</dt>
        <dd>{item.openedAt.slice(0, 16).replace('T', ' ')}</dd>
        <dt>整改期限</dt>
        <dd className={item.overdue ? 'a-late' : ''}>
          {item.dueDate} 下班前{item.overdue ? '（已逾期）' : ''}
          {item.calendarMissing.length ? (
            <span className="muted">（日历缺 {item.calendarMissing.join('、')} 年，只按周末计算）</span>
          ) : null}
        </dd>
        {item.revisit ? (
          <>
            <dt>回访</dt>
            <dd>
              {item.revisit.contacted
                ? `已联系，${item.revisit.level ? LEVEL_NAMES[item.revisit.level] : '未表态'}`
                : '未能联系上'}
            </dd>
          </>
        ) : null}
      </dl>
      <h3>处理记录</h3>
      <ol className="a-history" data-testid="rect-history">
        {item.history.map((h) => (
          <li key={`${h.at}-${h.to}-${h.note}`}>
            <span className="muted">{h.at.slice(5, 16).replace('T', ' ')}</span>{' '}
            <b>{h.from === h.to ? '记录' : STATUS_NAMES[h.to]}</b> {h.staffNo ? `工号 ${h.staffNo}` : '系统'}：{h.note}
          </li>
        ))}
      </ol>
      {steps.length ? (
        <div className="a-steps">
          <h3>下一步</h3>
          <ErrorBanner message={error} />
          <label className="a-grow">
            说明（必填）
            <textarea
              value={note}
              onChange={(e) => setNote(e.target.value)}
              rows={3}
              maxLength={500}
              placeholder={closing ? '回访情况' : '核实或整改的情况；认定无效时写明理由'}
              data-testid="rect-note"
            />
          </label>
          {closing ? (
            <fieldset className="a-fieldset">
              <legend>回访结果</legend>
              <label className="a-inline">
                <input
                  type="checkbox"
                  checked={contacted}
                  onChange={(e) => setContacted(e.target.checked)}
                  data-testid="rect-contacted"
                />
                已联系上办事人
              </label>
              {contacted ? (
                <label>
                  回访满意度
                  <select
                    value={level}
                    onChange={(e) => setLevel(e.target.value as EvaluationLevel)}
                    data-testid="rect-level"
                  >
                    <option value="">请选择</option>
                    {EVALUATION_LEVELS.map((l) => (
                      <option key={l} value={l}>
                        {LEVEL_NAMES[l]}
                      </option>
                    ))}
                  </select>
                </label>
              ) : null}
            </fieldset>
          ) : null}
          <div className="a-step-buttons">
            {steps.map((s) => (
              <button
                key={s}
                type="button"
                className={`btn ${s === 'invalid' ? 'danger' : 'primary'}`}
                disabled={busy || !note.trim() || (s === 'closed' && contacted && !level)}
                onClick={() => void step(s)}
                data-testid={`rect-step-${s}`}
              >
                {STEP_LABEL[s]}
              </button>
            ))}
          </div>
        </div>
      ) : (
        <p className="muted">本条整改已结束。</p>
      )}
    </div>
  );
}

function FigureCards({ figures }: { figures: Figures | null }) {
  const [by, setBy] = useState<'byWindow' | 'byStaff' | 'byService'>('byWindow');
  if (!figures) return null;
  const { current, previous } = figures;
  const rows = current[by].map((r) => ({ r, p: previous[by].find((x) => x.key === r.key) ?? null }));
  for (const p of previous[by])
    if (!rows.some((x) => x.r.key === p.key))
      rows.push({
        r: {
          ...p,
          opened: 0,
          closed: 0,
          closedOnTime: 0,
          rectifiedRate: null,
          onTimeRate: null,
          revisitSatisfiedRate: null,
        },
        p,
      });
  return (
    <section className="card a-panel a-rect-figures" aria-label="整改指标" data-testid="rect-figures">
      <div className="a-kpis">
        <Kpi
          label={`本月差评（${current.month}）`}
          value={`${current.total.opened}`}
          unit="件"
          hint={`上月 ${previous.total.opened} 件`}
        />
        <Kpi
          label="整改率"
          value={percentText(current.total.rectifiedRate)}
          hint={`上月 ${percentText(previous.total.rectifiedRate)}`}
          testId="kpi-rectified"
        />
        <Kpi
          label="按期整改率"
          value={percentText(current.total.onTimeRate)}
          hint={`上月 ${percentText(previous.total.onTimeRate)}`}
        />
        <Kpi
          label="回访满意率"
          value={percentText(current.total.revisitSatisfiedRate)}
          hint={`上月 ${percentText(previous.total.revisitSatisfiedRate)}`}
        />
      </div>
      <div className="a-toolbar">
        <span>分组</span>
        {(
          [
            ['byWindow', '按窗口'],
            ['byStaff', '按人员'],
            ['byService', '按业务'],
          ] as const
        ).map(([k, label]) => (
          <button
            key={k}
            type="button"
            className={`a-tab ${by === k ? 'active' : ''}`}
            aria-pressed={by === k}
            onClick={() => setBy(k)}
          >
            {label}
          </button>
        ))}
      </div>
      <table className="a-table">
        <TableHead
          cols={[
            '',
            '本月差评',
            '整改率',
            '按期整改率',
            '回访满意率',
            '上月差评',
            '上月整改率',
            '上月按期',
            '上月回访满意率',
          ]}
        />
        <tbody>
          {rows.map(({ r, p }) => (
            <tr key={r.key}>
              <th scope="row">{r.name}</th>
              <td>{r.opened}</td>
              <td>{percentText(r.rectifiedRate)}</td>
              <td>{percentText(r.onTimeRate)}</td>
              <td>{percentText(r.revisitSatisfiedRate)}</td>
              <td>{p?.opened ?? 0}</td>
              <td>{percentText(p?.rectifiedRate ?? null)}</td>
              <td>{percentText(p?.onTimeRate ?? null)}</td>
              <td>{percentText(p?.revisitSatisfiedRate ?? null)}</td>
            </tr>
          ))}
          {rows.length === 0 ? <EmptyRow cols={9}>本月和上月都没有差评</EmptyRow> : null}
        </tbody>
      </table>
    </section>
  );
}
