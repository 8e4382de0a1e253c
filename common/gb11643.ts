/**
 * GB 11643 check of an 18-character citizen identity number (also used by residence permits and the
 * 2023 foreign permanent residence card). The only implementation, in common/ because the card
 * reader driver and main/identity/cert-number.ts both need it. Pure and browser-safe.
 */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

export function gb11643CheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i]!;
  return CHECK[sum % 11]!;
}

/** True when `no` is 17 digits plus the right MOD 11-2 check character. */
export function isValidGb11643(no: string): boolean {
  const n = no.trim().toUpperCase();
  return /^\d{17}[\dX]$/.test(n) && gb11643CheckChar(n.slice(0, 17)) === n[17];
}
