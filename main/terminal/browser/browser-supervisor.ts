/**
 * Browser mode (`govhall terminal --browser /usr/bin/chromium`, docs/terminal.md): the system
 * Chromium in kiosk/app mode on the terminal's local origin, watched over its DevTools pipe.
 *
 * - The browser exits → started again, at once the first time, then with a growing wait.
 * - A page's renderer crashes (`Target.targetCrashed`) → the page is loaded again (same backoff,
 *   per window); a page that stops answering (`Runtime.evaluate` times out twice) is crashed on
 *   purpose and so loaded again.
 * - The terminal's state changes (paired, revoked, hub gone or back, a window added) → each window
 *   is sent to where it now belongs; one window per role page, extra ones opened as new windows.
 */
import { type ChildProcess, spawn as nodeSpawn } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { browserArgs } from './browser-args.js';
import { CdpPipe } from './cdp-pipe.js';
import { RestartBackoff } from './restart-backoff.js';

export interface BrowserSupervisorOptions {
  executable: string;
  /** The terminal's local origin, `http://127.0.0.1:PORT`. */
  origin: string;
  profileDir: string;
  /** More flags (tests: `--headless --no-sandbox --disable-gpu`). */
  extraArgs?: readonly string[];
  /** Where each window belongs now: local paths, one per window (at least one). */
  windows(): string[];
  log?: (level: 'info' | 'warn' | 'error', msg: string, fields?: Record<string, unknown>) => void;
  /** How often each page is asked whether it still answers (default 15 s). */
  watchMs?: number;
  now?: () => number;
  spawn?: typeof nodeSpawn;
}

interface Window {
  targetId: string;
  url: string;
  sessionId: string | null;
  backoff: RestartBackoff;
  reloadTimer: ReturnType<typeof setTimeout> | null;
  silent: number;
}

const pathOf = (url: string): string => {
  try {
    return new URL(url).pathname;
  } catch {
    return '';
  }
};

export class BrowserSupervisor {
  private child: ChildProcess | null = null;
  private cdp: CdpPipe | null = null;
  private readonly backoff = new RestartBackoff({ firstMs: 1000, maxMs: 60_000, stableMs: 60_000 });
  private restartTimer: ReturnType<typeof setTimeout> | null = null;
  private watchTimer: ReturnType<typeof setInterval> | null = null;
  /** Page targets in the order they were opened: window i shows windows()[i]. */
  private readonly pages: Window[] = [];
  private stopped = true;
  /** The next exit was asked for (restartNow): start again without waiting. */
  private planned = false;
  private readonly now: () => number;

  constructor(private readonly o: BrowserSupervisorOptions) {
    this.now = o.now ?? Date.now;
  }

  start(): void {
    this.stopped = false;
    this.launch();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    if (this.watchTimer) clearInterval(this.watchTimer);
    for (const w of this.pages) if (w.reloadTimer) clearTimeout(w.reloadTimer);
    this.pages.length = 0;
    const child = this.child;
    this.child = null;
    this.cdp?.close();
    this.cdp = null;
    if (child && child.exitCode === null) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
  }

  /** Closes the browser and starts it again at once (the nightly restart), not counted as a failure. */
  restartNow(): void {
    const child = this.child;
    if (this.stopped || !child) return;
    this.planned = true;
    child.kill('SIGTERM');
  }

  /** The terminal's state changed: every window to where it belongs now. */
  follow(): void {
    void this.arrange();
  }

  // ---------------------------------------------------------------- the browser process

