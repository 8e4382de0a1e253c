import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ageOn,
  CERT_TYPE_ALIASES,
  checkCertNo,
  checkTyping,
  gb11643CheckChar,
  isValidCreditCode,
  resolveCertType,
} from './cert-number.js';
import { maskCertNo, maskName } from './mask.js';

const TODAY = '2026-11-23';
const withCheck = (first17: string) => first17 + gb11643CheckChar(first17);

describe('identity numbers (GB 11643)', () => {
  it('accepts a valid resident number, upper-cases x and reads birth date and gender', () => {
    expect(checkCertNo('resident', '11010519491231002x', TODAY)).toEqual({
      ok: true,
      normalized: '11010519491231002X',
      birthDate: '1949-12-31',
      gender: 'female',
    });
    const male = withCheck('33010619800101001');
    expect(checkCertNo('resident', male, TODAY)).toMatchObject({ ok: true, gender: 'male' });
  });

  it('refuses a wrong check digit, a bad length, an impossible or future birth date', () => {
    expect(checkCertNo('resident', '110105194912310021', TODAY)).toMatchObject({ ok: false });
    expect(checkCertNo('resident', '1101051949123100', TODAY)).toMatchObject({ ok: false });
    expect(checkCertNo('resident', withCheck('11010519490231002'), TODAY)).toMatchObject({
      ok: false,
      reason: '证件号码中的出生日期无效',
    });
    expect(checkCertNo('resident', withCheck('11010520301231002'), TODAY)).toMatchObject({ ok: false });
  });

  it('checks residence permits and both foreign permanent residence cards', () => {
    expect(checkCertNo('hk_mo_tw', withCheck('81000019900101001'), TODAY)).toMatchObject({ ok: true });
    expect(checkCertNo('hk_mo_tw', withCheck('11000019900101001'), TODAY)).toMatchObject({ ok: false });
    expect(checkCertNo('foreign_2017', 'USA330612345678', TODAY)).toMatchObject({ ok: true });
    expect(checkCertNo('foreign_2017', 'US3306123456789', TODAY)).toMatchObject({ ok: false });
    expect(checkCertNo('foreign_2023', withCheck('93311019900101001'), TODAY)).toMatchObject({ ok: true });
    expect(checkCertNo('foreign_2023', withCheck('83311019900101001'), TODAY)).toMatchObject({ ok: false });
  });

  it('computes age on a business day, counting the birthday itself', () => {
    expect(ageOn('1966-11-23', '2026-11-23')).toBe(60);
    expect(ageOn('1966-11-24', '2026-11-23')).toBe(59);
  });

  it('checks 统一社会信用代码', () => {
    expect(isValidCreditCode('91350100M000100Y43')).toBe(true);
    expect(isValidCreditCode('91350100M000100Y44')).toBe(false);
  });

  it('masks numbers and names', () => {
    expect(maskCertNo('510105199001011234')).toBe('5101**********1234');
    expect(maskName('张三')).toBe('张*');
    expect(maskName('张小三')).toBe('张*三');
    expect(maskName('欧阳娜娜')).toBe('欧**娜');
  });

  it('keeps only the first and last character of a number shorter than 15 (passports, permits)', () => {
    expect(maskCertNo('E12345678')).toBe('E*******8');
    expect(maskCertNo('H0123456701')).toBe('H*********1');
    expect(maskCertNo('ABC12345678901')).toBe('A************1');
    expect(maskCertNo('330106900307123')).toBe('3301*******7123');
    expect(maskCertNo('1234')).toBe('****');
    expect(maskCertNo('')).toBe('');
  });

  it('never leaves more than 8 characters readable, and at most 2 below 15 characters', () => {
    const unit = fc.constantFrom(...'0123456789ABCDEFGHJKLMNPQRSTUVWXYZ');
    // Every length from 0 to 40 equally often, so the boundaries at 4 and 15 are always hit.
    const anyLength = fc.integer({ min: 0, max: 40 }).chain((n) => fc.string({ unit, minLength: n, maxLength: n }));
    fc.assert(
      fc.property(anyLength, (no) => {
        const masked = maskCertNo(no);
        expect(masked.length).toBe(no.length);
        const clear = [...masked].filter((c, i) => c !== '*' && c === no[i]).length;
        // Every character is either the original one or a star: nothing else is invented.
        expect([...masked].every((c, i) => c === '*' || c === no[i])).toBe(true);
        expect(clear).toBeLessThanOrEqual(no.length < 15 ? 2 : 8);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('typing on the keypad', () => {
  it('flags a bad birth date and a misplaced X while typing, and counts what is missing', () => {
    expect(checkTyping('33010619901', TODAY)).toEqual({ state: 'incomplete', hint: '还差 7 位' });
    expect(checkTyping('33010619901399', TODAY)).toMatchObject({ state: 'invalid', reason: '出生日期不正确' });
    expect(checkTyping('3301061990X', TODAY)).toMatchObject({ state: 'invalid' });
    expect(checkTyping('33010620990101', TODAY)).toMatchObject({ state: 'invalid' }); // future
    expect(maskCertNo('330106199003071236')).toBe('3301**********1236');
    expect(maskName('王秀兰')).toBe('王*兰');
    expect(maskName('李明')).toBe('李*');
  });

  it('agrees with the whole-number check on every complete number', () => {
    const digits = fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 17, maxLength: 17 });
    fc.assert(
      fc.property(digits, fc.boolean(), (first, right) => {
        const check = gb11643CheckChar(first);
        const no = first + (right ? check : check === '0' ? '1' : '0');
        expect(checkTyping(no, TODAY).state === 'valid').toBe(checkCertNo('resident', no, TODAY).ok);
      }),
      { numRuns: 500 },
    );
  });
});

describe('platform certificate codes', () => {
  it('maps 111, 553 and 990 to the API names; 553 follows the number format', () => {
    expect(CERT_TYPE_ALIASES).toEqual(['111', '553', '990']);
    expect(resolveCertType('111', '11010519491231002X')).toBe('resident');
    expect(resolveCertType('990', 'P1234567')).toBe('other');
    expect(resolveCertType('553', 'usa330119870101')).toBe('foreign_2017');
    expect(resolveCertType('553', withCheck('93310619800101001'))).toBe('foreign_2023');
    expect(resolveCertType('hk_mo_tw', 'x')).toBe('hk_mo_tw');
  });
});
