/** `govhall sync status|retry|drain` against a data folder and the platform simulator. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PlatformSim, startPlatformSim } from '../../main/platform-sim/platform-sim.js';
import { govhall } from '../support/govhall-cli.js';
import { HALL, hallDb, makeRecords, removeTempDirs, SECRET } from './sync-fixtures.js';

let sim: PlatformSim;
beforeAll(async () => {
  sim = await startPlatformSim({ halls: [{ hallCode: HALL, secret: SECRET }] });
});
afterAll(async () => {
  await sim.close();
  removeTempDirs();
});

/** Eight runs of the real command, each a Node start: only there to end a hang on a loaded 2-core runner. */
const CLI_RUNS_MS = 240_000;

describe('govhall sync', () => {
  it(
    'reports status, drains to the platform, refuses bad flags and retries set-aside records',
    async () => {
      const { dir, db, cases } = hallDb();
      makeRecords(cases, db, 30);
      db.close();
      const data = join(dir, 'data');
      const secretFile = join(dir, 'secret');
      writeFileSync(secretFile, SECRET);
      const platform = ['--platform-url', sim.url, '--platform-secret-file', secretFile, '--platform-alg', 'HMAC-SM3'];

      const st = await govhall(['sync', 'status', '--data', data, '--json']);
      expect(st.code).toBe(0);
      const before = JSON.parse(st.out);
      expect(before).toMatchObject({ pending: 70, rejected: 0, lastSuccessAt: null, clockOffsetMs: 0 });
      // What only a running hub's relay knows is not shown as a false "off".
      expect(before).not.toHaveProperty('alarm');
      expect(before).not.toHaveProperty('platformUrl');

      expect((await govhall(['sync', 'drain', '--data', data, '--platform-alg', 'MD5'])).code).toBe(2);
      const none = await govhall(['sync', 'drain', '--data', data]);
      expect(none.code).toBe(1);
      expect(none.err).toContain('未配置省级平台');

      sim.setFaults({ partitioned: true });
      const down = await govhall(['sync', 'drain', '--data', data, ...platform]);
      expect(down.code).toBe(1);
      expect(down.out).toMatch(/发送失败/);
      sim.setFaults({});

      const drained = await govhall(['sync', 'drain', '--data', data, ...platform, '--json']);
      expect(drained.code).toBe(0);
      expect(JSON.parse(drained.out)).toMatchObject({ ok: true, sent: 70, status: { pending: 0 } });

      const text = await govhall(['sync', 'status', '--data', data]);
      expect(text.out).toMatch(/待上报 \/ pending:\s+0/);
      expect(text.out).toMatch(/已送达 \/ delivered:\s+70/);
      const retry = await govhall(['sync', 'retry', '--data', data, '--json']);
      expect(JSON.parse(retry.out)).toEqual({ requeued: 0 });
      expect((await govhall(['sync', 'nope', '--data', data])).code).toBe(2);
    },
    CLI_RUNS_MS,
  );
});
