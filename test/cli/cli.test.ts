/** The `govhall` command as a person runs it: exit codes, stdout that scripts can use, messages. */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DEMO_HALL_PATH } from '../../kiosk-config/demo-hall.js';
import { tempDir } from '../support/hub-client.js';

const BIN = fileURLToPath(new URL('../../bin/govhall.mjs', import.meta.url));
const govhall = (args: string[], input?: string) => {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    input,
    env: { ...process.env, GOVHALL_DATA: tempDir() },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

describe('govhall command', () => {
  it('prints help, and exits 2 on an unknown command or flag', () => {
    expect(govhall(['help']).out).toContain('token create --data DIR');
    expect(govhall(['nope']).code).toBe(2);
    const bad = govhall(['stats', '--colour']);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('未知选项 --colour');
  });

  it('checks the demo hall (exit 0, one line) and a broken file (exit 1, file:line:column)', () => {
    const ok = govhall(['config', 'check', DEMO_HALL_PATH]);
    expect(ok.code).toBe(0);
    expect(ok.out.trim().split('\n')).toHaveLength(1);
    expect(ok.out).toContain('配置正确');
    const dir = tempDir();
    const broken = join(dir, 'broken.yaml');
    writeFileSync(
      broken,
      'hall:\n  code: X\n  name: 坏大厅\n  areaCode: "12"\n  openingHours: []\nservices: []\nwindows: []\n',
    );
    const bad = govhall(['config', 'check', broken]);
    expect(bad.code).toBe(1);
    expect(bad.out).toContain(`${broken}:4:13 行政区划代码应为 6 到 9 位数字`);
    expect(bad.out).toMatch(/共 \d+ 个问题/);
  });

  it('hashes a PIN from stdin', () => {
    const r = govhall(['config', 'hash-pin'], '123456\n');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(govhall(['config', 'hash-pin', '--pin', 'abc']).code).toBe(1);
  });

  it('creates tokens (only the token on stdout), verifies the audit chain, backs up and prints stats', () => {
    const data = tempDir();
    const t = govhall(['token', 'create', '--data', data, '--role', 'display', '--name', '大厅屏']);
    expect(t.code).toBe(0);
    expect(t.out).toMatch(/^ght_[A-Za-z0-9_-]+\n$/);
    expect(govhall(['token', 'create', '--data', data, '--role', 'evaluator']).err).toContain('--window');
    expect(govhall(['token', 'create', '--data', data, '--role', 'boss']).code).toBe(2);
    expect(govhall(['token', 'list', '--data', data, '--json']).out).toContain('"role": "display"');
    const v = govhall(['audit', 'verify', '--data', data, '--json']);
    expect(v.code).toBe(0);
    expect(JSON.parse(v.out)).toMatchObject({ ok: true });
    const dest = join(tempDir(), 'b.db');
    const b = govhall(['backup', dest, '--data', data]);
    expect(b.code).toBe(0);
    expect(b.out).toContain('完整性检查通过');
    expect(govhall(['backup', dest, '--data', data]).err).toContain('已存在');
    const s = govhall(['stats', '--data', data, '--day', '2026-11-23', '--json']);
    expect(s.code).toBe(0);
    expect(JSON.parse(s.out)).toMatchObject({ businessDay: '2026-11-23', total: { issued: 0 } });
  });

  it('says plainly when there is no database', () => {
    const r = govhall(['audit', 'verify', '--data', tempDir()]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('没有大厅数据库');
  });

  it('govhall terminal refuses a local file with problems, each at file:line:column', () => {
    const dir = tempDir();
    const file = join(dir, 'terminal.yaml');
    writeFileSync(file, 'terminal:\n  id: window-3\n  hub: 192.168.10.2:8800\n  token: abc\n');
    const r = govhall(['terminal', '--config', file, '--data', dir]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`${file}:3:8 中枢地址应为 http:// 或 https:// 开头的地址`);
    expect(r.err).toContain(`${file}:4:3 不认识的键：token`);
    expect(govhall(['help']).out).toContain('terminal [--config FILE]');
  });
});
