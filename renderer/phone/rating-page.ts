/**
 * `/r/{ratingCode}`: 扫码评价 — the five levels, and for a 差评 the reasons (or a few words), sent
 * to `POST /api/v1/public/evaluations`; the hub applies the pads' rules (a first rating and one
 * follow-up, a 差评 needs a reason) and records it with channel `qr`.
 */
import { EVALUATION_LEVELS, type EvaluationLevel, isBadRating } from '../../common/evaluation.js';
import { t } from '../i18n/i18n.js';
import { api, h, isError, show } from './dom.js';

interface RatingInfo {
  taskName: string | null;
  windowNo: number | null;
  finishedAt: string | null;
  assessments: number;
  canRate: boolean;
  validUntil: string;
  reasons: { code: string; text: string; levels: string[] }[];
}

export function ratingPage(code: string): () => void {
  let info: RatingInfo | null = null;
  let level: EvaluationLevel | null = null;
  let reasons = new Set<string>();
  let text = '';
  let message: { ok: boolean; text: string } | null = null;
  let busy = false;
  let done = false;

  const render = () => {
    if (!info) return;
    if (done) {
      show(
        h(
          'section',
          { class: 'card', role: 'status', 'data-testid': 'rated' },
          h('h1', {}, t('phone.rate.thanks')),
          h('p', {}, info.assessments < 2 ? t('phone.rate.followUpLater') : t('phone.rate.noMore')),
        ),
      );
      return;
    }
    const head = h(
      'section',
      { class: 'card' },
      h('h1', {}, t('phone.rate.title')),
      info.taskName ? h('p', {}, info.taskName) : null,
      info.windowNo !== null ? h('p', { class: 'muted' }, t('phone.rate.window', { window: info.windowNo })) : null,
      info.assessments === 1 ? h('p', { class: 'muted' }, t('phone.rate.followUp')) : null,
    );
    if (!info.canRate) {
      show(head, h('section', { class: 'card' }, h('p', { class: 'ok' }, t('phone.rate.noMore'))));
      return;
    }
    const levels = h(
      'div',
      { class: 'levels', role: 'group', 'aria-label': t('phone.rate.pickLevel') },
      ...EVALUATION_LEVELS.map((l) =>
        h(
          'button',
          {
            type: 'button',
            'aria-pressed': String(level === l),
            'data-level': l,
            onclick: () => {
              level = l;
              reasons = new Set([...reasons].filter((r) => reasonFits(r, l)));
              message = null;
              render();
            },
          },
          t(`level.${l}`),
        ),
      ),
    );
    const reasonFits = (code: string, l: EvaluationLevel) =>
      info?.reasons.find((r) => r.code === code)?.levels.includes(l) ?? false;
    const bad = level !== null && isBadRating(level);
    const offered = level === null ? [] : info.reasons.filter((r) => r.levels.includes(level as string));
    const reasonBox =
      level === null
        ? null
        : h(
            'fieldset',
            {},
            h('legend', {}, bad ? t('phone.rate.reasonsRequired') : t('phone.rate.reasonsOptional')),
            ...offered.map((r) =>
              h(
                'label',
                { class: 'check' },
                h('input', {
                  type: 'checkbox',
                  value: r.code,
                  checked: reasons.has(r.code),
                  onchange: (e: Event) => {
                    const on = (e.target as HTMLInputElement).checked;
                    if (on) reasons.add(r.code);
                    else reasons.delete(r.code);
                  },
                }),
                h('span', {}, t(`reason.${r.code}`) === `reason.${r.code}` ? r.text : t(`reason.${r.code}`)),
              ),
            ),
            h('label', { class: 'field', for: 'rate-text' }, t('phone.rate.text')),
            h('textarea', {
              id: 'rate-text',
              maxlength: 500,
              oninput: (e: Event) => {
                text = (e.target as HTMLTextAreaElement).value;
              },
            }),
          );
    const textArea = reasonBox?.querySelector('textarea');
    if (textArea) textArea.value = text;
    show(
      head,
      h('section', { class: 'card' }, h('h2', {}, t('phone.rate.pickLevel')), levels, reasonBox),
      message ? h('p', { class: message.ok ? 'ok' : 'error', role: 'alert' }, message.text) : null,
      h(
        'button',
        { type: 'button', disabled: level === null || busy, onclick: () => void submit() },
        t('phone.rate.submit'),
      ),
    );
  };

  const submit = async () => {
    if (!level || !info) return;
    if (isBadRating(level) && reasons.size === 0 && !text.trim()) {
      message = { ok: false, text: t('phone.rate.needReason') };
      return render();
    }
    busy = true;
    render();
    const a = await api<{ id: string; assessNumber: number }>('POST', '/public/evaluations', {
      ratingCode: code,
      level,
      reasons: [...reasons],
      ...(text.trim() ? { text: text.trim() } : {}),
    });
    busy = false;
    if (a.status === 201 && a.body && !isError(a.body)) {
      info = { ...info, assessments: a.body.assessNumber, canRate: a.body.assessNumber < 2 };
      done = true;
    } else if (a.status === 409) {
      info = { ...info, canRate: false };
      message = { ok: false, text: t('phone.rate.already') };
    } else if (a.status === 400 && isError(a.body) && a.body.code === 'REASON_REQUIRED') {
      message = { ok: false, text: t('phone.rate.needReason') };
    } else if (a.status === 404) {
      message = { ok: false, text: t('phone.rate.unknown') };
    } else {
      message = { ok: false, text: a.status === 0 ? t('phone.offline') : t('phone.busy') };
    }
    render();
  };

  void (async () => {
    const a = await api<RatingInfo>('GET', `/public/ratings/${encodeURIComponent(code)}`);
    if (a.status === 200 && a.body && !isError(a.body)) {
      info = a.body;
      render();
    } else if (a.status === 404) {
      show(
        h('section', { class: 'card' }, h('h1', {}, t('phone.rate.unknown')), h('p', {}, t('phone.rate.unknownHint'))),
      );
    } else {
      show(h('p', { class: 'error', role: 'alert' }, a.status === 0 ? t('phone.offline') : t('phone.busy')));
    }
  })();
  return render;
}
