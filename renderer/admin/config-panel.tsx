/**
 * Configuration of services, windows, staff, priorities and the announcement (with the notice
 * text): each section is edited as a whole, checked by the hub (`POST /admin/config/check`, the
 * same rules as `govhall config check`) with the problems listed and the announcement previewed,
 * then applied without restart (`PUT /admin/config`); every change is in the audit trail below.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { AdminConfigView } from '../../main/server/admin/types.js';
import { ErrorBanner } from '../shared/components.js';
import { errorMessage } from '../shared/hub-client.js';
import { SpeechQueue } from '../shared/speech.js';
import type { AuditRow } from './admin-api.js';
import { useAdminApi } from './admin-hooks.js';
import {
  changeOf,
  type Drafts,
  draftsOf,
  PRIORITY_NAMES,
  renderAnnouncement,
  type Section,
  sampleFor,
} from './config-draft.js';
import {
  AddButton,
  CheckField,
  EditTable,
  EmptyRow,
  NumberField,
  StatusNote,
  TabBar,
  TableHead,
  TextField,
} from './edit-fields.js';

const SECTIONS: { id: Section; label: string }[] = [
  { id: 'services', label: '业务' },
  { id: 'windows', label: '窗口' },
  { id: 'staff', label: '工作人员' },
  { id: 'priority', label: '优先规则' },
  { id: 'announcement', label: '播报与公告' },
];

const SECTION_TEXT: Record<string, string> = {
  services: '业务',
  windows: '窗口',
  staff: '工作人员',
  priority: '优先规则',
  announcement: '播报',
  ticketText: '公告',
};

type Problem = { path: string; message: string };

export function ConfigPanel() {
  const api = useAdminApi();
  const [view, setView] = useState<AdminConfigView | null>(null);
  const [drafts, setDrafts] = useState<Drafts | null>(null);
  const [section, setSection] = useState<Section>('announcement');
  const [problems, setProblems] = useState<Problem[]>([]);
  const [preview, setPreview] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [audit, setAudit] = useState<AuditRow[]>([]);

  const load = useCallback(async () => {
    try {
      const v = await api.config();
      setView(v);
      setDrafts(draftsOf(v));
      setAudit(await api.audit('config.', 10));
      setError(null);
    } catch (e) {
      setError(errorMessage(e));
    }
  }, [api]);
  useEffect(() => {
    void load();
  }, [load]);

  // Editors change a copy in place; the panel keeps the original for 还原 and the version check.
  const edit = (f: (d: Drafts) => void) => {
    setDrafts((d) => {
      if (!d) return d;
      const copy = structuredClone(d);
      f(copy);
      return copy;
    });
    setProblems([]);
    setNote(null);
  };

  const check = async () => {
    if (!drafts || !view) return;
    setBusy(true);
    try {
      const r = await api.checkConfig(changeOf(section, drafts, view.version));
      setProblems(r.problems);
      setPreview(r.announcementPreview);
      setNote(r.ok ? '检查通过，可以保存' : null);
      setError(null);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  const save = async () => {
    if (!drafts || !view) return;
    setBusy(true);
    try {
      const r = await api.applyConfig(changeOf(section, drafts, view.version));
      if (r.ok) {
        setProblems([]);
        setError(null);
        await load();
        setNote(
          `已保存并生效（${r.applied.sections.map((s) => SECTION_TEXT[s] ?? s).join('、')}）${r.applied.persisted ? '，已写入配置文件' : '；演示大厅的修改在重启后恢复'}`,
        );
      } else {
        setProblems(r.refusal.problems);
        setError(r.refusal.message);
        setNote(null);
      }
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  if (!view || !drafts) {
    return (
      <section className="card a-panel">
        <ErrorBanner message={error} />
        {error ? null : <p className="muted">正在读取配置…</p>}
      </section>
    );
  }

  return (
    <div className="a-config">
      <TabBar
        className="a-subtabs"
        label="配置部分"
        tabs={SECTIONS}
        current={section}
        onSelect={(id) => {
          setSection(id);
          setProblems([]);
          setNote(null);
          setError(null);
        }}
      />
      <section className="card a-panel" aria-label={`编辑${SECTIONS.find((s) => s.id === section)?.label}`}>
        {section === 'services' ? <ServicesEditor d={drafts} edit={edit} /> : null}
        {section === 'windows' ? <WindowsEditor d={drafts} edit={edit} /> : null}
        {section === 'staff' ? <StaffEditor d={drafts} edit={edit} /> : null}
        {section === 'priority' ? <PriorityEditor d={drafts} edit={edit} /> : null}
        {section === 'announcement' ? <AnnouncementEditor d={drafts} edit={edit} preview={preview} /> : null}

        {problems.length ? (
          <div className="a-problems" role="alert">
            <b>有 {problems.length} 处问题：</b>
            <ul>
              {problems.map((p) => (
                <li key={`${p.path}:${p.message}`}>
                  <code>{p.path}</code> {p.message}
                </li>
              ))}
            </ul>
          </div>
        ) : null}
        <ErrorBanner message={problems.length ? null : error} />
        <div className="a-toolbar">
          <button type="button" className="btn" onClick={check} disabled={busy}>
            检查
          </button>
          <button type="button" className="btn primary" onClick={save} disabled={busy}>
            保存并生效
          </button>
          <button
            type="button"
            className="btn"
            onClick={() => {
              setDrafts(draftsOf(view));
              setProblems([]);
              setNote(null);
              setError(null);
            }}
            disabled={busy}
          >
            还原
          </button>
          <StatusNote note={note} />
        </div>
        {!view.persisted ? (
          <p className="muted">当前运行的是内置演示大厅：修改立即生效，但不写回安装目录中的配置文件。</p>
        ) : null}
      </section>
      <section className="card a-panel">
        <h2>修改记录</h2>
        <table className="a-table" data-testid="config-audit">
          <TableHead cols={['时间', '操作者', '结果', '修改部分']} />
          <tbody>
            {audit.map((a) => {
              const d = (a.detail ?? {}) as { sections?: string[]; code?: string };
              return (
                <tr key={a.id}>
                  <td>{a.at.slice(0, 19).replace('T', ' ')}</td>
                  <td>{a.terminalId ?? a.actorRole}</td>
                  <td>{a.result === 'ok' ? '✔ 已生效' : `✖ 被拒绝${d.code ? `（${d.code}）` : ''}`}</td>
                  <td>{(d.sections ?? []).map((s) => SECTION_TEXT[s] ?? s).join('、')}</td>
                </tr>
              );
            })}
            {audit.length === 0 ? <EmptyRow cols={4}>还没有修改记录</EmptyRow> : null}
          </tbody>
        </table>
      </section>
    </div>
  );
}

type EditorProps = { d: Drafts; edit: (f: (d: Drafts) => void) => void };
type ListKey = 'services' | 'windows' | 'staff';

/** Edits row `i` of one of the draft's tables. */
function rowSetter<K extends ListKey>(edit: EditorProps['edit'], key: K, i: number) {
  return (f: (x: Drafts[K][number]) => void) => edit((x) => f(x[key][i] as Drafts[K][number]));
}

