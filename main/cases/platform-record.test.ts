import { describe, expect, it } from 'vitest';
import {
  caseData,
  evaluationData,
  platformCaseResult,
  platformCaseType,
  platformCertType,
  platformChannel,
} from './platform-record.js';

describe('platform record data', () => {
  it('maps every code through an explicit table', () => {
    expect(['resident', 'hk_mo_tw', 'foreign_2017', 'foreign_2023', 'other'].map(platformCertType)).toEqual([
      '111',
      '990',
      '553',
      '553',
      '990',
    ]);
    expect(platformCertType('516')).toBe('516');
    expect(platformCertType('passport')).toBe('990');
    expect(['1', 'approved', '准予许可', '不予许可', '退件', 'transferred', '奇怪'].map(platformCaseResult)).toEqual([
      'approved',
      'approved',
      'approved',
      'rejected',
      'returned',
      'transferred',
      'other',
    ]);
    expect([null, '2', '承诺件', '即办件'].map(platformCaseType)).toEqual([1, 2, 2, 1]);
    expect(['pad', 'kiosk', 'qr'].map(platformChannel)).toEqual([4, 5, 3]);
  });

  it('builds case and evaluation data without any ID number, with satisfaction 1 = 非常不满意', () => {
    const c = caseData({
      localCaseId: 'C1',
      version: 1,
      taskCode: 'T',
      taskName: null,
      applicant: { name: '张三', certType: 'resident' },
      agent: null,
      applyTime: 'a',
      acceptTime: 'b',
      finishTime: null,
      status: 'accepted',
      result: 'approved',
      caseType: null,
      windowNo: 1,
      staffNo: '8001',
      ticket: null,
      materials: ['居民身份证', { name: '授权委托书', pages: 2, sha256: 'F'.repeat(64) }],
    });
    expect(c.materials).toEqual([
      { name: '居民身份证', copies: 1, pages: null, sha256: null },
      { name: '授权委托书', copies: 1, pages: 2, sha256: 'f'.repeat(64) },
    ]);
    expect(c).toMatchObject({ result: null, caseType: 1, handleForm: 1, applicant: { certType: '111', certNo: '' } });
    expect(c).not.toHaveProperty('agent');
    const e = evaluationData({
      evaluationId: 'E1',
      localCaseId: 'C1',
      taskCode: 'T',
      level: 'very_dissatisfied',
      reasons: ['R1'],
      text: null,
      channel: 'qr',
      assessNumber: 2,
      assessTime: 't',
      windowNo: 1,
      staffNo: null,
      deviceId: null,
    });
    expect(e).toMatchObject({ satisfaction: 1, channel: 3, text: '', assessNumber: 2, userProp: 1 });
  });
});
