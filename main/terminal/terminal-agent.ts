/**
 * What a terminal is doing (docs/terminal.md): unpaired → asks the hub to pair and shows the code
 * until the admin approves it, then keeps the token in its 0600 file; paired → follows its
 * configuration over its control link and keeps the last one on disk, running on it while the hub
 * is away; revoked (the hub says so, closes with 4401, or answers 401) → forgets the token and
 * shows a new pairing code at once. Its state is what the local pages and the windows follow.
 *
 * Timers are plain `setTimeout`s and every I/O is injected, so the whole cycle runs under fake
 * timers in tests.
 */
import type { TerminalFile } from '../../kiosk-config/terminal-file.js';
import type { ControlLinkHandlers } from './control-link.js';
import { HubError, type TerminalHubApi } from './hub-api.js';
import type { TerminalConfigView, TerminalState } from './terminal-types.js';

export interface TerminalStore {
  token(terminalId: string): string | null;
  saveToken(terminalId: string, token: string): void;
  forgetToken(): void;
  config(terminalId: string): TerminalConfigView | null;
  saveConfig(config: TerminalConfigView): void;
}

export interface ControlLinkLike {
  start(): void;
  stop(): void;
}

export interface TerminalAgentOptions {
  terminal: TerminalFile;
  /** Shown to the admin with the code (the hall config's name wins once paired). */
  name?: string;
  store: TerminalStore;
  api: TerminalHubApi;
  control(token: string, on: ControlLinkHandlers): ControlLinkLike;
  /** How often a pending pairing is polled (default 2 s). */
  pollMs?: number;
  /** Wait after a failed call before trying again (default 5 s). */
  retryMs?: number;
  /** The hub counts as unreachable after its link has been down this long (default 5 s): a restart is not an outage. */
  offlineAfterMs?: number;
  log?: (level: 'info' | 'warn' | 'error', msg: string, fields?: Record<string, unknown>) => void;
}

export class TerminalAgent {
  private current: TerminalState = { kind: 'starting' };
  private readonly listeners = new Set<(s: TerminalState) => void>();
  private tokenValue: string | null = null;
  private link: ControlLinkLike | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private offlineTimer: ReturnType<typeof setTimeout> | null = null;
  /** Bumped whenever the terminal starts over (paired, revoked, stopped): late answers of an older run are dropped. */
  private run = 0;
  private checking = false;
  private stopped = false;

  constructor(private readonly o: TerminalAgentOptions) {}

  get state(): TerminalState {
    return this.current;
  }

  /** The terminal's token while paired (the local origin adds it to what it forwards). */
  get token(): string | null {
    return this.tokenValue;
  }

