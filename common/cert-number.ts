/**
 * Identity numbers, checked the same way on the kiosk's keypad and in the hub: GB 11643-1999 (the
 * resident ID card, also used by residence permits and the 2023 foreign permanent residence card),
 * the 2017 永居证 and 统一社会信用代码. Pure and browser-safe; "today" comes from the caller so a
 * birth date in the future is refused by the hall's calendar, not the machine's.
 */

/** Card types as the hub API names them (hub-api.md). */
export const CERT_TYPES = ['resident', 'hk_mo_tw', 'foreign_2017', 'foreign_2023', 'other'] as const;
export type CertType = (typeof CERT_TYPES)[number];

export const CERT_TYPE_TEXT: Record<CertType, string> = {
  resident: '居民身份证',
  hk_mo_tw: '港澳台居民居住证',
  foreign_2017: '外国人永久居留身份证（2017 版）',
  foreign_2023: '外国人永久居留身份证（2023 版）',
  other: '其他证件',
};

/**
 * The platform's certificate codes accepted as aliases (hub-api.md): 111 居民身份证, 553 外国人永久
 * 居留身份证 (which edition follows from the number's format), 990 其他.
 */
export const CERT_TYPE_ALIASES = ['111', '553', '990'] as const;

/** Resolves an API `certType` (name or platform alias) given the number it came with. */
export function resolveCertType(value: CertType | (typeof CERT_TYPE_ALIASES)[number], certNo: string): CertType {
  if (value === '111') return 'resident';
  if (value === '990') return 'other';
  if (value === '553') return /^[A-Za-z]{3}\d{12}$/.test(certNo.trim()) ? 'foreign_2017' : 'foreign_2023';
  return value;
}

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

/** MOD 11-2 check character of the first 17 digits. */
export function gb11643CheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * (WEIGHTS[i] as number);
  return CHECK[sum % 11] as string;
}

/** True when `no` is 17 digits plus the right MOD 11-2 check character. */
export function isValidGb11643(no: string): boolean {
  const n = no.trim().toUpperCase();
  return /^\d{17}[\dX]$/.test(n) && gb11643CheckChar(n.slice(0, 17)) === n[17];
}

/** YYYY-MM-DD when `yyyymmdd` is a real date from 1900 up to `today`, else null. */
function realPastDate(yyyymmdd: string, today: string): string | null {
  const y = Number(yyyymmdd.slice(0, 4));
  const m = Number(yyyymmdd.slice(4, 6));
  const d = Number(yyyymmdd.slice(6, 8));
  const dt = new Date(Date.UTC(y, m - 1, d));
  if (dt.getUTCFullYear() !== y || dt.getUTCMonth() !== m - 1 || dt.getUTCDate() !== d || y < 1900) return null;
  const iso = `${yyyymmdd.slice(0, 4)}-${yyyymmdd.slice(4, 6)}-${yyyymmdd.slice(6, 8)}`;
  return iso <= today ? iso : null;
}

const genderOf = (no: string): 'male' | 'female' => (Number(no[16]) % 2 === 1 ? 'male' : 'female');

export type CertCheck =
  | { ok: true; normalized: string; birthDate: string | null; gender: 'male' | 'female' | null }
  | { ok: false; reason: string };

/** Checks a whole identity number of the given type. `today` is the hall's business day. */
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
  if (gb11643CheckChar(no.slice(0, 17)) !== no[17]) return { ok: false, reason: '证件号码校验码不正确' };
  if (certType === 'foreign_2023' && no[0] !== '9') {
    return { ok: false, reason: '2023版外国人永久居留身份证号码应以9开头' };
  }
  if (certType === 'hk_mo_tw' && !/^8[123]0000/.test(no)) {
    return { ok: false, reason: '港澳台居民居住证号码应以810000、820000或830000开头' };
  }
  const birthDate = realPastDate(no.slice(6, 14), today);
  if (!birthDate) return { ok: false, reason: '证件号码中的出生日期无效' };
  return { ok: true, normalized: no, birthDate, gender: genderOf(no) };
}

export type PartialCheck =
  | { state: 'incomplete'; hint: string | null }
  | { state: 'invalid'; reason: string }
  | { state: 'valid'; normalized: string; birthDate: string; gender: 'male' | 'female' };

/**
 * Checks a resident ID number while it is being typed: a bad character, an impossible birth date
 * as soon as its 8 digits are in, and a wrong check character at 18 are caught at once.
 */
export function checkTyping(raw: string, today: string): PartialCheck {
  const no = raw.toUpperCase();
  if (no.length === 0) return { state: 'incomplete', hint: null };
  if (!/^\d{0,17}[\dX]?$/.test(no) || (no.includes('X') && no.length !== 18))
    return { state: 'invalid', reason: '只有最后一位可以是 X' };
  if (no.length > 18) return { state: 'invalid', reason: '证件号码为 18 位' };
  if (no.length >= 14 && !realPastDate(no.slice(6, 14), today)) return { state: 'invalid', reason: '出生日期不正确' };
  if (no.length < 18) return { state: 'incomplete', hint: `还差 ${18 - no.length} 位` };
  const whole = checkCertNo('resident', no, today);
  if (!whole.ok) return { state: 'invalid', reason: '校验位不正确，请核对号码' };
  return { state: 'valid', normalized: no, birthDate: whole.birthDate as string, gender: genderOf(no) };
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
