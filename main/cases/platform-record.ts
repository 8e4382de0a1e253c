/**
 * The `data` of platform records (platform-api.md, "case data" and "evaluation data"), built from
 * the hall's own words at the moment of the change. Every code crosses this boundary through an
 * explicit table: certificate types, case results, case types, channels and satisfaction levels.
 *
 * What the hall only learns at send time is filled in by the relay, not here: the hall identity
 * (`hall.hallCode`, `hall.areaCode`, which the platform section may override), the platform's
 * `projectNo` once a case version has been accepted, and certificate numbers, which are kept
 * encrypted in the outbox and never stored in clear.
 */

import type { CertType } from '../../common/cert-number.js';
import { type EvaluationLevel, toPlatformSatisfaction } from '../../common/evaluation.js';

/** Contract certificate types: 111 居民身份证, 516 港澳居民来往内地通行证, 553 外国人永久居留身份证, 990 other. */
const CERT_TYPE_CODE: Record<CertType, '111' | '516' | '553' | '990'> = {
  resident: '111',
  // 港澳台居民居住证 has no code of its own in the v1 contract: "other".
  hk_mo_tw: '990',
  foreign_2017: '553',
  foreign_2023: '553',
  other: '990',
};

export const platformCertType = (t: string | null | undefined): string =>
  t && t in CERT_TYPE_CODE ? CERT_TYPE_CODE[t as CertType] : /^(111|516|553|990)$/.test(t ?? '') ? t! : '990';

export type PlatformCaseResult = 'approved' | 'rejected' | 'returned' | 'transferred' | 'other';

/** The hub API takes `result` as free text (hub-api.md); these are the words we understand. */
const RESULT_WORDS: Record<string, PlatformCaseResult> = {
  approved: 'approved',
  '1': 'approved',
  准予: 'approved',
  办结: 'approved',
  通过: 'approved',
  准予许可: 'approved',
  rejected: 'rejected',
  '2': 'rejected',
  不予: 'rejected',
  不予许可: 'rejected',
  returned: 'returned',
  '3': 'returned',
  退件: 'returned',
  退回: 'returned',
  transferred: 'transferred',
  '4': 'transferred',
  转办: 'transferred',
  other: 'other',
};

export const platformCaseResult = (r: string): PlatformCaseResult => RESULT_WORDS[r.trim()] ?? 'other';

/** 1 即办件 (done at the window: the default for a finished ticket), 2 承诺件. */
export function platformCaseType(t: string | null | undefined): 1 | 2 {
  const v = (t ?? '').trim();
  return v === '2' || v === '承诺件' || v === 'promised' ? 2 : 1;
}

/** Hub API channel → platform `channel` (`pf`): 4 hall evaluation pad, 5 self-service terminal, 3 QR. */
const CHANNEL_CODE: Record<string, 3 | 4 | 5> = { pad: 4, kiosk: 5, qr: 3 };
export const platformChannel = (c: string): number => CHANNEL_CODE[c] ?? 5;

/**
 * A material (申请材料) as the hub API takes it: a bare name, or the contract's fields when the
 * window knows them (copies, pages, and the sha256 of a scanned file).
 */
export type MaterialInput =
  | string
  | { name: string; copies?: number | null; pages?: number | null; sha256?: string | null };

/** The contract's material object; one copy and unknown pages/hash when only a name was given. */
export function platformMaterial(m: MaterialInput): {
  name: string;
  copies: number | null;
  pages: number | null;
  sha256: string | null;
} {
  if (typeof m === 'string') return { name: m, copies: 1, pages: null, sha256: null };
  return { name: m.name, copies: m.copies ?? 1, pages: m.pages ?? null, sha256: m.sha256?.toLowerCase() ?? null };
}

export interface PersonSnapshot {
  name: string;
  certType: string;
  /** Never stored here: the outbox keeps it sealed and the relay puts it back when sending. */
  certNo: string;
}

export interface CaseSnapshotInput {
  localCaseId: string;
  version: number;
  taskCode: string;
  taskName: string | null;
  applicant: { name: string; certType: string } | null;
  agent: { name: string; certType?: string | null } | null;
  applyTime: string;
  acceptTime: string;
  finishTime: string | null;
  status: 'accepted' | 'in_progress' | 'finished' | 'returned' | 'withdrawn';
  result: string | null;
  caseType: string | null;
  windowNo: number | null;
  staffNo: string | null;
  ticket: { number: string; waitSeconds: number; serveSeconds: number } | null;
  materials: MaterialInput[];
}

/** Case `data` without hall identity, projectNo and certificate numbers (see the header). */
export function caseData(i: CaseSnapshotInput): Record<string, unknown> {
  return {
    localCaseId: i.localCaseId,
    version: i.version,
    projectNo: null,
    taskCode: i.taskCode,
    taskName: i.taskName ?? '',
    applicant: {
      name: i.applicant?.name ?? '',
      certType: platformCertType(i.applicant?.certType ?? 'other'),
      certNo: '',
    },
    ...(i.agent
      ? { agent: { name: i.agent.name, certType: platformCertType(i.agent.certType ?? 'other'), certNo: '' } }
      : {}),
    applyTime: i.applyTime,
    acceptTime: i.acceptTime,
    finishTime: i.finishTime,
    status: i.status,
    result: i.status === 'finished' && i.result !== null ? platformCaseResult(i.result) : null,
    caseType: platformCaseType(i.caseType),
    handleForm: 1,
    hall: { hallCode: '', areaCode: '', windowNo: i.windowNo, staffNo: i.staffNo },
    ticket: i.ticket,
    materials: i.materials.map(platformMaterial),
  };
}

export interface EvaluationSnapshotInput {
  evaluationId: string;
  localCaseId: string;
  taskCode: string;
  level: EvaluationLevel;
  reasons: string[];
  text: string | null;
  channel: string;
  assessNumber: number;
  assessTime: string;
  windowNo: number | null;
  staffNo: string | null;
  deviceId: string | null;
}

export function evaluationData(i: EvaluationSnapshotInput): Record<string, unknown> {
  return {
    evaluationId: i.evaluationId,
    localCaseId: i.localCaseId,
    projectNo: null,
    taskCode: i.taskCode,
    satisfaction: toPlatformSatisfaction(i.level),
    reasons: i.reasons,
    text: i.text ?? '',
    channel: platformChannel(i.channel),
    assessNumber: i.assessNumber,
    assessTime: i.assessTime,
    hall: { hallCode: '', windowNo: i.windowNo, staffNo: i.staffNo, deviceId: i.deviceId },
    userProp: 1,
  };
}
