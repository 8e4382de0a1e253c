/**
 * Cases taken without a ticket and changed later over the hub API: every change is a new version,
 * versions reach the platform in ascending order, and once the 办件编号 is known it travels with
 * later records.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../drivers/testing/wait-for.js';
import { startHubApp } from '../../main/hall/hub-app.js';
import { type PlatformSim, startPlatformSim } from '../../main/platform-sim/platform-sim.js';
import { call } from '../support/hub-client.js';
import { certNo, hallWithPlatform, removeTempDirs, SECRET, syncTempDir, TASK } from './sync-fixtures.js';

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
      // An agent's 居民身份证 is checked at the window too (platform code 111 must pass GB 11643).
      const badAgent = await call(app.url, 'POST', '/cases', staff, {
        taskCode: TASK,
        result: 'approved',
        agent: { name: '赵七', certType: 'resident', certNo: '110101199003071234' },
      });
      expect(badAgent.status).toBe(400);
      expect(badAgent.body).toMatchObject({ code: 'INVALID_CERT_NO' });
      expect(badAgent.body.message).toMatch(/agent\.certNo/);
      const noAgentNo = await call(app.url, 'POST', '/cases', staff, {
        taskCode: TASK,
        result: 'approved',
        agent: { name: '赵七', certType: '111' },
      });
      expect(noAgentNo.body.code).toBe('INVALID_CERT_NO');

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
      // A material named by hash goes to the platform before the version that lists it.
      const scanBytes = Buffer.from('%PDF-1.4 委托书扫描件');
      const scan = createHash('sha256').update(scanBytes).digest('hex').toUpperCase();
      app.sync.setMaterials(async (sha) =>
        sha === scan.toLowerCase() ? { bytes: scanBytes, contentType: 'application/pdf', name: '委托书' } : null,
      );
      expect(
        (
          await call(app.url, 'POST', `/cases/${id}/revisions`, admin, {
            materials: [{ name: '委托书', sha256: 'not-a-hash' }],
          })
        ).status,
      ).toBe(400);
      const v3 = await call(app.url, 'POST', `/cases/${id}/revisions`, admin, {
        materials: ['居民身份证', { name: '委托书', copies: 2, pages: 3, sha256: scan }],
      });
      expect(v3.body).toMatchObject({ version: 3, status: 'finished' });
      expect(
        (await call(app.url, 'POST', '/evaluations', kiosk, { caseId: id, level: 'satisfied', certNo: certNo(42) }))
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
      expect(at[2]!.data.materials).toEqual([
        { name: '居民身份证', copies: 1, pages: null, sha256: null },
        { name: '委托书', copies: 2, pages: 3, sha256: scan.toLowerCase() },
      ]);

      // Kiosk lookups: by case id and by 办件编号, with the platform's progress while it answers …
      const byId = await call(app.url, 'POST', '/cases/lookup', kiosk, { caseId: id });
      expect(byId.body.cases).toHaveLength(1);
      expect(byId.body.cases[0]).toMatchObject({ id, projectNo, version: 3, source: 'platform', applicantName: '赵*' });
      expect(byId.body.cases[0].progress).toMatchObject({ projectNo, status: 'finished' });
      const byNo = await call(app.url, 'POST', '/cases/lookup', kiosk, { projectNo });
      expect(byNo.body.cases[0]).toMatchObject({ id, source: 'platform' });
      // … and from the hall's own records when it does not.
      sim.setFaults({ partitioned: true });
      try {
        const offline = await call(app.url, 'POST', '/cases/lookup', kiosk, { projectNo });
        expect(offline.body.cases[0]).toMatchObject({
          id,
          projectNo,
          status: 'finished',
          source: 'hall',
          progress: null,
        });
      } finally {
        sim.setFaults({});
      }
      expect((await call(app.url, 'POST', '/cases/lookup', kiosk, { caseId: 'C-NONE' })).body.cases).toEqual([]);
      expect((await call(app.url, 'POST', '/cases/lookup', kiosk, { caseId: id, projectNo })).status).toBe(400);

      // The contract's other statuses: 办理中, then 撤回 ends the case; it cannot be finished after.
      const open = await call(app.url, 'POST', '/cases', staff, { taskCode: TASK, finished: false });
      const oid = open.body.caseId as string;
      expect(
        (await call(app.url, 'POST', `/cases/${oid}/revisions`, staff, { status: 'in_progress' })).body,
      ).toMatchObject({ version: 2, status: 'in_progress' });
      expect(
        (await call(app.url, 'POST', `/cases/${oid}/revisions`, staff, { status: 'withdrawn' })).body,
      ).toMatchObject({ version: 3, status: 'withdrawn' });
      const closed = await call(app.url, 'POST', `/cases/${oid}/revisions`, staff, {
        finish: true,
        result: 'approved',
      });
      expect(closed.status).toBe(409);
      expect(closed.body).toMatchObject({ code: 'CASE_CLOSED' });
      expect((await call(app.url, 'POST', `/cases/${oid}/revisions`, staff, { status: 'closed' })).status).toBe(400);
      await waitFor('three versions', () => sim.records().filter((r) => r.localCaseId === oid).length === 3);
      expect(
        sim
          .records()
          .filter((r) => r.localCaseId === oid)
          .map((r) => [r.data.status, r.data.result, r.data.finishTime === null]),
      ).toEqual([
        ['accepted', null, true],
        ['in_progress', null, true],
        ['withdrawn', null, false],
      ]);
      expect(sim.stats().rejected).toBe(0);

      // Finishing a ticket with a bad agent number refuses the whole finish: the ticket stays served.
      expect((await call(app.url, 'POST', '/tickets', kiosk, { serviceCode: 'S1', channel: 'kiosk' })).status).toBe(
        201,
      );
      expect((await call(app.url, 'POST', '/windows/1/call-next', staff)).status).toBe(200);
      const agent = { name: '赵七', certType: 'resident', certNo: '110101199003071234' };
      const refused = await call(app.url, 'POST', '/windows/1/finish', staff, {
        case: { taskCode: TASK, result: 'approved', agent },
      });
      expect(refused.status).toBe(400);
      expect(refused.body.code).toBe('INVALID_CERT_NO');
      const done = await call(app.url, 'POST', '/windows/1/finish', staff, {
        case: { taskCode: TASK, result: 'approved', agent: { ...agent, certNo: certNo(44) } },
      });
      expect(done.status).toBe(200);
      await waitFor('the finished case', () => sim.records().some((r) => r.localCaseId === done.body.caseId));
      expect(sim.records().find((r) => r.localCaseId === done.body.caseId)!.data.agent).toMatchObject({
        certType: '111',
        certNo: certNo(44),
      });
    } finally {
      await app.close();
    }
  });
});
