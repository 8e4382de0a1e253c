/**
 * Wire shapes of the admin endpoints (admin-config-plugin.ts, admin-report-plugin.ts), shared with
 * the admin UI as plain types (renderer/ may import `main/**\/types.ts` only).
 */
import type { DayStatistics, PeriodStats } from '../../queue/engine-api.js';

export type { DayStatistics, PeriodStats };

/** Sections of the hall config an admin may change at runtime (the `hall` block needs a restart). */
export const EDITABLE_SECTIONS = [
  'services',
  'windows',
  'staff',
  'priority',
  'announcement',
  'ticketText',
  'devices',
] as const;
export type EditableSection = (typeof EDITABLE_SECTIONS)[number];

export interface AdminStaffView {
  no: string;
  name: string;
  role: 'staff' | 'manager';
  windows: number[];
  /** Always true for a stored member; the hash itself never leaves the hub. */
  hasPin: boolean;
}

/** A staff member as sent in a change: `pin` (clear, 4–12 digits) sets a new PIN; absent keeps the old one. */
export interface AdminStaffInput {
  no: string;
  name: string;
  role?: 'staff' | 'manager';
  windows: number[];
  pin?: string;
}

export interface AdminServiceView {
  code: string;
  name: string;
  category: string;
  prefix: string;
  numberRange: { from: number; to: number };
  dailyCap: number;
  hours?: { days: number[]; open: string; close: string }[];
  taskCodes: string[];
  allowAnonymous: boolean;
  defaultServiceSeconds: number;
}

export interface AdminWindowView {
  no: number;
  name: string;
  services: { code: string; weight: number }[];
  comprehensive: boolean;
  greenChannel: boolean;
}

export interface AdminConfigView {
  /** Opaque version of the running config; send it back as `expectedVersion` to avoid lost updates. */
  version: string;
  /** Whether changes are written back to the hall's config file (false for the built-in demo hall). */
  persisted: boolean;
  hall: { code: string; name: string; areaCode: string; timeZone: string };
  services: AdminServiceView[];
  windows: AdminWindowView[];
  staff: AdminStaffView[];
  priority: {
    enabled: string[];
    normalPerPriority: number;
    appointmentsFirst: boolean;
    agingLimitSeconds?: number;
  };
  announcement: { template: string; repeat: number };
  ticketText: { header: string; footer: string; qrUrl?: string };
  /** The terminals and their devices (`devices` of the hall config); absent when the hall has none. */
  devices?: { terminals: unknown[] };
}

/** Body of `PUT /admin/config` and `POST /admin/config/check`: whole sections to replace. */
export interface AdminConfigChange {
  expectedVersion?: string;
  services?: AdminServiceView[];
  windows?: (Omit<AdminWindowView, 'comprehensive' | 'greenChannel'> & {
    comprehensive?: boolean;
    greenChannel?: boolean;
  })[];
  staff?: AdminStaffInput[];
  priority?: AdminConfigView['priority'];
  announcement?: AdminConfigView['announcement'];
  ticketText?: AdminConfigView['ticketText'];
  devices?: AdminConfigView['devices'];
}

export interface AdminConfigProblem {
  /** Dotted path, e.g. `windows[2].services[0].code`. */
  path: string;
  message: string;
}

export interface AdminConfigCheck {
  ok: boolean;
  problems: AdminConfigProblem[];
  /** The announcement as it would sound for the first service's first number at the first window. */
  announcementPreview: string | null;
  sections: EditableSection[];
}

export interface AdminConfigApplied {
  version: string;
  sections: EditableSection[];
  persisted: boolean;
}

export type EvaluationLevelName =
  | 'very_satisfied'
  | 'satisfied'
  | 'basically_satisfied'
  | 'dissatisfied'
  | 'very_dissatisfied';

export interface AdminEvaluationRow {
  id: string;
  caseId: string;
  assessNumber: number;
  level: EvaluationLevelName;
  reasons: string[];
  /** The reasons in Chinese, same order (the code itself where the hub does not know it). */
  reasonTexts?: string[];
  text: string | null;
  channel: string;
  windowNo: number | null;
  staffNo: string | null;
  taskCode: string | null;
  taskName: string | null;
  createdAt: string;
}

export interface AdminEvaluationReport {
  from: string;
  to: string;
  total: number;
  counts: Record<EvaluationLevelName, number>;
  /** 差评 (不满意, 非常不满意), newest first. */
  bad: AdminEvaluationRow[];
}

export interface MonthStatistics {
  month: string;
  total: PeriodStats;
  days: ({ day: string } & PeriodStats)[];
  byService: Record<string, PeriodStats>;
  byWindow: Record<string, PeriodStats>;
  byStaff: Record<string, PeriodStats>;
  satisfaction: Record<EvaluationLevelName, number>;
}
