/**
 * Masking for screens, tickets, logs and API answers (domain.md): an 18-digit (or any 15+ character)
 * ID number keeps its first 4 and last 4 characters (`5101**********1234`); a shorter number — a
 * passport, a 港澳通行证, a 永居证 of the old format — keeps only its first and last character
 * (`E*******8`), because 4 + 4 of 9 characters would leave almost the whole number readable; a very
 * short one is hidden entirely. Names keep their first and last character (张*三, 张*). One
 * implementation for the hub and the UIs, so a screen never shows more than the API would.
 */

/** Below this length a number shows one character at each end instead of four. */
const LONG_NUMBER = 15;
/** At or below this length nothing is shown: two clear characters would be half the number. */
const TOO_SHORT_TO_SHOW = 4;

export function maskCertNo(certNo: string): string {
  const chars = [...certNo];
  const n = chars.length;
  if (n <= TOO_SHORT_TO_SHOW) return '*'.repeat(n);
  const keep = n >= LONG_NUMBER ? 4 : 1;
  return `${chars.slice(0, keep).join('')}${'*'.repeat(n - 2 * keep)}${chars.slice(n - keep).join('')}`;
}

export function maskName(name: string): string {
  const chars = [...name.trim()];
  if (chars.length <= 1) return chars.join('');
  if (chars.length === 2) return `${chars[0]}*`;
  return `${chars[0]}${'*'.repeat(chars.length - 2)}${chars[chars.length - 1]}`;
}