  onState(listener: (s: TerminalState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  start(): void {
    this.stopped = false;
    const token = this.o.store.token(this.o.terminal.id);
    if (token) this.runWith(token);
    else this.pair();
  }

  stop(): void {
    this.stopped = true;
    this.run++;
    this.clearTimers();
    this.link?.stop();
    this.link = null;
  }

  /**
   * A forwarded call carrying the terminal's token came back 401: the token may have been revoked
   * while the control link was quiet. Checked once with the hub before anything is forgotten.
   */
  unauthorized(): void {
    const token = this.tokenValue;
    if (!token || this.checking) return;
    this.checking = true;
    const run = this.run;
    this.o.api
      .config(token)
      .then(
        () => undefined,
        (e: unknown) => {
          if (run === this.run && e instanceof HubError && e.unauthorized) this.revoked();
        },
      )
      .finally(() => {
        this.checking = false;
      });
  }

  // ---------------------------------------------------------------- pairing

  private pair(): void {
    const run = ++this.run;
    this.tokenValue = null;
    this.setState({ kind: 'pairing', code: null, expiresAt: null, problem: null });
    const ask = () => {
      if (run !== this.run) return;
      this.o.api.requestPairing(this.o.terminal.id, this.o.name).then(
        (p) => {
          if (run !== this.run) return;
          this.o.log?.('info', '请在管理后台输入配对码', { terminalId: this.o.terminal.id });
          this.setState({ kind: 'pairing', code: p.code, expiresAt: p.expiresAt, problem: null });
          this.later(this.o.pollMs ?? 2000, () => poll(p.pairingId));
        },
        (e: unknown) => {
          if (run !== this.run) return;
          this.setState({ kind: 'pairing', code: null, expiresAt: null, problem: problemText(e) });
          this.later(this.o.retryMs ?? 5000, ask);
        },
      );
    };
    const poll = (pairingId: string) => {
      if (run !== this.run) return;
      this.o.api.pairingStatus(pairingId).then(
        (s) => {
          if (run !== this.run) return;
          if (s.status === 'approved' && s.token) {
            this.o.store.saveToken(this.o.terminal.id, s.token);
            this.o.log?.('info', '终端已配对', { terminalId: this.o.terminal.id });
            this.runWith(s.token);
          } else if (s.status === 'pending') this.later(this.o.pollMs ?? 2000, () => poll(pairingId));
          // Expired, or approved but the token went elsewhere: a new code.
          else ask();
        },
        (e: unknown) => {
          if (run !== this.run) return;
          // The hub forgot it (restarted): ask again; anything else, keep polling.
          if (e instanceof HubError && e.status === 404) ask();
          else this.later(this.o.retryMs ?? 5000, () => poll(pairingId));
        },
      );
    };
    ask();
  }

  // ---------------------------------------------------------------- running

  private runWith(token: string): void {
    const run = ++this.run;
    this.clearTimers();
    this.tokenValue = token;
    const cached = this.o.store.config(this.o.terminal.id);
    this.setState(
      cached
        ? { kind: 'running', config: cached, hubReachable: false }
        : { kind: 'waiting', problem: '正在连接大厅中枢，读取本终端的配置' },
    );
    this.link?.stop();
    this.link = this.o.control(token, {
      up: () => {
        if (run !== this.run) return;
        if (this.offlineTimer) clearTimeout(this.offlineTimer);
        this.offlineTimer = null;
        this.fetchConfig(run, token);
      },
      down: () => {
        if (run !== this.run || this.offlineTimer) return;
        this.offlineTimer = setTimeout(() => {
          this.offlineTimer = null;
          if (run === this.run) this.setReachable(false);
        }, this.o.offlineAfterMs ?? 5000);
      },
      config: (view) => {
        if (run === this.run) this.applyConfig(view, true);
      },
      revoked: () => {
        if (run === this.run) this.revoked();
      },
    });
    this.link.start();
  }

  private fetchConfig(run: number, token: string): void {
    this.o.api.config(token).then(
      (view) => {
        if (run === this.run) this.applyConfig(view, true);
      },
      (e: unknown) => {
        if (run !== this.run) return;
        if (e instanceof HubError && e.unauthorized) return this.revoked();
        if (this.current.kind === 'waiting' || (e instanceof HubError && e.code === 'TERMINAL_NOT_CONFIGURED'))
          this.setState({ kind: 'waiting', problem: problemText(e) });
        this.later(this.o.retryMs ?? 5000, () => this.fetchConfig(run, token));
      },
    );
  }

  private applyConfig(view: TerminalConfigView, reachable: boolean): void {
    try {
      this.o.store.saveConfig(view);
    } catch (e) {
      this.o.log?.('warn', '无法保存终端配置', { error: (e as Error).message });
    }
    this.setState({ kind: 'running', config: view, hubReachable: reachable });
  }

  private setReachable(reachable: boolean): void {
    if (this.current.kind === 'running' && this.current.hubReachable !== reachable)
      this.setState({ ...this.current, hubReachable: reachable });
    else if (this.current.kind === 'waiting' && !reachable)
      this.setState({ kind: 'waiting', problem: '无法连接大厅中枢，正在重试' });
  }

  private revoked(): void {
    if (this.stopped) return;
    this.o.log?.('warn', '终端令牌已被吊销或替换，重新配对', { terminalId: this.o.terminal.id });
    this.link?.stop();
    this.link = null;
    this.clearTimers();
    this.o.store.forgetToken();
    this.pair();
  }

  // ---------------------------------------------------------------- plumbing

  private later(ms: number, fn: () => void): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      if (!this.stopped) fn();
    }, ms);
  }

  private clearTimers(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.offlineTimer) clearTimeout(this.offlineTimer);
    this.timer = null;
    this.offlineTimer = null;
  }

  private setState(s: TerminalState): void {
    this.current = s;
    for (const l of [...this.listeners]) {
      try {
        l(s);
      } catch (e) {
        this.o.log?.('error', '终端状态处理失败', { error: (e as Error).message });
      }
    }
  }
}

function problemText(e: unknown): string {
  if (e instanceof HubError) {
    if (e.status === 0) return '无法连接大厅中枢，正在重试';
    return e.message;
  }
  return '与大厅中枢通信失败，正在重试';
}
