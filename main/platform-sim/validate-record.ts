/**
 * Field checks of one batch record against the tables of platform-api.md. Pure: the caller passes
 * the known reason codes and "today" (for the birth-date part of GB 11643). Returns the first
 * problem with the field's path in a Chinese message, so a hall developer sees what to fix.
 * Cross-record rules (UNKNOWN_CASE, ALREADY_EVALUATED, duplicates) belong to the store.
 */
import { checkCertNo } from '../../common/cert-number.js';
import { isIsoWithOffset } from './china-time.js';
import type { RecordKind } from './types.js';

export type CertTypeCode = '111' | '516' | '553' | '990';
const CERT_TYPES: readonly string[] = ['111', '516', '553', '990'];
const CASE_STATUSES: readonly string[] = ['accepted', 'in_progress', 'finished', 'returned', 'withdrawn'];
const CASE_RESULTS: readonly string[] = ['approved', 'rejected', 'returned', 'transferred', 'other'];
const TASK_CODE = /^[0-9A-Z]{8,36}$/;
const SHA256_HEX = /^[0-9a-f]{64}$/i;

export interface ParsedCase {
  kind: 'case';
  localCaseId: string;
  version: number;
  taskCode: string;
  status: string;
  result: string | null;
  acceptTime: string;
  finishTime: string | null;
  /** SHA-256 of every material the case names by hash (lowercase). */
  materials: string[];
}

export interface ParsedEvaluation {
  kind: 'evaluation';
  localCaseId: string;
  assessNumber: number;
  satisfaction: number;
}

export interface ParsedRectification {
  kind: 'rectification';
  /** Id of the evaluation record the step refers to. */
  evaluationRef: string;
  status: string;
}

export interface ParsedAppointment {
  kind: 'appointment';
  appointmentId: string;
  status: string;
}

export interface ParsedRecord {
  id: string;
  kind: RecordKind;
  seq: number;
  occurredAt: string;
  data: Record<string, unknown>;
  parsed: ParsedCase | ParsedEvaluation | ParsedRectification | ParsedAppointment;
}

export type RecordCheck =
  | { ok: true; record: ParsedRecord }
  | { ok: false; code: 'SCHEMA' | 'INVALID_CERT_NO' | 'REASON_REQUIRED'; message: string };

class FieldError extends Error {}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const fail = (path: string, what: string): never => {
  throw new FieldError(`字段 ${path} ${what}`);
};

function obj(o: Obj, key: string, path: string): Obj {
  const v = o[key];
  if (!isObj(v)) fail(`${path}.${key}`, '应为对象');
  return v as Obj;
}
function str(o: Obj, key: string, path: string, max = 200): string {
  const v = o[key];
  if (typeof v !== 'string' || v.trim() === '') fail(`${path}.${key}`, '应为非空字符串');
  if ((v as string).length > max) fail(`${path}.${key}`, `不应超过 ${max} 个字符`);
  return v as string;
}
/** A field the table types only as "string": any string, empty included. */
function text(o: Obj, key: string, path: string, max = 200): string {
  const v = o[key];
  if (typeof v !== 'string') fail(`${path}.${key}`, '应为字符串');
  if ((v as string).length > max) fail(`${path}.${key}`, `不应超过 ${max} 个字符`);
  return v as string;
}
function int(o: Obj, key: string, path: string, min: number, max: number): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    fail(`${path}.${key}`, `应为 ${min} 到 ${max} 之间的整数`);
  }
  return v as number;
}
function oneOf(o: Obj, key: string, path: string, allowed: readonly string[]): string {
  const v = o[key];
  if (typeof v !== 'string' || !allowed.includes(v)) fail(`${path}.${key}`, `应为 ${allowed.join('、')} 之一`);
  return v as string;
}
function time(o: Obj, key: string, path: string): string {
  const v = o[key];
  if (!isIsoWithOffset(v)) fail(`${path}.${key}`, '应为带时区偏移的 ISO 8601 时间，例如 2026-11-23T09:30:05.123+08:00');
  return v as string;
}
/** A field the table types as "X or null": it must be present, null allowed. */
function nullable<T>(o: Obj, key: string, path: string, read: () => T): T | null {
  if (!(key in o)) fail(`${path}.${key}`, '缺失（可为 null，但不能省略）');
  return o[key] === null ? null : read();
}
/**
 * windowNo, staffNo, deviceId: the contract gives no type; halls number them as strings or
 * integers, and a record made away from a window has none. Present, and a string, integer or null.
 */
function code(o: Obj, key: string, path: string): void {
  if (!(key in o)) fail(`${path}.${key}`, '缺失（可为 null，但不能省略）');
  const v = o[key];
  if (v === null) return;
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0) return;
  if (typeof v === 'string' && v.length <= 64) return;
  fail(`${path}.${key}`, '应为字符串、非负整数或 null');
}

