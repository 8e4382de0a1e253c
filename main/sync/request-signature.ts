/**
 * Request signatures of the provincial platform contract (platform-api.md, "Transport and
 * authentication"): X-Signature = hex(HMAC(secret, S)) with
 * S = METHOD \n PATH_WITH_QUERY \n X-Timestamp \n X-Nonce \n hex(H(body)).
 * SM3 comes from our own implementation so the same code signs inside Electron.
 */
import { createHash, createHmac } from 'node:crypto';
import { hmacSm3, sm3, toHex } from '../crypto/sm3.js';

export type SignatureAlg = 'HMAC-SHA256' | 'HMAC-SM3';
export const SIGNATURE_ALGS: readonly SignatureAlg[] = ['HMAC-SHA256', 'HMAC-SM3'];

export interface SignInput {
  alg: SignatureAlg;
  secret: string | Uint8Array;
  method: string;
  /** Path with its query string, exactly as sent, e.g. "/api/v1/catalogue?since=…". */
  pathWithQuery: string;
  timestamp: number;
  nonce: string;
  /** The exact body bytes sent; empty for GET. */
  body: Uint8Array | string;
}

const bytes = (b: Uint8Array | string) => (typeof b === 'string' ? new TextEncoder().encode(b) : b);

export function bodyHash(alg: SignatureAlg, body: Uint8Array | string): string {
  return alg === 'HMAC-SM3' ? toHex(sm3(bytes(body))) : createHash('sha256').update(bytes(body)).digest('hex');
}

export function stringToSign(i: SignInput): string {
  return `${i.method.toUpperCase()}\n${i.pathWithQuery}\n${i.timestamp}\n${i.nonce}\n${bodyHash(i.alg, i.body)}`;
}

export function signRequest(i: SignInput): string {
  const s = stringToSign(i);
  return i.alg === 'HMAC-SM3'
    ? toHex(hmacSm3(bytes(i.secret), s))
    : createHmac('sha256', bytes(i.secret)).update(s).digest('hex');
}

/** The headers every platform request carries. */
export function signedHeaders(i: SignInput & { hallCode: string }): Record<string, string> {
  return {
    'X-Hall-Code': i.hallCode,
    'X-Timestamp': String(i.timestamp),
    'X-Nonce': i.nonce,
    'X-Signature-Alg': i.alg,
    'X-Signature': signRequest(i),
  };
}
