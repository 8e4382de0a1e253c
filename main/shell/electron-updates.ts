/**
 * The Electron adapter of the terminal's updates: binds electron-updater and the disk to the pure
 * rules — when to look, fetch and install (update-schedule.ts), where from (update-feed.ts), when
 * to go back (update-rollback.ts). Checked against electron-updater's and Electron's own typings;
 * its tests run on fakes of both (no Electron binary on a build machine's CI).
 *
 * The Electron entry calls `guardStart()` first thing — before any window — and stops there when
 * it answers `rolling-back`; then `startTerminalUpdates()` once the terminal runs.
 */
import { spawn } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { app } from 'electron';
import { autoUpdater } from 'electron-updater';
import { realTimers, type Timers } from './recovery.js';
import { authorizationHeader, redact, redactingLogger, updateFeed } from './update-feed.js';
import {
  isRefused,
  keepRelease,
  type RollbackOptions,
  readJournal,
  recordGood,
  recordStart,
  rollbackCommand,
  type StartJournal,
} from './update-rollback.js';
import { UpdateSchedule, type UpdateScheduleOptions } from './update-schedule.js';

type Log = (event: string, detail: Record<string, unknown>) => void;
const defaultLog: Log = (event, detail) => console.error(JSON.stringify({ at: 'updates', event, ...detail }));

/** The updater's files in the terminal's data folder: the start journal and the kept installers. */
export function updateFiles(dataDir: string) {
  const dir = join(dataDir, 'updates');
  return { dir, journal: join(dir, 'journal.json'), releases: join(dir, 'releases') };
}

function loadJournal(path: string): StartJournal {
  try {
    return readJournal(JSON.parse(readFileSync(path, 'utf8')));
  } catch {
    return readJournal(null);
  }
}

function saveJournal(path: string, journal: StartJournal): void {
  mkdirSync(join(path, '..'), { recursive: true });
  // Written aside and renamed: a power cut mid-write leaves the old journal, not half of one.
  writeFileSync(`${path}.tmp`, JSON.stringify(journal));
  renameSync(`${path}.tmp`, path);
}

const remove = (files: readonly string[]) => {
  for (const f of files) rmSync(f, { force: true });
};

export interface GuardStartOptions {
  dataDir?: string;
  /** The running version (default: the app's). */
  version?: string;
  now?: () => number;
  log?: Log;
  rollback?: RollbackOptions;
  /** The running AppImage (default `$APPIMAGE`), replaced by the kept one on a rollback. */
  appImage?: string | null;
  /** Runs a rollback command (default: a detached child). */
  run?: (file: string, args: string[], done: (ok: boolean) => void) => void;
}

/**
 * Writes down this start and, when the running version has failed to stay up too often, puts the
 * previous version back: runs its kept installer, or swaps the AppImage, and quits.
 */
export function guardStart(o: GuardStartOptions = {}): 'run' | 'rolling-back' {
  const log = o.log ?? defaultLog;
  try {
    return guard(o, log);
  } catch (e) {
    // The guard must never be what stops the terminal from starting (a full or read-only disk).
    log('rollback-guard-failed', { error: (e as Error).message });
    return 'run';
  }
}

function guard(o: GuardStartOptions, log: Log): 'run' | 'rolling-back' {
  const files = updateFiles(o.dataDir ?? app.getPath('userData'));
  const version = o.version ?? app.getVersion();
  const { journal, decision } = recordStart(loadJournal(files.journal), version, (o.now ?? Date.now)(), o.rollback);
  saveJournal(files.journal, journal);
  if (decision.kind === 'run') return 'run';
  if (decision.kind === 'no-fallback') {
    log('rollback-impossible', { version, failedStarts: decision.failedStarts });
    return 'run';
  }
  const command = rollbackCommand(decision.to, o.appImage !== undefined ? o.appImage : (process.env.APPIMAGE ?? null));
  if (!command) {
    log('rollback-impossible', { version, kept: decision.to.version, reason: 'unknown-installer' });
    return 'run';
  }
  log('rollback', { from: decision.from, to: decision.to.version });
  if (command.kind === 'replace-appimage') {
    copyFileSync(command.from, `${command.to}.tmp`);
    chmodSync(`${command.to}.tmp`, 0o755);
    renameSync(`${command.to}.tmp`, command.to);
    app.relaunch();
    app.exit(0);
    return 'rolling-back';
  }
  const run =
    o.run ??
    ((file: string, args: string[], done: (ok: boolean) => void) => {
      const child = spawn(file, args, { detached: true, stdio: 'ignore' });
      child.once('error', () => done(false));
      child.once('exit', (code) => done(code === 0));
      child.unref();
    });
  // The NSIS installer ends this process itself and starts the terminal when done; a deb is
  // installed while this process waits, then the terminal starts again on the old version.
  run(command.file, command.args, (ok) => {
    log(ok ? 'rollback-installed' : 'rollback-failed', { to: decision.to.version });
    app.relaunch();
    app.exit(0);
  });
  return 'rolling-back';
}

