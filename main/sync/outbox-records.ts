/**
 * The outbox's API for every feature that reports to the platform: `enqueueRecord` writes a record
 * (inside the caller's transaction) and names the records it needs delivered first. The mechanism
 * lives in main/store/outbox-needs.ts so the store's own writers (cases, ratings) use it too.
 */
export {
  DEPENDENCY_REJECTED,
  enqueueRecord,
  evaluationRecordId,
  materialRecordId,
  type NewOutboxRecord,
  OUTBOX_KINDS,
  type OutboxKind,
  openNeeds,
} from '../store/outbox-needs.js';
export type { MaterialBytes } from './relay.js';
