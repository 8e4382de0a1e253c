/** Field rules of platform-api.md, one record at a time (pure, no HTTP). */
import { describe, expect, it } from 'vitest';
import { DEFAULT_CATALOG } from './default-catalog.js';
import { residentIdNo, sampleCase, sampleEvaluation } from './sample-records.js';
import { checkRecord } from './validate-record.js';

const ctx = { reasonCodes: new Set(DEFAULT_CATALOG.evaluationReasons.map((r) => r.code)), today: '2026-11-23' };
const check = (r: { id: string; data?: unknown }) => checkRecord(r.id, r as unknown as Record<string, unknown>, ctx);
const withData = (r: ReturnType<typeof sampleCase>, data: Record<string, unknown>) => ({
  ...r,
  data: { ...r.data, ...data },
});

describe('checkRecord', () => {
  it('accepts the sample case and evaluation', () => {
    expect(check(sampleCase()).ok).toBe(true);
    expect(check(sampleEvaluation({ localCaseId: 'L1' })).ok).toBe(true);
    expect(check(sampleCase({ status: 'finished' })).ok).toBe(true);
  });

  it('takes what the contract leaves open: empty names, null window, staff, pages, integer codes', () => {
    const c = sampleCase();
    const open = withData(c, {
      taskName: '',
      applicant: { name: '', certType: 990, certNo: '' },
      hall: { hallCode: 'H', areaCode: '330106', windowNo: null, staffNo: null },
      ticket: null,
      materials: [{ name: '申请表', copies: 1, pages: null, sha256: null }],
    });
    expect(check(open).ok).toBe(true);
    const ev = sampleEvaluation({ localCaseId: 'L1' });
    const hall = { hallCode: 'H', windowNo: '3', staffNo: 8003, deviceId: null };
    expect(check({ ...ev, data: { ...ev.data, hall } }).ok).toBe(true);
    const { windowNo: _w, ...noWindow } = hall;
    expect(check({ ...ev, data: { ...ev.data, hall: noWindow } })).toMatchObject({ code: 'SCHEMA' });
  });

  it('names the field of a SCHEMA problem', () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ taskCode: 'abc12345' }, 'data.taskCode'],
      [{ version: 0 }, 'data.version'],
      [{ status: 'done' }, 'data.status'],
      [{ status: 'finished', result: null, finishTime: '2026-11-23T10:00:00+08:00' }, 'data.result'],
      [{ applyTime: '2026-11-23 10:00:00' }, 'data.applyTime'],
      [{ caseType: 3 }, 'data.caseType'],
      [{ applicant: { name: '张三', certType: '112', certNo: 'x' } }, 'data.applicant.certType'],
      [{ materials: [{ name: '身份证', copies: -1, pages: 1, sha256: null }] }, 'data.materials[0].copies'],
      [{ ticket: { number: 'A1', waitSeconds: 'x', serveSeconds: 1 } }, 'data.ticket.waitSeconds'],
    ];
    for (const [data, field] of cases) {
      const r = check(withData(sampleCase(), data));
      expect(r, field).toMatchObject({ ok: false, code: 'SCHEMA' });
      expect(!r.ok && r.message).toContain(field);
    }
    const { finishTime: _f, ...noFinish } = sampleCase().data;
    expect(check({ ...sampleCase(), data: noFinish })).toMatchObject({ ok: false, code: 'SCHEMA' });
    expect(check({ ...sampleCase(), kind: 'note' } as never)).toMatchObject({ ok: false, code: 'SCHEMA' });
    const ev = sampleEvaluation({ localCaseId: 'L1' });
    expect(check({ ...ev, data: { ...ev.data, satisfaction: 6 } })).toMatchObject({ code: 'SCHEMA' });
    expect(check({ ...ev, data: { ...ev.data, reasons: ['NOPE'] } })).toMatchObject({ code: 'SCHEMA' });
    expect(check({ ...ev, data: { ...ev.data, text: '长'.repeat(501) } })).toMatchObject({ code: 'SCHEMA' });
    expect(check({ ...ev, data: { ...ev.data, text: '长'.repeat(500) } }).ok).toBe(true);
  });

  it('checks 111 numbers by GB 11643 (applicant and agent), and only those', () => {
    const bad = `${residentIdNo().slice(0, 17)}${residentIdNo().endsWith('0') ? '1' : '0'}`;
    expect(check(sampleCase({ certNo: bad }))).toMatchObject({ ok: false, code: 'INVALID_CERT_NO' });
    expect(check(sampleCase({ certNo: residentIdNo('20991231') }))).toMatchObject({ code: 'INVALID_CERT_NO' });
    const agent = { name: '李四', certType: 111, certNo: bad };
    expect(check(withData(sampleCase(), { agent }))).toMatchObject({ code: 'INVALID_CERT_NO' });
    const foreign = { name: 'JOHN', certType: '553', certNo: 'USA123456789012' };
    expect(check(withData(sampleCase(), { applicant: foreign })).ok).toBe(true);
  });

  it('needs a reason or a text for satisfaction 1 and 2', () => {
    expect(check(sampleEvaluation({ localCaseId: 'L', satisfaction: 2 }))).toMatchObject({
      ok: false,
      code: 'REASON_REQUIRED',
    });
    expect(check(sampleEvaluation({ localCaseId: 'L', satisfaction: 1, text: '   ' }))).toMatchObject({
      code: 'REASON_REQUIRED',
    });
    expect(check(sampleEvaluation({ localCaseId: 'L', satisfaction: 1, reasons: ['R103'] })).ok).toBe(true);
    expect(check(sampleEvaluation({ localCaseId: 'L', satisfaction: 2, text: '等太久' })).ok).toBe(true);
    expect(check(sampleEvaluation({ localCaseId: 'L', satisfaction: 3 })).ok).toBe(true);
  });
});
