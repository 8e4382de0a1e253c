import { describe, expect, it } from 'vitest';
import { CliError } from './cli-error.js';
import { platformFlags } from './platform-flags.js';

describe('--platform-* flags', () => {
  it('passes good values through', () => {
    expect(
      platformFlags({ 'platform-url': 'https://p.example', 'platform-alg': 'HMAC-SM3', 'platform-secret-file': 's' }),
    ).toEqual({ url: 'https://p.example', alg: 'HMAC-SM3', secretFile: 's' });
    expect(platformFlags({})).toEqual({});
  });

  it.each([
    [{ 'platform-alg': 'MD5' }, /--platform-alg 应为 HMAC-SHA256 或 HMAC-SM3，收到「MD5」/],
    [{ 'platform-url': 'ftp://x' }, /--platform-url 应以 http:\/\/ 或 https:\/\/ 开头，收到「ftp:\/\/x」/],
    [{ 'platform-url': 'p.example' }, /--platform-url 应以 http:\/\/ 或 https:\/\//],
  ])('refuses %o as a usage error (exit 2)', (flags, message) => {
    expect(() => platformFlags(flags)).toThrow(message);
    expect(() => platformFlags(flags)).toThrow(CliError);
    expect(() => platformFlags(flags)).toThrow(expect.objectContaining({ exitCode: 2 }));
  });
});
