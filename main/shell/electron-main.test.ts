/**
 * The Electron adapter against a FAKE `electron` module (vi.mock): there is no Electron binary
 * here, and importing the real package in Node would try to download one. The fake records what
 * the adapter asks of Electron and lets the tests fire Electron's events; the adapter itself is
 * type-checked against Electron's real typings. What a real Electron does with these calls is not
 * tested here.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const fake = vi.hoisted(() => ({}) as Record<string, any>);

vi.mock('electron', async () => {
  const { EventEmitter } = await import('node:events');
  const event = () => {
    const e = { defaultPrevented: false, preventDefault: () => (e.defaultPrevented = true) };
    return e;
  };
  let nextId = 1;
  class FakeWebContents extends EventEmitter {
    id = nextId++;
    url = '';
    loaded: string[] = [];
    zoomFactor = 1;
    windowOpenHandler: ((d: { url: string }) => { action: string }) | null = null;
    setWindowOpenHandler(h: (d: { url: string }) => { action: string }) {
      this.windowOpenHandler = h;
    }
    getURL() {
      return this.url;
    }
    setZoomFactor(z: number) {
      this.zoomFactor = z;
    }
    setVisualZoomLevelLimits = vi.fn(async () => {});
    forcefullyCrashRenderer = vi.fn();
    closeDevTools = vi.fn();
    toggleDevTools = vi.fn();
    send = vi.fn();
  }
  class FakeBrowserWindow extends EventEmitter {
    webContents = new FakeWebContents();
    visible = false;
    bounds: unknown = null;
    kiosk = false;
    fullscreen = false;
    alwaysOnTop = false;
    destroyed = false;
    minimize = vi.fn();
    focus = vi.fn();
    constructor(public options: any) {
      super();
      fake.windows.push(this);
      fake.app.emit('web-contents-created', event(), this.webContents);
    }
    loadURL(url: string) {
      this.webContents.url = url;
      this.webContents.loaded.push(url);
      return Promise.resolve();
    }
    show() {
      this.visible = true;
    }
    hide() {
      this.visible = false;
    }
    setBounds(b: unknown) {
      this.bounds = b;
    }
    setKiosk(k: boolean) {
      this.kiosk = k;
    }
    setFullScreen(f: boolean) {
      this.fullscreen = f;
    }
    setAlwaysOnTop(a: boolean) {
      this.alwaysOnTop = a;
    }
    isDestroyed() {
      return this.destroyed;
    }
    destroy() {
      this.destroyed = true;
    }
    /** Like the OS asking to close (Alt+F4): listeners may prevent it. */
    close() {
      const e = event();
      this.emit('close', e);
      if (!e.defaultPrevented) {
        this.destroyed = true;
        this.emit('closed');
      }
      return e;
    }
  }
  fake.event = event;
  fake.windows = [] as FakeBrowserWindow[];
  fake.app = Object.assign(new EventEmitter(), {
    requestSingleInstanceLock: vi.fn(() => true),
    enableSandbox: vi.fn(),
    whenReady: vi.fn(async () => {}),
    quit: vi.fn(),
    relaunch: vi.fn(),
    exit: vi.fn(),
  });
  fake.screen = Object.assign(new EventEmitter(), {
    displays: [] as any[],
    primaryId: 0,
    getAllDisplays: () => fake.screen.displays,
    getPrimaryDisplay: () => fake.screen.displays.find((d: any) => d.id === fake.screen.primaryId),
  });
  const ses = Object.assign(new EventEmitter(), {
    handlers: {} as Record<string, any>,
    setPermissionRequestHandler: (h: unknown) => (ses.handlers.request = h),
    setPermissionCheckHandler: (h: unknown) => (ses.handlers.check = h),
    setDevicePermissionHandler: (h: unknown) => (ses.handlers.device = h),
    webRequest: { onHeadersReceived: (h: unknown) => (ses.handlers.headers = h) },
  });
  fake.session = ses;
  fake.ipcHandlers = new Map<string, any>();
  fake.Menu = { setApplicationMenu: vi.fn() };
  fake.powerSaveBlocker = { start: vi.fn(() => 1) };
  fake.shell = { openExternal: vi.fn() };
  fake.reset = () => {
    fake.windows.length = 0;
    fake.app.removeAllListeners();
    fake.screen.removeAllListeners();
    ses.removeAllListeners();
    fake.ipcHandlers.clear();
    for (const f of [fake.app.requestSingleInstanceLock, fake.app.quit, fake.app.relaunch, fake.app.exit])
      f.mockClear();
    fake.app.requestSingleInstanceLock.mockImplementation(() => true);
  };
  return {
    app: fake.app,
    BrowserWindow: FakeBrowserWindow,
    screen: fake.screen,
    session: { defaultSession: ses },
    ipcMain: { handle: (ch: string, h: unknown) => fake.ipcHandlers.set(ch, h) },
    Menu: fake.Menu,
    powerSaveBlocker: fake.powerSaveBlocker,
    net: { fetch: vi.fn(async () => ({ ok: true })) },
    shell: fake.shell,
  };
});

