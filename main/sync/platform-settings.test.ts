import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { testHall } from '../queue/test-hall.js';
import { resolvePlatform, SyncConfigError } from './platform-settings.js';

const dir = mkdtempSync(join(tmpdir(), 'govhall-platform-settings-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
writeFileSync(join(dir, 'platform.secret'), 's3cret\n');
writeFileSync(join(dir, 'empty.secret'), '\n');
const configPath = join(dir, 'hall.yaml');

describe('platform settings', () => {
  it('runs without a platform when none is configured', () => {
    expect(resolvePlatform(testHall())).toBeNull();
  });

  it('takes the config section, a secret file relative to the config, and flags that override it', () => {
    const hall = testHall({
      platform: { ...testHall().platform, url: 'http://config.example/', secretFile: 'platform.secret' } as never,
    });
    const p = resolvePlatform(hall, {}, configPath)!;
    expect(p).toMatchObject({ url: 'http://config.example', secret: 's3cret', alg: 'HMAC-SHA256' });
    expect(p.hallCode).toBe(hall.hall.code);
    const o = resolvePlatform(
      hall,
      { url: 'http://127.0.0.1:9/', secretFile: join(dir, 'platform.secret'), alg: 'HMAC-SM3' },
      configPath,
    )!;
    expect(o).toMatchObject({ url: 'http://127.0.0.1:9', alg: 'HMAC-SM3', secret: 's3cret' });
  });

  it('refuses with PLATFORM_CONFIG and a Chinese message what cannot work', () => {
    const cases: [Parameters<typeof resolvePlatform>[1], RegExp][] = [
      [{ url: 'http://p.example' }, /没有密钥文件/],
      [{ url: 'http://p.example', secretFile: join(dir, 'missing') }, /无法读取平台密钥文件.*ENOENT/],
      [{ url: 'http://p.example', secretFile: join(dir, 'empty.secret') }, /是空的/],
      [{ secretFile: join(dir, 'platform.secret') }, /--platform-secret-file 但没有平台地址/],
      [{ alg: 'HMAC-SM3' }, /--platform-alg 但没有平台地址/],
    ];
    for (const [override, message] of cases) {
      let err: unknown;
      try {
        resolvePlatform(testHall(), override, configPath);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(SyncConfigError);
      expect((err as SyncConfigError).code).toBe('PLATFORM_CONFIG');
      expect((err as Error).message).toMatch(message);
    }
  });
});
