/**
 * Configuration of services, windows, staff, priorities and the announcement (with the notice
 * text): each section is edited as a whole, checked by the hub (`POST /admin/config/check`, the
 * same rules as `govhall config check`) with the problems listed and the announcement previewed,
 * then applied without restart (`PUT /admin/config`); every change is in the audit trail below.
 * This is the shell around the section editors: tabs, 检查 / 保存并生效 / 还原, problems, audit.
 */
import { type ComponentType, useState } from 'react';
import type { AdminConfigProblem } from '../../../main/server/admin/types.js';
import { ErrorBanner } from '../../shared/components.js';
import { StatusNote, TabBar } from '../edit-fields.js';
import { AnnouncementEditor } from './announcement-editor.js';
import { ConfigAudit } from './config-audit.js';
import type { EditorProps, Section } from './config-draft.js';
import { PriorityEditor } from './priority-editor.js';
import { ServicesEditor } from './services-editor.js';
import { StaffEditor } from './staff-editor.js';
import { useConfigDrafts } from './use-config-drafts.js';
import { WindowsEditor } from './windows-editor.js';

type Editor = ComponentType<EditorProps & { preview: string | null }>;

const SECTIONS: { id: Section; label: string; Editor: Editor }[] = [
  { id: 'services', label: '业务', Editor: ServicesEditor },
  { id: 'windows', label: '窗口', Editor: WindowsEditor },
  { id: 'staff', label: '工作人员', Editor: StaffEditor },
  { id: 'priority', label: '优先规则', Editor: PriorityEditor },
  { id: 'announcement', label: '播报与公告', Editor: AnnouncementEditor },
];

export function ConfigPanel() {
  const [section, setSection] = useState<Section>('announcement');
  const c = useConfigDrafts(section);

  if (!c.view || !c.drafts) {
    return (
      <section className="card a-panel">
        <ErrorBanner message={c.error} />
        {c.error ? null : <p className="muted">正在读取配置…</p>}
      </section>
    );
  }

  const current = SECTIONS.find((s) => s.id === section) ?? SECTIONS[0]!;
  return (
    <div className="a-config">
      <TabBar
        className="a-subtabs"
        label="配置部分"
        tabs={SECTIONS}
        current={section}
        onSelect={(id) => {
          setSection(id);
          c.clearStatus();
        }}
      />
      <section className="card a-panel" aria-label={`编辑${current.label}`}>
        <current.Editor d={c.drafts} edit={c.edit} preview={c.preview} />
        <ProblemList problems={c.problems} />
        <ErrorBanner message={c.problems.length ? null : c.error} />
        <div className="a-toolbar">
          <button type="button" className="btn" onClick={c.check} disabled={c.busy}>
            检查
          </button>
          <button type="button" className="btn primary" onClick={c.save} disabled={c.busy}>
            保存并生效
          </button>
          <button type="button" className="btn" onClick={c.restore} disabled={c.busy}>
            还原
          </button>
          <StatusNote note={c.note} />
        </div>
        {!c.view.persisted ? (
          <p className="muted">当前运行的是内置演示大厅：修改立即生效，但不写回安装目录中的配置文件。</p>
        ) : null}
      </section>
      <ConfigAudit rows={c.audit} />
    </div>
  );
}

/** The hub's problems with the section, each with its field path. */
export function ProblemList({ problems }: { problems: readonly AdminConfigProblem[] }) {
  if (!problems.length) return null;
  return (
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
  );
}
