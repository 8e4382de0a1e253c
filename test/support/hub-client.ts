/** Test helpers: a real hub on loopback (in process or as a child) and a tiny JSON client. */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { Cleanups } from '../../drivers/testing/cleanups.js';
import { DEMO_HALL_PATH } from '../../kiosk-config/demo-hall.js';
import type { HallConfig } from '../../kiosk-config/hall-config.js';
import { loadHallConfigFile } from '../../kiosk-config/load.js';
import { type HubApp, startHubApp } from '../../main/hall/hub-app.js';
import { type LocalDevices, startLocalDevices } from '../../main/hall/local-devices.js';
import { devicesPlugin } from '../../main/server/devices-plugin.js';
import { EvaluationRequests } from '../../main/server/evaluation-requests.js';
import type { HubPlugin } from '../../main/server/hub-plugin.js';
import { type PadEndpointOptions, PadPresence, padPlugin } from '../../main/server/pad-plugin.js';
import type { Clock } from '../../main/time/clock.js';

export interface Reply {
  status: number;
  body: any;
  headers: Headers;
}

export async function call(
  base: string,
  method: string,
  path: string,
  token?: string | null,
  body?: unknown,
): Promise<Reply> {
  const res = await fetch(`${base}/api/v1${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers };
}

export function demoConfig(): HallConfig {
  const r = loadHallConfigFile(DEMO_HALL_PATH);
  if (!r.ok) throw new Error('demo hall broken');
  return r.config;
}

export const tempDir = (name = 'govhall-test-') => mkdtempSync(join(tmpdir(), name));

export interface TestHubOptions {
  config?: HallConfig;
  clock?: Clock;
  dataDir?: string;
  /** Features beside the core API (admin routes, devices), as `govhall start` adds them. */
  plugins?: HubPlugin[];
  rateLimit?: { perSecond: number; burst: number };
}

/** A hub on loopback with one token of every role (counter and evaluator bound to window 1). */
export async function startTestHub(opts: TestHubOptions = {}) {
  const dataDir = opts.dataDir ?? tempDir();
  const app: HubApp = await startHubApp({
    config: opts.config ?? demoConfig(),
    dataDir,
    port: 0,
    version: 'test',
    ...(opts.clock ? { clock: opts.clock } : {}),
    ...(opts.plugins ? { plugins: opts.plugins } : {}),
    ...(opts.rateLimit ? { rateLimit: opts.rateLimit } : {}),
  });
  return {
    app,
    dataDir,
    url: app.url,
    kiosk: await app.createToken('kiosk', undefined, 'k1'),
    display: await app.createToken('display', undefined, 'd1'),
    admin: await app.createToken('admin', undefined, 'a1'),
    counter: await app.createToken('counter', 1, 'c1'),
    evaluator: await app.createToken('evaluator', 1, 'e1'),
    close: () => app.close(),
  };
}

/**
 * The demo hall as `govhall start` composes it: its devices on their simulators and a hub in this
 * process. `plugins` replaces the devices' own plugins (to set a plugin option).
 */
export async function startSimulatedHall(plugins?: (devices: LocalDevices) => HubPlugin[]) {
  const config = demoConfig();
  const devices = await startLocalDevices({ config, mode: 'simulated' });
  const dataDir = tempDir();
  const app = await startHubApp({
    config,
    dataDir,
    port: 0,
    version: 'test',
    plugins: plugins ? plugins(devices) : devices.plugins,
  });
  return {
    app,
    devices,
    dataDir,
    async close() {
      await app.close();
      await devices.stop();
    },
  };
}

/**
 * The demo hall's hub with the pad WebSocket endpoint (and the device list that shows pads).
 * `expiryMs`: how long a rating request stays open (default the hub's own).
 */
export function startPadHub(pad: Omit<PadEndpointOptions, 'requests' | 'presence'> & { expiryMs?: number } = {}) {
  const { expiryMs, ...padOptions } = pad;
  const requests = new EvaluationRequests(expiryMs);
  const pads = new PadPresence();
  return startHubApp({
    config: demoConfig(),
    dataDir: tempDir(),
    port: 0,
    version: 'test',
    plugins: [devicesPlugin({ requests, pads }), padPlugin({ requests, presence: pads, ...padOptions })],
  });
}

/** Signs a staff member in at a window (demo hall PINs are 123456); the session token or an error. */
export async function signInStaff(base: string, staffNo: string, windowNo: number, pin = '123456'): Promise<string> {
  const r = await call(base, 'POST', '/staff/sessions', null, { staffNo, pin, windowNo });
  if (r.status !== 201)
    throw new Error(`staff ${staffNo} at window ${windowNo}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.token as string;
}

export interface HubChild {
  child: ChildProcess;
  url: string;
  pid: number;
  adminToken: string;
  displayToken: string;
  kioskTokens: string[];
  exited: Promise<number | null>;
}

const HUB_CHILD = fileURLToPath(new URL('../../main/hall/hub-child.ts', import.meta.url));

/** Starts `hub-child.ts` and waits for its ready line. */
export function spawnHub(dataDir: string, opts: { tokens?: number; config?: string } = {}): Promise<HubChild> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      HUB_CHILD,
      '--data',
      dataDir,
      '--port',
      '0',
      '--tokens',
      String(opts.tokens ?? 1),
      ...(opts.config ? ['--config', opts.config] : []),
    ],
    // stdin stays open for the child's life: it stops by itself when this process goes away.
    { stdio: ['pipe', 'pipe', 'pipe'] },
  );
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  let stderr = '';
  child.stderr!.on('data', (c) => {
    stderr += c.toString();
  });
  return new Promise((resolve, reject) => {
    const rl = createInterface({ input: child.stdout! });
    rl.once('line', (line) => {
      try {
        const info = JSON.parse(line);
        resolve({
          child,
          url: info.url,
          pid: info.pid,
          adminToken: info.adminToken,
          displayToken: info.displayToken,
          kioskTokens: info.kioskTokens,
          exited,
        });
      } catch {
        reject(new Error(`hub child said: ${line}\n${stderr}`));
      }
    });
    void exited.then((code) => reject(new Error(`hub child exited ${code}: ${stderr}`)));
  });
}

/** `spawnHub`, with the child stopped (SIGTERM, its exit awaited) after the test if it still runs. */
export async function spawnHubChild(
  cleanups: Cleanups,
  dataDir: string,
  opts: { tokens?: number; config?: string } = {},
): Promise<HubChild> {
  const h = await spawnHub(dataDir, opts);
  cleanups.push(async () => {
    if (h.child.exitCode === null && h.child.signalCode === null) h.child.kill('SIGTERM');
    await h.exited;
  });
  return h;
}