function ServicesEditor({ d, edit }: EditorProps) {
  return (
    <>
      <h2>业务（取号队列）</h2>
      <EditTable
        scroll
        cols={[
          '编码',
          '名称',
          '类别',
          '前缀',
          '号段',
          '每日上限',
          '默认办理（秒）',
          '无证件取号',
          '事项编码（每行一个）',
        ]}
        rows={d.services}
        rowKey={(s, i) => (s.isNew ? `new-${i}` : s.code)}
        onDelete={(i) => edit((x) => x.services.splice(i, 1))}
      >
        {(s, i) => {
          const set = rowSetter(edit, 'services', i);
          return (
            <>
              <td>
                <TextField
                  label="业务编码"
                  value={s.code}
                  readOnly={!s.isNew}
                  size={4}
                  onChange={(v) => set((x) => (x.code = v))}
                />
              </td>
              <td>
                <TextField label="业务名称" value={s.name} size={7} onChange={(v) => set((x) => (x.name = v))} />
              </td>
              <td>
                <TextField label="类别" value={s.category} size={6} onChange={(v) => set((x) => (x.category = v))} />
              </td>
              <td>
                <TextField
                  label="票号前缀"
                  value={s.prefix}
                  size={2}
                  onChange={(v) => set((x) => (x.prefix = v.toUpperCase()))}
                />
              </td>
              <td className="a-nowrap">
                <NumberField
                  label="号段起"
                  value={s.numberRange.from}
                  onChange={(v) => set((x) => (x.numberRange.from = v))}
                />
                –
                <NumberField
                  label="号段止"
                  value={s.numberRange.to}
                  onChange={(v) => set((x) => (x.numberRange.to = v))}
                />
              </td>
              <td>
                <NumberField
                  label="每日上限（0 为不限）"
                  value={s.dailyCap}
                  onChange={(v) => set((x) => (x.dailyCap = v))}
                />
              </td>
              <td>
                <NumberField
                  label="默认办理时长（秒）"
                  value={s.defaultServiceSeconds}
                  onChange={(v) => set((x) => (x.defaultServiceSeconds = v))}
                />
              </td>
              <td>
                <CheckField
                  label="允许无证件取号"
                  checked={s.allowAnonymous}
                  onChange={(v) => set((x) => (x.allowAnonymous = v))}
                />
              </td>
              <td>
                <textarea
                  aria-label="事项编码"
                  rows={2}
                  cols={24}
                  value={s.taskCodes}
                  onChange={(e) => set((x) => (x.taskCodes = e.target.value))}
                />
              </td>
            </>
          );
        }}
      </EditTable>
      <AddButton
        onClick={() =>
          edit((x) =>
            x.services.push({
              code: '',
              name: '',
              category: '',
              prefix: '',
              numberRange: { from: 1, to: 999 },
              dailyCap: 0,
              taskCodes: '',
              allowAnonymous: false,
              defaultServiceSeconds: 300,
              isNew: true,
            }),
          )
        }
      >
        新增业务
      </AddButton>
      <p className="muted">新增的业务需要在「窗口」中分配到至少一个窗口。</p>
    </>
  );
}

