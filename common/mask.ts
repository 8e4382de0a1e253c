/**
 * Masking for screens, tickets, logs and API answers (domain.md): ID numbers keep their first 4 and
 * last 4 characters, names their first and last character (张*三, 张*). One implementation for the
 * hub and the UIs, so a screen never shows more than the API would.
 */

export function maskCertNo(certNo: string): string {
  if (certNo.length <= 8) return '*'.repeat(certNo.length);
  return `${certNo.slice(0, 4)}${'*'.repeat(certNo.length - 8)}${certNo.slice(-4)}`;
}

export function maskName(name: string): string {
  const chars = [...name.trim()];
  if (chars.length <= 1) return chars.join('');
  if (chars.length === 2) return `${chars[0]}*`;
  return `${chars[0]}${'*'.repeat(chars.length - 2)}${chars[chars.length - 1]}`;
}
