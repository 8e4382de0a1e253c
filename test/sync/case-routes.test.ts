/**
 * Cases taken without a ticket and changed later over the hub API: every change is a new version,
 * versions reach the platform in ascending order, and once the 办件编号 is known it travels with
 * later records.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHubApp } from '../../main/hall/hub-app.js';
import { type PlatformSim, startPlatformSim } from '../../main/platform-sim/platform-sim.js';
import { call } from '../support/hub-client.js';
import { certNo, hallWithPlatform, removeTempDirs, SECRET, syncTempDir, TASK, waitFor } from './sync-fixtures.js';

let sim: PlatformSim;
beforeAll(async () => {
  sim = await startPlatformSim({ halls: [{ hallCode: 'LOAD-HALL', secret: SECRET }] });
});
afterAll(async () => {
  await sim.close();
  removeTempDirs();
});

describe('cases without a ticket, and their versions', () => {
  it('creates, finishes and corrects a case as versions 1, 2, 3, in order at the platform', async () => {
    const dir = syncTempDir('govhall-cases-');
    const app = await startHubApp({ configPath: hallWithPlatform(dir, sim.url), dataDir: join(dir, 'data'), port: 0 });
    try {
      const admin = await app.createToken('admin');
      const kiosk = await app.createToken('kiosk');
      const staff = (
        await call(app.url, 'POST', '/staff/sessions', null, { staffNo: '9001', pin: '123456', windowNo: 1 })
      ).body.token;
      const other = (
        await call(app.url, 'POST', '/staff/sessions', null, { staffNo: '9002', pin: '123456', windowNo: 2 })
      ).body.token;
      expect((await call(app.url, 'POST', '/cases', kiosk, { taskCode: TASK, result: 'approved' })).status).toBe(403);
      const bad = await call(app.url, 'POST', '/cases', staff, {
        taskCode: TASK,
        finished: false,
        applicant: { name: '赵六', certNo: '110101199003071234' },
      });
      expect(bad.body.code).toBe('INVALID_CERT_NO');
      expect((await call(app.url, 'POST', '/cases', staff, { taskCode: TASK })).body.message).toMatch(/result/);

      const made = await call(app.url, 'POST', '/cases', staff, {
        taskCode: TASK,
        taskName: '参保登记',
        finished: false,
        applicant: { name: '赵六', certNo: certNo(42) },
        agent: { name: '赵七', certType: '111', certNo: certNo(43) },
      });
      expect(made.status).toBe(201);
      expect(made.body).toMatchObject({ version: 1, status: 'accepted' });
      const id = made.body.caseId as string;
      await waitFor('version 1 at the platform', () => sim.records().some((r) => r.localCaseId === id));
      await waitFor('the 办件编号', async () => (await call(app.url, 'GET', `/cases/${id}`, kiosk)).body.projectNo);
      const projectNo = (await call(app.url, 'GET', `/cases/${id}`, kiosk)).body.projectNo;

      expect((await call(app.url, 'POST', `/cases/${id}/revisions`, other, { finish: true })).body.code).toBe(
        'WRONG_WINDOW',
      );
      const v2 = await call(app.url, 'POST', `/cases/${id}/revisions`, staff, { finish: true, result: 'approved' });
      expect(v2.body).toMatchObject({ version: 2, status: 'finished' });
      const v3 = await call(app.url, 'POST', `/cases/${id}/revisions`, admin, { materials: ['居民身份证', '委托书'] });
      expect(v3.body).toMatchObject({ version: 3, status: 'finished' });
      expect(
        (await call(app.url, 'POST', '/evaluations', kiosk, { caseId: id, level: 'satisfied', channel: 'kiosk' }))
          .status,
      ).toBe(201);
      await waitFor('all four records', () => sim.records().filter((r) => r.localCaseId === id).length === 4);
      const at = sim.records().filter((r) => r.localCaseId === id);
      expect(at.map((r) => [r.kind, r.version ?? r.assessNumber])).toEqual([
        ['case', 1],
        ['case', 2],
        ['case', 3],
        ['evaluation', 1],
      ]);
      expect(at[0]!.data).toMatchObject({ status: 'accepted', result: null, finishTime: null, ticket: null });
      expect(at[0]!.data.applicant).toMatchObject({ name: '赵六', certType: '111', certNo: certNo(42) });
      expect(at[0]!.data.agent).toMatchObject({ name: '赵七', certType: '111', certNo: certNo(43) });
      for (const r of at.slice(1)) expect(r.data.projectNo).toBe(projectNo);
      expect(at[1]!.data).toMatchObject({ status: 'finished', result: 'approved' });
      expect((at[2]!.data.materials as unknown[]).length).toBe(2);
    } finally {
      await app.close();
    }
  });
});
