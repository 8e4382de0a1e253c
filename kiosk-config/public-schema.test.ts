import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEMO_HALL_PATH } from './demo-hall.js';
import { checkHallConfigText } from './load.js';

const demo = readFileSync(DEMO_HALL_PATH, 'utf8');
/** The demo hall with its `public:` section replaced by `section` (YAML text, or '' for none). */
const withPublic = (section: string) =>
  demo.replace(/\npublic:\n(?: {2}.*\n)+/, section ? `\npublic:\n${section}` : '\n');

describe('public section (config check)', () => {
  it('fills defaults, and takes a second listener for the guest Wi-Fi', () => {
    const r = checkHallConfigText(
      withPublic('  baseUrl: "http://10.8.0.2:8890/"\n  listen: { host: 10.8.0.2, port: 8890 }\n'),
      'p.yaml',
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.config.public).toEqual({
      baseUrl: 'http://10.8.0.2:8890',
      listen: { host: '10.8.0.2', port: 8890 },
      rateLimit: { perMinute: 120, burst: 60 },
      ratingDays: 7,
    });
  });

  it('names a bad address, port or limit in Chinese, and a QR that needs an address the hall lacks', () => {
    const bad = checkHallConfigText(
      withPublic('  baseUrl: "ftp://x?y"\n  listen: { host: "", port: 70000 }\n  rateLimit: { perMinute: 0 }\n'),
      'b.yaml',
    );
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    const text = bad.problems.map((p) => p.message).join('\n');
    expect(text).toMatch(/http\(s\):\/\/主机/);
    expect(text).toMatch(/端口为 1 到 65535/);
    expect(text).toMatch(/每分钟至少 1 次/);
    const noBase = checkHallConfigText(withPublic(''), 'n.yaml');
    expect(noBase.ok).toBe(false);
    if (noBase.ok) return;
    expect(noBase.problems.map((p) => p.message).join('\n')).toMatch(/没有 public\.baseUrl/);
    const byId = checkHallConfigText(
      demo.replace('{publicBaseUrl}/t/{ticketCode}', '{baseUrl}/t/{ticketId}'),
      'i.yaml',
    );
    expect(byId.ok).toBe(false);
    if (byId.ok) return;
    expect(byId.problems.map((p) => p.message).join('\n')).toMatch(/不要用内部编号 \{ticketId\}/);
  });
});