import { type ShellOptions, startShell } from './electron-main.js';
import { SHELL_DEFAULT_CSP } from './navigation-policy.js';
import { BRIDGE_CHANNELS } from './types.js';

const ORIGIN = 'http://127.0.0.1:8801';
const display = (id: number, x: number, width = 1920, height = 1080, label = '') => ({
  id,
  bounds: { x, y: 0, width, height },
  label,
  scaleFactor: 1,
});
const staffScreen = display(1, 0, 1920, 1080, 'DELL');
const citizenPad = display(2, 1920, 1280, 800, 'Pad');

type Listener = (up: boolean) => void;
function fakeHub() {
  const listeners = new Set<Listener>();
  const hub = {
    up: true,
    onChange: (l: Listener) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    stop: vi.fn(),
    set(up: boolean) {
      hub.up = up;
      for (const l of listeners) l(up);
    },
  };
  return hub;
}

const logs: { event: string; detail: Record<string, unknown> }[] = [];
function options(extra: Partial<ShellOptions> = {}): ShellOptions {
  return {
    origin: ORIGIN,
    windows: [
      { role: 'counter', window: 3, display: 'primary' },
      { role: 'evaluator', window: 3, display: 'secondary' },
    ],
    preloadPath: '/opt/govhall/resources/app.asar/dist/main/shell/preload.cjs',
    timeZone: 'Asia/Shanghai',
    technicianUnlock: 'admin-pin',
    verifyAdmin: async (c) => c.staffNo === '8001' && c.pin === '123456',
    hub: fakeHub(),
    log: (event, detail) => logs.push({ event, detail }),
    ...extra,
  };
}

const win = (key: string) => fake.windows.find((w: any) => w.options.title === `govhall ${key}`);
const input = (code: string, mods: Record<string, boolean> = {}) => ({
  type: 'keyDown',
  key: code,
  code,
  alt: false,
  control: false,
  shift: false,
  meta: false,
  ...mods,
});
function press(w: any, i: ReturnType<typeof input>) {
  const e = fake.event();
  w.webContents.emit('before-input-event', e, i);
  return e.defaultPrevented;
}

beforeEach(() => {
  fake.reset();
  logs.length = 0;
  fake.screen.displays = [staffScreen, citizenPad];
  fake.screen.primaryId = 1;
});
afterEach(() => {
  vi.useRealTimers();
});

