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

  const update = (f: (d: Drafts) => Drafts) => {
    setDrafts((d) => (d ? f(structuredClone(d)) : d));
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
      <nav className="a-subtabs" aria-label="配置部分">
        {SECTIONS.map((s) => (
          <button
            key={s.id}
            type="button"
            className={`a-tab ${section === s.id ? 'active' : ''}`}
            aria-current={section === s.id ? 'page' : undefined}
            onClick={() => {
              setSection(s.id);
              setProblems([]);
              setNote(null);
              setError(null);
            }}
          >
            {s.label}
          </button>
        ))}
      </nav>
      <section className="card a-panel" aria-label={`编辑${SECTIONS.find((s) => s.id === section)?.label}`}>
        {section === 'services' ? <ServicesEditor d={drafts} update={update} /> : null}
        {section === 'windows' ? <WindowsEditor d={drafts} update={update} /> : null}
        {section === 'staff' ? <StaffEditor d={drafts} update={update} /> : null}
        {section === 'priority' ? <PriorityEditor d={drafts} update={update} /> : null}
        {section === 'announcement' ? <AnnouncementEditor d={drafts} update={update} preview={preview} /> : null}

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
          {note ? (
            <span className="a-note" role="status">
              {note}
            </span>
          ) : null}
        </div>
        {!view.persisted ? (
          <p className="muted">当前运行的是内置演示大厅：修改立即生效，但不写回安装目录中的配置文件。</p>
        ) : null}
      </section>
      <section className="card a-panel">
        <h2>修改记录</h2>
        <table className="a-table" data-testid="config-audit">
          <thead>
            <tr>
              <th scope="col">时间</th>
              <th scope="col">操作者</th>
              <th scope="col">结果</th>
              <th scope="col">修改部分</th>
            </tr>
          </thead>
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
            {audit.length === 0 ? (
              <tr>
                <td colSpan={4} className="muted">
                  还没有修改记录
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </section>
    </div>
  );
}

type EditorProps = { d: Drafts; update: (f: (d: Drafts) => Drafts) => void };

function num(v: string): number {
  return v.trim() === '' ? Number.NaN : Number(v);
}

function ServicesEditor({ d, update }: EditorProps) {
  return (
    <>
      <h2>业务（取号队列）</h2>
      <div className="a-scroll">
        <table className="a-table a-edit">
          <thead>
            <tr>
              <th scope="col">编码</th>
              <th scope="col">名称</th>
              <th scope="col">类别</th>
              <th scope="col">前缀</th>
              <th scope="col">号段</th>
              <th scope="col">每日上限</th>
              <th scope="col">默认办理（秒）</th>
              <th scope="col">无证件取号</th>
              <th scope="col">事项编码（每行一个）</th>
              <th scope="col">操作</th>
            </tr>
          </thead>
          <tbody>
            {d.services.map((s, i) => {
              const set = (f: (x: (typeof d.services)[number]) => void) =>
                update((x) => {
                  f(x.services[i]!);
                  return x;
                });
              return (
                <tr key={s.isNew ? `new-${i}` : s.code}>
                  <td>
                    <input
                      aria-label="业务编码"
                      value={s.code}
                      readOnly={!s.isNew}
                      onChange={(e) => set((x) => (x.code = e.target.value))}
                      size={6}
                    />
                  </td>
                  <td>
                    <input
                      aria-label="业务名称"
                      value={s.name}
                      onChange={(e) => set((x) => (x.name = e.target.value))}
                      size={8}
                    />
                  </td>
                  <td>
                    <input
                      aria-label="类别"
                      value={s.category}
                      onChange={(e) => set((x) => (x.category = e.target.value))}
                      size={6}
                    />
                  </td>
                  <td>
                    <input
                      aria-label="票号前缀"
                      value={s.prefix}
                      onChange={(e) => set((x) => (x.prefix = e.target.value.toUpperCase()))}
                      size={2}
                    />
                  </td>
                  <td className="a-nowrap">
                    <input
                      aria-label="号段起"
                      type="number"
                      value={s.numberRange.from}
                      onChange={(e) => set((x) => (x.numberRange.from = num(e.target.value)))}
                      className="a-n"
                    />
                    –
                    <input
                      aria-label="号段止"
                      type="number"
                      value={s.numberRange.to}
                      onChange={(e) => set((x) => (x.numberRange.to = num(e.target.value)))}
                      className="a-n"
                    />
                  </td>
                  <td>
                    <input
                      aria-label="每日上限（0 为不限）"
                      type="number"
                      value={s.dailyCap}
                      onChange={(e) => set((x) => (x.dailyCap = num(e.target.value)))}
                      className="a-n"
                    />
                  </td>
                  <td>
                    <input
                      aria-label="默认办理时长（秒）"
                      type="number"
                      value={s.defaultServiceSeconds}
                      onChange={(e) => set((x) => (x.defaultServiceSeconds = num(e.target.value)))}
                      className="a-n"
                    />
                  </td>
                  <td>
                    <input
                      type="checkbox"
                      aria-label="允许无证件取号"
                      checked={s.allowAnonymous}
                      onChange={(e) => set((x) => (x.allowAnonymous = e.target.checked))}
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
                  <td>
                    <button
                      type="button"
                      className="btn danger"
                      onClick={() => update((x) => ({ ...x, services: x.services.filter((_, j) => j !== i) }))}
                    >
                      删除
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <button
        type="button"
        className="btn"
        onClick={() =>
          update((x) => ({
            ...x,
            services: [
              ...x.services,
              {
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
              },
            ],
          }))
        }
      >
        ＋ 新增业务
      </button>
      <p className="muted">新增的业务需要在「窗口」中分配到至少一个窗口。</p>
    </>
  );
}

function WindowsEditor({ d, update }: EditorProps) {
  return (
    <>
      <h2>窗口</h2>
      <div className="a-scroll">
        <table className="a-table a-edit">
          <thead>
            <tr>
              <th scope="col">编号</th>
              <th scope="col">名称</th>
              <th scope="col">办理业务（权重）</th>
              <th scope="col">综合窗口</th>
              <th scope="col">绿色通道</th>
              <th scope="col">操作</th>
            </tr>
          </thead>
          <tbody>
            {d.windows.map((w, i) => {
              const set = (f: (x: (typeof d.windows)[number]) => void) =>
                update((x) => {
                  f(x.windows[i]!);
                  return x;
                });
              return (
                // biome-ignore lint/suspicious/noArrayIndexKey: the number itself is being edited; the row must keep focus.
                <tr key={`w-${i}`}>
                  <td>
                    <input
                      aria-label="窗口编号"
                      type="number"
                      value={w.no}
                      onChange={(e) => set((x) => (x.no = num(e.target.value)))}
                      className="a-n"
                    />
                  </td>
                  <td>
                    <input
                      aria-label="窗口名称"
                      value={w.name}
                      onChange={(e) => set((x) => (x.name = e.target.value))}
                      size={10}
                    />
                  </td>
                  <td>
                    <div className="a-svc-list">
                      {d.services.map((s) => {
                        const on = w.services.find((x) => x.code === s.code);
                        return (
                          <span key={s.code} className="a-svc">
                            <label>
                              <input
                                type="checkbox"
                                checked={!!on}
                                onChange={(e) =>
                                  set((x) => {
                                    x.services = e.target.checked
                                      ? [...x.services, { code: s.code, weight: 1 }]
                                      : x.services.filter((y) => y.code !== s.code);
                                  })
                                }
                              />
                              {s.name || s.code}
                            </label>
                            {on ? (
                              <input
                                aria-label={`${s.name} 权重`}
                                type="number"
                                min={1}
                                max={100}
                                value={on.weight}
                                className="a-w"
                                onChange={(e) =>
                                  set((x) => {
                                    const y = x.services.find((z) => z.code === s.code);
                                    if (y) y.weight = num(e.target.value);
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
                    <input
                      type="checkbox"
                      aria-label="综合窗口"
                      checked={w.comprehensive}
                      onChange={(e) => set((x) => (x.comprehensive = e.target.checked))}
                    />
                  </td>
                  <td>
                    <input
                      type="checkbox"
                      aria-label="绿色通道"
                      checked={w.greenChannel}
                      onChange={(e) => set((x) => (x.greenChannel = e.target.checked))}
                    />
                  </td>
                  <td>
                    <button
                      type="button"
                      className="btn danger"
                      onClick={() => update((x) => ({ ...x, windows: x.windows.filter((_, j) => j !== i) }))}
                    >
                      删除
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <button
        type="button"
        className="btn"
        onClick={() =>
          update((x) => ({
            ...x,
            windows: [
              ...x.windows,
              {
                no: Math.max(0, ...x.windows.map((w) => w.no)) + 1,
                name: '',
                services: [],
                comprehensive: false,
                greenChannel: false,
              },
            ],
          }))
        }
      >
        ＋ 新增窗口
      </button>
    </>
  );
}

function StaffEditor({ d, update }: EditorProps) {
  return (
    <>
      <h2>工作人员</h2>
      <table className="a-table a-edit">
        <thead>
          <tr>
            <th scope="col">工号</th>
            <th scope="col">姓名</th>
            <th scope="col">角色</th>
            <th scope="col">可登录窗口</th>
            <th scope="col">新 PIN（留空不改）</th>
            <th scope="col">操作</th>
          </tr>
        </thead>
        <tbody>
          {d.staff.map((s, i) => {
            const set = (f: (x: (typeof d.staff)[number]) => void) =>
              update((x) => {
                f(x.staff[i]!);
                return x;
              });
            return (
              <tr key={s.isNew ? `new-${i}` : s.no}>
                <td>
                  <input
                    aria-label="工号"
                    value={s.no}
                    readOnly={!s.isNew}
                    onChange={(e) => set((x) => (x.no = e.target.value))}
                    size={6}
                  />
                </td>
                <td>
                  <input
                    aria-label="姓名"
                    value={s.name}
                    onChange={(e) => set((x) => (x.name = e.target.value))}
                    size={6}
                  />
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
                  <input
                    aria-label="可登录窗口（用逗号分隔）"
                    value={s.windows}
                    onChange={(e) => set((x) => (x.windows = e.target.value))}
                    size={10}
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
                <td>
                  <button
                    type="button"
                    className="btn danger"
                    onClick={() => update((x) => ({ ...x, staff: x.staff.filter((_, j) => j !== i) }))}
                  >
                    删除
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <button
        type="button"
        className="btn"
        onClick={() =>
          update((x) => ({
            ...x,
            staff: [...x.staff, { no: '', name: '', role: 'staff', windows: '', pin: '', isNew: true }],
          }))
        }
      >
        ＋ 新增工作人员
      </button>
      <p className="muted">PIN 只在中枢保存为加盐哈希，不会显示，也不会写入日志。</p>
    </>
  );
}

function PriorityEditor({ d, update }: EditorProps) {
  const p = d.priority;
  return (
    <>
      <h2>优先规则</h2>
      <fieldset className="a-fieldset">
        <legend>启用的优先类别</legend>
        {Object.entries(PRIORITY_NAMES).map(([k, name]) => (
          <label key={k} className="a-inline">
            <input
              type="checkbox"
              checked={p.enabled.includes(k)}
              onChange={(e) =>
                update((x) => {
                  x.priority.enabled = e.target.checked
                    ? [...x.priority.enabled, k]
                    : x.priority.enabled.filter((y) => y !== k);
                  return x;
                })
              }
            />
            {name}
          </label>
        ))}
      </fieldset>
      <div className="a-form-row">
        <label>
          穿插比例：每 1 个优先号之后最多叫几个普通号
          <input
            type="number"
            min={1}
            max={20}
            value={p.normalPerPriority}
            onChange={(e) =>
              update((x) => {
                x.priority.normalPerPriority = num(e.target.value);
                return x;
              })
            }
          />
        </label>
        <label>
          防插队时限（秒）：等候超过此时长的号不再被后来者插队
          <input
            type="number"
            min={60}
            max={14400}
            value={p.agingLimitSeconds ?? 1800}
            onChange={(e) =>
              update((x) => {
                x.priority.agingLimitSeconds = num(e.target.value);
                return x;
              })
            }
          />
        </label>
        <label className="a-inline">
          <input
            type="checkbox"
            checked={p.appointmentsFirst}
            onChange={(e) =>
              update((x) => {
                x.priority.appointmentsFirst = e.target.checked;
                return x;
              })
            }
          />
          预约签到的号优先叫
        </label>
      </div>
    </>
  );
}

function AnnouncementEditor({ d, update, preview }: EditorProps & { preview: string | null }) {
  const speech = useMemo(() => new SpeechQueue(), []);
  const local = renderAnnouncement(d.announcement.template, sampleFor(d));
  return (
    <>
      <h2>叫号播报</h2>
      <div className="a-form-row">
        <label className="a-grow">
          播报模板
          <input
            value={d.announcement.template}
            onChange={(e) =>
              update((x) => {
                x.announcement.template = e.target.value;
                return x;
              })
            }
          />
        </label>
        <label>
          每次播报重复（1–5 次）
          <input
            type="number"
            min={1}
            max={5}
            value={d.announcement.repeat}
            onChange={(e) =>
              update((x) => {
                x.announcement.repeat = num(e.target.value);
                return x;
              })
            }
          />
        </label>
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
        <label className="a-grow">
          票头 / 公告第一行
          <input
            value={d.ticketText.header}
            onChange={(e) =>
              update((x) => {
                x.ticketText.header = e.target.value;
                return x;
              })
            }
          />
        </label>
        <label className="a-grow">
          票尾 / 滚动公告
          <input
            value={d.ticketText.footer}
            onChange={(e) =>
              update((x) => {
                x.ticketText.footer = e.target.value;
                return x;
              })
            }
          />
        </label>
      </div>
    </>
  );
}
