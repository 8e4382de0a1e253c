import { createHash, createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hmacSm3, sm3, toHex } from './sm3.js';

describe('SM3', () => {
  it('gives the standard test vectors (GB/T 32905 appendix A)', () => {
    expect(toHex(sm3('abc'))).toBe('66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0');
    expect(toHex(sm3('abcd'.repeat(16)))).toBe('debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732');
  });

  it('agrees with OpenSSL on random inputs of every length around the block edges', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 300 }), (bytes) => {
        expect(toHex(sm3(bytes))).toBe(createHash('sm3').update(bytes).digest('hex'));
      }),
      { numRuns: 500 },
    );
    for (let n = 50; n < 140; n++) {
      const b = new Uint8Array(n).fill(n);
      expect(toHex(sm3(b))).toBe(createHash('sm3').update(b).digest('hex'));
    }
    expect(toHex(sm3('办件与评价'))).toBe(createHash('sm3').update('办件与评价', 'utf8').digest('hex'));
  });

  it('computes HMAC-SM3 like OpenSSL, for short and long keys', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 130 }), fc.uint8Array({ maxLength: 200 }), (key, data) => {
        expect(toHex(hmacSm3(key, data))).toBe(createHmac('sm3', key).update(data).digest('hex'));
      }),
      { numRuns: 300 },
    );
  });
});
