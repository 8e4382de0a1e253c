/**
 * When the terminal looks for, fetches and installs an update (docs/deployment.md 更新): it looks
 * shortly after it starts and then every `checkEveryMs`; what it finds is downloaded in the
 * background while the terminal works; it is installed only when the terminal is idle — no citizen
 * mid-flow (common/activity.ts) — for a while. Staging (`stagingPercentage` in latest.yml) is the
 * updater's own check: a terminal outside the stage is simply offered nothing yet. A version the
 * terminal rolled back from (update-rollback.ts) is never fetched again.
 *
 * No Electron here: the updater is a port (electron-updates.ts binds electron-updater), the timers
 * and the idle test are injected, so the whole cycle runs in tests on a fake clock.
 */
import type { Timers } from './recovery.js';

/** What the scheduler needs of an updater. */
export interface UpdaterPort {
  /** Points the updater at the paired hub with the terminal's token; false while unpaired. */
  configure(): Promise<boolean>;
  /** The version the hub offers this terminal (newer, within its stage), or null. */
  check(): Promise<string | null>;
  /** Downloads the offered version; resolves with the installer's path. */
  download(): Promise<string>;
  /** Quits and installs the downloaded version (the terminal starts again on it). */
  install(): void;
}

export interface UpdateScheduleOptions {
  updater: UpdaterPort;
  timers: Timers;
  /** True when no citizen is mid-flow and none was for the quiet time (ActivityBoard.idle). */
  idle(): boolean;
  /** Versions never to fetch (rolled back from). */
  refused(version: string): boolean;
  /** A download finished: keep its installer to fall back to later. */
  downloaded?(version: string, file: string): void;
  /** Just before installing. */
  installing?(version: string): void;
  log?(event: string, detail: Record<string, unknown>): void;
  /** First look after start (default 2 minutes: the terminal settles and its windows load first). */
  firstCheckMs?: number;
  /** Then every (default 1 hour). */
  checkEveryMs?: number;
  /** After a failed look or download (default 10 minutes). */
  retryMs?: number;
  /** While an update waits for idle, how often idle is asked (default 30 s). */
  idlePollMs?: number;
  /** A number in [0, 1) that spreads the terminals' looks over a tenth of the period (default 0.5). */
  spread?: number;
}

export type ScheduleState =
  | { kind: 'stopped' }
  | { kind: 'waiting' }
  | { kind: 'checking' }
  | { kind: 'downloading'; version: string }
  | { kind: 'ready'; version: string }
  | { kind: 'installing'; version: string };

export class UpdateSchedule {
  private current: ScheduleState = { kind: 'stopped' };
  private timer: unknown = null;

  constructor(private readonly o: UpdateScheduleOptions) {}

  get state(): ScheduleState {
    return this.current;
  }

  start(): void {
    if (this.current.kind !== 'stopped') return;
    this.current = { kind: 'waiting' };
    this.after(this.o.firstCheckMs ?? 120_000, () => void this.cycle());
  }

  stop(): void {
    this.clear();
    this.current = { kind: 'stopped' };
  }

  /** Looks now (a technician's request, or a tests' shortcut); ignored while busy with an update. */
  checkNow(): void {
    if (this.current.kind !== 'waiting') return;
    this.clear();
    void this.cycle();
  }

  private async cycle(): Promise<void> {
    if (this.current.kind !== 'waiting') return;
    this.current = { kind: 'checking' };
    let version: string | null;
    try {
      if (!(await this.o.updater.configure())) {
        this.log('update-not-paired', {});
        return this.again(this.period());
      }
      version = await this.o.updater.check();
    } catch (e) {
      this.log('update-check-failed', { error: (e as Error).message });
      return this.again(this.o.retryMs ?? 600_000);
    }
    if (this.stopped()) return;
    if (version === null) return this.again(this.period());
    if (this.o.refused(version)) {
      this.log('update-refused', { version, reason: 'rolled-back-before' });
      return this.again(this.period());
    }
    this.current = { kind: 'downloading', version };
    this.log('update-downloading', { version });
    try {
      const file = await this.o.updater.download();
      if (this.stopped()) return;
      this.o.downloaded?.(version, file);
    } catch (e) {
      if (this.stopped()) return;
      this.log('update-download-failed', { version, error: (e as Error).message });
      return this.again(this.o.retryMs ?? 600_000);
    }
    this.current = { kind: 'ready', version };
    this.log('update-ready', { version });
    this.whenIdle();
  }

  private whenIdle(): void {
    const s = this.current;
    if (s.kind !== 'ready') return;
    if (!this.o.idle()) {
      this.after(this.o.idlePollMs ?? 30_000, () => this.whenIdle());
      return;
    }
    this.current = { kind: 'installing', version: s.version };
    this.log('update-installing', { version: s.version });
    this.o.installing?.(s.version);
    this.o.updater.install();
  }

  private period(): number {
    const every = this.o.checkEveryMs ?? 3600_000;
    return Math.round(every * (0.95 + 0.1 * (this.o.spread ?? 0.5)));
  }

  private again(ms: number): void {
    if (this.stopped()) return;
    this.current = { kind: 'waiting' };
    this.after(ms, () => void this.cycle());
  }

  private stopped(): boolean {
    return this.current.kind === 'stopped';
  }

  private after(ms: number, fn: () => void): void {
    this.clear();
    this.timer = this.o.timers.setTimeout(() => {
      this.timer = null;
      fn();
    }, ms);
  }

  private clear(): void {
    if (this.timer !== null) this.o.timers.clearTimeout(this.timer);
    this.timer = null;
  }

  private log(event: string, detail: Record<string, unknown>): void {
    this.o.log?.(event, detail);
  }
}
