/**
 * Authentication of platform requests (platform-api.md, "Transport and authentication").
 *
 * Order of checks, chosen so unsigned junk learns nothing (not even the platform's clock):
 *   1. headers present, X-Signature-Alg known, X-Hall-Code known, signature right → else BAD_SIGNATURE
 *   2. |X-Timestamp − simulator clock| ≤ 300 000 ms → else CLOCK_SKEW with serverTime
 *   3. nonce not seen in the last 10 minutes → else REPLAY
 * A nonce is remembered only once a request passed 1 and 2, so a hall whose clock was refused may
 * not be punished for it; it must still send a fresh nonce on every request.
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { SIGNATURE_ALGS, type SignatureAlg, signRequest } from '../sync/request-signature.js';

export const MAX_SKEW_MS = 300_000;
export const NONCE_WINDOW_MS = 600_000;

export type AuthFailure =
  | { code: 'BAD_SIGNATURE'; message: string }
  | { code: 'CLOCK_SKEW'; message: string; serverTime: number }
  | { code: 'REPLAY'; message: string };

export type AuthResult = { ok: true; hallCode: string; alg: SignatureAlg } | ({ ok: false } & AuthFailure);

/** Nonces seen in the last 10 minutes, oldest first (a Map keeps insertion order). */
export class NonceCache {
  private readonly seen = new Map<string, number>();

  has(key: string, now: number): boolean {
    this.prune(now);
    return this.seen.has(key);
  }

  add(key: string, now: number): void {
    this.seen.set(key, now);
  }

  get size(): number {
    return this.seen.size;
  }

  private prune(now: number): void {
    for (const [k, t] of this.seen) {
      if (now - t < NONCE_WINDOW_MS) break;
      this.seen.delete(k);
    }
  }
}

const header = (h: IncomingHttpHeaders, name: string): string | undefined => {
  const v = h[name];
  return Array.isArray(v) ? v[0] : v;
};

const bad = (message: string): AuthResult => ({ ok: false, code: 'BAD_SIGNATURE', message });

export function authenticate(input: {
  method: string;
  pathWithQuery: string;
  headers: IncomingHttpHeaders;
  body: Uint8Array;
  secrets: ReadonlyMap<string, string>;
  nonces: NonceCache;
  now: number;
}): AuthResult {
  const h = input.headers;
  const hallCode = header(h, 'x-hall-code');
  const ts = header(h, 'x-timestamp');
  const nonce = header(h, 'x-nonce');
  const alg = header(h, 'x-signature-alg');
  const sig = header(h, 'x-signature');
  if (!hallCode || !ts || !nonce || !alg || !sig) {
    return bad('缺少 X-Hall-Code、X-Timestamp、X-Nonce、X-Signature-Alg 或 X-Signature 请求头');
  }
  if (!SIGNATURE_ALGS.includes(alg as SignatureAlg)) return bad('X-Signature-Alg 应为 HMAC-SHA256 或 HMAC-SM3');
  const secret = input.secrets.get(hallCode);
  // An unknown hall gets the same answer as a wrong signature (contract), so codes cannot be probed.
  if (secret === undefined) return bad('签名错误或大厅编码未登记');
  const expected = signRequest({
    alg: alg as SignatureAlg,
    secret,
    method: input.method,
    pathWithQuery: input.pathWithQuery,
    // The header text exactly as sent is what was signed, so it goes in verbatim.
    timestamp: ts as unknown as number,
    nonce,
    body: input.body,
  });
  const a = Buffer.from(expected);
  const b = Buffer.from(sig);
  if (a.length !== b.length || !timingSafeEqual(a, b)) return bad('签名错误或大厅编码未登记');
  const t = /^\d{1,16}$/.test(ts) ? Number(ts) : Number.NaN;
  if (!Number.isFinite(t) || Math.abs(t - input.now) > MAX_SKEW_MS) {
    return {
      ok: false,
      code: 'CLOCK_SKEW',
      message: '请求时间与平台时间相差超过 5 分钟，请按 serverTime 校正时钟偏移后重试',
      serverTime: input.now,
    };
  }
  const key = `${hallCode}\n${nonce}`;
  if (input.nonces.has(key, input.now))
    return { ok: false, code: 'REPLAY', message: '该 X-Nonce 在 10 分钟内已使用过' };
  input.nonces.add(key, input.now);
  return { ok: true, hallCode, alg: alg as SignatureAlg };
}
