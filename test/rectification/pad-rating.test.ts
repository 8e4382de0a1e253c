/**
 * A 差评 given on a third-party pad over its WebSocket (docs/pad-protocol.md) opens the case's
 * rectification item in the rating's transaction, exactly as `POST /evaluations` does, and the
 * follow-up 差评 (from a kiosk with the case's rating code) joins it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HubApp } from '../../main/hall/hub-app.js';
import { PAD_PATH } from '../../main/server/pad-plugin.js';
import { signInPad } from '../devices/ws-client.js';
import { call, startPadHub } from '../support/hub-client.js';

let app: HubApp;

beforeAll(async () => {
  app = await startPadHub({ helloTimeoutMs: 3000 });
}, 60_000);
afterAll(async () => {
  await app?.close();
});

describe('差评 on a pad', () => {
  it('opens one item, and the follow-up from a kiosk joins it', async () => {
    const base = app.url;
    const kiosk = await app.createToken('kiosk');
    const pad = await app.createToken('evaluator', 1, 'pad-w1');
    const staff = (await call(base, 'POST', '/staff/sessions', null, { staffNo: '8001', pin: '123456', windowNo: 1 }))
      .body.token;
    const manager = (await call(base, 'POST', '/admin/sessions', null, { staffNo: '8001', pin: '123456' })).body.token;
    const { s } = await signInPad(`${base.replace('http', 'ws')}${PAD_PATH}`, pad);
    try {
      await call(base, 'POST', '/tickets', kiosk, { serviceCode: 'ZHZX', channel: 'kiosk' });
      expect((await call(base, 'POST', '/windows/1/call-next', staff)).status).toBe(200);
      const { caseId, ratingCode } = (
        await call(base, 'POST', '/windows/1/finish', staff, { case: { taskCode: 'ZX-001', result: '1' } })
      ).body;
      s.send({ type: 'rate', id: 'r1', caseId, level: 'dissatisfied', reasons: ['R103'] });
      expect(await s.next('rated')).toMatchObject({ id: 'r1', caseId, assessNumber: 1 });
      let items = (await call(base, 'GET', '/admin/rectifications', manager)).body;
      expect(items).toHaveLength(1);
      expect(items[0]).toMatchObject({ caseId, status: 'open', windowNo: 1, reasons: ['R103'] });

      // The follow-up (追评) from a kiosk, with the rating code handed out at 办结.
      const follow = await call(base, 'POST', '/evaluations', kiosk, {
        caseId,
        level: 'very_dissatisfied',
        text: '追评：仍未解决',
        ratingCode,
      });
      expect(follow.body).toMatchObject({ assessNumber: 2 });
      items = (await call(base, 'GET', '/admin/rectifications', manager)).body;
      expect(items).toHaveLength(1);
      expect(items[0].evaluationIds).toHaveLength(2);
      expect(items[0].level).toBe('very_dissatisfied');
    } finally {
      s.close();
    }
  });
});