interface Person {
  certType: string;
  certNo: string;
}
function person(o: Obj, key: string, path: string): Person {
  const p = obj(o, key, path);
  const at = `${path}.${key}`;
  text(p, 'name', at, 100);
  // The contract writes the codes as `111` etc.; accept the string or the integer form.
  const t = p.certType;
  const certType = typeof t === 'number' ? String(t) : t;
  if (typeof certType !== 'string' || !CERT_TYPES.includes(certType)) {
    fail(`${at}.certType`, '应为 111、516、553、990 之一');
  }
  return { certType: certType as string, certNo: text(p, 'certNo', at, 40) };
}

function checkCase(d: Obj): { parsed: ParsedCase; people: Person[] } {
  const P = 'data';
  const localCaseId = str(d, 'localCaseId', P, 64);
  const version = int(d, 'version', P, 1, Number.MAX_SAFE_INTEGER);
  nullable(d, 'projectNo', P, () => str(d, 'projectNo', P, 64));
  const taskCode = str(d, 'taskCode', P, 36);
  if (!TASK_CODE.test(taskCode)) fail(`${P}.taskCode`, '应为 8 到 36 位数字或大写字母（事项实施编码）');
  text(d, 'taskName', P);
  const people = [person(d, 'applicant', P)];
  if (d.agent !== undefined && d.agent !== null) people.push(person(d, 'agent', P));
  time(d, 'applyTime', P);
  const acceptTime = time(d, 'acceptTime', P);
  const finishTime = nullable(d, 'finishTime', P, () => time(d, 'finishTime', P));
  const status = oneOf(d, 'status', P, CASE_STATUSES);
  const result = nullable(d, 'result', P, () => oneOf(d, 'result', P, CASE_RESULTS));
  if (status === 'finished' && result === null) fail(`${P}.result`, '办结（finished）时必须给出办结结果');
  if (status === 'finished' && finishTime === null) fail(`${P}.finishTime`, '办结（finished）时必须给出办结时间');
  int(d, 'caseType', P, 1, 2);
  int(d, 'handleForm', P, 1, 99);
  const hall = obj(d, 'hall', P);
  str(hall, 'hallCode', `${P}.hall`, 64);
  str(hall, 'areaCode', `${P}.hall`, 12);
  code(hall, 'windowNo', `${P}.hall`);
  code(hall, 'staffNo', `${P}.hall`);
  nullable(d, 'ticket', P, () => {
    const t = obj(d, 'ticket', P);
    str(t, 'number', `${P}.ticket`, 20);
    int(t, 'waitSeconds', `${P}.ticket`, 0, 10 * 86400);
    int(t, 'serveSeconds', `${P}.ticket`, 0, 10 * 86400);
  });
  const materials = d.materials;
  if (!Array.isArray(materials)) fail(`${P}.materials`, '应为数组');
  const hashes: string[] = [];
  (materials as unknown[]).forEach((m, i) => {
    const at = `${P}.materials[${i}]`;
    if (!isObj(m)) fail(at, '应为对象');
    const mo = m as Obj;
    str(mo, 'name', at);
    // The contract names copies and pages without a type or rule: a count, or null when unknown.
    nullable(mo, 'copies', at, () => int(mo, 'copies', at, 0, 1000));
    nullable(mo, 'pages', at, () => int(mo, 'pages', at, 0, 10000));
    nullable(mo, 'sha256', at, () => {
      if (typeof mo.sha256 !== 'string' || !SHA256_HEX.test(mo.sha256)) fail(`${at}.sha256`, '应为 64 位十六进制');
      hashes.push((mo.sha256 as string).toLowerCase());
    });
  });
  return {
    parsed: { kind: 'case', localCaseId, version, taskCode, status, result, acceptTime, finishTime, materials: hashes },
    people,
  };
}

const RECTIFICATION_STATUSES: readonly string[] = ['rectifying', 'closed', 'invalid'];
const APPOINTMENT_STATUSES: readonly string[] = ['checked_in', 'no_show'];

/** v1.1 "Records of kind rectification". */
function checkRectification(d: Obj): ParsedRectification {
  const P = 'data';
  const evaluationRef = str(d, 'evaluationRef', P, 100);
  if (d.projectNo !== undefined && d.projectNo !== null) str(d, 'projectNo', P, 64);
  const status = oneOf(d, 'status', P, RECTIFICATION_STATUSES);
  text(d, 'note', P, 2000);
  if (d.revisit !== undefined && d.revisit !== null) {
    const r = obj(d, 'revisit', P);
    if (typeof r.contacted !== 'boolean') fail(`${P}.revisit.contacted`, '应为 true 或 false');
    if (r.satisfaction !== undefined && r.satisfaction !== null) int(r, 'satisfaction', `${P}.revisit`, 1, 5);
  }
  time(d, 'at', P);
  return { kind: 'rectification', evaluationRef, status };
}

