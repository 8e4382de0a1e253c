/**
 * GB 11643-1999 checks for the on-screen keypad, as the user types. The hub checks again
 * (main/identity/cert-number.ts); this copy exists because the renderer may not import main/ code.
 * A test runs both on the same inputs so they cannot drift apart.
 */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

export type PartialCheck =
  | { state: 'incomplete'; hint: string | null }
  | { state: 'invalid'; reason: string }
  | { state: 'valid'; normalized: string; birthDate: string; gender: 'male' | 'female' };

export function mod112(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * (WEIGHTS[i] as number);
  return CHECK[sum % 11] as string;
}

function validDate(yyyymmdd: string, today: string): string | null {
  const y = Number(yyyymmdd.slice(0, 4));
  const m = Number(yyyymmdd.slice(4, 6));
  const d = Number(yyyymmdd.slice(6, 8));
  const dt = new Date(Date.UTC(y, m - 1, d));
  if (dt.getUTCFullYear() !== y || dt.getUTCMonth() !== m - 1 || dt.getUTCDate() !== d || y < 1900) return null;
  const iso = `${yyyymmdd.slice(0, 4)}-${yyyymmdd.slice(4, 6)}-${yyyymmdd.slice(6, 8)}`;
  return iso <= today ? iso : null;
}

/**
 * Checks a resident ID number while it is being typed: catches a bad character, an impossible
 * birth date as soon as its 8 digits are in, and a wrong check character at 18.
 */
export function checkTyping(raw: string, today: string): PartialCheck {
  const no = raw.toUpperCase();
  if (no.length === 0) return { state: 'incomplete', hint: null };
  if (!/^\d{0,17}[\dX]?$/.test(no) || (no.includes('X') && no.length !== 18))
    return { state: 'invalid', reason: '只有最后一位可以是 X' };
  if (no.length > 18) return { state: 'invalid', reason: '证件号码为 18 位' };
  if (no.length >= 14 && !validDate(no.slice(6, 14), today)) return { state: 'invalid', reason: '出生日期不正确' };
  if (no.length < 18) return { state: 'incomplete', hint: `还差 ${18 - no.length} 位` };
  if (mod112(no.slice(0, 17)) !== no[17]) return { state: 'invalid', reason: '校验位不正确，请核对号码' };
  const birthDate = validDate(no.slice(6, 14), today) as string;
  return { state: 'valid', normalized: no, birthDate, gender: Number(no[16]) % 2 === 1 ? 'male' : 'female' };
}

/** Whole years between two YYYY-MM-DD days. */
export function ageOn(birthDate: string, day: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  let age = y - by;
  if (m < bm || (m === bm && d < bd)) age--;
  return age;
}

/** Local day as YYYY-MM-DD in a time zone (the hall's, Asia/Shanghai by default). */
export function dayIn(ms: number, timeZone = 'Asia/Shanghai'): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(ms);
}

/** 5101**********1234 (domain.md masking). */
export function maskCertNo(no: string): string {
  return no.length <= 8 ? no : `${no.slice(0, 4)}${'*'.repeat(no.length - 8)}${no.slice(-4)}`;
}

/** 张*三 / 张* */
export function maskName(name: string): string {
  const chars = [...name];
  if (chars.length <= 1) return name;
  if (chars.length === 2) return `${chars[0]}*`;
  return `${chars[0]}${'*'.repeat(chars.length - 2)}${chars[chars.length - 1]}`;
}
