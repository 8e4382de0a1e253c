/**
 * Appointment codes: 8 characters read off a phone or a slip and typed on a kiosk keypad, so the
 * alphabet leaves out what is easily confused (0/O, 1/I/L) — 31 symbols, about 40 bits, enough
 * that a guessed code names nobody's booking (the register also limits who may try, per address).
 */
export const CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export const CODE_LENGTH = 8;

/** A fresh code from `randomBytes` (injected: crypto in the hub, a seeded source in tests). */
export function newAppointmentCode(randomBytes: (n: number) => Uint8Array): string {
  let out = '';
  while (out.length < CODE_LENGTH) {
    for (const b of randomBytes(CODE_LENGTH * 2)) {
      // Rejection sampling keeps every symbol equally likely (248 = 8 × 31).
      if (b < 248 && out.length < CODE_LENGTH) out += CODE_ALPHABET[b % CODE_ALPHABET.length];
    }
  }
  return out;
}

/**
 * What a citizen typed, as a code: upper case, spaces and dashes dropped. 0, O, 1, I and L are
 * never issued, so a code holding one is refused as typed rather than guessed at. Null when it
 * cannot be a code.
 */
export function normalizeCode(raw: string): string | null {
  const s = raw.trim().toUpperCase().replace(/[\s-]/g, '');
  if (s.length !== CODE_LENGTH) return null;
  for (const ch of s) if (!CODE_ALPHABET.includes(ch)) return null;
  return s;
}
