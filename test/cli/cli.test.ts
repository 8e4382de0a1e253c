/** The `govhall` command as a person runs it: exit codes, stdout that scripts can use, messages. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { DEMO_HALL_PATH } from '../../kiosk-config/demo-hall.js';
import { govhallSync } from '../support/govhall-cli.js';
import { tempDir } from '../support/hub-client.js';

const govhall = (args: string[], input?: string) =>
  govhallSync(args, { ...(input === undefined ? {} : { input }), env: { GOVHALL_DATA: tempDir() } });

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

  it('hashes a PIN from stdin, refusing short and trivial ones', () => {
    const r = govhall(['config', 'hash-pin'], '480715\n');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(govhall(['config', 'hash-pin', '--pin', 'abc']).code).toBe(1);
    const short = govhall(['config', 'hash-pin', '--pin', '4807']);
    expect(short.code).toBe(1);
    expect(short.err).toContain('6 到 12 位数字');
    // The demo PIN is refused here: only the demo hall may use it, and its hashes are in its file.
    for (const pin of ['123456', '121212']) {
      const t = govhall(['config', 'hash-pin', '--pin', pin]);
      expect(t.code, pin).toBe(1);
      expect(t.out, pin).toBe('');
    }
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
    // The token made from the command line is on record (who ran it, which role), chained.
    expect(JSON.parse(v.out)).toMatchObject({ ok: true, count: 1 });
    const db = new Database(join(data, 'govhall.db'), { readonly: true });
    try {
      const row = db
        .prepare("SELECT actor_role, terminal_id, subject, detail FROM audit WHERE action = 'token.create'")
        .get() as { actor_role: string; terminal_id: string; subject: string; detail: string } | undefined;
      expect(row).toMatchObject({ actor_role: 'admin', terminal_id: expect.stringMatching(/^cli:.+@.+/) });
      expect(JSON.parse(row!.detail)).toEqual({ role: 'display', windowNo: null, name: '大厅屏', via: 'cli' });
      expect(JSON.stringify(row)).not.toContain('ght_');
    } finally {
      db.close();
    }
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