describe('electron adapter (Electron faked): lockdown', () => {
  it('locks every window down: isolation, sandbox, no Node, web security, the preload; no menu; no display sleep', async () => {
    const shell = await startShell(options());
    expect(shell).not.toBeNull();
    expect(fake.app.requestSingleInstanceLock).toHaveBeenCalled();
    expect(fake.app.enableSandbox).toHaveBeenCalled();
    expect(fake.Menu.setApplicationMenu).toHaveBeenCalledWith(null);
    expect(fake.powerSaveBlocker.start).toHaveBeenCalledWith('prevent-display-sleep');
    expect(fake.windows).toHaveLength(2);
    for (const w of fake.windows)
      expect(w.options.webPreferences).toMatchObject({
        preload: '/opt/govhall/resources/app.asar/dist/main/shell/preload.cjs',
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        nodeIntegrationInSubFrames: false,
        webSecurity: true,
        allowRunningInsecureContent: false,
        webviewTag: false,
      });
  });

  it('refuses to run twice on one PC', async () => {
    fake.app.requestSingleInstanceLock.mockImplementation(() => false);
    expect(await startShell(options())).toBeNull();
    expect(fake.app.quit).toHaveBeenCalled();
    expect(fake.windows).toHaveLength(0);
  });

  it('places the window PC layout: staff window on the primary, evaluator full screen on the second output', async () => {
    await startShell(options());
    const counter = win('counter:3');
    const evaluator = win('evaluator:3');
    expect(counter).toMatchObject({ bounds: staffScreen.bounds, fullscreen: false, kiosk: false, visible: true });
    expect(counter.options.frame).toBe(true);
    expect(evaluator).toMatchObject({ bounds: citizenPad.bounds, fullscreen: true, alwaysOnTop: true, visible: true });
    expect(evaluator.options.frame).toBe(false);
    expect(evaluator.webContents.setVisualZoomLevelLimits).toHaveBeenCalledWith(1, 1);
    expect(counter.webContents.loaded).toEqual([`${ORIGIN}/counter/?window=3`]);
    expect(evaluator.webContents.loaded).toEqual([`${ORIGIN}/evaluator/?window=3`]);
  });

  it('puts a kiosk in Electron kiosk mode', async () => {
    fake.screen.displays = [staffScreen];
    await startShell(options({ windows: [{ role: 'kiosk', display: 'primary' }] }));
    expect(win('kiosk')).toMatchObject({ kiosk: true, fullscreen: true });
    expect(win('kiosk').webContents.loaded).toEqual([`${ORIGIN}/kiosk/`]);
  });

  it('keeps navigation, redirects, frames and window.open on the own origin and opens nothing outside', async () => {
    await startShell(options());
    const wc = win('counter:3').webContents;
    const nav = (name: string, url: string) => {
      const e = Object.assign(fake.event(), { url });
      wc.emit(name, e);
      return e.defaultPrevented;
    };
    for (const name of ['will-navigate', 'will-redirect', 'will-frame-navigate']) {
      expect(nav(name, `${ORIGIN}/counter/?window=3#x`), name).toBe(false);
      expect(nav(name, 'https://evil.example/'), name).toBe(true);
      expect(nav(name, 'http://localhost:8801/counter/'), name).toBe(true);
      expect(nav(name, 'file:///etc/passwd'), name).toBe(true);
    }
    expect(wc.windowOpenHandler({ url: 'https://www.gjzwfw.gov.cn/' })).toEqual({ action: 'deny' });
    expect(wc.windowOpenHandler({ url: `${ORIGIN}/kiosk/` })).toEqual({ action: 'deny' });
    expect(fake.shell.openExternal).not.toHaveBeenCalled();
    const attach = fake.event();
    wc.emit('will-attach-webview', attach, {}, {});
    expect(attach.defaultPrevented).toBe(true);
  });

  it('grants only camera and microphone to the own origin, refuses devices and downloads, adds a CSP', async () => {
    await startShell(options());
    const { handlers } = fake.session;
    const ask = (permission: string, requestingUrl: string, mediaTypes?: string[]) =>
      new Promise((resolve) =>
        handlers.request({}, permission, resolve, { requestingUrl, isMainFrame: true, mediaTypes }),
      );
    expect(await ask('media', `${ORIGIN}/counter/`, ['video'])).toBe(true);
    expect(await ask('media', 'https://evil.example/', ['video'])).toBe(false);
    expect(await ask('notifications', `${ORIGIN}/counter/`)).toBe(false);
    expect(await ask('openExternal', `${ORIGIN}/counter/`)).toBe(false);
    expect(handlers.check({}, 'media', ORIGIN, {})).toBe(true);
    expect(handlers.check({}, 'geolocation', ORIGIN, {})).toBe(false);
    expect(handlers.device({ deviceType: 'hid', origin: ORIGIN })).toBe(false);

    const download = fake.event();
    fake.session.emit('will-download', download, { getURL: () => `${ORIGIN}/x.pdf` }, {});
    expect(download.defaultPrevented).toBe(true);

    let answer: any;
    handlers.headers({ resourceType: 'mainFrame', responseHeaders: {} }, (r: unknown) => (answer = r));
    expect(answer.responseHeaders['Content-Security-Policy']).toEqual([SHELL_DEFAULT_CSP]);
  });

  it('swallows close and devtools shortcuts, keeps citizen windows open and minimises the staff window', async () => {
    await startShell(options());
    const counter = win('counter:3');
    const evaluator = win('evaluator:3');
    expect(press(evaluator, input('F4', { alt: true }))).toBe(true);
    expect(press(evaluator, input('KeyR', { control: true }))).toBe(true);
    expect(press(evaluator, input('KeyA'))).toBe(false);
    expect(press(counter, input('F12'))).toBe(true);
    expect(press(counter, input('KeyC', { control: true }))).toBe(false);
    expect(press(counter, input('F4', { alt: true }))).toBe(false);
    expect(evaluator.close().defaultPrevented).toBe(true);
    expect(evaluator.destroyed).toBe(false);
    expect(counter.close().defaultPrevented).toBe(true);
    expect(counter.minimize).toHaveBeenCalled();
    // DevTools opened some other way close again while the terminal is locked.
    counter.webContents.emit('devtools-opened');
    expect(counter.webContents.closeDevTools).toHaveBeenCalled();
  });

  it('answers the bridge config with role and window, never a token, and only to its own pages', async () => {
    await startShell(options());
    const handler = fake.ipcHandlers.get(BRIDGE_CHANNELS.config);
    const evaluator = win('evaluator:3');
    expect(handler({ sender: evaluator.webContents, senderFrame: { url: `${ORIGIN}/evaluator/?window=3` } })).toEqual({
      hubUrl: null,
      token: null,
      role: 'evaluator',
      windowNo: 3,
    });
    expect(handler({ sender: evaluator.webContents, senderFrame: { url: 'data:text/html,x' } })).toEqual({
      hubUrl: null,
      token: null,
      role: null,
      windowNo: null,
    });
  });
});

