/**
 * `/book`: pick a service, a day and a slot; name, ID number (GB 11643 checked as it is typed,
 * common/cert-number.ts) and phone; the appointment code as text and QR. Calls the public
 * appointment API of hub-api.md v1.1 "Appointments".
 */
import { type CertType, checkCertNo, checkTyping } from '../../common/cert-number.js';
import { languageForCard, setLanguage, t } from '../i18n/i18n.js';
import { api, h, isError, show } from './dom.js';

interface BookableService {
  code: string;
  name: string;
  daysAhead?: number;
  /** The days open for booking (YYYY-MM-DD), when the hub lists them. */
  days?: string[];
}
interface Slot {
  start: string;
  end: string;
  capacity: number;
  booked: number;
}
interface Booked {
  id: string;
  code: string;
  serviceCode: string;
  slotStart: string;
  slotEnd: string;
  status: string;
}

const CERT_CHOICES: CertType[] = ['resident', 'foreign_2023', 'foreign_2017', 'hk_mo_tw'];
const DEFAULT_DAYS_AHEAD = 7;

const pad = (n: number) => String(n).padStart(2, '0');
const dayOf = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
/** `2026-12-04T09:30:00+08:00` → `09:30` (the hall's clock as the hub wrote it). */
const clock = (iso: string) => /T(\d{2}:\d{2})/.exec(iso)?.[1] ?? iso;

