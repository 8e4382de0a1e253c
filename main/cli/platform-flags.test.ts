import { describe, expect, it } from 'vitest';
import { platformFlags } from './platform-flags.js';

describe('--platform-* flags', () => {
  it('validates --platform-url and --platform-alg as usage errors (exit 2)', () => {
    expect(platformFlags({ 'platform-url': 'https://p.example', 'platform-alg': 'HMAC-SM3' })).toEqual({
      url: 'https://p.example',
      alg: 'HMAC-SM3',
    });
    expect(() => platformFlags({ 'platform-alg': 'MD5' })).toThrow(/--platform-alg 应为 HMAC-SHA256 或 HMAC-SM3/);
    expect(() => platformFlags({ 'platform-url': 'ftp://x' })).toThrow(/--platform-url 应以 http:\/\/ 或 https:\/\//);
    try {
      platformFlags({ 'platform-url': 'p.example' });
    } catch (e) {
      expect((e as { exitCode: number }).exitCode).toBe(2);
    }
  });
});
