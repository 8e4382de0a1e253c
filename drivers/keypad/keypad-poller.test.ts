/**
 * The RS-485 keypad poller against the keypad simulator over an in-memory link, on fake timers: a
 * reply travels by microtask, so time moves only when the test moves it, and the reply timeout,
 * the cycle and "offline after N misses" are checked to the millisecond.
 * The same poller over a real tty: keypad-pty.test.ts.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type ByteLink, createLinkPair } from '../transport/byte-link.js';
import { type KeypadHealth, KeypadPoller, type KeypadPollerOptions, type KeypadPress } from './keypad-poller.js';
import { KeypadSimulator, type KeypadSimulatorOptions } from './keypad-simulator.js';
import { CALLER_CODES } from './rs485-keypad.js';

const CODES = [...Object.values(CALLER_CODES), 1, 2, 3, 4, 5];
const TIMING = { replyTimeoutMs: 60, cycleMs: 200, offlineAfter: 3 };

beforeEach(() => {
  vi.useFakeTimers();
});
const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const s of stops.splice(0)) await s();
  vi.useRealTimers();
});

function poll(link: ByteLink, opts: Omit<KeypadPollerOptions, 'codes'>) {
  const poller = new KeypadPoller(link, { ...TIMING, codes: CODES, ...opts });
  const presses: KeypadPress[] = [];
  const health: KeypadHealth[] = [];
  poller.onPress((p) => presses.push(p));
  poller.onHealth((h) => health.push(h));
  poller.start();
  stops.push(() => poller.stop());
  return { poller, presses, health };
}

function rig(sim: KeypadSimulatorOptions, opts: Omit<KeypadPollerOptions, 'codes'>) {
  const [host, bus] = createLinkPair();
  const simulator = new KeypadSimulator(bus, sim);
  stops.push(async () => simulator.close());
  return { sim: simulator, ...poll(host, opts) };
}

describe('keypad poller timing', () => {
  it('polls round robin, delivers each press once, and reports a dead address after three missed replies', async () => {
    const { sim, presses, health } = rig({ addresses: [1, 2] }, { addresses: [1, 2, 3] });
    sim.press(1, CALLER_CODES.call);
    sim.press(2, 0x03);
    sim.press(1, CALLER_CODES.recall);
    await vi.advanceTimersByTimeAsync(0);
    // Addresses 1 and 2 answer at once; 3 is waited for, 60 ms a cycle, cycles 200 ms apart.
    expect(presses).toEqual([
      { address: 1, code: 0xcc },
      { address: 2, code: 0x03 },
    ]);
    expect(health).toEqual([
      { address: 1, online: true, detail: null },
      { address: 2, online: true, detail: null },
    ]);
    await vi.advanceTimersByTimeAsync(200);
    expect(presses.at(-1)).toEqual({ address: 1, code: 0x33 });
    // Misses at 60, 260 and 460 ms: offline at the third, not a millisecond before.
    await vi.advanceTimersByTimeAsync(259);
    expect(health.some((h) => h.address === 3)).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(health.at(-1)).toEqual({ address: 3, online: false, detail: '没有应答（连续 3 次）' });
    expect(presses).toHaveLength(3);
    expect(sim.polls.slice(0, 6)).toEqual([1, 2, 1, 2, 1, 2]);
  });

  it('starts the next cycle at once when waiting for replies took longer than a cycle', async () => {
    // Four silent keypads × 60 ms = 240 ms > the 200 ms cycle.
    const { sim } = rig({ addresses: [1, 2, 3, 4], silent: true }, { addresses: [1, 2, 3, 4] });
    await vi.advanceTimersByTimeAsync(180);
    expect(sim.polls).toEqual([1, 2, 3, 4]);
    await vi.advanceTimersByTimeAsync(60);
    expect(sim.polls).toHaveLength(4);
    await vi.advanceTimersByTimeAsync(1);
    expect(sim.polls).toEqual([1, 2, 3, 4, 1]);
  });

  it('a keypad that answers again is online again at its next poll', async () => {
    const [host, bus] = createLinkPair();
    const dead = new KeypadSimulator(bus, { addresses: [7], silent: true });
    const { health } = poll(host, { addresses: [7], offlineAfter: 2 });
    await vi.advanceTimersByTimeAsync(260);
    expect(health).toEqual([{ address: 7, online: false, detail: '没有应答（连续 2 次）' }]);
    // Powered up again: the same address on the same bus answers.
    dead.close();
    const alive = new KeypadSimulator(bus, { addresses: [7] });
    stops.push(async () => alive.close());
    await vi.advanceTimersByTimeAsync(139);
    expect(health).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(health.at(-1)).toEqual({ address: 7, online: true, detail: null });
  });

  it('a failing write is a miss at once, without waiting for the reply timeout; a throwing listener harms nothing', async () => {
    const link: ByteLink = {
      write: async () => {
        throw new Error('端口已断开');
      },
      onData: () => () => {},
      close: async () => {},
    };
    const poller = new KeypadPoller(link, { ...TIMING, addresses: [5], codes: CODES, offlineAfter: 1 });
    stops.push(() => poller.stop());
    poller.onHealth(() => {
      throw new Error('listener bug');
    });
    const health: KeypadHealth[] = [];
    poller.onHealth((h) => health.push(h));
    poller.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(health).toEqual([{ address: 5, online: false, detail: '串口写入失败：端口已断开（连续 1 次）' }]);
    expect(poller.counters.writeErrors).toBe(1);
  });

  it('a silent-when-idle keypad is never offline for being quiet, and its press arrives at the next poll', async () => {
    const { sim, presses, health } = rig(
      { addresses: [4], silentWhenIdle: true },
      { addresses: [4], silentWhenIdle: true, offlineAfter: 1 },
    );
    await vi.advanceTimersByTimeAsync(1900);
    expect(sim.polls).toHaveLength(10);
    expect(health).toEqual([]);
    sim.press(4, 0xaa);
    await vi.advanceTimersByTimeAsync(99);
    expect(presses).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(presses).toEqual([{ address: 4, code: 0xaa }]);
    expect(health).toEqual([{ address: 4, online: true, detail: null }]);
  });

  it('stop ends the loop and leaves no timer behind', async () => {
    const { sim, poller } = rig({ addresses: [1] }, { addresses: [1, 2] });
    await vi.advanceTimersByTimeAsync(30);
    await poller.stop();
    const polled = sim.polls.length;
    await vi.advanceTimersByTimeAsync(5000);
    expect(sim.polls).toHaveLength(polled);
    expect(vi.getTimerCount()).toBe(0);
  });
});
