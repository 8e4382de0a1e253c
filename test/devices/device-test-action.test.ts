/**
 * `POST /api/v1/devices/{id}/test` over real HTTP on loopback, with the demo hall's devices on
 * their simulators (as `govhall start` runs them): a test print decoded by the printer simulator,
 * paper out, a card read that answers no personal data, pads and keypads pinged, the refusals,
 * and the audit trail.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { encodeCardText, validateCardJson } from '../../drivers/idcard/card-json.js';
import type { CardReaderSimulator } from '../../drivers/idcard/card-reader-simulator.js';
import type { PrinterSimulator } from '../../drivers/printer/printer-simulator.js';
import { sampleTicket } from '../../drivers/printer/ticket-layout.js';
import { waitFor } from '../../drivers/testing/wait-for.js';
import type { HubApp } from '../../main/hall/hub-app.js';
import type { LocalDevices } from '../../main/hall/local-devices.js';
import { devicesPlugin } from '../../main/server/devices-plugin.js';
import { EvaluationRequests } from '../../main/server/evaluation-requests.js';
import { PAD_PATH, PadPresence, padPlugin } from '../../main/server/pad-plugin.js';
import { call, startSimulatedHall } from '../support/hub-client.js';
import { openJsonSocket } from './ws-client.js';

/**
 * How long the hub waits for a pad's pong. Generous, so a pad that does answer always makes it on a
 * loaded machine; a deaf pad therefore costs the test this long.
 */
const PING_TIMEOUT_MS = 2000;

let hall: Awaited<ReturnType<typeof startSimulatedHall>>;
let app: HubApp;
let devices: LocalDevices;
let dataDir: string;
let admin: string;
let kiosk: string;
let evaluator: string;

beforeAll(async () => {
  // The plugins by hand, to set the pad ping timeout.
  hall = await startSimulatedHall((d) => {
    const requests = new EvaluationRequests();
    const pads = new PadPresence();
    return [
      devicesPlugin({ service: d.service, requests, pads, testTimeoutMs: PING_TIMEOUT_MS }),
      padPlugin({ requests, presence: pads }),
    ];
  });
  ({ app, devices, dataDir } = hall);
  admin = await app.createToken('admin');
  kiosk = await app.createToken('kiosk');
  evaluator = await app.createToken('evaluator', 1, '1号窗口评价器');
});
afterAll(async () => {
  await hall?.close();
});

const test = (id: string, body: unknown, token: string | null = admin) =>
  call(app.url, 'POST', `/devices/${encodeURIComponent(id)}/test`, token, body);

const audits = () => {
  const db = new Database(join(dataDir, 'govhall.db'), { readonly: true });
  try {
    return db.prepare("SELECT subject, result, detail FROM audit WHERE action = 'device.test' ORDER BY id").all() as {
      subject: string;
      result: string;
      detail: string;
    }[];
  } finally {
    db.close();
  }
};

