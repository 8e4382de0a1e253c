/**
 * 差评整改 reaches the platform simulator: the steps `rectifying` and `closed` of an item arrive as
 * records of kind `rectification`, each once, after the rating they refer to (whose outbox record
 * they need), in the order they were taken, the call-back as the platform's 1–5 satisfaction.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../drivers/testing/wait-for.js';
import { type PlatformSim, startPlatformSim } from '../../main/platform-sim/platform-sim.js';
import { call, demoConfig, startTestHub, tempDir } from '../support/hub-client.js';

const SECRET = 'rectification-platform-secret-0123';
const TASK = '11330106MB1234567X4000112001000';

let sim: PlatformSim;
let hub: Awaited<ReturnType<typeof startTestHub>>;

beforeAll(async () => {
  const config = demoConfig();
  sim = await startPlatformSim({ halls: [{ hallCode: config.hall.code, secret: SECRET }], seed: 15 });
  const dir = tempDir('govhall-rect-platform-');
  const secretFile = join(dir, 'platform.secret');
  writeFileSync(secretFile, `${SECRET}\n`, { mode: 0o600 });
  config.platform = {
    url: sim.url,
    secretFile,
    alg: 'HMAC-SHA256',
    batchSize: 50,
    intervalMs: 30,
    requestTimeoutMs: 5000,
    backoff: { baseMs: 20, maxMs: 200 },
    alarm: { pending: 100, oldestSeconds: 3600 },
  } as typeof config.platform;
  hub = await startTestHub({ config, dataDir: join(dir, 'data') });
}, 60_000);
afterAll(async () => {
  await hub?.close();
  await sim?.close();
});

describe('差评整改 to the platform', () => {
  it('sends rectifying and closed after the rating, in order, each once', async () => {
    const staff = (
      await call(hub.url, 'POST', '/staff/sessions', null, { staffNo: '8001', pin: '123456', windowNo: 1 })
    ).body.token;
    const manager = (await call(hub.url, 'POST', '/admin/sessions', null, { staffNo: '8001', pin: '123456' })).body
      .token;
    await call(hub.url, 'POST', '/tickets', hub.kiosk, { serviceCode: 'ZHZX', channel: 'kiosk' });
    expect((await call(hub.url, 'POST', '/windows/1/call-next', staff)).status).toBe(200);
    const { caseId } = (
      await call(hub.url, 'POST', '/windows/1/finish', staff, {
        case: { taskCode: TASK, taskName: '参保登记', result: 'approved' },
      })
    ).body;
    const rating = await call(hub.url, 'POST', '/evaluations', hub.evaluator, {
      caseId,
      level: 'very_dissatisfied',
      text: '等候时间太长',
      channel: 'pad',
    });
    expect(rating.status).toBe(201);
    const id = (await call(hub.url, 'GET', '/admin/rectifications', manager)).body[0].id as string;
    const step = async (to: string, extra: object = {}) =>
      expect(
        (
          await call(hub.url, 'POST', `/admin/rectifications/${id}/transition`, manager, {
            to,
            note: `${to} 说明`,
            ...extra,
          })
        ).status,
      ).toBe(200);
    await step('verifying');
    await step('rectifying');
    await step('revisit');
    await step('closed', { revisit: { contacted: true, level: 'satisfied' } });

    const mine = () => sim.records().filter((r) => r.localCaseId === caseId || r.data.evaluationRef !== undefined);
    await waitFor(
      'the platform holds both steps',
      () => mine().filter((r) => r.kind === 'rectification').length >= 2,
      90_000,
    );
    const got = mine();
    expect(got.map((r) => r.kind)).toEqual(['case', 'evaluation', 'rectification', 'rectification']);
    const [, evaluation, rectifying, closed] = got;
    expect(rectifying!.data).toMatchObject({
      evaluationRef: evaluation!.id,
      status: 'rectifying',
      note: 'rectifying 说明',
    });
    expect(closed!.data).toMatchObject({
      evaluationRef: evaluation!.id,
      status: 'closed',
      revisit: { contacted: true, satisfaction: 4 },
    });
    expect(rectifying!.seq).toBeLessThan(closed!.seq);

    // Exactly once: the outbox made one record per reported step, each delivered (the hub reads the
    // platform's answer a moment after the platform committed it).
    const outbox = () => {
      const db = new Database(join(hub.dataDir, 'govhall.db'), { readonly: true });
      try {
        return db.prepare("SELECT id, state FROM outbox WHERE kind = 'rectification' ORDER BY seq").all() as {
          id: string;
          state: string;
        }[];
      } finally {
        db.close();
      }
    };
    await waitFor('both steps delivered', () => outbox().every((r) => r.state === 'delivered'), 60_000);
    const rows = outbox();
    expect(rows).toHaveLength(2);
    expect(new Set(got.map((r) => r.id)).size).toBe(got.length);
    expect(rows.map((r) => r.id)).toEqual([rectifying!.id, closed!.id]);
  }, 180_000);

  it('sends an invalid rating’s step once, even when the platform loses answers after committing', async () => {
    const staff = (
      await call(hub.url, 'POST', '/staff/sessions', null, { staffNo: '8001', pin: '123456', windowNo: 1 })
    ).body.token;
    const manager = (await call(hub.url, 'POST', '/admin/sessions', null, { staffNo: '8001', pin: '123456' })).body
      .token;
    // Every batch is committed at the platform and its answer lost half of the time: the hall resends.
    sim.setFaults({ dropAfterCommitRate: 0.5 });
    await call(hub.url, 'POST', '/tickets', hub.kiosk, { serviceCode: 'ZHZX', channel: 'kiosk' });
    expect((await call(hub.url, 'POST', '/windows/1/call-next', staff)).status).toBe(200);
    const { caseId } = (
      await call(hub.url, 'POST', '/windows/1/finish', staff, { case: { taskCode: TASK, result: 'approved' } })
    ).body;
    expect(
      (
        await call(hub.url, 'POST', '/evaluations', hub.evaluator, {
          caseId,
          level: 'dissatisfied',
          text: '乱评',
          channel: 'pad',
        })
      ).status,
    ).toBe(201);
    const item = (await call(hub.url, 'GET', '/admin/rectifications?status=open', manager)).body.find(
      (i: { caseId: string }) => i.caseId === caseId,
    );
    for (const [to, note] of [
      ['verifying', '调取录像'],
      ['invalid', '录像显示办事人未到窗口，系误评'],
    ]) {
      const r = await call(hub.url, 'POST', `/admin/rectifications/${item.id}/transition`, manager, { to, note });
      expect(r.status).toBe(200);
    }
    const steps = () => sim.records().filter((r) => r.kind === 'rectification' && r.localCaseId === caseId);
    const evaluationOf = () => sim.records().find((r) => r.kind === 'evaluation' && r.localCaseId === caseId);
    await waitFor('the invalid step at the platform', () => steps().length >= 1 && evaluationOf(), 90_000);
    sim.setFaults({});
    const got = steps();
    expect(got).toHaveLength(1);
    expect(got[0]!.data).toMatchObject({
      status: 'invalid',
      note: '录像显示办事人未到窗口，系误评',
      evaluationRef: evaluationOf()!.id,
    });
    expect(got[0]!.data.revisit).toBeUndefined();
    expect(got[0]!.seq).toBeGreaterThan(evaluationOf()!.seq);
  }, 180_000);
});
