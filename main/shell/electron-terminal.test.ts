/**
 * The Electron entry's logic on a FAKE `electron` (vi.mock: there is no Electron binary here, and
 * importing the real package would try to download one) with the real terminal core against a
 * real hub on loopback. The shell itself is a recording stand-in here: its Electron side is tested
 * in electron-main.test.ts. Checked: the single-instance lock comes before anything opens, pairing
 * reaches the shell as its pairing page, the entry's windows and lockdown follow, the token goes
 * to the (faked) OS key store and never to a plain file, the displays are reported to the hub, and
 * a technician's PIN is checked with the hub.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';

const fake = vi.hoisted(() => ({}) as Record<string, any>);

vi.mock('electron', async () => {
  const { EventEmitter } = await import('node:events');
  fake.app = Object.assign(new EventEmitter(), {
    requestSingleInstanceLock: vi.fn(() => true),
    whenReady: vi.fn(async () => {}),
    quit: vi.fn(),
    relaunch: vi.fn(),
    exit: vi.fn(),
    getPath: vi.fn(() => fake.userData),
  });
  fake.displays = [
    { id: 7, bounds: { x: 0, y: 0, width: 1080, height: 1920 }, label: '触摸屏', scaleFactor: 1 },
    { id: 9, bounds: { x: 1080, y: 0, width: 1920, height: 1080 }, label: '', scaleFactor: 1 },
  ];
  fake.screen = Object.assign(new EventEmitter(), {
    getAllDisplays: () => fake.displays,
    getPrimaryDisplay: () => ({ id: 7 }),
  });
  fake.windows = [] as any[];
  class FakeBrowserWindow {
    url = '';
    constructor(public options: unknown) {
      fake.windows.push(this);
    }
    loadURL(url: string) {
      this.url = url;
      return Promise.resolve();
    }
  }
  // "Encrypts" by reversing the bytes: enough to show the token is not written as it is.
  const safeStorage = {
    isAsyncEncryptionAvailable: async () => true,
    getSelectedStorageBackend: () => 'gnome_libsecret',
    encryptStringAsync: async (s: string) => Buffer.from(Buffer.from(s, 'utf8').reverse()),
    decryptStringAsync: async (b: Buffer) => ({
      result: Buffer.from(b).reverse().toString('utf8'),
      shouldReEncrypt: false,
    }),
  };
  return { app: fake.app, screen: fake.screen, BrowserWindow: FakeBrowserWindow, safeStorage };
});

import { waitFor } from '../../drivers/testing/wait-for.js';
import { call, demoConfig, tempDir } from '../../test/support/hub-client.js';
import { type HubApp, startHubApp } from '../hall/hub-app.js';
import { startLocalDevices } from '../hall/local-devices.js';
import { TOKEN_FILE } from '../terminal/terminal-files.js';
import type { RunningShell, ShellOptions } from './electron-main.js';
import { type ElectronTerminal, runElectronTerminal, SECURE_TOKEN_FILE } from './electron-terminal.js';
import { FIRST_WINDOWS } from './terminal-view.js';

let hub: HubApp;
let admin: string;
let dataDir: string;
let termFile: string;
const config = demoConfig();

/** A recording stand-in for startShell. */
function recordingShell() {
  const rec = {
    options: null as ShellOptions | null,
    pairing: [] as unknown[],
    windows: [] as unknown[],
    settings: [] as unknown[],
  };
  const start = async (o: ShellOptions): Promise<RunningShell> => {
    rec.options = o;
    return {
      setSettings: (s) => rec.settings.push(s),
      applyWindows: (w) => rec.windows.push(w),
      setPairing: (p) => rec.pairing.push(p),
      unlock: async () => ({ ok: false, code: 'DISABLED', message: 'x' }),
      plan: { windows: [], problems: [] },
      windowFor: () => undefined,
      quit: () => {},
    };
  };
  return { rec, start };
}

function uiRoot(): string {
  const root = tempDir('govhall-electron-ui-');
  mkdirSync(join(root, 'kiosk'));
  writeFileSync(join(root, 'kiosk', 'index.html'), '<!doctype html><title>kiosk</title>');
  return root;
}

beforeAll(async () => {
  const devices = await startLocalDevices({ config, mode: 'none' });
  hub = await startHubApp({
    config,
    dataDir: tempDir('govhall-electron-hub-'),
    port: 0,
    version: 't',
    plugins: devices.plugins,
  });
  admin = await hub.createToken('admin', undefined, 'a1');
  fake.userData = tempDir('govhall-electron-userdata-');
  dataDir = join(fake.userData, 'terminal');
  mkdirSync(dataDir, { recursive: true });
  termFile = join(dataDir, 'terminal.yaml');
  writeFileSync(termFile, `terminal: { id: kiosk-1, hub: "${hub.url}" }\n`);
});
afterAll(async () => {
  await hub?.close();
});
beforeEach(() => {
  fake.app.requestSingleInstanceLock.mockImplementation(() => true);
  fake.app.quit.mockClear();
  fake.windows.length = 0;
});

