/**
 * Ratings over the hub API: no default, 差评 needs a reason, one follow-up, pads rate their own
 * window, a kiosk rates only with the applicant's ID number or the case's rating code, and the
 * channel comes from the token.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { gb11643CheckChar } from '../../common/cert-number.js';
import { waitFor } from '../../drivers/testing/wait-for.js';
import { call, startTestHub } from '../support/hub-client.js';

const withCheck = (s: string) => s + gb11643CheckChar(s);
const APPLICANT = withCheck('33010619900101001');
const OTHER = withCheck('33010619850505002');

let hub: Awaited<ReturnType<typeof startTestHub>>;
let staff: string;
let caseId: string;
let pad1: string;
let pad2: string;

/** Serves one ticket at window 1 and finishes it: the finish answer (caseId, ratingCode, …). */
async function finishCase(certNo: string | null) {
  await call(hub.url, 'POST', '/tickets', hub.kiosk, {
    serviceCode: 'ZHZX',
    channel: 'kiosk',
    ...(certNo ? { applicant: { name: '李小明', certType: 'resident', certNo } } : {}),
  });
  expect((await call(hub.url, 'POST', '/windows/1/call-next', staff)).status).toBe(200);
  const f = await call(hub.url, 'POST', '/windows/1/finish', staff, { case: { taskCode: 'ZX-001', result: '1' } });
  expect(f.status).toBe(200);
  return f.body as { caseId: string; evaluationRequestId: string; ratingCode: string };
}

beforeAll(async () => {
  hub = await startTestHub();
  staff = (await call(hub.url, 'POST', '/staff/sessions', null, { staffNo: '8001', pin: '123456', windowNo: 1 })).body
    .token;
  caseId = (await finishCase(APPLICANT)).caseId;
  pad1 = (await call(hub.url, 'POST', '/admin/tokens', hub.admin, { role: 'evaluator', windowNo: 1 })).body.token;
  pad2 = (await call(hub.url, 'POST', '/admin/tokens', hub.admin, { role: 'evaluator', windowNo: 2 })).body.token;
});
afterAll(async () => {
  await hub.close();
});

