/**
 * Labels the renderer roles share, so the display, the counter, the admin, the kiosk and the
 * printed ticket never name the same thing two ways.
 */

/** A window's state, for citizens and staff alike (display, counter, admin, evaluator). */
export const WINDOW_STATE_TEXT: Record<string, string> = {
  closed: '未开放',
  idle: '空闲',
  calling: '叫号中',
  serving: '办理中',
  paused: '暂停服务',
};

export function windowStateText(state: string | null | undefined): string {
  return WINDOW_STATE_TEXT[state ?? 'closed'] ?? state ?? '';
}

/** A ticket's priority class (the queue's codes) as shown on screen and printed on paper. */
export const PRIORITY_TEXT: Record<string, string> = {
  elderly: '老年人优先',
  disabled: '残疾人优先',
  pregnant: '孕妇优先',
  military: '军人优先',
  other: '优先办理',
};

/** The label of a priority code; null for a normal ticket, 优先办理 for a code we do not know. */
export function priorityText(code: string | null | undefined): string | null {
  if (!code) return null;
  return PRIORITY_TEXT[code] ?? '优先办理';
}
