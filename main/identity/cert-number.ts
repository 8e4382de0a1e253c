/**
 * Identity numbers: validate, never trust (GB 11643-1999, foreign permanent residence cards).
 * Pure functions; the birth date check needs "today", which the caller passes in.
 */
import { gb11643CheckChar } from '../../common/gb11643.js';

/** The kinds of identity document a ticket or case may carry; defined here, with their checks. */
export type CertType = 'resident' | 'hk_mo_tw' | 'foreign_2017' | 'foreign_2023' | 'other';

export type CertCheck =
  | { ok: true; normalized: string; birthDate: string | null; gender: 'male' | 'female' | null }
  | { ok: false; reason: string };

/**
 * MOD 11-2 check character of the first 17 characters (digits only). The one implementation is in
 * common/, shared with the card reader driver.
 */
export const mod112Check: (first17: string) => string = gb11643CheckChar;

function realPastDate(yyyymmdd: string, today: string): string | null {
  const y = Number(yyyymmdd.slice(0, 4));
  const m = Number(yyyymmdd.slice(4, 6));
  const d = Number(yyyymmdd.slice(6, 8));
  const dt = new Date(Date.UTC(y, m - 1, d));
  if (dt.getUTCFullYear() !== y || dt.getUTCMonth() !== m - 1 || dt.getUTCDate() !== d) return null;
  if (y < 1900) return null;
  const iso = `${yyyymmdd.slice(0, 4)}-${yyyymmdd.slice(4, 6)}-${yyyymmdd.slice(6, 8)}`;
  return iso <= today ? iso : null;
}

/**
 * Checks an identity number of the given type. `today` is the hall's business day (YYYY-MM-DD),
 * used to refuse birth dates in the future.
 */
export function checkCertNo(certType: CertType, raw: string, today: string): CertCheck {
  const no = raw.trim().toUpperCase();
  if (certType === 'other') {
    return no.length >= 4 && no.length <= 40
      ? { ok: true, normalized: no, birthDate: null, gender: null }
      : { ok: false, reason: '证件号码长度应为4至40位' };
  }
  if (certType === 'foreign_2017') {
    return /^[A-Z]{3}\d{12}$/.test(no)
      ? { ok: true, normalized: no, birthDate: null, gender: null }
      : { ok: false, reason: '2017版外国人永久居留身份证号码应为3个字母加12位数字' };
  }
  if (!/^\d{17}[\dX]$/.test(no)) return { ok: false, reason: '证件号码应为17位数字加1位校验码（数字或X）' };
  if (mod112Check(no.slice(0, 17)) !== no[17]) return { ok: false, reason: '证件号码校验码不正确' };
  if (certType === 'foreign_2023' && no[0] !== '9') {
    return { ok: false, reason: '2023版外国人永久居留身份证号码应以9开头' };
  }
  if (certType === 'hk_mo_tw' && !/^8[123]0000/.test(no)) {
    return { ok: false, reason: '港澳台居民居住证号码应以810000、820000或830000开头' };
  }
  const birthDate = realPastDate(no.slice(6, 14), today);
  if (!birthDate) return { ok: false, reason: '证件号码中的出生日期无效' };
  return { ok: true, normalized: no, birthDate, gender: Number(no[16]) % 2 === 1 ? 'male' : 'female' };
}

/** Whole years from birth date to the given day (both YYYY-MM-DD). */
export function ageOn(birthDate: string, day: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  let age = y - by;
  if (m < bm || (m === bm && d < bd)) age--;
  return age;
}

/** 统一社会信用代码 (GB 32100-2015). */
export function isValidCreditCode(raw: string): boolean {
  const chars = '0123456789ABCDEFGHJKLMNPQRTUWXY';
  const w = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
  const code = raw.trim().toUpperCase();
  if (code.length !== 18) return false;
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = chars.indexOf(code[i] as string);
    if (v < 0) return false;
    sum += v * (w[i] as number);
  }
  const c = (31 - (sum % 31)) % 31;
  return chars[c] === code[17];
}
