/**
 * Shapes of the provincial platform simulator: what it serves (catalogue, progress) and what it
 * keeps (accepted records). Field names follow /work/shared/docs/platform-api.md exactly.
 */
import type { EvaluationReason } from '../../kiosk-config/evaluation-reasons.js';

export type { EvaluationReason };

export interface CatalogMaterial {
  name: string;
  required: boolean;
}

export interface CatalogItem {
  /** 事项实施编码, 8–36 of [0-9A-Z]. */
  taskCode: string;
  taskName: string;
  deptName: string;
  category: string;
  /** 1 即办件, 2 承诺件. */
  caseType: 1 | 2;
  promiseDays: number;
  materials: CatalogMaterial[];
  guide: string;
}

export interface Catalog {
  version: string;
  items: CatalogItem[];
  evaluationReasons: EvaluationReason[];
}

export type RecordKind = 'case' | 'evaluation' | 'rectification' | 'appointment';

/** One accepted record as the simulator committed it, in arrival order. */
export interface StoredRecord {
  id: string;
  kind: RecordKind;
  seq: number;
  hallCode: string;
  /** The hall's case: of the record, or of the rating a rectification step refers to; '' for appointments. */
  localCaseId: string;
  /** Case version; null for evaluations. */
  version: number | null;
  /** Evaluation assessNumber; null for cases. */
  assessNumber: number | null;
  data: Record<string, unknown>;
  occurredAt: string;
  batchId: string;
  /** The simulator's clock at commit, ISO 8601 with +08:00. */
  acceptedAt: string;
  /** 办件编号 of the case (also filled on evaluations whose case has one). */
  projectNo?: string;
}

export type RecordStatus = 'accepted' | 'duplicate' | 'rejected';

export type RejectCode =
  | 'SCHEMA'
  | 'INVALID_CERT_NO'
  | 'REASON_REQUIRED'
  | 'UNKNOWN_CASE'
  | 'ALREADY_EVALUATED'
  | 'UNKNOWN_APPOINTMENT'
  | 'UNKNOWN_MATERIAL'
  | 'UNKNOWN_EVALUATION';

/** A material file the platform holds (PUT /api/v1/materials/{sha256}), without its bytes. */
export interface StoredMaterial {
  sha256: string;
  name: string;
  contentType: string;
  size: number;
  hallCode: string;
  /** The simulator's clock when first stored. */
  storedAt: string;
  /** How many PUTs named it (the first stored it; the rest were answered 200). */
  puts: number;
}

export interface RecordResult {
  id: string;
  status: RecordStatus;
  code?: RejectCode;
  message?: string;
  projectNo?: string;
}

export interface PlatformFaults {
  /** Added before answering. */
  latencyMs?: number;
  /** 0..1 share of answers replaced by 503 (with Retry-After), before anything is committed. */
  errorRate?: number;
  /** 0..1 share answered 429 with Retry-After. */
  rateLimitRate?: number;
  /** Value sent in Retry-After (default 1). */
  retryAfterSeconds?: number;
  /** 0..1 share of batch requests whose connection is destroyed AFTER the records were committed. */
  dropAfterCommitRate?: number;
  /** The simulator's clock = real now + offset (for CLOCK_SKEW tests). */
  clockOffsetMs?: number;
  /** When true every connection is destroyed at once (platform unreachable). */
  partitioned?: boolean;
}

export interface SimStats {
  accepted: number;
  duplicate: number;
  rejected: number;
  /** Every request to /api/…, whatever its answer. */
  requests: number;
  /** Refused authentications by code: BAD_SIGNATURE, CLOCK_SKEW, REPLAY. */
  refusedAuth: Record<string, number>;
  /** Rejections by code. */
  rejectedByCode: Record<string, number>;
  /** Material PUTs: stored (201), already held (200), refused (HASH_MISMATCH, 413, …). */
  materials: { stored: number; alreadyHeld: number; refused: number };
  /** Answers replaced by faults. */
  faults: { error503: number; rateLimited429: number; droppedAfterCommit: number; partitioned: number };
}
