import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signedHeaders, signRequest, stringToSign } from './request-signature.js';

const base = {
  secret: 'hall-secret',
  method: 'post',
  pathWithQuery: '/api/v1/records:batch',
  timestamp: 1795000000123,
  nonce: '2b1f4c1e-8f0e-4a55-9d3c-1b2a3c4d5e6f',
  body: '{"batchId":"b1","records":[]}',
};

describe('platform request signature', () => {
  it('builds the string to sign as the contract says', () => {
    const bodyHex = createHash('sha256').update(base.body).digest('hex');
    expect(stringToSign({ ...base, alg: 'HMAC-SHA256' })).toBe(
      `POST\n/api/v1/records:batch\n1795000000123\n${base.nonce}\n${bodyHex}`,
    );
    const getHex = createHash('sm3').update('').digest('hex');
    expect(stringToSign({ ...base, alg: 'HMAC-SM3', method: 'GET', body: '' }).endsWith(`\n${getHex}`)).toBe(true);
  });

  it('signs with HMAC-SHA256 and HMAC-SM3 exactly as OpenSSL would', () => {
    for (const [alg, hash] of [
      ['HMAC-SHA256', 'sha256'],
      ['HMAC-SM3', 'sm3'],
    ] as const) {
      const s = `POST\n${base.pathWithQuery}\n${base.timestamp}\n${base.nonce}\n${createHash(hash).update(base.body).digest('hex')}`;
      expect(signRequest({ ...base, alg })).toBe(createHmac(hash, base.secret).update(s).digest('hex'));
    }
  });

  it('produces the five headers', () => {
    const h = signedHeaders({ ...base, alg: 'HMAC-SM3', hallCode: 'DEMO-HALL-01' });
    expect(Object.keys(h)).toEqual(['X-Hall-Code', 'X-Timestamp', 'X-Nonce', 'X-Signature-Alg', 'X-Signature']);
    expect(h['X-Signature']).toMatch(/^[0-9a-f]{64}$/);
  });
});