describe('electron adapter (Electron faked): the devices over IPC', () => {
  function fakeDevices() {
    const listeners = new Set<(m: Record<string, unknown>) => void>();
    const asked: Record<string, unknown>[] = [];
    return {
      asked,
      emit: (m: Record<string, unknown>) => {
        for (const l of listeners) l(m);
      },
      subscribe: (l: (m: Record<string, unknown>) => void) => {
        listeners.add(l);
        return () => listeners.delete(l);
      },
      ask: async (m: Record<string, unknown>) => {
        asked.push(m);
        return m.type === 'print'
          ? { type: 'print.result', id: m.id, result: { ok: true } }
          : {
              type: 'status.result',
              id: m.id,
              devices: [{ deviceId: 'p1', kind: 'printer', state: 'ok', detail: null }],
            };
      },
    };
  }

  it('prints and reports status for its own pages only, and hands cards only to windows showing one', async () => {
    const devices = fakeDevices();
    const shell = await startShell(options({ devices }));
    const counter = win('counter:3');
    const own = { sender: counter.webContents, senderFrame: { url: `${ORIGIN}/counter/?window=3` } };
    const foreign = { sender: counter.webContents, senderFrame: { url: 'data:text/html,x' } };
    const ticket = { hallName: 'x', number: 'A001', serviceName: 's', ahead: 0, issuedAt: 'now' };
    expect(await fake.ipcHandlers.get(BRIDGE_CHANNELS.print)(own, ticket)).toEqual({ ok: true });
    expect(devices.asked).toEqual([{ type: 'print', id: 'ipc', ticket }]);
    expect(await fake.ipcHandlers.get(BRIDGE_CHANNELS.print)(foreign, ticket)).toMatchObject({ ok: false });
    expect(await fake.ipcHandlers.get(BRIDGE_CHANNELS.getDeviceStatus)(own)).toEqual([
      { deviceId: 'p1', kind: 'printer', state: 'ok', detail: null },
    ]);
    expect(await fake.ipcHandlers.get(BRIDGE_CHANNELS.getDeviceStatus)(foreign)).toEqual([]);
    expect(devices.asked).toHaveLength(2);
    const inv = { cameras: [{ label: '高拍仪' }], displays: [] };
    expect(await fake.ipcHandlers.get(BRIDGE_CHANNELS.inventory)(foreign, inv)).toBe(false);
    await fake.ipcHandlers.get(BRIDGE_CHANNELS.inventory)(own, inv);
    expect(devices.asked[2]).toEqual({ ...inv, type: 'inventory' });
    devices.asked.length = 2;

    const card = { certNo: '110101199003077777', name: '张三', readId: 'r1' };
    devices.emit({ type: 'card', card });
    devices.emit({ type: 'device.status', deviceId: 'p1', kind: 'printer', state: 'error', detail: '缺纸' });
    devices.emit({ type: 'card.removed' });
    expect(counter.webContents.send.mock.calls).toEqual([
      [BRIDGE_CHANNELS.card, card],
      [BRIDGE_CHANNELS.deviceStatus, { deviceId: 'p1', kind: 'printer', state: 'error', detail: '缺纸' }],
      [BRIDGE_CHANNELS.cardRemoved, undefined],
    ]);
    // A window showing a local page (pairing) hears nothing of the devices.
    shell!.setPairing({ status: 'revoked', at: 0 });
    counter.webContents.send.mockClear();
    devices.emit({ type: 'card', card });
    expect(counter.webContents.send).not.toHaveBeenCalled();
    shell!.quit();
    shell!.setPairing({ status: 'paired' });
    devices.emit({ type: 'card', card });
    expect(counter.webContents.send).not.toHaveBeenCalled();
  });

  it('follows a change of the terminal’s technician unlock setting', async () => {
    const shell = await startShell(options({ technicianUnlock: 'none' }));
    expect((await shell!.unlock({ staffNo: '8001', pin: '123456' })).ok).toBe(false);
    shell!.setSettings({ technicianUnlock: 'admin-pin', timeZone: 'Asia/Shanghai' });
    expect((await shell!.unlock({ staffNo: '8001', pin: '123456' })).ok).toBe(true);
    shell!.quit();
  });

  it('opens an admin window like a staff window: framed, not kiosk, not citizen-facing', async () => {
    await startShell(options({ windows: [{ role: 'admin', display: 'primary' }] }));
    const admin = win('admin');
    expect(admin.options.frame).toBe(true);
    expect(admin.kiosk).toBe(false);
    expect(admin.webContents.url).toBe(`${ORIGIN}/admin/`);
  });
});

