/** The "may import" rules are enforced by scripts/check-layers.mjs: it must catch each kind of breach. */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../support/hub-client.js';

const SCRIPT = fileURLToPath(new URL('../../scripts/check-layers.mjs', import.meta.url));

function check(files: Record<string, string>) {
  const root = tempDir('govhall-layers-');
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  const r = spawnSync(process.execPath, [SCRIPT, root], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout + r.stderr };
}

describe('layer check', () => {
  it('passes the repository itself', () => {
    const r = spawnSync(process.execPath, [SCRIPT], { encoding: 'utf8' });
    expect(r.status).toBe(0);
  });

  it('refuses each forbidden import with the file and line', () => {
    const cases: [Record<string, string>, RegExp][] = [
      [
        { 'drivers/printer/x.ts': "import { a } from '../../main/store/database.js';" },
        /drivers\/printer\/x\.ts:1 .*drivers\/ 不得引用 main\//,
      ],
      [{ 'kiosk-config/x.ts': "import { a } from '../main/queue/types.js';" }, /kiosk-config\/ 不得引用项目其他目录/],
      [
        { 'main/queue/x.ts': "import { a } from '../server/hub-server.js';" },
        /内层模块 main\/queue 不得引用 main\/server/,
      ],
      [{ 'main/queue/x.ts': "import Database from 'better-sqlite3';" }, /纯领域逻辑/],
      [{ 'main/queue/x.ts': "import { a } from '../store/database.js';" }, /不得直接引用 main\/store/],
      [{ 'main/store/x.ts': "import { app } from 'electron';" }, /只有 main\/shell\/ 可以引用 electron/],
      [{ 'renderer/x.ts': "import { a } from '../main/store/database.js';" }, /renderer\/ 只能引用 main\/ 的共享类型/],
    ];
    for (const [files, msg] of cases) {
      const r = check(files);
      expect(r.code).toBe(1);
      expect(r.out).toMatch(msg);
    }
  });

  it('allows what the rules allow', () => {
    const r = check({
      'main/shell/x.ts': "import { app } from 'electron';",
      'main/server/x.ts': "import { a } from '../queue/types.js';",
      'renderer/x.ts': "import type { Ticket } from '../main/queue/types.js';",
      'main/cli/x.ts': "import { a } from '../server/hub-server.js';",
    });
    expect(r.code).toBe(0);
  });
});