describe('the Electron entry (Electron faked, real terminal core and hub)', () => {
  it('does nothing when another instance runs on this PC', async () => {
    fake.app.requestSingleInstanceLock.mockImplementation(() => false);
    const { rec, start } = recordingShell();
    expect(await runElectronTerminal({ argv: [], startShell: start })).toBeNull();
    expect(fake.app.quit).toHaveBeenCalled();
    expect(rec.options).toBeNull();
    expect(fake.app.whenReady).not.toHaveBeenCalled();
  });

  it('shows what is wrong with the terminal file instead of starting', async () => {
    const bad = join(dataDir, 'bad.yaml');
    writeFileSync(bad, 'terminal: { id: "", hub: "ftp://x" }\n');
    const { rec, start } = recordingShell();
    expect(await runElectronTerminal({ argv: ['--config', bad, '--data', dataDir], startShell: start })).toBeNull();
    expect(rec.options).toBeNull();
    expect(decodeURIComponent(fake.windows[0].url)).toContain('终端配置文件有误');
  });

  it('pairs, opens the entry’s windows with its lockdown, keeps the token in the key store, reports displays', async () => {
    const { rec, start } = recordingShell();
    // The updater (electron-updater in the real entry) is handed the hub, the token as the terminal
    // holds it and its activity board, and is stopped with the terminal.
    const updates: { hubUrl?: string; token?: () => Promise<string | null>; stopped: boolean } = { stopped: false };
    let t: ElectronTerminal | null = null;
    try {
      t = await runElectronTerminal({
        argv: ['--config', termFile, '--no-sandbox', '.'],
        preloadPath: '/opt/govhall/dist/shell/preload.cjs',
        uiRoot: uiRoot(),
        startShell: start,
        updates: (u) => {
          Object.assign(updates, { hubUrl: u.hubUrl, token: u.token });
          expect(u.activity.idle(0)).toBe(true); // no citizen yet
          return {
            stop: () => {
              updates.stopped = true;
            },
          };
        },
      });
      expect(updates.hubUrl).toBe(hub.url);
      expect(await updates.token!()).toBeNull(); // not paired yet: the updater does not look
      expect(t).not.toBeNull();
      const o = rec.options!;
      expect(o.origin).toBe(t!.terminal.origin.url);
      expect(o.singleInstanceHeld).toBe(true);
      expect(o.windows).toEqual(FIRST_WINDOWS);
      expect(o.devices).toBe(t!.terminal.bridge);
      expect(o.urlFor!({ role: 'kiosk', windowNo: null } as never)).toBe(`${o.origin}/kiosk/?terminal=kiosk-1`);
      expect(o.urlFor!({ role: 'counter', windowNo: 3 } as never)).toBe(
        `${o.origin}/counter/?terminal=kiosk-1&window=3`,
      );

      const shown = await waitFor('the pairing code on the shell', () =>
        rec.pairing.find((p: any) => p.status === 'pairing'),
      );
      expect(
        (await call(hub.url, 'POST', '/admin/pairings/approve', admin, { code: (shown as any).code })).status,
      ).toBe(200);
      await waitFor('the kiosk window', () =>
        rec.windows.some(
          (w) => JSON.stringify(w) === JSON.stringify([{ role: 'kiosk', display: 'primary', layout: 'portrait' }]),
        ),
      );
      expect(rec.pairing.at(-1)).toEqual({ status: 'paired' });
      expect(rec.settings).toContainEqual({ timeZone: 'Asia/Shanghai', technicianUnlock: 'admin-pin' });
      expect(o.hub!.up).toBe(true);

      // The token: in the key store's file, not as it is, and not in the browser-mode file.
      await waitFor('the stored token', () => existsSync(join(dataDir, SECURE_TOKEN_FILE)));
      const stored = readFileSync(join(dataDir, SECURE_TOKEN_FILE));
      expect(stored.toString('latin1')).not.toMatch(/gtt_/);
      expect(existsSync(join(dataDir, TOKEN_FILE))).toBe(false);
      expect(t!.terminal.agent.token).toMatch(/^gtt_/);
      expect(stored.includes(Buffer.from(t!.terminal.agent.token!))).toBe(false);
      expect(await updates.token!()).toBe(t!.terminal.agent.token);

      // The displays as the admin's editor sees them.
      const listed = await waitFor('the reported displays', async () => {
        const list = await call(hub.url, 'GET', '/admin/terminals', admin);
        return list.body.find((x: { terminalId: string }) => x.terminalId === 'kiosk-1')?.inventory?.displays;
      });
      expect(listed).toEqual([
        { id: 7, label: '触摸屏', primary: true, width: 1080, height: 1920 },
        { id: 9, primary: false, width: 1920, height: 1080 },
      ]);

      // A display plugged in: the hub hears of it.
      fake.displays.push({ id: 11, bounds: { x: 3000, y: 0, width: 3840, height: 2160 }, label: 'TV', scaleFactor: 2 });
      fake.screen.emit('display-added', {}, fake.displays[2]);
      await waitFor('the new display on the hub', async () => {
        const list = await call(hub.url, 'GET', '/admin/terminals', admin);
        const t = list.body.find((x: { terminalId: string }) => x.terminalId === 'kiosk-1');
        return t?.inventory?.displays?.some((d: { label?: string }) => d.label === 'TV');
      });

      // A technician's PIN is checked with the hub.
      expect(await o.verifyAdmin({ staffNo: '8001', pin: '123456' })).toBe(true);
      expect(await o.verifyAdmin({ staffNo: '8002', pin: '123456' })).toBe(false); // not a manager
      await t!.close();
      expect(updates.stopped).toBe(true);
    } finally {
      await t?.close();
    }
  });
});
