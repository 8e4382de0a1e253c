/**
 * 办事指南: browse the catalogue by category or by the first character typed (materials, promise
 * days, guide text) from the hub's catalogue (the platform's merged with the hall's local one);
 * without any catalogue, lists the hall's own services.
 */

import { useEffect, useMemo, useState } from 'react';
import { t } from '../../i18n/i18n.js';
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

  useEffect(() => say(t('kiosk.guide.say')), [say]);
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
  const categories = [...new Set(items.map((i) => i.category ?? t('kiosk.guide.other')))];
  const shown = category ? items.filter((i) => (i.category ?? t('kiosk.guide.other')) === category) : items;

  if (open) {
    return (
      <section className="kiosk-guide" aria-label={t('kiosk.guide.detailLabel')}>
        <h2 className="kiosk-title">{open.taskName}</h2>
        {open.deptName ? <p className="muted">{t('kiosk.guide.dept', { dept: open.deptName })}</p> : null}
        {open.promiseDays !== undefined ? (
          <p className="guide-promise">
            {t('kiosk.guide.promise')}
            <b>{open.promiseDays === 0 ? t('kiosk.guide.instant') : t('kiosk.guide.days', { n: open.promiseDays })}</b>
          </p>
        ) : null}
        <h3>{t('kiosk.guide.materials')}</h3>
        {open.materials?.length ? (
          <ul className="guide-materials">
            {open.materials.map((m) => (
              <li key={m.name}>
                {m.name}
                {m.required ? (
                  <span className="guide-required">{t('kiosk.guide.required')}</span>
                ) : (
                  <span className="muted">{t('kiosk.guide.optional')}</span>
                )}
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">{t('kiosk.guide.noMaterials')}</p>
        )}
        {open.guide ? <p className="guide-text">{open.guide}</p> : null}
        <button type="button" className="btn kiosk-big-btn" onClick={() => setOpen(null)}>
          {t('kiosk.guide.back')}
        </button>
      </section>
    );
  }
  return (
    <section className="kiosk-guide" aria-label={t('kiosk.guide.title')}>
      <h2 className="kiosk-title">{t('kiosk.guide.title')}</h2>
      {cat === null ? <NoticeBanner>{t('kiosk.guide.notSynced')}</NoticeBanner> : null}
      <fieldset className="kiosk-chips" aria-label={t('kiosk.guide.categories')}>
        <button
          type="button"
          className={`kiosk-chip${category === null ? ' on' : ''}`}
          aria-pressed={category === null}
          onClick={() => setCategory(null)}
        >
          {t('kiosk.guide.all')}
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
                ? ` · ${i.promiseDays === 0 ? t('kiosk.guide.instant') : t('kiosk.guide.promiseDays', { n: i.promiseDays })}`
                : ''}
            </span>
          </button>
        ))}
      </div>
    </section>
  );
}
