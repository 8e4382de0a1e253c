/** Staff PINs are stored only as salted scrypt hashes: "scrypt$N$r$p$saltB64$hashB64". */
import { randomBytes, scrypt, scryptSync, timingSafeEqual } from 'node:crypto';

const N = 16384;
const R = 8;
const P = 1;
const LEN = 32;
const FORMAT = /^scrypt\$(\d+)\$(\d+)\$(\d+)\$([A-Za-z0-9+/]+=*)\$([A-Za-z0-9+/]+=*)$/;

export function hashPin(pin: string): string {
  const salt = randomBytes(16);
  const hash = scryptSync(pin, salt, LEN, { N, r: R, p: P });
  return `scrypt$${N}$${R}$${P}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

export function isPinHash(s: string): boolean {
  const m = FORMAT.exec(s);
  return !!m && Buffer.from(m[5]!, 'base64').length >= 16 && Buffer.from(m[4]!, 'base64').length >= 8;
}

/**
 * Whether `pin` matches `stored`. Asynchronous: the hash runs on libuv's thread pool, so a burst
 * of sign-ins cannot stall the hub's one thread (and every terminal with it) for its duration.
 */
export function verifyPin(pin: string, stored: string): Promise<boolean> {
  const m = FORMAT.exec(stored);
  if (!m) return Promise.resolve(false);
  const [, n, r, p, salt, hash] = m;
  const expected = Buffer.from(hash!, 'base64');
  const opts = { N: Number(n), r: Number(r), p: Number(p), maxmem: 64 * 1024 * 1024 };
  return new Promise((resolve) => {
    scrypt(pin, Buffer.from(salt!, 'base64'), expected.length, opts, (err, actual) => {
      resolve(!err && timingSafeEqual(actual, expected));
    });
  });
}