  private launch(): void {
    if (this.stopped) return;
    const first = this.o.windows()[0] ?? '/';
    const args = browserArgs({
      url: `${this.o.origin}${first}`,
      profileDir: this.o.profileDir,
      ...(this.o.extraArgs ? { extra: this.o.extraArgs } : {}),
    });
    const spawn = this.o.spawn ?? nodeSpawn;
    let child: ChildProcess;
    try {
      child = spawn(this.o.executable, args, { stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'] });
    } catch (e) {
      this.o.log?.('error', '浏览器无法启动', { executable: this.o.executable, error: (e as Error).message });
      this.scheduleRestart();
      return;
    }
    this.child = child;
    this.backoff.started(this.now());
    child.stderr?.resume();
    const gone = (code: number | null, signal: NodeJS.Signals | null) => {
      if (this.child !== child) return;
      this.child = null;
      this.cdp?.close();
      this.cdp = null;
      if (this.watchTimer) clearInterval(this.watchTimer);
      this.watchTimer = null;
      for (const w of this.pages) if (w.reloadTimer) clearTimeout(w.reloadTimer);
      this.pages.length = 0;
      if (this.stopped) return;
      if (this.planned) {
        this.planned = false;
        this.o.log?.('info', '浏览器定时重启', {});
        this.launch();
        return;
      }
      this.o.log?.('warn', '浏览器已退出，稍后重新启动', { code, signal });
      this.scheduleRestart();
    };
    // A browser that cannot be started at all (no such file) says so with `error` and no `exit`.
    child.on('error', (e) => {
      this.o.log?.('error', '浏览器无法启动', { executable: this.o.executable, error: e.message });
      gone(null, null);
    });
    child.once('exit', gone);
    const cdp = new CdpPipe(child.stdio[3] as Writable, child.stdio[4] as Readable);
    this.cdp = cdp;
    cdp.onEvent((e) => this.onEvent(e));
    // The shell's policy where Chromium lets a DevTools client set it: no downloads, and the camera
    // and microphone granted to the terminal's own origin only (a 高拍仪 page needs no prompt, and
    // its cameras are listed by name for the admin). Navigation, window.open and the rest are the
    // local origin's and --kiosk's (docs/terminal.md「浏览器模式」).
    void cdp.send('Browser.setDownloadBehavior', { behavior: 'deny' }).catch(() => undefined);
    void cdp
      .send('Browser.grantPermissions', { origin: this.o.origin, permissions: ['videoCapture', 'audioCapture'] })
      .catch(() => undefined);
    void cdp
      .send('Target.setDiscoverTargets', { discover: true })
      .then(() => cdp.send<{ targetInfos: { targetId: string; type: string; url: string }[] }>('Target.getTargets'))
      .then((r) => {
        for (const t of r.targetInfos) if (t.type === 'page') this.track(t.targetId, t.url);
        return this.arrange();
      })
      .catch((e: Error) => this.o.log?.('warn', '浏览器调试通道不可用', { error: e.message }));
    this.watchTimer = setInterval(() => void this.watch(), this.o.watchMs ?? 15_000);
    this.watchTimer.unref?.();
  }

  private scheduleRestart(): void {
    if (this.stopped || this.restartTimer) return;
    const wait = this.backoff.failed(this.now());
    this.restartTimer = setTimeout(() => {
      this.restartTimer = null;
      this.launch();
    }, wait);
  }

  // ---------------------------------------------------------------- windows

  private track(targetId: string, url: string): Window {
    let w = this.pages.find((p) => p.targetId === targetId);
    if (!w) {
      w = {
        targetId,
        url,
        sessionId: null,
        backoff: new RestartBackoff({ firstMs: 1000, maxMs: 30_000, stableMs: 60_000 }),
        reloadTimer: null,
        silent: 0,
      };
      w.backoff.started(this.now());
      this.pages.push(w);
    }
    return w;
  }

  private onEvent(e: { method: string; params: Record<string, unknown> }): void {
    const info = e.params.targetInfo as { targetId: string; type: string; url: string } | undefined;
    switch (e.method) {
      case 'Target.targetCreated':
        if (info?.type === 'page') this.track(info.targetId, info.url);
        break;
      case 'Target.targetInfoChanged': {
        const w = info ? this.pages.find((p) => p.targetId === info.targetId) : undefined;
        if (w && info) w.url = info.url;
        break;
      }
      case 'Target.targetDestroyed': {
        const i = this.pages.findIndex((p) => p.targetId === e.params.targetId);
        if (i >= 0) {
          const [w] = this.pages.splice(i, 1);
          if (w?.reloadTimer) clearTimeout(w.reloadTimer);
          // A window that went away is opened again where it belongs.
          void this.arrange();
        }
        break;
      }
      case 'Target.detachedFromTarget':
        for (const w of this.pages) if (w.sessionId === e.params.sessionId) w.sessionId = null;
        break;
      case 'Target.targetCrashed': {
        const w = this.pages.find((p) => p.targetId === e.params.targetId);
        if (w) this.crashed(w);
        break;
      }
    }
  }

  private crashed(w: Window): void {
    if (w.reloadTimer || this.stopped) return;
    w.sessionId = null;
    const wait = w.backoff.failed(this.now());
    this.o.log?.('warn', '页面崩溃，重新载入', { url: w.url, waitMs: wait });
    w.reloadTimer = setTimeout(() => {
      w.reloadTimer = null;
      const i = this.pages.indexOf(w);
      if (i < 0) return;
      w.backoff.started(this.now());
      void this.navigate(w, this.o.windows()[i] ?? this.o.windows()[0] ?? '/', true);
    }, wait);
  }

  private async session(w: Window): Promise<string | null> {
    if (w.sessionId) return w.sessionId;
    const cdp = this.cdp;
    if (!cdp) return null;
    try {
      const r = await cdp.send<{ sessionId: string }>('Target.attachToTarget', { targetId: w.targetId, flatten: true });
      w.sessionId = r.sessionId;
      return r.sessionId;
    } catch {
      return null;
    }
  }

  private async navigate(w: Window, path: string, force = false): Promise<void> {
    const cdp = this.cdp;
    if (!cdp) return;
    if (!force && pathOf(w.url) === path.split('?')[0]) return;
    const sessionId = await this.session(w);
    if (!sessionId) return;
    try {
      await cdp.send('Page.navigate', { url: `${this.o.origin}${path}` }, sessionId);
    } catch (e) {
      this.o.log?.('warn', '页面跳转失败', { path, error: (e as Error).message });
    }
  }

  /** One window per path: navigate those in the wrong place, open missing ones, close extra ones. */
  private async arrange(): Promise<void> {
    const cdp = this.cdp;
    if (!cdp || this.stopped) return;
    const paths = this.o.windows();
    for (let i = 0; i < Math.max(paths.length, this.pages.length); i++) {
      const path = paths[i];
      const w = this.pages[i];
      if (path && w) await this.navigate(w, path);
      else if (path && !w) {
        try {
          const r = await cdp.send<{ targetId: string }>('Target.createTarget', {
            url: `${this.o.origin}${path}`,
            newWindow: true,
          });
          this.track(r.targetId, `${this.o.origin}${path}`);
        } catch (e) {
          this.o.log?.('warn', '无法打开窗口', { path, error: (e as Error).message });
        }
      } else if (w && !path) {
        await cdp.send('Target.closeTarget', { targetId: w.targetId }).catch(() => undefined);
      }
    }
  }

  /** A page that does not answer twice in a row is crashed on purpose, so it is loaded again. */
  private async watch(): Promise<void> {
    const cdp = this.cdp;
    if (!cdp) return;
    for (const w of [...this.pages]) {
      if (w.reloadTimer) continue;
      const sessionId = await this.session(w);
      if (!sessionId) continue;
      try {
        await cdp.send('Runtime.evaluate', { expression: '1', returnByValue: true }, sessionId, 10_000);
        w.silent = 0;
      } catch {
        w.silent++;
        if (w.silent >= 2) {
          w.silent = 0;
          this.o.log?.('warn', '页面无响应，重新载入', { url: w.url });
          void cdp.send('Page.crash', {}, sessionId, 2000).catch(() => undefined);
        }
      }
    }
  }
}