function WindowsEditor({ d, edit }: EditorProps) {
  return (
    <>
      <h2>窗口</h2>
      <EditTable
        scroll
        cols={['编号', '名称', '办理业务（权重）', '综合窗口', '绿色通道']}
        rows={d.windows}
        // The number itself is being edited; the row must keep focus, so the key is the position.
        rowKey={(_, i) => `w-${i}`}
        onDelete={(i) => edit((x) => x.windows.splice(i, 1))}
      >
        {(w, i) => {
          const set = rowSetter(edit, 'windows', i);
          return (
            <>
              <td>
                <NumberField label="窗口编号" value={w.no} onChange={(v) => set((x) => (x.no = v))} />
              </td>
              <td>
                <TextField label="窗口名称" value={w.name} size={9} onChange={(v) => set((x) => (x.name = v))} />
              </td>
              <td>
                <div className="a-svc-list">
                  {d.services.map((s) => {
                    const on = w.services.find((x) => x.code === s.code);
                    return (
                      <span key={s.code} className="a-svc">
                        <CheckField
                          caption={s.name || s.code}
                          labelClass=""
                          checked={!!on}
                          onChange={(v) =>
                            set((x) => {
                              x.services = v
                                ? [...x.services, { code: s.code, weight: 1 }]
                                : x.services.filter((y) => y.code !== s.code);
                            })
                          }
                        />
                        {on ? (
                          <NumberField
                            label={`${s.name} 权重`}
                            min={1}
                            max={100}
                            value={on.weight}
                            className="a-w"
                            onChange={(v) =>
                              set((x) => {
                                const y = x.services.find((z) => z.code === s.code);
                                if (y) y.weight = v;
                              })
                            }
                          />
                        ) : null}
                      </span>
                    );
                  })}
                </div>
              </td>
              <td>
                <CheckField
                  label="综合窗口"
                  checked={w.comprehensive}
                  onChange={(v) => set((x) => (x.comprehensive = v))}
                />
              </td>
              <td>
                <CheckField
                  label="绿色通道"
                  checked={w.greenChannel}
                  onChange={(v) => set((x) => (x.greenChannel = v))}
                />
              </td>
            </>
          );
        }}
      </EditTable>
      <AddButton
        onClick={() =>
          edit((x) =>
            x.windows.push({
              no: Math.max(0, ...x.windows.map((w) => w.no)) + 1,
              name: '',
              services: [],
              comprehensive: false,
              greenChannel: false,
            }),
          )
        }
      >
        新增窗口
      </AddButton>
    </>
  );
}

