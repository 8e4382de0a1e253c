/**
 * 差评整改 terms shared by the hub and the admin console: the states of an item (hub-api.md v1.1)
 * and their words, and the kinds of alarm. The rules of the steps are in main/cases/rectification.ts.
 */
export const RECTIFICATION_STATUSES = ['open', 'verifying', 'rectifying', 'revisit', 'closed', 'invalid'] as const;
export type RectificationStatus = (typeof RECTIFICATION_STATUSES)[number];

export const STATUS_NAMES: Record<RectificationStatus, string> = {
  open: '待核实',
  verifying: '核实中',
  rectifying: '整改中',
  revisit: '待回访',
  closed: '已办结',
  invalid: '无效差评',
};

/** The step each state leads to, as the console offers them (the hub checks them again). */
export const NEXT_STEPS: Record<RectificationStatus, readonly RectificationStatus[]> = {
  open: ['verifying'],
  verifying: ['rectifying', 'invalid'],
  rectifying: ['revisit'],
  revisit: ['closed'],
  closed: [],
  invalid: [],
};

export const RECTIFICATION_ALARM_KINDS = ['due_soon', 'overdue', 'calendar_missing'] as const;
export type RectificationAlarmKind = (typeof RECTIFICATION_ALARM_KINDS)[number];
