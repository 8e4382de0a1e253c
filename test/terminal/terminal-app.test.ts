/**
 * `govhall terminal` without a browser, against a real hub on loopback: pairing through the
 * admin's approval, the token in a 0600 file and nowhere else, the local origin serving the kiosk
 * page and forwarding its calls with the terminal's credentials, the device bridge served from the
 * terminal's own (simulated) devices, the hub going away and coming back, and revocation.
 */
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateCardJson } from '../../drivers/idcard/card-json.js';
import type { CardReaderSimulator } from '../../drivers/idcard/card-reader-simulator.js';
import { waitFor } from '../../drivers/testing/wait-for.js';
import { type HubApp, startHubApp } from '../../main/hall/hub-app.js';
import { startLocalDevices } from '../../main/hall/local-devices.js';
import { startTerminal, type TerminalApp } from '../../main/terminal/terminal-app.js';
import { TOKEN_FILE } from '../../main/terminal/terminal-files.js';
import { openJsonSocket } from '../devices/ws-client.js';
import { call, demoConfig, tempDir } from '../support/hub-client.js';

const ROOT = new URL('../../', import.meta.url).pathname;
const CARD = validateCardJson(
  JSON.parse(readFileSync(join(ROOT, 'drivers/idcard/sample-cards/resident.json'), 'utf8')),
);

let hub: HubApp;
let hubPort: number;
let hubData: string;
let admin: string;
let terminal: TerminalApp;
let termData: string;
let local: string;
const config = demoConfig();

async function startHub(port: number): Promise<HubApp> {
  const devices = await startLocalDevices({ config, mode: 'none' });
  const app = await startHubApp({ config, dataDir: hubData, port, version: 'test', plugins: devices.plugins });
  return app;
}

/** A stand-in for the renderer build: the terminal serves whatever is in its UI folder. */
function fakeUiRoot(): string {
  const root = tempDir('govhall-ui-root-');
  for (const role of ['kiosk', 'counter']) {
    mkdirSync(join(root, role));
    writeFileSync(
      join(root, role, 'index.html'),
      `<!doctype html><title>${role}</title><script src="/assets/app.js"></script>`,
    );
  }
  mkdirSync(join(root, 'assets'));
  writeFileSync(join(root, 'assets', 'app.js'), 'console.log(1)');
  return root;
}