describe('electron adapter (Electron faked): healing', () => {
  it('reloads a crashed page with backoff, shows 正在恢复 from the third crash, kills a hung page', async () => {
    vi.useFakeTimers();
    await startShell(options());
    const w = win('counter:3');
    const wc = w.webContents;
    const url = `${ORIGIN}/counter/?window=3`;
    wc.emit('did-finish-load');
    wc.emit('did-navigate-in-page', fake.event(), `${url}#serving`, true);
    for (let i = 1; i <= 3; i++) {
      wc.emit('render-process-gone', fake.event(), { reason: 'crashed', exitCode: 1 });
      await vi.advanceTimersByTimeAsync(1_000 * 2 ** (i - 1) - 1);
      expect(wc.loaded.filter((u: string) => u === `${url}#serving`)).toHaveLength(i - 1);
      await vi.advanceTimersByTimeAsync(1);
      expect(wc.loaded.filter((u: string) => u === `${url}#serving`)).toHaveLength(i);
    }
    const recovering = wc.loaded.find((u: string) => u.startsWith('data:'));
    expect(decodeURIComponent(recovering)).toContain('正在恢复，请稍候');
    expect(logs.filter((l) => l.event === 'renderer-gone')).toHaveLength(3);

    wc.emit('did-finish-load');
    wc.emit('unresponsive');
    await vi.advanceTimersByTimeAsync(10_000);
    expect(wc.forcefullyCrashRenderer).toHaveBeenCalledTimes(1);
  });

  it('a failed load of the own page counts; an aborted one does not', async () => {
    vi.useFakeTimers();
    await startShell(options());
    const wc = win('counter:3').webContents;
    wc.emit('did-fail-load', fake.event(), -3, 'ERR_ABORTED', `${ORIGIN}/counter/?window=3`, true);
    wc.emit('did-fail-load', fake.event(), -102, 'ERR_CONNECTION_REFUSED', `${ORIGIN}/counter/?window=3`, false);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(wc.loaded).toHaveLength(1);
    wc.emit('did-fail-load', fake.event(), -102, 'ERR_CONNECTION_REFUSED', `${ORIGIN}/counter/?window=3`, true);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(wc.loaded).toHaveLength(2);
  });

  it('shows each role’s hub-down page while the hub is unreachable and returns to the page it was on', async () => {
    const hub = fakeHub();
    fake.screen.displays = [staffScreen];
    await startShell(options({ hub, windows: [{ role: 'kiosk', display: 'primary' }] }));
    const wc = win('kiosk').webContents;
    wc.emit('did-finish-load');
    wc.emit('did-navigate-in-page', fake.event(), `${ORIGIN}/kiosk/#services`, true);
    hub.set(false);
    expect(decodeURIComponent(wc.url)).toContain('自助取号暂停，请到咨询台');
    hub.set(true);
    expect(wc.url).toBe(`${ORIGIN}/kiosk/#services`);
  });

  it('a window opened while the hub is already unreachable shows the hub-down page at once', async () => {
    const hub = fakeHub();
    hub.up = false;
    fake.screen.displays = [staffScreen];
    await startShell(options({ hub, windows: [{ role: 'display', display: 'primary' }] }));
    const wc = win('display').webContents;
    expect(decodeURIComponent(wc.url)).toContain('叫号信息暂停更新');
    hub.set(true);
    expect(wc.url).toBe(`${ORIGIN}/display/`);
  });
});

