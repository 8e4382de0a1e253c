/**
 * Browser mode's supervision on fake timers: the command line, restarts with a growing wait when
 * the browser keeps exiting, a crashed page loaded again, windows sent where the terminal is.
 * The browser here is a stand-in speaking the DevTools protocol on its pipe.
 */
import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { NightlyRestart, nextNightly } from '../nightly-restart.js';
import { browserArgs } from './browser-args.js';
import { BrowserSupervisor } from './browser-supervisor.js';
import { RestartBackoff } from './restart-backoff.js';

/** A pretend Chromium: records the commands it gets on fd 3, answers them on fd 4. */
class FakeBrowser extends EventEmitter {
  exitCode: number | null = null;
  readonly commands: { method: string; params: Record<string, unknown>; sessionId?: string }[] = [];
  readonly toBrowser = new PassThrough();
  readonly fromBrowser = new PassThrough();
  readonly stdio: unknown[];
  readonly stderr = new PassThrough();

  constructor(readonly args: string[]) {
    super();
    this.stdio = [null, null, this.stderr, this.toBrowser, this.fromBrowser];
    let buf = '';
    this.toBrowser.on('data', (c: Buffer) => {
      buf += c.toString();
      for (let i = buf.indexOf('\0'); i >= 0; i = buf.indexOf('\0')) {
        const m = JSON.parse(buf.slice(0, i));
        buf = buf.slice(i + 1);
        this.commands.push(m);
        this.answer(m);
      }
    });
  }

  send(msg: object): void {
    this.fromBrowser.write(`${JSON.stringify(msg)}\0`);
  }

  private answer(m: { id: number; method: string }): void {
    const result =
      m.method === 'Target.getTargets'
        ? { targetInfos: [{ targetId: 'T1', type: 'page', url: 'http://127.0.0.1:9/terminal/pairing' }] }
        : m.method === 'Target.attachToTarget'
          ? { sessionId: 'S1' }
          : {};
    this.send({ id: m.id, result });
  }

  kill(): void {
    this.exit(null);
  }

  exit(code: number | null): void {
    if (this.exitCode !== null) return;
    this.exitCode = code ?? 0;
    this.emit('exit', code, null);
  }
}

let windows: string[];
let browsers: FakeBrowser[];

function supervisor() {
  browsers = [];
  return new BrowserSupervisor({
    executable: '/usr/bin/chromium',
    origin: 'http://127.0.0.1:9',
    profileDir: '/data/browser-profile',
    extraArgs: ['--headless'],
    windows: () => windows,
    now: () => Date.now(),
    spawn: ((_exe: string, args: string[]) => {
      const b = new FakeBrowser(args);
      browsers.push(b);
      return b;
    }) as never,
  });
}

const navigations = (b: FakeBrowser) =>
  b.commands.filter((c) => c.method === 'Page.navigate').map((c) => String(c.params.url));

beforeEach(() => {
  vi.useFakeTimers();
  windows = ['/terminal/pairing'];
});
afterEach(() => {
  vi.useRealTimers();
});

