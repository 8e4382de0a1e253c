/**
 * The 办结 form as the staff fill it in, and the case it sends (`POST /windows/{no}/finish`): the
 * 事项 (picked from the list, or typed where the service has none), the result and case type of the
 * platform contract, an agent for 帮代办, and the materials taken. Pure, unit-tested.
 */
import type { CASE_TYPES, RESULT_OPTIONS } from './actions.js';

/** A 事项 the form offers: from the platform catalogue (with its materials) or only the code. */
export interface TaskOption {
  taskCode: string;
  taskName: string;
  materials?: { name: string; required?: boolean }[];
}

export interface FinishDraft {
  /** The 事项 picked from the list. */
  taskCode: string;
  /** The 事项 code typed when there is no list. */
  manualCode: string;
  result: (typeof RESULT_OPTIONS)[number]['value'];
  caseType: (typeof CASE_TYPES)[number]['value'];
  hasAgent: boolean;
  agentName: string;
  agentCertNo: string;
  /** Materials of the 事项 ticked as taken. */
  checked: string[];
  /** Other materials, one a line. */
  extra: string;
}

export const BLANK_FINISH: FinishDraft = {
  taskCode: '',
  manualCode: '',
  result: 'approved',
  caseType: '1',
  hasAgent: false,
  agentName: '',
  agentCertNo: '',
  checked: [],
  extra: '',
};

export interface FinishBody {
  case: {
    taskCode: string;
    taskName?: string;
    result: FinishDraft['result'];
    caseType: FinishDraft['caseType'];
    agent?: { name: string; certType?: 'resident'; certNo?: string };
    materials?: (string | { name: string; sha256: string; pages: number })[];
  };
}

/** A material scanned at the window and uploaded for the ticket being served. */
export interface UploadedMaterial {
  name: string;
  sha256: string;
  bytes: number;
  pages: number;
}

/** The body to send, or what is missing (in words, to show on the form). */
export function finishBody(
  d: FinishDraft,
  tasks: readonly TaskOption[],
  uploaded: readonly UploadedMaterial[] = [],
): { ok: true; body: FinishBody } | { ok: false; error: string } {
  const code = tasks.length ? d.taskCode : d.manualCode.trim();
  if (!code) return { ok: false, error: '请选择或填写办理事项' };
  if (d.hasAgent && !d.agentName.trim()) return { ok: false, error: '请填写代办人姓名' };
  const task = tasks.find((t) => t.taskCode === d.taskCode);
  // Scanned materials go by their hash (the hub refuses any not uploaded for this ticket); a ticked
  // name that was scanned is not listed twice.
  const scanned = new Set(uploaded.map((u) => u.name));
  const materials: (string | { name: string; sha256: string; pages: number })[] = [
    ...uploaded.map((u) => ({ name: u.name, sha256: u.sha256, pages: u.pages })),
    ...d.checked.filter((n) => !scanned.has(n)),
    ...d.extra
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean),
  ];
  const certNo = d.agentCertNo.trim().toUpperCase();
  return {
    ok: true,
    body: {
      case: {
        taskCode: code,
        ...(task?.taskName ? { taskName: task.taskName } : {}),
        result: d.result,
        caseType: d.caseType,
        ...(d.hasAgent
          ? { agent: { name: d.agentName.trim(), ...(certNo ? { certType: 'resident' as const, certNo } : {}) } }
          : {}),
        ...(materials.length ? { materials } : {}),
      },
    },
  };
}