describe('device test actions', () => {
  it('prints the sample ticket on the printer, which decodes it; paper out answers PAPER_OUT', async () => {
    const sim = devices.service!.simulated('kiosk-1-printer')!.sim as PrinterSimulator;
    const r = await test('kiosk-1-printer', { action: 'print' });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      deviceId: 'kiosk-1-printer',
      kind: 'printer',
      action: 'print',
      ok: true,
      message: '测试页已打印',
    });
    expect(sim.tickets).toHaveLength(1);
    const text = sim.tickets[0]!.lines.join('\n');
    expect(text).toContain(sampleTicket().number);
    expect(text).toContain('打印测试页');
    expect(sim.tickets[0]!.qrPayloads).toEqual([sampleTicket().qr]);

    sim.state.paperOut = true;
    try {
      const out = await test('kiosk-1-printer', { action: 'print' });
      expect(out.status).toBe(200);
      expect(out.body).toMatchObject({ ok: false, code: 'PAPER_OUT' });
      expect(out.body.message).toContain('缺纸');
      expect(sim.tickets).toHaveLength(1);
      const st = await test('kiosk-1-printer', { action: 'status' });
      expect(st.body).toMatchObject({ ok: false, state: 'error', fresh: true });
    } finally {
      sim.state.paperOut = false;
    }
  });

  it('a printer whose port is gone is DEVICE_OFFLINE, and nothing is sent', async () => {
    const s = devices.service!.simulated('kiosk-1-printer')!;
    s.pair.unplug();
    try {
      const r = await test('kiosk-1-printer', { action: 'print' });
      expect(r.status).toBe(503);
      expect(r.body.code).toBe('DEVICE_OFFLINE');
      expect(r.body.message).toMatch(/离线/);
    } finally {
      s.pair.replug();
    }
  });

  it('reads the card reader’s state, SAM id and whether a card lies there — never its contents', async () => {
    const empty = await test('kiosk-1-idcard', { action: 'read' });
    expect(empty.status).toBe(200);
    expect(empty.body).toMatchObject({ ok: true, state: 'ok', cardPresent: false });
    expect(typeof empty.body.samId).toBe('string');
    expect(empty.body.samId.length).toBeGreaterThan(0);

    const reader = devices.service!.simulated('kiosk-1-idcard')!.sim as CardReaderSimulator;
    const card = validateCardJson(JSON.parse(readFileSync('drivers/idcard/sample-cards/resident.json', 'utf8')));
    let read = false;
    const off = devices.service!.on('card', () => {
      read = true;
    });
    reader.present(encodeCardText(card));
    try {
      await waitFor('the card read', () => read);
      const r = await test('kiosk-1-idcard', { action: 'read' });
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ ok: true, cardPresent: true, cardType: 'resident' });
      expect(r.body.message).toContain('读卡区有卡（居民身份证）');
      const text = JSON.stringify(r.body);
      for (const personal of ['李秀英', '330102195503150025', '1955', '河坊街', '杭州市公安局', 'name', 'certNo'])
        expect(text).not.toContain(personal);
    } finally {
      off();
      reader.lift();
    }
    const rows = audits().filter((a) => a.subject === 'kiosk-1-idcard');
    expect(rows.length).toBeGreaterThanOrEqual(2);
    expect(JSON.parse(rows.at(-1)!.detail)).toMatchObject({ action: 'read', ok: true, cardPresent: true });
    for (const a of rows) expect(a.detail).not.toMatch(/李秀英|330102|河坊街/);
  });

  it('pings a connected pad over its WebSocket; a pad that does not answer is reported, not waited for', async () => {
    const pad = await openJsonSocket(`${app.url.replace('http', 'ws')}${PAD_PATH}`);
    pad.send({ type: 'hello', token: evaluator, protocol: 1 });
    const welcome = await pad.next('welcome');
    const id = welcome.deviceId as string;
    const r = await test(id, { action: 'ping' });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ kind: 'pad', ok: true, answered: true, connections: 1 });
    expect(typeof r.body.roundTripMs).toBe('number');
    expect((await test(id, { action: 'print' })).body.code).toBe('ACTION_NOT_SUPPORTED');

    // A second pad on the same token that never answers a ping frame.
    const deaf = new WebSocket(`${app.url.replace('http', 'ws')}${PAD_PATH}`, { autoPong: false });
    await new Promise((resolve, reject) => {
      deaf.once('open', resolve);
      deaf.once('error', reject);
    });
    const welcomed = new Promise((resolve) => deaf.once('message', resolve));
    deaf.send(JSON.stringify({ type: 'hello', token: evaluator }));
    await welcomed;
    const half = await test(id, { action: 'ping' });
    expect(half.body).toMatchObject({ ok: false, answered: true, connections: 2, timeoutMs: PING_TIMEOUT_MS });
    deaf.close();
    pad.close();
    await pad.closed;
    await waitFor('the pad gone', async () => (await test(id, { action: 'ping' })).status === 503);
    const gone = await test(id, { action: 'ping' });
    expect(gone.body.code).toBe('DEVICE_OFFLINE');
  });

  it('reports a keypad’s poll health and a fresh status of any device', async () => {
    await waitFor('the keypad polled', async () => (await test('w1-keypad', { action: 'ping' })).body.ok === true);
    const k = await test('w1-keypad', { action: 'ping' });
    expect(k.body).toMatchObject({ kind: 'keypad', online: true, message: '键盘应答轮询正常' });
    const led = await test('w1-led', { action: 'status' });
    expect(led.status).toBe(200);
    expect(led.body).toMatchObject({ kind: 'ledstrip', action: 'status', state: 'ok', fresh: true });
  });

  it('refuses: unknown device 404, wrong role 403, no token 401, unsupported 409, bad action 400', async () => {
    const unknown = await test('no-such-device', { action: 'status' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('UNKNOWN_DEVICE');
    expect(unknown.body.message).toMatch(/没有设备/);

    const wrongRole = await test('kiosk-1-printer', { action: 'print' }, kiosk);
    expect(wrongRole.status).toBe(403);
    expect((await test('kiosk-1-printer', { action: 'print' }, null)).status).toBe(401);

    const unsupported = await test('kiosk-1-idcard', { action: 'print' });
    expect(unsupported.status).toBe(409);
    expect(unsupported.body.code).toBe('ACTION_NOT_SUPPORTED');
    expect(unsupported.body.message).toMatch(/身份证读卡器不能做「测试打印」测试/);
    expect((await test('w1-led', { action: 'ping' })).body.code).toBe('ACTION_NOT_SUPPORTED');

    const bad = await test('kiosk-1-printer', { action: 'explode' });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ code: 'INVALID_INPUT' });
    expect(bad.body.message).toMatch(/^字段 action：/);

    const refused = audits().filter((a) => a.result === 'refused');
    expect(refused.some((a) => JSON.parse(a.detail).code === 'ACTION_NOT_SUPPORTED')).toBe(true);
  });
});