describe('electron adapter (Electron faked): displays, pairing, technician, restart', () => {
  it('hides the evaluator when its screen is unplugged and shows it again where it is plugged back', async () => {
    const shell = await startShell(options());
    const evaluator = win('evaluator:3');
    fake.screen.displays = [staffScreen];
    fake.screen.emit('display-removed', fake.event(), citizenPad);
    expect(evaluator.visible).toBe(false);
    expect(win('counter:3').visible).toBe(true);
    expect(logs).toContainEqual({
      event: 'window-plan',
      detail: expect.objectContaining({ code: 'WAITING_FOR_DISPLAY' }),
    });
    const moved = { ...citizenPad, id: 9, bounds: { x: -1280, y: 0, width: 1280, height: 800 } };
    fake.screen.displays = [staffScreen, moved];
    fake.screen.emit('display-added', fake.event(), moved);
    expect(evaluator).toMatchObject({ visible: true, bounds: moved.bounds, fullscreen: true });
    expect(fake.windows).toHaveLength(2);
    expect(shell!.plan.windows[1]!.placement?.displayId).toBe(9);
  });

  it('opens and closes windows when the configuration is pushed', async () => {
    const shell = await startShell(options());
    const old = win('counter:3');
    shell!.applyWindows([
      { role: 'counter', window: 4, display: 'primary' },
      { role: 'evaluator', window: 3, display: 'secondary' },
    ]);
    expect(old.destroyed).toBe(true);
    expect(win('counter:4').webContents.loaded).toEqual([`${ORIGIN}/counter/?window=4`]);
  });

  it('shows the pairing code on the first window only, and the role pages once paired', async () => {
    const expiresAt = Date.UTC(2026, 10, 23, 1, 40);
    const shell = await startShell(
      options({ pairing: { status: 'pairing', pairingId: 'p1', code: '418203', expiresAt } }),
    );
    const counter = win('counter:3').webContents;
    const evaluator = win('evaluator:3').webContents;
    expect(decodeURIComponent(counter.url)).toContain('418203');
    expect(decodeURIComponent(evaluator.url)).not.toContain('418203');
    shell!.setPairing({ status: 'paired' });
    expect(counter.url).toBe(`${ORIGIN}/counter/?window=3`);
    expect(evaluator.url).toBe(`${ORIGIN}/evaluator/?window=3`);
    shell!.setPairing({ status: 'revoked', at: expiresAt });
    expect(decodeURIComponent(counter.url)).toContain('此终端已被管理员移除');
  });

  it('unlocks devtools for a technician after the hub accepts the PIN, and locks again after 15 minutes', async () => {
    vi.useFakeTimers();
    const verifyAdmin = vi.fn(async (c: { staffNo: string; pin: string }) => c.pin === '123456');
    await startShell(options({ verifyAdmin }));
    const counter = win('counter:3');
    expect(press(counter, input('KeyU', { control: true, shift: true, alt: true }))).toBe(true);
    const prompt = fake.windows.find((w: any) => w.options.title === '技术员解锁');
    expect(prompt.options).toMatchObject({ modal: true, parent: counter });
    const submit = (pin: string) => {
      const e = Object.assign(fake.event(), { url: `http://unlock.govhall.invalid/?staffNo=8001&pin=${pin}` });
      prompt.webContents.emit('will-navigate', e);
      return e.defaultPrevented;
    };
    expect(submit('000000')).toBe(true);
    await vi.advanceTimersByTimeAsync(0);
    expect(decodeURIComponent(prompt.webContents.url)).toContain('工号或 PIN 不正确');
    expect(submit('123456')).toBe(true);
    await vi.advanceTimersByTimeAsync(0);
    expect(verifyAdmin).toHaveBeenLastCalledWith({ staffNo: '8001', pin: '123456' });
    expect(prompt.destroyed).toBe(true);
    expect(logs.map((l) => JSON.stringify(l)).join('\n')).not.toContain('123456');

    expect(press(counter, input('F12'))).toBe(true);
    expect(counter.webContents.toggleDevTools).toHaveBeenCalledTimes(1);
    expect(press(win('evaluator:3'), input('F4', { alt: true }))).toBe(false);
    counter.webContents.closeDevTools.mockClear();
    await vi.advanceTimersByTimeAsync(15 * 60_000);
    expect(counter.webContents.closeDevTools).toHaveBeenCalled();
    expect(press(win('evaluator:3'), input('F4', { alt: true }))).toBe(true);
  });

  it('restarts at the quiet time in the hall’s zone', async () => {
    // 2026-11-23 22:00 in Shanghai.
    vi.useFakeTimers({ now: Date.UTC(2026, 10, 23, 14, 0) });
    const restartApp = vi.fn();
    await startShell(options({ nightlyAt: '03:30', restartApp }));
    await vi.advanceTimersByTimeAsync(5.5 * 3_600_000 - 1);
    expect(restartApp).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(restartApp).toHaveBeenCalledTimes(1);
  });

  it('keeps running when the last window goes, unless a technician closed it', async () => {
    const shell = await startShell(options());
    shell!.applyWindows([]);
    fake.app.emit('window-all-closed');
    expect(fake.app.quit).not.toHaveBeenCalled();
    shell!.quit();
    expect(fake.app.quit).toHaveBeenCalled();
  });
});