export function bookPage(): () => void {
  const today = dayOf(new Date());
  const st = {
    services: null as BookableService[] | null,
    service: null as BookableService | null,
    day: today,
    slots: null as Slot[] | null,
    slot: null as Slot | null,
    name: '',
    certType: 'resident' as CertType,
    certNo: '',
    phone: '',
    busy: false,
    error: null as string | null,
    booked: null as Booked | null,
    qr: null as string | null,
  };

  const days = () => {
    if (st.service?.days?.length) return st.service.days;
    const n = st.service?.daysAhead ?? DEFAULT_DAYS_AHEAD;
    const out: string[] = [];
    for (let i = 0; i <= n; i++) {
      const d = new Date();
      d.setDate(d.getDate() + i);
      out.push(dayOf(d));
    }
    return out;
  };

  const certState = (): { ok: boolean; text: string | null } => {
    if (!st.certNo) return { ok: false, text: null };
    if (st.certType === 'resident' || st.certType === 'hk_mo_tw' || st.certType === 'foreign_2023') {
      const c = checkTyping(st.certNo, today);
      if (c.state === 'incomplete')
        return { ok: false, text: c.hint ? t('phone.book.certMissing', { n: 18 - st.certNo.length }) : null };
      if (c.state === 'invalid') return { ok: false, text: t('phone.book.certInvalid') };
    }
    const whole = checkCertNo(st.certType, st.certNo, today);
    return whole.ok ? { ok: true, text: t('phone.book.certOk') } : { ok: false, text: t('phone.book.certInvalid') };
  };

  const loadSlots = async () => {
    if (!st.service) return;
    st.slots = null;
    st.slot = null;
    render();
    const q = new URLSearchParams({ serviceCode: st.service.code, day: st.day });
    const a = await api<Slot[]>('GET', `/public/appointments/slots?${q}`);
    st.slots = a.status === 200 && Array.isArray(a.body) ? a.body : [];
    if (a.status !== 200) st.error = errorText(a.status, a.body);
    render();
  };

  const errorText = (status: number, body: unknown): string => {
    if (status === 0) return t('phone.offline');
    if (status === 429) return t('phone.busy');
    if (isError(body)) {
      const known = t(`phone.book.error.${body.code}`);
      return known === `phone.book.error.${body.code}` ? body.message : known;
    }
    return t('phone.busy');
  };

  const submit = async () => {
    if (!st.service || !st.slot || st.busy) return;
    if (!st.name.trim()) {
      st.error = t('phone.book.needName');
      return render();
    }
    if (!certState().ok) {
      st.error = t('phone.book.certInvalid');
      return render();
    }
    if (st.phone && !/^1\d{10}$/.test(st.phone)) {
      st.error = t('phone.book.phoneInvalid');
      return render();
    }
    st.busy = true;
    st.error = null;
    render();
    const a = await api<Booked>('POST', '/public/appointments', {
      serviceCode: st.service.code,
      slotStart: st.slot.start,
      applicant: { name: st.name.trim(), certType: st.certType, certNo: st.certNo.toUpperCase() },
      ...(st.phone ? { phone: st.phone } : {}),
    });
    st.busy = false;
    if (a.status === 201 && a.body && !isError(a.body)) {
      st.booked = a.body;
      render();
      // The QR library loads only now: the form paints without it.
      const QR = await import('qrcode');
      st.qr = await QR.toDataURL(a.body.code, { margin: 1, width: 440, errorCorrectionLevel: 'M' });
    } else {
      st.error = errorText(a.status, a.body);
      if (a.status === 409) void loadSlots();
    }
    render();
  };

  const render = () => {
    if (st.booked) {
      const b = st.booked;
      show(
        h(
          'section',
          { class: 'card', role: 'status', 'data-testid': 'booked' },
          h('h1', {}, t('phone.book.done')),
          h(
            'p',
            {},
            `${st.service?.name ?? b.serviceCode} · ${b.slotStart.slice(0, 10)} ${clock(b.slotStart)}–${clock(b.slotEnd)}`,
          ),
          h('p', { class: 'muted' }, t('phone.book.yourCode')),
          h('p', { class: 'code', 'data-testid': 'code' }, b.code),
          st.qr ? h('img', { class: 'qr', src: st.qr, alt: t('phone.book.qrAlt', { code: b.code }) }) : null,
          h('p', { class: 'note' }, t('phone.book.checkInHint')),
        ),
      );
      return;
    }
    if (!st.services) {
      show(h('p', { class: 'muted' }, t('phone.loading')));
      return;
    }
    const state = certState();
    show(
      h('h1', {}, t('phone.book.title')),
      h(
        'section',
        { class: 'card' },
        h('label', { class: 'field', for: 'svc' }, t('phone.book.service')),
        h(
          'select',
          {
            id: 'svc',
            class: 'field',
            onchange: (e: Event) => {
              const code = (e.target as HTMLSelectElement).value;
              st.service = st.services?.find((s) => s.code === code) ?? null;
              const open = st.service?.days;
              if (open?.length && !open.includes(st.day)) st.day = open[0]!;
              void loadSlots();
            },
          },
          h('option', { value: '' }, t('phone.book.pickService')),
          ...st.services.map((s) => h('option', { value: s.code, selected: st.service?.code === s.code }, s.name)),
        ),
        st.service
          ? h(
              'div',
              {},
              h('label', { class: 'field', for: 'day' }, t('phone.book.day')),
              h(
                'select',
                {
                  id: 'day',
                  class: 'field',
                  onchange: (e: Event) => {
                    st.day = (e.target as HTMLSelectElement).value;
                    void loadSlots();
                  },
                },
                ...days().map((d) =>
                  h(
                    'option',
                    { value: d, selected: d === st.day },
                    d === today ? `${d} (${t('phone.book.today')})` : d,
                  ),
                ),
              ),
              h('p', { class: 'field', id: 'slots-label' }, t('phone.book.slot')),
              st.slots === null
                ? h('p', { class: 'muted' }, t('phone.loading'))
                : st.slots.length === 0
                  ? h('p', { class: 'muted' }, t('phone.book.noSlots'))
                  : h(
                      'div',
                      { class: 'slots', role: 'group', 'aria-labelledby': 'slots-label' },
                      ...st.slots.map((s) => {
                        const left = s.capacity - s.booked;
                        return h(
                          'button',
                          {
                            type: 'button',
                            disabled: left <= 0,
                            'aria-pressed': String(st.slot?.start === s.start),
                            onclick: () => {
                              st.slot = s;
                              render();
                            },
                          },
                          `${clock(s.start)}–${clock(s.end)}`,
                          h('br'),
                          left > 0 ? t('phone.book.left', { n: left }) : t('phone.book.full'),
                        );
                      }),
                    ),
            )
          : null,
      ),
      st.slot
        ? h(
            'section',
            { class: 'card' },
            h('label', { class: 'field', for: 'name' }, t('phone.book.name')),
            h('input', {
              id: 'name',
              type: 'text',
              autocomplete: 'name',
              value: st.name,
              oninput: (e: Event) => {
                st.name = (e.target as HTMLInputElement).value;
              },
            }),
            h('label', { class: 'field', for: 'cert-type' }, t('phone.book.certType')),
            h(
              'select',
              {
                id: 'cert-type',
                class: 'field',
                onchange: (e: Event) => {
                  st.certType = (e.target as HTMLSelectElement).value as CertType;
                  // A 永居证 holder reads the page in English from here on (they can switch back).
                  setLanguage(languageForCard(st.certType));
                  render();
                },
              },
              ...CERT_CHOICES.map((c) => h('option', { value: c, selected: st.certType === c }, t(`cert.${c}`))),
            ),
            h('label', { class: 'field', for: 'cert-no' }, t('phone.book.certNo')),
            h('input', {
              id: 'cert-no',
              type: 'text',
              inputmode: st.certType === 'foreign_2017' ? 'text' : 'numeric',
              autocomplete: 'off',
              maxlength: 18,
              'aria-describedby': 'cert-state',
              value: st.certNo,
              oninput: (e: Event) => {
                const el = e.target as HTMLInputElement;
                st.certNo = el.value.replace(/\s/g, '').toUpperCase();
                const s = certState();
                const out = document.getElementById('cert-state');
                if (out) {
                  out.textContent = s.text ?? '';
                  out.className = s.ok ? 'ok' : 'error';
                }
              },
            }),
            h('p', { id: 'cert-state', class: state.ok ? 'ok' : 'error', 'aria-live': 'polite' }, state.text ?? ''),
            h('label', { class: 'field', for: 'phone' }, t('phone.book.phone')),
            h('input', {
              id: 'phone',
              type: 'tel',
              autocomplete: 'tel',
              maxlength: 11,
              value: st.phone,
              oninput: (e: Event) => {
                st.phone = (e.target as HTMLInputElement).value.replace(/\D/g, '');
              },
            }),
            h('p', { class: 'note' }, t('phone.book.privacy')),
          )
        : null,
      st.error ? h('p', { class: 'error', role: 'alert' }, st.error) : null,
      st.slot
        ? h('button', { type: 'button', disabled: st.busy, onclick: () => void submit() }, t('phone.book.submit'))
        : null,
    );
  };

  void (async () => {
    render();
    const a = await api<BookableService[]>('GET', '/public/services');
    st.services = a.status === 200 && Array.isArray(a.body) ? a.body : [];
    if (a.status !== 200) st.error = errorText(a.status, a.body);
    render();
  })();
  return render;
}
