/**
 * The window terminal's actions: label, keyboard shortcut and when each is possible (the same rules
 * the engine enforces, so a button is disabled instead of answering with an error).
 * F5 (reload), F11 (full screen) and F12 are left to the browser.
 */
import type { WindowState } from '../shared/api-types.js';

export type CounterAction = 'call-next' | 'recall' | 'skip' | 'transfer' | 'pause' | 'resume' | 'start' | 'finish';

export interface ActionSpec {
  action: CounterAction;
  label: string;
  key: string;
  enabledIn: WindowState[];
  /** Opens a form first instead of acting at once. */
  form?: boolean;
}

export const ACTIONS: ActionSpec[] = [
  { action: 'call-next', label: '叫号', key: 'F1', enabledIn: ['idle'] },
  { action: 'recall', label: '重呼', key: 'F2', enabledIn: ['calling'] },
  { action: 'skip', label: '过号', key: 'F3', enabledIn: ['calling'], form: true },
  { action: 'transfer', label: '转移', key: 'F4', enabledIn: ['calling', 'serving'], form: true },
  { action: 'pause', label: '暂停', key: 'F6', enabledIn: ['idle'], form: true },
  { action: 'resume', label: '恢复', key: 'F7', enabledIn: ['paused'] },
  { action: 'start', label: '开始', key: 'F8', enabledIn: ['calling'] },
  { action: 'finish', label: '办结', key: 'F9', enabledIn: ['calling', 'serving'], form: true },
];

export function actionForKey(key: string): ActionSpec | null {
  return ACTIONS.find((a) => a.key === key) ?? null;
}

export function isEnabled(a: ActionSpec, state: WindowState | null): boolean {
  return state !== null && a.enabledIn.includes(state);
}

/** "12 分 05 秒" for a duration in seconds. */
export function durationText(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const m = Math.floor(s / 60);
  const h = Math.floor(m / 60);
  if (h) return `${h} 小时 ${m % 60} 分`;
  return m ? `${m} 分 ${String(s % 60).padStart(2, '0')} 秒` : `${s} 秒`;
}

export const RESULT_OPTIONS = [
  { value: 'approved', label: '准予办理' },
  { value: 'rejected', label: '不予办理' },
  { value: 'returned', label: '退回补正' },
  { value: 'transferred', label: '转办' },
  { value: 'other', label: '其他' },
] as const;

export const CASE_TYPES = [
  { value: '1', label: '即办件' },
  { value: '2', label: '承诺件' },
] as const;

export const PAUSE_REASONS = ['短暂休息', '业务咨询', '系统故障', '会议', '其他'];