/** v1.1 appointments: a check-in or no-show of an appointment made on the platform. */
function checkAppointment(d: Obj): ParsedAppointment {
  const P = 'data';
  const appointmentId = str(d, 'appointmentId', P, 100);
  const status = oneOf(d, 'status', P, APPOINTMENT_STATUSES);
  time(d, 'at', P);
  return { kind: 'appointment', appointmentId, status };
}

function checkEvaluation(
  d: Obj,
  reasonCodes: ReadonlySet<string>,
): ParsedEvaluation & { reasons: string[]; text: string } {
  const P = 'data';
  str(d, 'evaluationId', P, 64);
  const localCaseId = str(d, 'localCaseId', P, 64);
  nullable(d, 'projectNo', P, () => str(d, 'projectNo', P, 64));
  const taskCode = str(d, 'taskCode', P, 36);
  if (!TASK_CODE.test(taskCode)) fail(`${P}.taskCode`, '应为 8 到 36 位数字或大写字母（事项实施编码）');
  const satisfaction = int(d, 'satisfaction', P, 1, 5);
  const reasons = d.reasons;
  if (!Array.isArray(reasons) || reasons.some((r) => typeof r !== 'string')) fail(`${P}.reasons`, '应为字符串数组');
  for (const r of reasons as string[]) {
    if (!reasonCodes.has(r)) fail(`${P}.reasons`, `含有目录中没有的原因代码「${r}」`);
  }
  const text = d.text;
  if (typeof text !== 'string') fail(`${P}.text`, '应为字符串（可为空）');
  if ([...(text as string)].length > 500) fail(`${P}.text`, '不应超过 500 个字');
  int(d, 'channel', P, 1, 99);
  const assessNumber = int(d, 'assessNumber', P, 1, 2);
  time(d, 'assessTime', P);
  const hall = obj(d, 'hall', P);
  str(hall, 'hallCode', `${P}.hall`, 64);
  code(hall, 'windowNo', `${P}.hall`);
  code(hall, 'staffNo', `${P}.hall`);
  code(hall, 'deviceId', `${P}.hall`);
  int(d, 'userProp', P, 1, 2);
  return {
    kind: 'evaluation',
    localCaseId,
    assessNumber,
    satisfaction,
    reasons: reasons as string[],
    text: text as string,
  };
}

/**
 * Checks one record whose `id` the caller already read. Order: envelope and fields (SCHEMA), then
 * identity numbers (INVALID_CERT_NO), then the 差评 reason rule (REASON_REQUIRED).
 */
export function checkRecord(
  id: string,
  raw: Obj,
  ctx: { reasonCodes: ReadonlySet<string>; today: string },
): RecordCheck {
  try {
    const kind = raw.kind;
    if (kind !== 'case' && kind !== 'evaluation' && kind !== 'rectification' && kind !== 'appointment') {
      fail('kind', '应为 case、evaluation、rectification 或 appointment');
    }
    const seq = raw.seq;
    if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 0) fail('seq', '应为非负整数');
    if (!isIsoWithOffset(raw.occurredAt)) fail('occurredAt', '应为带时区偏移的 ISO 8601 时间');
    if (!isObj(raw.data)) fail('data', '应为对象');
    const data = raw.data as Obj;
    const base = { id, kind: kind as RecordKind, seq: seq as number, occurredAt: raw.occurredAt as string, data };
    if (kind === 'case') {
      const { parsed, people } = checkCase(data);
      for (const p of people) {
        if (p.certType !== '111') continue;
        const c = checkCertNo('resident', p.certNo, ctx.today);
        if (!c.ok) return { ok: false, code: 'INVALID_CERT_NO', message: `居民身份证号码无效：${c.reason}` };
      }
      return { ok: true, record: { ...base, parsed } };
    }
    if (kind === 'rectification') return { ok: true, record: { ...base, parsed: checkRectification(data) } };
    if (kind === 'appointment') return { ok: true, record: { ...base, parsed: checkAppointment(data) } };
    const ev = checkEvaluation(data, ctx.reasonCodes);
    if (ev.satisfaction <= 2 && ev.reasons.length === 0 && ev.text.trim() === '') {
      return { ok: false, code: 'REASON_REQUIRED', message: '差评（不满意、非常不满意）须至少选择一个原因或填写文字' };
    }
    const { reasons: _r, text: _t, ...parsed } = ev;
    return { ok: true, record: { ...base, parsed } };
  } catch (err) {
    if (err instanceof FieldError) return { ok: false, code: 'SCHEMA', message: err.message };
    throw err;
  }
}
