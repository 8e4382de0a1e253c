/**
 * The pad endpoint's clocks on fake timers — the heartbeat watch, the hello deadline and the expiry
 * of an open rating request — over a real WebSocket on loopback. Time moves only when the test
 * moves it, so each limit is checked exactly and a loaded machine cannot fail it. A round trip on
 * the pad's own connection (ping → pong) shows that nothing the hub sent before it is still on the way.
 * (The test client's own waits are on the fake clock too: a message that never comes fails the test
 * at the test timeout.)
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { HubApp } from '../../main/hall/hub-app.js';
import { PAD_PATH } from '../../main/server/pad-plugin.js';
import { call, startPadHub } from '../support/hub-client.js';
import { type JsonSocket, openJsonSocket, pingPong, signInPad } from './ws-client.js';

const HEARTBEAT_S = 15;
const HELLO_MS = 10_000;
const EXPIRY_MS = 120_000;

let app: HubApp;
let admin: string;
let kiosk: string;
let pad: string;
let events: JsonSocket;
const wsUrl = () => `${app.url.replace('http', 'ws')}${PAD_PATH}`;

beforeAll(async () => {
  // Before the hub starts, so its watch interval and every timer it sets are on the fake clock.
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
  app = await startPadHub({ expiryMs: EXPIRY_MS, heartbeatSeconds: HEARTBEAT_S, helloTimeoutMs: HELLO_MS });
  admin = await app.createToken('admin');
  kiosk = await app.createToken('kiosk');
  pad = await app.createToken('evaluator', 1, 'pad-w1');
  events = await openJsonSocket(`${app.url.replace('http', 'ws')}/api/v1/events?token=${admin}`);
});
afterAll(async () => {
  events?.close();
  await app?.close();
  vi.useRealTimers();
});

describe('pad endpoint clocks (fake timers)', () => {
  it('keeps a pad silent for exactly three heartbeats, closes it once it is silent for longer, and reports it offline', async () => {
    const { s, welcome } = await signInPad(wsUrl(), pad);
    expect(welcome.heartbeatSeconds).toBe(HEARTBEAT_S);
    const mine = (m: Record<string, any>) => m.deviceId === welcome.deviceId;
    expect(await events.next('device.status', undefined, (m) => mine(m) && m.state === 'ok')).toMatchObject({
      kind: 'pad',
    });

    await vi.advanceTimersByTimeAsync(3 * HEARTBEAT_S * 1000);
    // Still open: the pong comes, and no timeout error came before it.
    expect(await pingPong(s)).toHaveProperty('at');
    expect(s.messages.some((m) => m.code === 'HEARTBEAT_TIMEOUT')).toBe(false);

    // The ping counted as a sign of life; silent now for three heartbeats and one watch round more.
    await vi.advanceTimersByTimeAsync(3 * HEARTBEAT_S * 1000);
    expect(await pingPong(s)).toHaveProperty('at');
    await vi.advanceTimersByTimeAsync(3 * HEARTBEAT_S * 1000 + 5000);
    expect((await s.closed).code).toBe(4008);
    expect(s.messages.at(-1)).toMatchObject({ type: 'error', code: 'HEARTBEAT_TIMEOUT' });
    expect(await events.next('device.status', undefined, (m) => mine(m) && m.state === 'offline')).toMatchObject({
      detail: '评价器连接已断开',
    });
  });

  it('closes a connection that says no hello by the deadline, not before', async () => {
    const early = await openJsonSocket(wsUrl());
    await vi.advanceTimersByTimeAsync(HELLO_MS - 1);
    early.send({ type: 'hello', token: pad, protocol: 1 });
    expect(await early.next('welcome')).toMatchObject({ windowNo: 1 });
    early.close();

    const quiet = await openJsonSocket(wsUrl());
    await vi.advanceTimersByTimeAsync(HELLO_MS);
    expect((await quiet.closed).code).toBe(4001);
    expect(quiet.messages).toEqual([expect.objectContaining({ type: 'error', code: 'UNAUTHORIZED' })]);
  });

  it('expires an unanswered request as not evaluated after its timeout, not before', async () => {
    const staff = (
      await call(app.url, 'POST', '/staff/sessions', null, { staffNo: '8001', pin: '123456', windowNo: 1 })
    ).body.token;
    const { s } = await signInPad(wsUrl(), pad);
    await call(app.url, 'POST', '/tickets', kiosk, { serviceCode: 'ZHZX', channel: 'kiosk' });
    expect((await call(app.url, 'POST', '/windows/1/call-next', staff)).status).toBe(200);
    const fin = await call(app.url, 'POST', '/windows/1/finish', staff, {
      case: { taskCode: 'ZX-001', taskName: '综合咨询', result: '1' },
    });
    const { caseId } = fin.body;
    expect(await s.next('evaluate')).toMatchObject({ caseId });

    // The pad keeps its heartbeat while the citizen does not rate.
    for (let waited = 0; waited < EXPIRY_MS - 1; ) {
      const step = Math.min(HEARTBEAT_S * 1000, EXPIRY_MS - 1 - waited);
      await vi.advanceTimersByTimeAsync(step);
      waited += step;
      await pingPong(s);
    }
    expect(s.messages.some((m) => m.type === 'evaluate.cancel')).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(await s.next('evaluate.cancel')).toMatchObject({ caseId, reason: 'timeout' });
    expect(await events.next('evaluation.expired', undefined, (m) => m.caseId === caseId)).toMatchObject({
      windowNo: 1,
    });
    s.close();
  });
});