/** fetch may not set Host: a raw request, as a page on a rebound DNS name would send it. */
const statusWithHost = (host: string) =>
  new Promise<number>((resolve, reject) => {
    const req = httpRequest(`${local}/api/v1/hall`, { headers: { host } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });

const get = (path: string, headers: Record<string, string> = {}) =>
  fetch(`${local}${path}`, { redirect: 'manual', headers });

beforeAll(async () => {
  hubData = tempDir('govhall-terminal-hub-');
  hub = await startHub(0);
  hubPort = hub.port;
  admin = await hub.createToken('admin', undefined, 'a1');
  termData = tempDir('govhall-terminal-');
  terminal = await startTerminal({
    terminal: { id: 'kiosk-1', hub: hub.url },
    dataDir: termData,
    uiRoot: fakeUiRoot(),
  });
  local = terminal.origin.url;
});
afterAll(async () => {
  await terminal?.close();
  await hub?.close();
});

describe('govhall terminal', () => {
  it('pairs: shows its code locally, the admin approves it, the token lands in a 0600 file only', async () => {
    await waitFor('a pairing code', () => terminal.agent.state.kind === 'pairing' && !!terminal.agent.state.code);
    const state = (await (await get('/terminal/state')).json()) as { code: string };
    expect(state).toMatchObject({ kind: 'pairing', code: expect.stringMatching(/^\d{6}$/) });
    expect((await get('/')).headers.get('location')).toBe('/terminal/pairing');
    const page = await (await get('/terminal/pairing')).text();
    expect(page).toContain(state.code);
    expect(page).toContain('本终端尚未配对');
    const early = await get('/api/v1/hall');
    expect(early.status).toBe(503);
    expect(((await early.json()) as { code: string }).code).toBe('TERMINAL_NOT_PAIRED');

    expect((await call(hub.url, 'POST', '/admin/pairings/approve', admin, { code: state.code })).status).toBe(200);
    await waitFor(
      'the terminal running',
      () => terminal.agent.state.kind === 'running' && terminal.agent.state.hubReachable,
    );
    const file = join(termData, TOKEN_FILE);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const token = JSON.parse(readFileSync(file, 'utf8')).token as string;
    expect(token).toMatch(/^gtt_/);
    // Never in a log line.
    for (const f of readdirSync(termData, { recursive: true }) as string[]) {
      if (f.endsWith('.log')) expect(readFileSync(join(termData, f), 'utf8')).not.toContain(token);
    }
    expect((await get('/')).headers.get('location')).toBe('/kiosk/?terminal=kiosk-1');
  });

  it('serves its role pages without a token, with connect-src self, and only its own roles', async () => {
    const kiosk = await get('/kiosk/?terminal=kiosk-1');
    expect(kiosk.status).toBe(200);
    expect(kiosk.headers.get('content-security-policy')).toContain("connect-src 'self'");
    expect(await kiosk.text()).toContain('<title>kiosk</title>');
    expect((await get('/assets/app.js')).status).toBe(200);
    // counter is not one of kiosk-1's pages.
    expect((await get('/counter/')).headers.get('location')).toBe('/kiosk/?terminal=kiosk-1');
    expect((await get('/assets/../../etc/passwd')).status).toBe(404);
  });

  it('forwards the pages’ calls to the hub with its own credentials, and only for its own pages', async () => {
    const hall = await get('/api/v1/hall');
    expect(hall.status).toBe(200);
    expect(((await hall.json()) as { services: unknown[] }).services.length).toBeGreaterThan(0);
    // The page's own Origin is not forwarded: the hub, whose hub.allowedOrigins does not list the
    // terminal's local origin, still takes the call (docs/security.md「终端」).
    const issued = await fetch(`${local}/api/v1/tickets`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: local },
      body: JSON.stringify({ serviceCode: 'ZHZX', channel: 'kiosk' }),
    });
    expect([201, 409]).toContain(issued.status);
    // Another site open on this PC, or a name that resolves here, gets nothing.
    expect((await get('/api/v1/hall', { origin: 'http://evil.example' })).status).toBe(403);
    expect((await get('/api/v1/hall', { 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect(await statusWithHost('evil.example')).toBe(403);
    expect(await statusWithHost(new URL(local).host)).toBe(200);
    // The live events through the terminal.
    const events = await openJsonSocket(`${local.replace('http', 'ws')}/api/v1/events`);
    expect((await events.next('hello')).seq).toEqual(expect.any(Number));
    events.close();
  });

  it('serves the device bridge from its own devices: a card on its reader, a ticket on its printer', async () => {
    const bridge = await openJsonSocket(`${local.replace('http', 'ws')}/api/v1/devices/bridge`);
    await bridge.next('device.status', 10_000, (m) => m.deviceId === 'kiosk-1-printer' && m.state === 'ok');
    const reader = terminal.devices.service?.simulated('kiosk-1-idcard')?.sim as CardReaderSimulator;
    reader.presentCard(CARD);
    expect((await bridge.next('card', 10_000)).card).toMatchObject({ certNo: CARD.idNumber, name: CARD.name });
    bridge.send({
      type: 'print',
      id: 'p1',
      ticket: {
        hallName: 'x',
        number: 'F001',
        serviceName: '综合咨询',
        ahead: 0,
        issuedAt: '2026-11-23T10:00:00+08:00',
        ticketId: 'T9',
        ticketCode: 'T9CODE0123456789ABCDEFGH',
      },
    });
    // The QR comes from the hall config the hub sent (ticketText.qrUrl at public.baseUrl).
    expect(await bridge.next('print.result', 10_000)).toMatchObject({
      id: 'p1',
      result: { ok: true, qr: 'http://127.0.0.1:8800/t/T9CODE0123456789ABCDEFGH' },
    });
    // What the page sees (its cameras, its displays) goes to the hub for the admin's editor.
    const seen = {
      cameras: [{ label: '良田 S500 高拍仪', deviceId: 'cam1' }],
      displays: [{ id: 0, width: 1080, height: 1920 }],
    };
    bridge.send({ type: 'inventory', ...seen });
    expect(await bridge.next('inventory.result', 10_000)).toMatchObject({ ok: true });
    const listed = await waitFor('the page’s cameras on the hub', async () => {
      const list = await call(hub.url, 'GET', '/admin/terminals', admin);
      const inv = list.body.find((t: { terminalId: string }) => t.terminalId === 'kiosk-1')?.inventory;
      return inv?.cameras?.length ? inv : null;
    });
    expect(listed).toMatchObject(seen);
    expect(listed.serialPorts).toEqual(expect.any(Array));
    bridge.send({ type: 'inventory', cameras: 'nonsense' });
    expect(await bridge.next('inventory.result', 10_000)).toMatchObject({ ok: false });
    bridge.close();
  });

  it('shows its offline page while the hub is away and comes back with it', async () => {
    await hub.close();
    await waitFor(
      'the terminal to notice the hub is gone',
      () => terminal.agent.state.kind === 'running' && !terminal.agent.state.hubReachable,
      30_000,
    );
    const page = await get('/kiosk/?terminal=kiosk-1');
    expect(page.headers.get('location')).toMatch(/^\/terminal\/offline\?to=/);
    const offline = await (await get(page.headers.get('location')!)).text();
    expect(offline).toContain('自助取号暂停，请到咨询台');
    const api = await get('/api/v1/hall');
    expect(api.status).toBe(503);
    expect(((await api.json()) as { code: string }).code).toBe('HUB_UNREACHABLE');

    hub = await startHub(hubPort);
    await waitFor(
      'the terminal to reach the hub again',
      () => terminal.agent.state.kind === 'running' && terminal.agent.state.hubReachable,
      60_000,
    );
    expect((await get('/terminal/next?to=%2Fkiosk%2F%3Fterminal%3Dkiosk-1')).headers.get('location')).toBe(
      '/kiosk/?terminal=kiosk-1',
    );
  });

  it('goes back to pairing when the admin revokes it', async () => {
    const bridge = await openJsonSocket(`${local.replace('http', 'ws')}/api/v1/devices/bridge`);
    const admin2 = await hub.createToken('admin', undefined, 'a2');
    expect((await call(hub.url, 'DELETE', '/admin/terminals/kiosk-1', admin2)).status).toBe(204);
    await waitFor('the pairing page again', () => terminal.agent.state.kind === 'pairing');
    expect((await bridge.closed).code).toBe(4401);
    expect(() => statSync(join(termData, TOKEN_FILE))).toThrow();
    expect((await get('/kiosk/?terminal=kiosk-1')).headers.get('location')).toBe('/terminal/pairing');
  });
});