export interface TerminalUpdatesOptions {
  /** The paired hub (the terminal file's `hub`). */
  hubUrl: string;
  /** The terminal's token from its store (safe storage, electron-token-store.ts); null while unpaired. */
  token(): Promise<string | null>;
  /** The terminal's activity board (common/activity.ts): idle when no citizen is mid-flow. */
  activity: { idle(quietMs: number): boolean };
  dataDir?: string;
  version?: string;
  /** No citizen for this long before installing (default 2 minutes). */
  quietMs?: number;
  /** Up this long counts as a good start (default 3 minutes). */
  goodAfterMs?: number;
  log?: Log;
  timers?: Timers;
  schedule?: Pick<UpdateScheduleOptions, 'firstCheckMs' | 'checkEveryMs' | 'retryMs' | 'idlePollMs' | 'spread'>;
  appImage?: string | null;
}

export interface TerminalUpdates {
  schedule: UpdateSchedule;
  stop(): void;
}

/** Starts looking for updates on the paired hub, and marks this start good once it stayed up. */
export function startTerminalUpdates(o: TerminalUpdatesOptions): TerminalUpdates {
  const log = o.log ?? defaultLog;
  const timers = o.timers ?? realTimers;
  const files = updateFiles(o.dataDir ?? app.getPath('userData'));
  const version = o.version ?? app.getVersion();
  const appImage = o.appImage !== undefined ? o.appImage : (process.env.APPIMAGE ?? null);
  let secrets: string[] = [];

  const keep = (v: string, file: string) => {
    const dir = join(files.releases, v);
    mkdirSync(dir, { recursive: true });
    const dest = join(dir, basename(file));
    copyFileSync(file, dest);
    const kept = keepRelease(loadJournal(files.journal), { version: v, file: dest });
    saveJournal(files.journal, kept.journal);
    remove(kept.drop);
  };

  const good = timers.setTimeout(() => {
    try {
      // A hand-installed AppImage keeps itself: the running file is the installer of this version.
      if (appImage && !loadJournal(files.journal).kept.some((k) => k.version === version)) keep(version, appImage);
      const r = recordGood(loadJournal(files.journal), version);
      saveJournal(files.journal, r.journal);
      remove(r.drop);
      log('start-good', { version });
    } catch (e) {
      log('update-journal-failed', { error: (e as Error).message });
    }
  }, o.goodAfterMs ?? 180_000);

  autoUpdater.autoDownload = false;
  // Installed by the schedule when idle, never as a side effect of quitting (a nightly restart).
  autoUpdater.autoInstallOnAppQuit = false;
  autoUpdater.allowDowngrade = false;
  autoUpdater.logger = redactingLogger(log, () => secrets);

  const schedule = new UpdateSchedule({
    timers,
    idle: () => o.activity.idle(o.quietMs ?? 120_000),
    refused: (v) => isRefused(loadJournal(files.journal), v),
    downloaded: (v, file) => {
      try {
        keep(v, file);
      } catch (e) {
        log('update-keep-failed', { version: v, error: (e as Error).message });
      }
    },
    log: (event, detail) =>
      log(event, 'error' in detail ? { ...detail, error: redact(String(detail.error), secrets) } : detail),
    ...o.schedule,
    updater: {
      async configure() {
        const token = await o.token();
        if (!token) return false;
        secrets = [token];
        autoUpdater.setFeedURL(updateFeed(o.hubUrl));
        // After setFeedURL, which keeps headers only when its options carry them.
        autoUpdater.requestHeaders = authorizationHeader(token);
        return true;
      },
      async check() {
        const r = await autoUpdater.checkForUpdates();
        return r?.isUpdateAvailable ? r.updateInfo.version : null;
      },
      async download() {
        const [file] = await autoUpdater.downloadUpdate();
        if (!file) throw new Error('更新程序没有给出下载的文件');
        return file;
      },
      install() {
        autoUpdater.quitAndInstall(true, true);
      },
    },
  });
  schedule.start();
  return {
    schedule,
    stop() {
      timers.clearTimeout(good);
      schedule.stop();
    },
  };
}
