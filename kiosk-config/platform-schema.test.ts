import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEMO_HALL_PATH } from './demo-hall.js';
import { checkHallConfigText } from './load.js';

const demo = readFileSync(DEMO_HALL_PATH, 'utf8');

describe('platform section', () => {
  it('is optional, fills defaults, and names what is wrong in Chinese', () => {
    const none = checkHallConfigText(demo, 'demo.yaml');
    expect(none.ok && none.config.platform).toBeUndefined();
    const ok = checkHallConfigText(
      `${demo}\nplatform:\n  url: https://zwfw.example.gov.cn\n  secretFile: platform.secret\n  alg: HMAC-SM3\n`,
      'p.yaml',
    );
    expect(ok.ok).toBe(true);
    if (!ok.ok) return;
    expect(ok.config.platform).toMatchObject({
      alg: 'HMAC-SM3',
      batchSize: 200,
      intervalMs: 2000,
      backoff: { baseMs: 1000, maxMs: 300_000 },
      alarm: { pending: 1000, oldestSeconds: 3600 },
    });
    const bad = checkHallConfigText(`${demo}\nplatform:\n  url: ftp://x\n  alg: MD5\n  batchSize: 900\n`, 'b.yaml');
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    const text = bad.problems.map((p) => p.message).join('\n');
    expect(text).toMatch(/http:\/\/ 或 https:\/\//);
    expect(text).toMatch(/HMAC-SHA256 或 HMAC-SM3/);
    expect(text).toMatch(/最多为 500/);
  });
});
