/**
 * Drafts of the config sections as the forms edit them (numbers and lists as text) and their
 * conversion to an `AdminConfigChange`; the announcement preview. Pure and unit-tested; the hub
 * validates again with the same rules as `govhall config check`.
 */

import type { Priority } from '../../../common/queue-terms.js';
import type {
  AdminConfigChange,
  AdminConfigView,
  AdminServiceView,
  AdminWindowView,
} from '../../../main/server/admin/types.js';
import type { Setter } from '../edit-fields.js';

export type Section = 'services' | 'windows' | 'staff' | 'priority' | 'announcement';

/** The hub's names of the config sections (what a change applied, what the audit lists) in words. */
const SECTION_TEXT: Record<string, string> = {
  services: '业务',
  windows: '窗口',
  staff: '工作人员',
  priority: '优先规则',
  announcement: '播报',
  ticketText: '公告',
};

/** ['announcement', 'ticketText'] → "播报、公告"; a section this screen does not know by its name. */
export function sectionsText(sections: readonly string[]): string {
  return sections.map((s) => SECTION_TEXT[s] ?? s).join('、');
}

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

/** What every section editor gets: the drafts and `edit`, which changes a copy of them. */
export interface EditorProps {
  d: Drafts;
  edit: Setter<Drafts>;
}

/** The sections edited as tables, one row per item. */
export type ListKey = 'services' | 'windows' | 'staff';
export type Row<K extends ListKey> = Drafts[K][number];

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

/** The priority classes as the 优先规则 editor names them (the class, not the ticket's 老年人优先). */
export const PRIORITY_NAMES: Record<Priority, string> = {
  elderly: '老年人',
  disabled: '残疾人',
  pregnant: '孕妇',
  military: '军人',
  other: '其他',
};

/** A row for 新增业务: no code yet (the hub names what is missing), numbers 1–999, 5 minutes a case. */
export function blankService(): ServiceDraft {
  return {
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
  };
}

/** A row for 新增窗口, numbered after the highest window. */
export function nextWindow(windows: readonly AdminWindowView[]): AdminWindowView {
  return {
    no: Math.max(0, ...windows.map((w) => w.no)) + 1,
    name: '',
    services: [],
    comprehensive: false,
    greenChannel: false,
  };
}

export function blankStaff(): StaffDraft {
  return { no: '', name: '', role: 'staff', windows: '', pin: '', isNew: true };
}
