/**
 * Drafts of the config sections as the forms edit them (numbers and lists as text) and their
 * conversion to an `AdminConfigChange`; the announcement preview. Pure and unit-tested; the hub
 * validates again with the same rules as `govhall config check`.
 */
import type {
  AdminConfigChange,
  AdminConfigView,
  AdminServiceView,
  AdminWindowView,
} from '../../main/server/admin/types.js';

export type Section = 'services' | 'windows' | 'staff' | 'priority' | 'announcement';

export interface StaffDraft {
  no: string;
  name: string;
  role: 'staff' | 'manager';
  windows: string;
  /** New PIN; empty keeps the stored one. */
  pin: string;
  isNew: boolean;
}

export interface ServiceDraft extends Omit<AdminServiceView, 'taskCodes'> {
  taskCodes: string;
  isNew: boolean;
}

export interface Drafts {
  services: ServiceDraft[];
  windows: AdminWindowView[];
  staff: StaffDraft[];
  priority: AdminConfigView['priority'];
  announcement: AdminConfigView['announcement'];
  ticketText: AdminConfigView['ticketText'];
}

export function draftsOf(v: AdminConfigView): Drafts {
  return {
    services: v.services.map((s) => ({ ...s, taskCodes: s.taskCodes.join('\n'), isNew: false })),
    windows: v.windows.map((w) => ({ ...w, services: w.services.map((s) => ({ ...s })) })),
    staff: v.staff.map((s) => ({
      no: s.no,
      name: s.name,
      role: s.role,
      windows: s.windows.join(', '),
      pin: '',
      isNew: false,
    })),
    priority: { ...v.priority, enabled: [...v.priority.enabled] },
    announcement: { ...v.announcement },
    ticketText: { ...v.ticketText },
  };
}

/** "1, 2；8" → [1, 2, 8]; anything that is not a whole number is kept as NaN for the hub to refuse. */
export function parseNumberList(text: string): number[] {
  return text
    .split(/[\s,，、;；]+/)
    .filter(Boolean)
    .map((t) => (/^\d+$/.test(t) ? Number(t) : Number.NaN));
}

export function parseLines(text: string): string[] {
  return text
    .split(/[\n,，]+/)
    .map((t) => t.trim())
    .filter(Boolean);
}

/** The change that replaces one section (the announcement section also carries the notice text). */
export function changeOf(section: Section, d: Drafts, expectedVersion: string): AdminConfigChange {
  const base: AdminConfigChange = { expectedVersion };
  switch (section) {
    case 'services':
      return {
        ...base,
        services: d.services.map(({ isNew: _n, taskCodes, ...s }) => {
          const out: AdminServiceView = { ...s, taskCodes: parseLines(taskCodes) };
          if (!out.hours) delete out.hours;
          return out;
        }),
      };
    case 'windows':
      return { ...base, windows: d.windows };
    case 'staff':
      return {
        ...base,
        staff: d.staff.map((s) => ({
          no: s.no.trim(),
          name: s.name.trim(),
          role: s.role,
          windows: parseNumberList(s.windows).map((n) => (Number.isNaN(n) ? -1 : n)),
          ...(s.pin ? { pin: s.pin } : {}),
        })),
      };
    case 'priority':
      return { ...base, priority: d.priority };
    case 'announcement':
      return { ...base, announcement: d.announcement, ticketText: d.ticketText };
  }
}

/** The announcement as the display would say it (same placeholders as the engine). */
export function renderAnnouncement(
  template: string,
  v: { number: string; window: number; windowName: string; service: string },
): string {
  return template
    .replaceAll('{number}', v.number)
    .replaceAll('{window}', String(v.window))
    .replaceAll('{windowName}', v.windowName)
    .replaceAll('{service}', v.service);
}

export function sampleFor(d: Drafts): { number: string; window: number; windowName: string; service: string } {
  const s = d.services[0];
  const w = d.windows.find((x) => !s || x.services.some((y) => y.code === s.code)) ?? d.windows[0];
  const width = String(s?.numberRange.to ?? 999).length;
  return {
    number: `${s?.prefix ?? 'A'}${String(s?.numberRange.from ?? 1).padStart(width, '0')}`,
    window: w?.no ?? 1,
    windowName: w?.name ?? '1号窗口',
    service: s?.name ?? '业务',
  };
}

export const PRIORITY_NAMES: Record<string, string> = {
  elderly: '老年人',
  disabled: '残疾人',
  pregnant: '孕妇',
  military: '军人',
  other: '其他',
};
