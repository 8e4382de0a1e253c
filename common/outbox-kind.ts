/** Kinds of platform records in the hall's outbox, and how screens name them (zh-CN). */
export type OutboxKind = 'case' | 'evaluation' | 'material' | 'rectification' | 'appointment';

export const OUTBOX_KINDS: readonly OutboxKind[] = ['case', 'evaluation', 'material', 'rectification', 'appointment'];

export const OUTBOX_KIND_NAMES: Record<OutboxKind, string> = {
  case: '办件',
  evaluation: '评价',
  material: '材料',
  rectification: '整改',
  appointment: '预约',
};

/** The name of a kind for a screen; an unknown kind (from a newer hub) shows as it is. */
export function outboxKindName(kind: string | null | undefined): string {
  return kind ? (OUTBOX_KIND_NAMES[kind as OutboxKind] ?? kind) : '—';
}
