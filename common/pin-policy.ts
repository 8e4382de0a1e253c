/**
 * Which PINs an admin may set (config editor, `govhall config hash-pin`): 6 to 12 digits and not
 * one a neighbour would guess first. Staff numbers are public, so a PIN is the whole secret; the
 * lockout (5 tries per staff number and address) only helps when the first guesses miss.
 */

export const PIN_MIN_DIGITS = 6;
export const PIN_MAX_DIGITS = 12;

/** The demo hall's well-known PIN (kiosk-config/demo-hall.yaml); refused in every other hall. */
export const DEMO_PIN = '123456';

/** Common choices that are no run and no repetition (keypad patterns, dates, lucky numbers). */
const DENY = new Set([
  '112233',
  '111222',
  '123321',
  '123654',
  '147258',
  '147852',
  '159753',
  '258369',
  '369258',
  '789456',
  '456123',
  '102030',
  '520520',
  '520131',
  '131420',
  '521314',
  '168168',
  '168888',
  '518518',
  '888666',
  '666888',
  '000001',
  '100000',
]);

/** Each digit one more (or one less) than the one before: 123456, 654321, 3456789. */
function isRun(pin: string): boolean {
  const d = [...pin].map(Number);
  const step = d[1]! - d[0]!;
  if (step !== 1 && step !== -1) return false;
  return d.every((x, i) => i === 0 || x - d[i - 1]! === step);
}

/** A short group said again and again: 000000, 121212, 123123, 12341234. */
function isRepetition(pin: string): boolean {
  for (let k = 1; k <= pin.length / 2; k++) {
    if (pin.length % k !== 0) continue;
    if (pin.slice(0, k).repeat(pin.length / k) === pin) return true;
  }
  return false;
}

/**
 * Null when the PIN may be set; else a Chinese sentence saying what to change. `demo`: the hall
 * is the demo hall, where only the demo PIN itself is let through.
 */
export function pinProblem(pin: string, opts: { demo?: boolean } = {}): string | null {
  if (!new RegExp(`^\\d{${PIN_MIN_DIGITS},${PIN_MAX_DIGITS}}$`).test(pin))
    return `PIN 应为 ${PIN_MIN_DIGITS} 到 ${PIN_MAX_DIGITS} 位数字`;
  if (opts.demo && pin === DEMO_PIN) return null;
  if (isRepetition(pin)) return 'PIN 不能由同一个数字或同一组数字重复组成（如 000000、121212），请换一个';
  if (isRun(pin)) return 'PIN 不能是连续递增或递减的数字（如 123456、654321），请换一个';
  if (DENY.has(pin)) return 'PIN 过于常见，容易被猜到，请换一个';
  return null;
}