describe('evaluations', () => {
  it('refuses a rating without a level, a 差评 without reason, another window’s pad and a display', async () => {
    expect((await call(hub.url, 'POST', '/evaluations', pad1, { caseId, channel: 'pad' })).body).toEqual({
      code: 'INVALID_INPUT',
      message: '字段 level：必填',
    });
    const bad = await call(hub.url, 'POST', '/evaluations', pad1, { caseId, level: 'dissatisfied', channel: 'pad' });
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({ code: 'REASON_REQUIRED', message: '字段 reasons：「不满意」需要选择原因或填写说明' });
    expect(
      (await call(hub.url, 'POST', '/evaluations', pad2, { caseId, level: 'satisfied', channel: 'pad' })).body.code,
    ).toBe('WRONG_WINDOW');
    expect(
      (await call(hub.url, 'POST', '/evaluations', hub.display, { caseId, level: 'satisfied', channel: 'pad' })).status,
    ).toBe(403);
    expect(
      (await call(hub.url, 'POST', '/evaluations', pad1, { caseId: 'C-NONE', level: 'satisfied', channel: 'pad' }))
        .status,
    ).toBe(404);
  });

  it('records a first rating and one follow-up, then refuses more, and shows them on the case', async () => {
    const first = await call(hub.url, 'POST', '/evaluations', pad1, {
      caseId,
      level: 'dissatisfied',
      reasons: ['R01'],
      channel: 'pad',
    });
    expect(first.status).toBe(201);
    expect(first.body.assessNumber).toBe(1);
    const follow = await call(hub.url, 'POST', '/evaluations', hub.kiosk, {
      caseId,
      level: 'basically_satisfied',
      text: '后来解决了',
      channel: 'kiosk',
      certNo: APPLICANT,
    });
    expect(follow.body.assessNumber).toBe(2);
    const third = await call(hub.url, 'POST', '/evaluations', hub.kiosk, {
      caseId,
      level: 'very_satisfied',
      channel: 'kiosk',
      certNo: APPLICANT,
    });
    expect(third.status).toBe(409);
    expect(third.body.code).toBe('ALREADY_EVALUATED');
    const c = (await call(hub.url, 'GET', `/cases/${caseId}`, hub.display)).body;
    expect(c.evaluations.map((e: { level: string; assessNumber: number }) => [e.assessNumber, e.level])).toEqual([
      [1, 'dissatisfied'],
      [2, 'basically_satisfied'],
    ]);
    expect(c.evaluations[0].reasons).toEqual(['R01']);
  });

  it('lets a kiosk rate a case only with the applicant’s ID number or the case’s rating code', async () => {
    const mine = await finishCase(APPLICANT);
    const rate = (body: Record<string, unknown>) =>
      call(hub.url, 'POST', '/evaluations', hub.kiosk, { caseId: mine.caseId, level: 'satisfied', ...body });
    const none = await rate({ channel: 'pad' });
    expect(none.status).toBe(403);
    expect(none.body.code).toBe('APPLICANT_PROOF_REQUIRED');
    expect(none.body.message).toMatch(/刷身份证/);
    expect((await rate({ certNo: OTHER })).body.code).toBe('NOT_THE_APPLICANT');
    expect((await rate({ ratingCode: 'WRONGCODE' })).body.code).toBe('NOT_THE_APPLICANT');
    // Another case's code does not open this one.
    const other = await finishCase(OTHER);
    expect((await rate({ ratingCode: other.ratingCode })).status).toBe(403);
    expect((await call(hub.url, 'GET', `/cases/${mine.caseId}`, hub.admin)).body.evaluations).toEqual([]);
    // The applicant's number (as typed, lower-case x and spaces allowed) — and the body's channel is ignored.
    const ok = await rate({ certNo: ` ${APPLICANT.toLowerCase()} `, channel: 'pad' });
    expect(ok.status).toBe(201);
    const byCode = await call(hub.url, 'POST', '/evaluations', hub.kiosk, {
      caseId: other.caseId,
      level: 'very_satisfied',
      ratingCode: other.ratingCode,
      channel: 'qr',
    });
    expect(byCode.status).toBe(201);
    // An anonymous ticket's case can be rated at a kiosk only with its code.
    const anonymous = await finishCase(null);
    expect(
      (
        await call(hub.url, 'POST', '/evaluations', hub.kiosk, {
          caseId: anonymous.caseId,
          level: 'satisfied',
          certNo: APPLICANT,
        })
      ).body.code,
    ).toBe('NOT_THE_APPLICANT');
    // An unknown case is still "not found".
    expect(
      (await call(hub.url, 'POST', '/evaluations', hub.kiosk, { caseId: 'C-NONE', level: 'satisfied' })).status,
    ).toBe(404);
    const channels = async (id: string) =>
      (await call(hub.url, 'GET', `/cases/${id}`, hub.admin)).body.evaluations.map(
        (e: { channel: string }) => e.channel,
      );
    expect(await channels(mine.caseId)).toEqual(['kiosk']);
    expect(await channels(other.caseId)).toEqual(['kiosk']);
    // A pad's rating is a pad rating whatever the body says.
    expect(
      (
        await call(hub.url, 'POST', '/evaluations', pad1, {
          caseId: anonymous.caseId,
          level: 'satisfied',
          channel: 'kiosk',
        })
      ).status,
    ).toBe(201);
    expect(await channels(anonymous.caseId)).toEqual(['pad']);
  });

  it('answers the rating code only at 办结: unguessable, never in events, stored only as a hash', async () => {
    const seen: string[] = [];
    const ws = new WebSocket(`${hub.url.replace('http', 'ws')}/api/v1/events?token=${hub.admin}`);
    ws.on('message', (d) => seen.push(d.toString()));
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    const codes = [await finishCase(APPLICANT), await finishCase(null)];
    await waitFor('the second case in the events', () => seen.some((m) => m.includes(codes[1]!.caseId)));
    ws.close();
    for (const f of codes) {
      // 24 Crockford base32 characters: 120 random bits.
      expect(f.ratingCode).toMatch(/^[0-9A-HJKMNP-TV-Z]{24}$/);
      expect(seen.some((m) => m.includes(f.caseId))).toBe(true);
      expect(seen.join('\n')).not.toContain(f.ratingCode);
      expect(JSON.stringify((await call(hub.url, 'GET', `/cases/${f.caseId}`, hub.admin)).body)).not.toContain(
        f.ratingCode,
      );
    }
    expect(codes[0]!.ratingCode).not.toBe(codes[1]!.ratingCode);
    // Nowhere in the database in clear: not with the case, not in events, not in the audit log.
    const db = new Database(join(hub.dataDir, 'govhall.db'), { readonly: true });
    try {
      for (const table of ['cases', 'events', 'audit', 'outbox']) {
        const rows = JSON.stringify(db.prepare(`SELECT * FROM ${table}`).all());
        for (const f of codes) expect(rows).not.toContain(f.ratingCode);
      }
    } finally {
      db.close();
    }
  });
});
