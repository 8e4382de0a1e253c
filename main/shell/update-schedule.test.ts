/**
 * The update schedule on fake timers, with a scripted updater port: when it looks, what it fetches,
 * and that it installs only when the terminal is idle.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { realTimers } from './recovery.js';
import { authorizationHeader, redact, redactingLogger, updateFeed, updateFeedUrl } from './update-feed.js';
import { type UpdaterPort, UpdateSchedule } from './update-schedule.js';

const MIN = 60_000;

function scripted(offers: (string | null | Error)[]) {
  const calls: string[] = [];
  let paired = true;
  const port: UpdaterPort = {
    configure: async () => {
      calls.push('configure');
      return paired;
    },
    check: async () => {
      calls.push('check');
      const next = offers.length > 1 ? offers.shift()! : offers[0]!;
      if (next instanceof Error) throw next;
      return next;
    },
    download: async () => {
      calls.push('download');
      return '/cache/govhall-0.2.0-win-x64.exe';
    },
    install: () => {
      calls.push('install');
    },
  };
  return { port, calls, unpair: () => (paired = false) };
}

/** Lets the schedule's awaited calls run between timer steps. */
const settle = () => vi.advanceTimersByTimeAsync(0);

let idle = true;
const events: string[] = [];
function schedule(port: UpdaterPort, refused: string[] = []) {
  const kept: string[] = [];
  const s = new UpdateSchedule({
    updater: port,
    timers: realTimers,
    idle: () => idle,
    refused: (v) => refused.includes(v),
    downloaded: (v, f) => kept.push(`${v} ${f}`),
    log: (e) => events.push(e),
    spread: 0.5,
  });
  return { s, kept };
}

beforeEach(() => {
  vi.useFakeTimers({ now: Date.UTC(2026, 11, 4, 2, 0) });
  idle = true;
  events.length = 0;
});
afterEach(() => {
  vi.useRealTimers();
});

describe('update schedule (fake timers)', () => {
  it('looks two minutes after start, then every hour while nothing is offered', async () => {
    const { port, calls } = scripted([null]);
    const { s } = schedule(port);
    s.start();
    await vi.advanceTimersByTimeAsync(2 * MIN - 1);
    expect(calls).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toEqual(['configure', 'check']);
    await vi.advanceTimersByTimeAsync(60 * MIN);
    expect(calls).toEqual(['configure', 'check', 'configure', 'check']);
    expect(s.state.kind).toBe('waiting');
    s.stop();
  });

  it('downloads what is offered in the background, keeps it, and installs at once when idle', async () => {
    const { port, calls } = scripted(['0.2.0']);
    const { s, kept } = schedule(port);
    s.start();
    await vi.advanceTimersByTimeAsync(2 * MIN);
    await settle();
    expect(calls).toEqual(['configure', 'check', 'download', 'install']);
    expect(kept).toEqual(['0.2.0 /cache/govhall-0.2.0-win-x64.exe']);
    expect(s.state).toEqual({ kind: 'installing', version: '0.2.0' });
    expect(events).toEqual(['update-downloading', 'update-ready', 'update-installing']);
  });

  it('waits for the terminal to be idle before installing', async () => {
    idle = false;
    const { port, calls } = scripted(['0.2.0']);
    const { s } = schedule(port);
    s.start();
    await vi.advanceTimersByTimeAsync(2 * MIN);
    await settle();
    expect(s.state).toEqual({ kind: 'ready', version: '0.2.0' });
    // A citizen at the kiosk for an hour: no install, and no new looks meanwhile.
    await vi.advanceTimersByTimeAsync(60 * MIN);
    expect(calls).toEqual(['configure', 'check', 'download']);
    idle = true;
    await vi.advanceTimersByTimeAsync(30_000);
    expect(calls.at(-1)).toBe('install');
  });

  it('never fetches a version it rolled back from, and looks again later', async () => {
    const { port, calls } = scripted(['0.2.0']);
    const { s } = schedule(port, ['0.2.0']);
    s.start();
    await vi.advanceTimersByTimeAsync(2 * MIN);
    expect(calls).toEqual(['configure', 'check']);
    expect(events).toEqual(['update-refused']);
    expect(s.state.kind).toBe('waiting');
    s.stop();
  });

  it('retries a failed look after ten minutes and does nothing while unpaired', async () => {
    const { port, calls, unpair } = scripted([new Error('ECONNREFUSED'), null]);
    const { s } = schedule(port);
    s.start();
    await vi.advanceTimersByTimeAsync(2 * MIN);
    expect(events).toEqual(['update-check-failed']);
    await vi.advanceTimersByTimeAsync(10 * MIN);
    expect(calls).toEqual(['configure', 'check', 'configure', 'check']);
    unpair();
    await vi.advanceTimersByTimeAsync(60 * MIN);
    expect(calls.slice(4)).toEqual(['configure']);
    expect(events.at(-1)).toBe('update-not-paired');
    s.stop();
    await vi.advanceTimersByTimeAsync(600 * MIN);
    expect(calls).toHaveLength(5);
  });

  it('spreads the terminals’ looks over a tenth of the period', async () => {
    const early = scripted([null]);
    const a = new UpdateSchedule({
      updater: early.port,
      timers: realTimers,
      idle: () => true,
      refused: () => false,
      spread: 0,
      firstCheckMs: 0,
    });
    a.start();
    await vi.advanceTimersByTimeAsync(0);
    await vi.advanceTimersByTimeAsync(57 * MIN);
    expect(early.calls.filter((c) => c === 'check')).toHaveLength(2);
    a.stop();
  });
});

describe('the update feed', () => {
  it('is the paired hub’s /api/v1/updates/, one range per request, the token only in a header', () => {
    expect(updateFeedUrl('http://192.168.10.2:8800')).toBe('http://192.168.10.2:8800/api/v1/updates/');
    expect(updateFeedUrl('http://hub.local:8800/')).toBe('http://hub.local:8800/api/v1/updates/');
    expect(updateFeed('http://10.0.0.2:8800')).toEqual({
      provider: 'generic',
      url: 'http://10.0.0.2:8800/api/v1/updates/',
      useMultipleRangeRequest: false,
    });
    expect(() => updateFeedUrl('file:///etc')).toThrow();
    expect(authorizationHeader('gtt_abc')).toEqual({ authorization: 'Bearer gtt_abc' });
  });

  it('never logs the token, whatever the updater writes', () => {
    const token = 'gtt_0123456789abcdef';
    expect(redact(`GET x failed, headers {"authorization":"Bearer ${token}"}`, [token])).not.toContain(token);
    expect(redact('Bearer somethingelse123', [])).toBe('Bearer ***');
    const lines: unknown[] = [];
    const logger = redactingLogger(
      (_e, d) => lines.push(d),
      () => [token],
    );
    logger.error(new Error(`401 for ${token}`));
    logger.info(`Checking ${token}`);
    expect(JSON.stringify(lines)).not.toContain(token);
  });
});
