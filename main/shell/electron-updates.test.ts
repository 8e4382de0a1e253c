/**
 * The updates adapter against a FAKE `electron` and a FAKE `electron-updater` (vi.mock): there is
 * no Electron binary here. The fakes record what the adapter asks of them; the disk (start journal,
 * kept installers) is real, in a temp folder. The adapter is type-checked against both packages'
 * real typings; what a real updater does with a feed is not tested here (the hub's side is, in
 * test/hub/updates.test.ts).
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const fake = vi.hoisted(() => ({}) as Record<string, any>);

vi.mock('electron', () => ({
  app: {
    getPath: () => fake.userData,
    getVersion: () => fake.version,
    relaunch: () => fake.calls.push('relaunch'),
    exit: (code: number) => fake.calls.push(`exit ${code}`),
  },
}));

vi.mock('electron-updater', () => ({
  autoUpdater: new Proxy(
    {},
    {
      get: (_t, key: string) => fake.updater[key],
      set: (_t, key: string, value) => {
        fake.updater[key] = value;
        fake.calls.push(`set ${key}`);
        return true;
      },
    },
  ),
}));

import { guardStart, startTerminalUpdates, updateFiles } from './electron-updates.js';

const MIN = 60_000;
const TOKEN = 'gtt_secret-token-0123456789';
let dir: string;

function fakeUpdater(offer: string | null) {
  return {
    setFeedURL: (o: unknown) => fake.calls.push(`feed ${JSON.stringify(o)}`),
    checkForUpdates: async () => {
      fake.calls.push(`check headers=${JSON.stringify(fake.updater.requestHeaders)}`);
      fake.updater.logger?.info(`Found version ${offer} with Bearer ${TOKEN}`);
      return offer ? { isUpdateAvailable: true, updateInfo: { version: offer } } : { isUpdateAvailable: false };
    },
    downloadUpdate: async () => {
      const file = join(dir, 'cache', `govhall-${offer}-win-x64.exe`);
      mkdirSync(join(dir, 'cache'), { recursive: true });
      writeFileSync(file, `installer ${offer}`);
      fake.calls.push('download');
      return [file];
    },
    quitAndInstall: (silent: boolean, run: boolean) => fake.calls.push(`install silent=${silent} run=${run}`),
  };
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'govhall-updates-adapter-'));
  fake.userData = dir;
  fake.version = '0.1.0';
  fake.calls = [];
  fake.updater = fakeUpdater('0.2.0');
  vi.useFakeTimers({ now: Date.UTC(2026, 11, 4, 2, 0) });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('terminal updates on a fake electron-updater', () => {
  it('points the updater at the paired hub with the token in a header, installs when idle, keeps the installer', async () => {
    const logs: string[] = [];
    let idle = false;
    const u = startTerminalUpdates({
      hubUrl: 'http://192.168.10.2:8800',
      token: async () => TOKEN,
      activity: {
        idle: (quietMs) => {
          expect(quietMs).toBe(120_000);
          return idle;
        },
      },
      log: (e, d) => logs.push(JSON.stringify({ e, ...d })),
    });
    expect(fake.updater.autoDownload).toBe(false);
    expect(fake.updater.autoInstallOnAppQuit).toBe(false);
    expect(fake.updater.allowDowngrade).toBe(false);
    await vi.advanceTimersByTimeAsync(2 * MIN);
    await vi.advanceTimersByTimeAsync(0);
    expect(fake.calls).toContain(
      `feed ${JSON.stringify({ provider: 'generic', url: 'http://192.168.10.2:8800/api/v1/updates/', useMultipleRangeRequest: false })}`,
    );
    expect(fake.calls).toContain(`check headers=${JSON.stringify({ authorization: `Bearer ${TOKEN}` })}`);
    expect(fake.calls).toContain('download');
    expect(fake.calls.some((c: string) => c.startsWith('install'))).toBe(false);
    idle = true;
    await vi.advanceTimersByTimeAsync(30_000);
    expect(fake.calls.at(-1)).toBe('install silent=true run=true');
    // The downloaded installer is kept for a later rollback, and recorded in the journal.
    const kept = join(updateFiles(dir).releases, '0.2.0', 'govhall-0.2.0-win-x64.exe');
    expect(readFileSync(kept, 'utf8')).toBe('installer 0.2.0');
    expect(JSON.parse(readFileSync(updateFiles(dir).journal, 'utf8')).kept).toEqual([{ version: '0.2.0', file: kept }]);
    // Whatever the updater logged, the token is not in the terminal's log.
    expect(logs.join('\n')).toContain('Found version 0.2.0');
    expect(logs.join('\n')).not.toContain(TOKEN);
    u.stop();
  });

  it('does not look while the terminal is unpaired', async () => {
    const u = startTerminalUpdates({
      hubUrl: 'http://hub:8800',
      token: async () => null,
      activity: { idle: () => true },
      log: () => {},
    });
    await vi.advanceTimersByTimeAsync(3 * MIN);
    expect(fake.calls.filter((c: string) => c.startsWith('feed') || c.startsWith('check'))).toEqual([]);
    u.stop();
  });

  it('rolls back to the kept previous version after three failed starts of a new one', async () => {
    // 0.1.0 ran well with its installer kept, then 0.2.0 came and never stays up.
    const u = startTerminalUpdates({
      hubUrl: 'http://hub:8800',
      token: async () => TOKEN,
      activity: { idle: () => true },
      log: () => {},
      appImage: null,
    });
    await vi.advanceTimersByTimeAsync(2 * MIN);
    await vi.advanceTimersByTimeAsync(MIN); // up three minutes: a good start of 0.1.0
    u.stop();
    const prior = join(updateFiles(dir).releases, '0.1.0', 'govhall-0.1.0-win-x64.exe');
    mkdirSync(join(prior, '..'), { recursive: true });
    writeFileSync(prior, 'installer 0.1.0');
    const j = JSON.parse(readFileSync(updateFiles(dir).journal, 'utf8'));
    expect(j.lastGood).toBe('0.1.0');
    j.kept.unshift({ version: '0.1.0', file: prior });
    writeFileSync(updateFiles(dir).journal, JSON.stringify(j));

    fake.version = '0.2.0';
    const ran: string[] = [];
    const guard = () =>
      guardStart({
        log: () => {},
        appImage: null,
        run: (file, args, done) => {
          ran.push([file, ...args].join(' '));
          done(true);
        },
      });
    expect(guard()).toBe('run');
    vi.advanceTimersByTime(MIN);
    expect(guard()).toBe('run');
    vi.advanceTimersByTime(MIN);
    expect(guard()).toBe('rolling-back');
    expect(ran).toEqual([`${prior} --updated /S --force-run`]);
    expect(fake.calls.slice(-2)).toEqual(['relaunch', 'exit 0']);
    expect(JSON.parse(readFileSync(updateFiles(dir).journal, 'utf8')).refused).toEqual(['0.2.0']);

    // Back on 0.1.0, the hub still offers 0.2.0: it is not fetched again.
    fake.version = '0.1.0';
    fake.calls = [];
    const again = startTerminalUpdates({
      hubUrl: 'http://hub:8800',
      token: async () => TOKEN,
      activity: { idle: () => true },
      log: () => {},
    });
    await vi.advanceTimersByTimeAsync(2 * MIN);
    expect(fake.calls).not.toContain('download');
    again.stop();
  });

  it('never stops the terminal from starting when its journal cannot be written', () => {
    const file = join(dir, 'not-a-folder');
    writeFileSync(file, 'x');
    const logs: string[] = [];
    expect(guardStart({ dataDir: file, log: (e) => logs.push(e) })).toBe('run');
    expect(logs).toEqual(['rollback-guard-failed']);
  });

  it('an AppImage installed by hand keeps itself once it stayed up, and a rollback swaps the file back', async () => {
    const appImage = join(dir, 'govhall.AppImage');
    writeFileSync(appImage, 'appimage 0.1.0');
    fake.updater = fakeUpdater(null);
    const u = startTerminalUpdates({
      hubUrl: 'http://hub:8800',
      token: async () => TOKEN,
      activity: { idle: () => true },
      log: () => {},
      appImage,
    });
    await vi.advanceTimersByTimeAsync(3 * MIN);
    u.stop();
    const kept = join(updateFiles(dir).releases, '0.1.0', 'govhall.AppImage');
    expect(readFileSync(kept, 'utf8')).toBe('appimage 0.1.0');

    writeFileSync(appImage, 'appimage 0.2.0 (broken)');
    fake.version = '0.2.0';
    for (let i = 0; i < 2; i++) expect(guardStart({ log: () => {}, appImage })).toBe('run');
    expect(guardStart({ log: () => {}, appImage })).toBe('rolling-back');
    expect(readFileSync(appImage, 'utf8')).toBe('appimage 0.1.0');
    expect(existsSync(`${appImage}.tmp`)).toBe(false);
  });
});