function StaffEditor({ d, edit }: EditorProps) {
  return (
    <>
      <h2>工作人员</h2>
      <EditTable
        cols={['工号', '姓名', '角色', '可登录窗口', '新 PIN（留空不改）']}
        rows={d.staff}
        rowKey={(s, i) => (s.isNew ? `new-${i}` : s.no)}
        onDelete={(i) => edit((x) => x.staff.splice(i, 1))}
      >
        {(s, i) => {
          const set = rowSetter(edit, 'staff', i);
          return (
            <>
              <td>
                <TextField
                  label="工号"
                  value={s.no}
                  readOnly={!s.isNew}
                  size={4}
                  onChange={(v) => set((x) => (x.no = v))}
                />
              </td>
              <td>
                <TextField label="姓名" value={s.name} size={4} onChange={(v) => set((x) => (x.name = v))} />
              </td>
              <td>
                <select
                  aria-label="角色"
                  value={s.role}
                  onChange={(e) => set((x) => (x.role = e.target.value as 'staff' | 'manager'))}
                >
                  <option value="staff">窗口人员</option>
                  <option value="manager">管理员</option>
                </select>
              </td>
              <td>
                <TextField
                  label="可登录窗口（用逗号分隔）"
                  value={s.windows}
                  size={7}
                  onChange={(v) => set((x) => (x.windows = v))}
                />
              </td>
              <td>
                <input
                  aria-label="新 PIN"
                  type="password"
                  inputMode="numeric"
                  autoComplete="new-password"
                  value={s.pin}
                  placeholder={s.isNew ? '必填，4–12 位数字' : '不修改'}
                  onChange={(e) => set((x) => (x.pin = e.target.value))}
                  size={12}
                />
              </td>
            </>
          );
        }}
      </EditTable>
      <AddButton
        onClick={() =>
          edit((x) => x.staff.push({ no: '', name: '', role: 'staff', windows: '', pin: '', isNew: true }))
        }
      >
        新增工作人员
      </AddButton>
      <p className="muted">PIN 只在中枢保存为加盐哈希，不会显示，也不会写入日志。</p>
    </>
  );
}

function PriorityEditor({ d, edit }: EditorProps) {
  const p = d.priority;
  return (
    <>
      <h2>优先规则</h2>
      <fieldset className="a-fieldset">
        <legend>启用的优先类别</legend>
        {Object.entries(PRIORITY_NAMES).map(([k, name]) => (
          <CheckField
            key={k}
            caption={name}
            checked={p.enabled.includes(k)}
            onChange={(v) =>
              edit((x) => {
                x.priority.enabled = v ? [...x.priority.enabled, k] : x.priority.enabled.filter((y) => y !== k);
              })
            }
          />
        ))}
      </fieldset>
      <div className="a-form-row">
        <NumberField
          caption="穿插比例：每 1 个优先号之后最多叫几个普通号"
          min={1}
          max={20}
          value={p.normalPerPriority}
          onChange={(v) => edit((x) => (x.priority.normalPerPriority = v))}
        />
        <NumberField
          caption="防插队时限（秒）：等候超过此时长的号不再被后来者插队"
          min={60}
          max={14400}
          value={p.agingLimitSeconds ?? 1800}
          onChange={(v) => edit((x) => (x.priority.agingLimitSeconds = v))}
        />
        <CheckField
          caption="预约签到的号优先叫"
          checked={p.appointmentsFirst}
          onChange={(v) => edit((x) => (x.priority.appointmentsFirst = v))}
        />
      </div>
    </>
  );
}

function AnnouncementEditor({ d, edit, preview }: EditorProps & { preview: string | null }) {
  const speech = useMemo(() => new SpeechQueue(), []);
  const local = renderAnnouncement(d.announcement.template, sampleFor(d));
  return (
    <>
      <h2>叫号播报</h2>
      <div className="a-form-row">
        <TextField
          caption="播报模板"
          labelClass="a-grow"
          value={d.announcement.template}
          onChange={(v) => edit((x) => (x.announcement.template = v))}
        />
        <NumberField
          caption="每次播报重复（1–5 次）"
          min={1}
          max={5}
          value={d.announcement.repeat}
          onChange={(v) => edit((x) => (x.announcement.repeat = v))}
        />
      </div>
      <p className="muted">
        可用占位：<code>{'{number}'}</code> 票号、<code>{'{window}'}</code> 窗口号、<code>{'{windowName}'}</code>{' '}
        窗口名称、<code>{'{service}'}</code> 业务名称；必须包含 <code>{'{number}'}</code>。
      </p>
      <div className="a-preview" data-testid="announcement-preview">
        <span className="muted">预览：</span>
        <b>{preview ?? local}</b>
        <button
          type="button"
          className="btn"
          onClick={() => speech.say(preview ?? local, { repeat: 1, interrupt: true })}
        >
          试听
        </button>
      </div>
      <h2>显示屏公告与票面文字</h2>
      <div className="a-form-row">
        <TextField
          caption="票头 / 公告第一行"
          labelClass="a-grow"
          value={d.ticketText.header}
          onChange={(v) => edit((x) => (x.ticketText.header = v))}
        />
        <TextField
          caption="票尾 / 滚动公告"
          labelClass="a-grow"
          value={d.ticketText.footer}
          onChange={(v) => edit((x) => (x.ticketText.footer = v))}
        />
      </div>
    </>
  );
}
