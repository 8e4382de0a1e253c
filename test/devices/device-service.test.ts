/**
 * The device service with every device simulated, composed into a real hub on loopback: window
 * caller keys drive the queue, evaluation keys record ratings, LED strips follow calls, health is
 * reported, the browser bridge relays cards and prints — and a throwing driver harms nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KeypadSimulator } from '../../drivers/keypad/keypad-simulator.js';
import type { LedStripSimulator } from '../../drivers/ledstrip/led-simulator.js';
import { waitFor } from '../../drivers/testing/wait-for.js';
import type { HallConfig } from '../../kiosk-config/hall-config.js';
import { DeviceService } from '../../main/devices/device-service.js';
import { reportToHub } from '../../main/devices/hub-reporter.js';
import type { DeviceStatus, RatingKeyEvent } from '../../main/devices/types.js';
import { type HubApp, startHubApp } from '../../main/hall/hub-app.js';
import { BRIDGE_PATH, devicesPlugin } from '../../main/server/devices-plugin.js';
import { EvaluationRequests } from '../../main/server/evaluation-requests.js';
import { call, demoConfig, tempDir } from '../support/hub-client.js';
import { openJsonSocket } from './ws-client.js';

function hallWithDevices(): HallConfig {
  const c = demoConfig();
  c.devices = {
    terminals: [
      {
        id: 'kiosk-1',
        role: 'kiosk',
        devices: [
          { id: 'k1-card', kind: 'idcard', transport: { type: 'simulated' } },
          { id: 'k1-printer', kind: 'printer', transport: { type: 'simulated' } },
        ],
      },
      {
        id: 'counter-1',
        role: 'counter',
        window: 1,
        devices: [
          { id: 'w1-keys', kind: 'keypad', transport: { type: 'simulated' }, address: 1 },
          {
            id: 'w1-eval',
            kind: 'evalkeypad',
            transport: { type: 'simulated' },
            address: 2,
            badRatingReason: 'R107',
          },
          {
            id: 'w1-led',
            kind: 'ledstrip',
            transport: { type: 'simulated' },
            address: 1,
            template: '{number}到{window}号',
          },
        ],
      },
      {
        id: 'counter-9',
        role: 'counter',
        window: 3,
        devices: [{ id: 'w3-keys', kind: 'keypad', transport: { type: 'serial', path: '/dev/ttyNOPE' }, address: 1 }],
      },
    ],
  };
  return c;
}

let app: HubApp;
let service: DeviceService;
let kiosk: string;
let admin: string;
let counter3: string;
const statuses: DeviceStatus[] = [];
let printed = 0;

beforeAll(async () => {
  const config = hallWithDevices();
  service = new DeviceService({
    devices: config.devices,
    // The simulated bus answers at once; the generous timeout keeps a loaded machine from looking
    // like a dead keypad (the timeout itself: drivers/keypad/keypad-poller.test.ts, fake timers).
    keypadTiming: { replyTimeoutMs: 1000, cycleMs: 30, offlineAfter: 2 },
    drivers: {
      // A card reader driver that reads one card when asked, and a printer driver that throws:
      // the service must survive both kinds of behaviour.
      idcard: (_link, _d, sink) => {
        sink.status('ok', null);
        (globalThis as { presentCard?: () => void }).presentCard = () =>
          sink.card({
            name: '张三',
            gender: '男',
            birthDate: '1990-01-01',
            certNo: '110101199001011237',
            certType: 'resident',
          });
        return { stop: async () => {} };
      },
      printer: () => {
        printed++;
        throw new Error('驱动崩溃');
      },
    },
  });
  service.on('status', (s) => statuses.push(s));
  service.on('key', () => {
    throw new Error('a listener that throws must not matter');
  });
  await service.start();
  app = await startHubApp({
    config,
    dataDir: tempDir(),
    port: 0,
    version: 'test',
    plugins: [devicesPlugin({ service, requests: new EvaluationRequests(60_000) })],
  });
  kiosk = await app.createToken('kiosk');
  admin = await app.createToken('admin');
  counter3 = await app.createToken('counter', 3);
});
afterAll(async () => {
  await service.stop();
  await app.close();
});

const sim = <T>(id: string) => service.simulated(id)?.sim as T;

describe('device service in a running hub', () => {
  it('reports every device: simulated ones ok, a missing real port and a crashing driver as problems', async () => {
    await waitFor('the keypads online', () =>
      ['w1-keys', 'w1-eval'].every((id) => service.statuses().find((s) => s.deviceId === id)?.state === 'ok'),
    );
    const by = Object.fromEntries(service.statuses().map((s) => [s.deviceId, s]));
    expect(by['w1-led']?.state).toBe('ok');
    expect(by['k1-card']?.state).toBe('ok');
    expect(by['w3-keys']).toMatchObject({ state: 'offline' });
    expect(by['w3-keys']?.detail).toMatch(/serial/);
    expect(by['k1-printer']).toMatchObject({ state: 'error', detail: '驱动启动失败：驱动崩溃' });
    expect(printed).toBe(1);
    const list = await call(app.url, 'GET', '/devices', admin);
    expect(list.status).toBe(200);
    expect(list.body.devices.map((d: { deviceId: string }) => d.deviceId).sort()).toEqual(
      ['k1-card', 'k1-printer', 'w1-eval', 'w1-keys', 'w1-led', 'w3-keys'].sort(),
    );
    expect(list.body.devices.find((d: { deviceId: string }) => d.deviceId === 'w1-keys')).toMatchObject({
      terminal: 'counter-1',
      windowNo: 1,
      transport: 'simulated',
      state: 'ok',
    });
  });

  it('a caller key calls the next ticket; the LED strip shows it; pause toggles', async () => {
    const staff = (
      await call(app.url, 'POST', '/staff/sessions', null, { staffNo: '8001', pin: '123456', windowNo: 1 })
    ).body.token;
    const t = (await call(app.url, 'POST', '/tickets', kiosk, { serviceCode: 'ZHZX', channel: 'kiosk' })).body;
    expect(service.pressSimulated('w1-keys', 'CC')).toBe(true);
    await waitFor(
      'the call',
      async () => (await call(app.url, 'GET', '/windows/1', admin)).body.current?.number === t.number,
    );
    const led = sim<LedStripSimulator>('w1-led');
    await waitFor('the LED text', () => led.text === `${t.number}到1号`);
    service.pressSimulated('w1-keys', '33'); // recall
    await waitFor('the recall on the LED', () => led.frames.length >= 2);
    // finish over HTTP: the evaluation keypad then rates the case.
    const fin = await call(app.url, 'POST', '/windows/1/finish', staff, { case: { taskCode: 'ZX-001', result: '1' } });
    expect(service.pressSimulated('w1-eval', 'satisfied')).toBe(true);
    await waitFor(
      'the rating',
      async () => (await call(app.url, 'GET', `/cases/${fin.body.caseId}`, admin)).body.evaluations.length === 1,
    );
    const c = (await call(app.url, 'GET', `/cases/${fin.body.caseId}`, admin)).body;
    expect(c.evaluations[0]).toMatchObject({ level: 'satisfied', channel: 'pad', assessNumber: 1 });
    // A second press has no open request any more: nothing is recorded twice. The hub decides as
    // the service hands the rating out, so once a listener behind it has the press, it is decided.
    const heard: RatingKeyEvent[] = [];
    const stopHearing = service.on('rating', (r) => heard.push(r));
    service.pressSimulated('w1-eval', 'very_satisfied');
    await waitFor('the second press to reach the hub', () => heard.some((r) => r.level === 'very_satisfied'));
    stopHearing();
    expect((await call(app.url, 'GET', `/cases/${fin.body.caseId}`, admin)).body.evaluations).toHaveLength(1);
    service.pressSimulated('w1-keys', 'AA'); // pause
    await waitFor('the pause', async () => (await call(app.url, 'GET', '/windows/1', admin)).body.state === 'paused');
    await waitFor('the LED pause text', () => led.text === '暂停服务');
    service.pressSimulated('w1-keys', 'AA'); // resume
    await waitFor('the resume', async () => (await call(app.url, 'GET', '/windows/1', admin)).body.state === 'idle');
  });

  it('an admin can press a simulated key over HTTP (demo aid)', async () => {
    const before = (await call(app.url, 'GET', '/windows/1', admin)).body.state;
    expect((await call(app.url, 'POST', '/devices/w1-keys/press', admin, { key: 'pause' })).status).toBe(204);
    await waitFor('the press', async () => (await call(app.url, 'GET', '/windows/1', admin)).body.state !== before);
    expect((await call(app.url, 'POST', '/devices/w1-keys/press', admin, { key: 'AA' })).status).toBe(204);
    await waitFor(
      'the key undone',
      async () => (await call(app.url, 'GET', '/windows/1', admin)).body.state === before,
    );
    expect((await call(app.url, 'POST', '/devices/w3-keys/press', admin, { key: 'CC' })).body.code).toBe(
      'NOT_SIMULATED',
    );
    expect((await call(app.url, 'POST', '/devices/w1-keys/press', admin, { key: 'explode' })).status).toBe(400);
    expect((await call(app.url, 'POST', '/devices/w1-keys/press', kiosk, { key: 'CC' })).status).toBe(403);
  });

  it('a 差评 key records the configured reason code', async () => {
    const staff = (
      await call(app.url, 'POST', '/staff/sessions', null, { staffNo: '8001', pin: '123456', windowNo: 1 })
    ).body.token;
    await call(app.url, 'POST', '/tickets', kiosk, { serviceCode: 'ZHZX', channel: 'kiosk' });
    await call(app.url, 'POST', '/windows/1/call-next', staff);
    const fin = await call(app.url, 'POST', '/windows/1/finish', staff, { case: { taskCode: 'ZX-001', result: '1' } });
    service.pressSimulated('w1-eval', '05');
    await waitFor(
      'the rating',
      async () => (await call(app.url, 'GET', `/cases/${fin.body.caseId}`, admin)).body.evaluations.length === 1,
    );
    expect((await call(app.url, 'GET', `/cases/${fin.body.caseId}`, admin)).body.evaluations[0]).toMatchObject({
      level: 'very_dissatisfied',
      reasons: ['R107'],
    });
  });

  it('a simulated keypad unplugged goes offline and comes back', async () => {
    const keys = service.simulated('w1-keys')!;
    keys.pair.unplug();
    await waitFor(
      'w1-keys offline',
      () => service.statuses().find((s) => s.deviceId === 'w1-keys')?.state === 'offline',
    );
    keys.pair.replug();
    await waitFor('w1-keys back', () => service.statuses().find((s) => s.deviceId === 'w1-keys')?.state === 'ok');
    const seq = statuses.filter((s) => s.deviceId === 'w1-keys').map((s) => s.state);
    expect(seq.slice(-2)).toEqual(['offline', 'ok']);
    expect(sim<KeypadSimulator>('w1-keys').polls.length).toBeGreaterThan(0);
  });

  it('a remote terminal’s device service reports its devices to the hub over HTTP', async () => {
    const remote = new DeviceService({
      devices: hallWithDevices().devices,
      terminals: ['counter-9'],
      openLink: async () => {
        throw new Error('端口 /dev/ttyNOPE 不存在');
      },
    });
    await remote.start();
    const stop = reportToHub(remote, { hubUrl: app.url, token: counter3, retryMs: 50 });
    try {
      await waitFor(
        'the remote report',
        async () =>
          (await call(app.url, 'GET', '/devices', admin)).body.devices.find(
            (d: { deviceId: string }) => d.deviceId === 'w3-keys',
          )?.detail === '端口 /dev/ttyNOPE 不存在',
      );
    } finally {
      stop();
      await remote.stop();
    }
  });

  it('remote terminals report health over HTTP, only for their own window', async () => {
    expect(
      (await call(app.url, 'POST', '/devices/status', counter3, { deviceId: 'w3-keys', state: 'ok' })).status,
    ).toBe(204);
    expect(
      (await call(app.url, 'GET', '/devices', admin)).body.devices.find(
        (d: { deviceId: string }) => d.deviceId === 'w3-keys',
      ),
    ).toMatchObject({ state: 'ok' });
    expect(
      (await call(app.url, 'POST', '/devices/status', counter3, { deviceId: 'w1-led', state: 'ok' })).body.code,
    ).toBe('WRONG_WINDOW');
    expect((await call(app.url, 'POST', '/devices/status', counter3, { deviceId: 'nope', state: 'ok' })).status).toBe(
      404,
    );
    expect(
      (await call(app.url, 'POST', '/devices/status', counter3, { deviceId: 'w3-keys', state: 'fine' })).status,
    ).toBe(400);
  });

  it('the browser bridge relays cards, statuses and print results for its terminal', async () => {
    const ws = `${app.url.replace('http', 'ws')}${BRIDGE_PATH}`;
    const kioskTerminal = app.terminals.pair('kiosk-1', null, Date.now());
    await expect(openJsonSocket(`${ws}?terminal=kiosk-1`)).rejects.toThrow(/401/);
    // Only the kiosk's own paired token opens its bridge: a kiosk device token, an admin token or
    // another terminal's token receive none of its card reads.
    await expect(openJsonSocket(`${ws}?terminal=kiosk-1&token=${kiosk}`)).rejects.toThrow(/403/);
    await expect(openJsonSocket(`${ws}?terminal=kiosk-1&token=${admin}`)).rejects.toThrow(/403/);
    const other = app.terminals.pair('counter-1', null, Date.now());
    await expect(openJsonSocket(`${ws}?terminal=kiosk-1&token=${other}`)).rejects.toThrow(/403/);
    const b = await openJsonSocket(`${ws}?terminal=kiosk-1&token=${kioskTerminal}`);
    expect(await b.next('device.status', 5000, (m) => m.deviceId === 'k1-card')).toMatchObject({ state: 'ok' });
    (globalThis as { presentCard?: () => void }).presentCard?.();
    expect((await b.next('card')).card).toMatchObject({ name: '张三', certType: 'resident' });
    b.send({ type: 'status', id: 's1' });
    const st = await b.next('status.result');
    expect(st.id).toBe('s1');
    expect(st.devices.map((d: { deviceId: string }) => d.deviceId).sort()).toEqual(['k1-card', 'k1-printer']);
    b.send({
      type: 'print',
      id: 'p1',
      ticket: {
        hallName: '演示',
        number: 'F001',
        serviceName: '综合咨询',
        ahead: 0,
        issuedAt: '2026-11-23T10:00:00+08:00',
      },
    });
    expect(await b.next('print.result')).toMatchObject({ id: 'p1', result: { ok: false, code: 'NO_PRINTER' } });
    b.send({ type: 'print', id: 'p2', ticket: { number: 'F001' } });
    expect(await b.next('print.result')).toMatchObject({ id: 'p2', result: { ok: false, code: 'ERROR' } });
    // Its own token without ?terminal= opens the same bridge; counter-1's opens counter-1's devices only.
    const mine = await openJsonSocket(`${ws}?token=${other}`);
    mine.send({ type: 'status', id: 's2' });
    const own = await mine.next('status.result');
    expect(own.devices.map((d: { deviceId: string }) => d.deviceId).sort()).toEqual(['w1-eval', 'w1-keys', 'w1-led']);
    mine.close();
    // Revoking the kiosk closes its bridge.
    app.terminals.revoke('kiosk-1', Date.now());
    await expect(openJsonSocket(`${ws}?token=${kioskTerminal}`)).rejects.toThrow(/401/);
    b.close();
  });
});
