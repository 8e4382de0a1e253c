/**
 * The queue's words as the hub API spells them (hub-api.md) and as screens and tickets show them:
 * priority classes, channels, ticket statuses, window states. The engine's types, the API schemas
 * and the UIs all take them from here.
 */

export const PRIORITIES = ['elderly', 'disabled', 'pregnant', 'military', 'other'] as const;
export type Priority = (typeof PRIORITIES)[number];

export const PRIORITY_TEXT: Record<Priority, string> = {
  elderly: '老年人优先',
  disabled: '残疾人优先',
  pregnant: '孕妇优先',
  military: '军人优先',
  other: '优先办理',
};

/** The label of a priority code; null for a normal ticket, 优先办理 for a code we do not know. */
export function priorityText(code: string | null | undefined): string | null {
  if (!code) return null;
  return PRIORITY_TEXT[code as Priority] ?? '优先办理';
}

export const CHANNELS = ['kiosk', 'staff', 'appointment', 'mobile'] as const;
export type Channel = (typeof CHANNELS)[number];

/**
 * `transferred`: this leg ended because the ticket moved on; the new leg waits elsewhere.
 * `cancelled` with reason `expired`: still waiting when the business day ended.
 */
export const TICKET_STATUSES = ['waiting', 'called', 'serving', 'done', 'skipped', 'transferred', 'cancelled'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

export const WINDOW_STATES = ['closed', 'idle', 'calling', 'serving', 'paused'] as const;
export type WindowState = (typeof WINDOW_STATES)[number];

/** A window's state, for citizens and staff alike (display, counter, admin, evaluator). */
export const WINDOW_STATE_TEXT: Record<WindowState, string> = {
  closed: '未开放',
  idle: '空闲',
  calling: '叫号中',
  serving: '办理中',
  paused: '暂停服务',
};

export function windowStateText(state: string | null | undefined): string {
  return WINDOW_STATE_TEXT[(state ?? 'closed') as WindowState] ?? state ?? '';
}
