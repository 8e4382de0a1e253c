/**
 * The embedded hall's terminals (`govhall start`): paired to the hub by the hub itself, each on
 * its own local origin, no token in any address, the same tokens again after a restart on the same
 * data folder, and the one-click list on the hub's start page for this PC only.
 */
import { readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_HALL_PATH } from '../../kiosk-config/demo-hall.js';
import { roleUrls } from '../../main/cli/ui-urls.js';
import { type EmbeddedHall, startEmbeddedHall } from '../../main/hall/embedded-hall.js';
import { fromLoopback } from '../../main/server/ui-plugin.js';
import { openJsonSocket } from '../devices/ws-client.js';
import { demoConfig, tempDir } from '../support/hub-client.js';

const dataDir = tempDir('govhall-embedded-');
let hall: EmbeddedHall | null = null;

const start = () =>
  startEmbeddedHall({
    config: demoConfig(),
    configPath: DEMO_HALL_PATH,
    dataDir,
    port: 0,
    version: 'test',
    devices: 'simulated',
  });

const tokenFile = (id: string) =>
  JSON.parse(readFileSync(join(dataDir, 'demo-terminals', id, 'terminal.token'), 'utf8'));

afterAll(async () => {
  await hall?.close();
});

describe('the embedded hall’s terminals', () => {
  it('pairs every terminal of the demo hall and serves each role page without a token', async () => {
    hall = await start();
    const urls = roleUrls(hall.pages);
    const config = demoConfig();
    // kiosk, display, admin, a counter and an evaluator per window.
    expect(urls).toHaveLength(3 + 2 * config.windows.length);
    expect(urls.every((u) => !u.url.includes('token') && u.url.startsWith('http://127.0.0.1:'))).toBe(true);
    const kiosk = urls.find((u) => u.role === 'kiosk')!.url;
    const origin = new URL(kiosk).origin;
    expect((await fetch(`${origin}/api/v1/hall`)).status).toBe(200);
    const ticket = await fetch(`${origin}/api/v1/tickets`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ serviceCode: 'ZHZX', channel: 'kiosk' }),
    });
    expect([201, 409]).toContain(ticket.status);
    // The kiosk's bridge is its own terminal's devices, from the hub's simulated ones.
    const bridge = await openJsonSocket(`${origin.replace('http', 'ws')}/api/v1/devices/bridge`);
    bridge.send({ type: 'status', id: 's' });
    const st = await bridge.next('status.result', 10_000);
    expect(st.devices.map((d: { deviceId: string }) => d.deviceId).sort()).toEqual([
      'kiosk-1-idcard',
      'kiosk-1-printer',
    ]);
    bridge.close();
    // The admin console's terminal acts as admin.
    const admin = new URL(urls.find((u) => u.role === 'admin')!.url).origin;
    expect((await fetch(`${admin}/api/v1/admin/terminals`)).status).toBe(200);
    // The start page lists them for this PC.
    const home = await (await fetch(`${hall.app.url}/`)).text();
    expect(home).toContain('一键打开');
    expect(home).toContain(kiosk.replace(/&/g, '&amp;'));
  });

  it('uses the same tokens again after a restart on the same data folder', async () => {
    const before = tokenFile('kiosk-1');
    const paired = hall!.app.terminals.list().find((t) => t.terminalId === 'kiosk-1')!.pairedAt;
    await hall!.close();
    hall = await start();
    expect(tokenFile('kiosk-1')).toEqual(before);
    expect(hall.app.terminals.list().find((t) => t.terminalId === 'kiosk-1')!.pairedAt).toBe(paired);
  });

  it('shows the one-click list only to a browser on this PC', () => {
    const req = (address: string) => ({ socket: { remoteAddress: address } }) as unknown as IncomingMessage;
    expect(fromLoopback(req('127.0.0.1'))).toBe(true);
    expect(fromLoopback(req('::ffff:127.0.0.1'))).toBe(true);
    expect(fromLoopback(req('192.168.10.7'))).toBe(false);
  });
});