describe('browser mode', () => {
  it('starts Chromium full screen on the local origin with its own profile and no debugging port', () => {
    const args = browserArgs({ url: 'http://127.0.0.1:9/', profileDir: '/d/p', extra: ['--headless'] });
    expect(args).toEqual(
      expect.arrayContaining([
        '--kiosk',
        '--app=http://127.0.0.1:9/',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--user-data-dir=/d/p',
        '--remote-debugging-pipe',
        '--headless',
      ]),
    );
    expect(args.some((a) => a.startsWith('--remote-debugging-port'))).toBe(false);
  });

  it('waits longer each time the browser exits again, and starts over after a stable run', () => {
    const b = new RestartBackoff({ firstMs: 1000, maxMs: 8000, stableMs: 60_000 });
    b.started(0);
    expect([b.failed(10), b.failed(20), b.failed(30), b.failed(40), b.failed(50), b.failed(60)]).toEqual([
      0, 1000, 2000, 4000, 8000, 8000,
    ]);
    b.started(100);
    expect(b.failed(60_100)).toBe(0);
  });

  it('restarts the browser when it exits', async () => {
    const s = supervisor();
    s.start();
    expect(browsers).toHaveLength(1);
    expect(browsers[0]!.args).toContain('--app=http://127.0.0.1:9/terminal/pairing');
    browsers[0]!.exit(1);
    await vi.advanceTimersByTimeAsync(0);
    expect(browsers).toHaveLength(2);
    browsers[1]!.exit(1);
    await vi.advanceTimersByTimeAsync(999);
    expect(browsers).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(browsers).toHaveLength(3);
    await s.stop();
    await vi.advanceTimersByTimeAsync(120_000);
    expect(browsers).toHaveLength(3);
  });

  it('restarts the browser at once when asked (the nightly restart), not as a failure', async () => {
    const s = supervisor();
    s.start();
    browsers[0]!.exit(1);
    await vi.advanceTimersByTimeAsync(0);
    s.restartNow();
    await vi.advanceTimersByTimeAsync(0);
    expect(browsers).toHaveLength(3);
    await s.stop();
  });

  it('the nightly restart comes at that time of the hall’s clock, every day', () => {
    // 2026-11-23 02:00 in Shanghai is 2026-11-22 18:00 UTC.
    const now = Date.UTC(2026, 10, 22, 18, 0);
    expect(new Date(nextNightly(now, '03:30', 'Asia/Shanghai')).toISOString()).toBe('2026-11-22T19:30:00.000Z');
    expect(new Date(nextNightly(now, '01:30', 'Asia/Shanghai')).toISOString()).toBe('2026-11-23T17:30:00.000Z');
    const restarts: number[] = [];
    let t = now;
    const n = new NightlyRestart(
      () => restarts.push(t),
      () => t,
    );
    n.arm('03:30', 'Asia/Shanghai');
    t += 90 * 60_000;
    vi.advanceTimersByTime(90 * 60_000);
    expect(restarts).toEqual([Date.UTC(2026, 10, 22, 19, 30)]);
    t += 24 * 3600_000;
    vi.advanceTimersByTime(24 * 3600_000);
    expect(restarts).toHaveLength(2);
    n.stop();
  });

  it('loads a crashed page again, and sends windows where the terminal now is', async () => {
    const s = supervisor();
    s.start();
    const b = browsers[0]!;
    await vi.advanceTimersByTimeAsync(0);
    expect(b.commands.map((c) => c.method)).toEqual(
      expect.arrayContaining(['Target.setDiscoverTargets', 'Target.getTargets']),
    );
    // Downloads refused; camera and microphone for the terminal's own origin only.
    expect(b.commands).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ method: 'Browser.setDownloadBehavior', params: { behavior: 'deny' } }),
        expect.objectContaining({
          method: 'Browser.grantPermissions',
          params: { origin: 'http://127.0.0.1:9', permissions: ['videoCapture', 'audioCapture'] },
        }),
      ]),
    );
    // Paired: the window goes to the kiosk page; a second role page opens a second window.
    windows = ['/kiosk/?terminal=kiosk-1', '/evaluator/?terminal=kiosk-1&window=1'];
    s.follow();
    await vi.advanceTimersByTimeAsync(0);
    expect(navigations(b)).toEqual(['http://127.0.0.1:9/kiosk/?terminal=kiosk-1']);
    expect(b.commands.find((c) => c.method === 'Target.createTarget')?.params).toEqual({
      url: 'http://127.0.0.1:9/evaluator/?terminal=kiosk-1&window=1',
      newWindow: true,
    });
    b.send({
      method: 'Target.targetInfoChanged',
      params: { targetInfo: { targetId: 'T1', type: 'page', url: 'http://127.0.0.1:9/kiosk/?terminal=kiosk-1' } },
    });
    b.send({ method: 'Target.targetCrashed', params: { targetId: 'T1', status: 'crashed', errorCode: 5 } });
    await vi.advanceTimersByTimeAsync(0);
    expect(navigations(b)).toHaveLength(2);
    expect(navigations(b)[1]).toBe('http://127.0.0.1:9/kiosk/?terminal=kiosk-1');
    // A second crash soon after waits a second.
    b.send({ method: 'Target.targetCrashed', params: { targetId: 'T1', status: 'crashed', errorCode: 5 } });
    await vi.advanceTimersByTimeAsync(999);
    expect(navigations(b)).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(navigations(b)).toHaveLength(3);
    await s.stop();
  });
});
