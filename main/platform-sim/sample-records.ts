/**
 * Well-formed records for tests, demos and the ingest benchmark: a case and an evaluation that the
 * platform accepts, with every field of the contract's tables. Override what a test is about.
 */

import { randomUUID } from 'node:crypto';
import { gb11643CheckChar } from '../../common/cert-number.js';
import { isoChina } from './china-time.js';
import type { IngestRecord } from './raw-client.js';
import type { NewSimAppointment } from './sim-appointments.js';

/** A valid 居民身份证 number (GB 11643) born on the given yyyymmdd, with the given 3-digit serial. */
export function residentIdNo(birth = '19800101', serial = 1, area = '330106'): string {
  const first17 = `${area}${birth}${String(serial % 1000).padStart(3, '0')}`;
  return `${first17}${gb11643CheckChar(first17)}`;
}

let seq = 0;
const nextSeq = () => ++seq;

export interface SampleCaseInput {
  localCaseId?: string;
  version?: number;
  status?: 'accepted' | 'in_progress' | 'finished' | 'returned' | 'withdrawn';
  taskCode?: string;
  hallCode?: string;
  certNo?: string;
  at?: number;
  data?: Record<string, unknown>;
  id?: string;
  seq?: number;
}

export function sampleCase(i: SampleCaseInput = {}): IngestRecord {
  const at = i.at ?? Date.now();
  const status = i.status ?? 'accepted';
  const finished = status === 'finished';
  return {
    id: i.id ?? randomUUID(),
    kind: 'case',
    seq: i.seq ?? nextSeq(),
    occurredAt: isoChina(at),
    data: {
      localCaseId: i.localCaseId ?? `L-${randomUUID()}`,
      version: i.version ?? 1,
      projectNo: null,
      taskCode: i.taskCode ?? '11330106MB1234567X4000112001000',
      taskName: '城乡居民基本养老保险参保登记',
      applicant: { name: '张三', certType: '111', certNo: i.certNo ?? residentIdNo() },
      applyTime: isoChina(at - 600_000),
      acceptTime: isoChina(at - 300_000),
      finishTime: finished ? isoChina(at) : null,
      status,
      result: finished ? 'approved' : null,
      caseType: 1,
      handleForm: 1,
      hall: { hallCode: i.hallCode ?? 'DEMO-HALL-01', areaCode: '330106', windowNo: 3, staffNo: '8003' },
      ticket: { number: 'A012', waitSeconds: 420, serveSeconds: 300 },
      materials: [{ name: '居民身份证', copies: 1, pages: 1, sha256: null }],
      ...i.data,
    },
  };
}

export interface SampleEvaluationInput {
  localCaseId: string;
  satisfaction?: number;
  reasons?: string[];
  text?: string;
  assessNumber?: number;
  hallCode?: string;
  at?: number;
  data?: Record<string, unknown>;
  id?: string;
  seq?: number;
}

export function sampleEvaluation(i: SampleEvaluationInput): IngestRecord {
  const at = i.at ?? Date.now();
  return {
    id: i.id ?? randomUUID(),
    kind: 'evaluation',
    seq: i.seq ?? nextSeq(),
    occurredAt: isoChina(at),
    data: {
      evaluationId: randomUUID(),
      localCaseId: i.localCaseId,
      projectNo: null,
      taskCode: '11330106MB1234567X4000112001000',
      satisfaction: i.satisfaction ?? 5,
      reasons: i.reasons ?? [],
      text: i.text ?? '',
      channel: 4,
      assessNumber: i.assessNumber ?? 1,
      assessTime: isoChina(at),
      hall: { hallCode: i.hallCode ?? 'DEMO-HALL-01', windowNo: 3, staffNo: '8003', deviceId: 'pad-03' },
      userProp: 1,
      ...i.data,
    },
  };
}

/** A booking made on the platform, so check-ins and no-shows reported for `id` are its own. */
export function platformAppointment(
  sim: { addAppointment(a: NewSimAppointment): unknown },
  hallCode: string,
  id: string,
): void {
  sim.addAppointment({
    hallCode,
    id,
    serviceCode: 'SBYB',
    slotStart: '2026-11-23T09:00:00+08:00',
    slotEnd: '2026-11-23T09:30:00+08:00',
    applicant: { name: '平台预约', certType: '111', certNo: '11010519491231002X' },
  });
}
