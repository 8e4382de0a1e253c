/**
 * 办事指南: browse the catalogue by category or by the first character typed (materials, promise
 * days, guide text) from the hub's catalogue (the platform's merged with the hall's local one);
 * without any catalogue, lists the hall's own services.
 */
import { useEffect, useMemo, useState } from 'react';
import { useServices } from '../../shared/app.js';
import type { CatalogueItem } from '../../shared/catalogue.js';
import { NoticeBanner } from '../../shared/components.js';
import { useCatalogue } from '../../shared/hooks.js';
import { useKiosk } from '../kiosk-context.js';

export function GuideScreen() {
  const { client } = useServices();
  const { hall, say } = useKiosk();
  const cat = useCatalogue(client);
  const [category, setCategory] = useState<string | null>(null);
  const [open, setOpen] = useState<CatalogueItem | null>(null);

  useEffect(() => say('办事指南。请选择类别，再选择事项查看所需材料'), [say]);
  // Without any catalogue: the hall's services as minimal entries.
  const items: CatalogueItem[] = useMemo(() => {
    if (cat?.items.length) return cat.items;
    return (hall?.services ?? []).map((s) => ({
      taskCode: s.code,
      taskName: s.name,
      category: s.category,
      deptName: '',
      caseType: 1,
      promiseDays: 0,
      materials: [],
      guide: '',
    }));
  }, [cat, hall]);
  const categories = [...new Set(items.map((i) => i.category ?? '其他'))];
  const shown = category ? items.filter((i) => (i.category ?? '其他') === category) : items;

  if (open) {
    return (
      <section className="kiosk-guide" aria-label="办事指南详情">
        <h2 className="kiosk-title">{open.taskName}</h2>
        {open.deptName ? <p className="muted">实施部门：{open.deptName}</p> : null}
        {open.promiseDays !== undefined ? (
          <p className="guide-promise">
            承诺时限：<b>{open.promiseDays === 0 ? '即办' : `${open.promiseDays} 个工作日`}</b>
          </p>
        ) : null}
        <h3>所需材料</h3>
        {open.materials?.length ? (
          <ul className="guide-materials">
            {open.materials.map((m) => (
              <li key={m.name}>
                {m.name}
                {m.required ? (
                  <span className="guide-required">（必交）</span>
                ) : (
                  <span className="muted">（视情况）</span>
                )}
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">材料清单暂未同步，请咨询窗口工作人员。</p>
        )}
        {open.guide ? <p className="guide-text">{open.guide}</p> : null}
        <button type="button" className="btn kiosk-big-btn" onClick={() => setOpen(null)}>
          返回事项列表
        </button>
      </section>
    );
  }
  return (
    <section className="kiosk-guide" aria-label="办事指南">
      <h2 className="kiosk-title">办事指南</h2>
      {cat === null ? <NoticeBanner>办事指南详情暂未从省级平台同步，以下为本大厅可办理的业务。</NoticeBanner> : null}
      <fieldset className="kiosk-chips" aria-label="类别">
        <button
          type="button"
          className={`kiosk-chip${category === null ? ' on' : ''}`}
          aria-pressed={category === null}
          onClick={() => setCategory(null)}
        >
          全部
        </button>
        {categories.map((c) => (
          <button
            key={c}
            type="button"
            className={`kiosk-chip${category === c ? ' on' : ''}`}
            aria-pressed={category === c}
            onClick={() => setCategory(c)}
          >
            {c}
          </button>
        ))}
      </fieldset>
      <div className="guide-list">
        {shown.map((i) => (
          <button key={i.taskCode} type="button" className="guide-item" onClick={() => setOpen(i)}>
            <span className="guide-item-name">{i.taskName}</span>
            <span className="guide-item-meta">
              {i.category ?? ''}
              {i.promiseDays !== undefined
                ? ` · ${i.promiseDays === 0 ? '即办' : `承诺 ${i.promiseDays} 个工作日`}`
                : ''}
            </span>
          </button>
        ))}
      </div>
    </section>
  );
}
