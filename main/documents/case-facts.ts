/**
 * What the case documents say about one case, gathered by the hub (documents-plugin.ts) from the
 * case record, the hall config and the merged catalogue, and passed to the pure layouts. Names are
 * masked: a PDF may be saved or forwarded, and the citizen knows their own name.
 */
import type { HallCalendar } from '../../common/hall-calendar.js';

export interface CaseFacts {
  hallName: string;
  window: { no: number; name: string } | null;
  staffNo: string | null;
  caseId: string;
  /** 办件编号 from the platform; null until the platform has accepted the case. */
  projectNo: string | null;
  ticketNumber: string | null;
  task: {
    code: string;
    name: string;
    deptName: string;
    /** 1 即办件, 2 承诺件. */
    caseType: number;
    promiseDays: number;
    /** The catalogue's full list, or null when no catalogue names this 事项. */
    materials: { name: string; required: boolean }[] | null;
  };
  applicantName: string | null;
  status: string;
  result: string;
  /** Local date and time of acceptance, `YYYY-MM-DD HH:mm`. */
  acceptedAt: string;
  acceptDay: string;
  /** Materials the window recorded as received. */
  received: { name: string; copies: number | null; pages: number | null }[];
}

/** The code a citizen quotes: the platform's 办件编号 once known, the local case id until then. */
export function caseCode(f: Pick<CaseFacts, 'projectNo' | 'caseId'>): string {
  return f.projectNo ?? f.caseId;
}

export interface PromiseDate {
  /** The last day to finish (`YYYY-MM-DD`), or null for 当场办结. */
  date: string | null;
  days: number;
  /** Years the hall calendar lacks (weekends alone were counted). */
  missingYears: number[];
}

/** 承诺办结日期: the N-th working day after acceptance, with the hall calendar (holidays, 调休). */
export function promiseDate(calendar: HallCalendar, acceptDay: string, promiseDays: number): PromiseDate {
  if (promiseDays <= 0) return { date: null, days: 0, missingYears: [] };
  const a = calendar.workingDayAfter(acceptDay, promiseDays);
  return { date: a.date, days: promiseDays, missingYears: a.missingYears };
}

/** `2026-12-04` → `2026年12月4日`. */
export function chineseDate(iso: string): string {
  const [y, m, d] = iso.split('-').map(Number);
  return `${y}年${m}月${d}日`;
}

export const RESULT_NAMES: Record<string, string> = {
  approved: '准予办理',
  rejected: '不予办理',
  returned: '退回补正',
  transferred: '转办',
  other: '其他',
};

export const STATUS_NAMES: Record<string, string> = {
  accepted: '已受理',
  in_progress: '办理中',
  finished: '已办结',
  returned: '已退件',
  withdrawn: '已撤回',
};
