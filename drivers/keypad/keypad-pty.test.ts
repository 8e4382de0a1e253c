/**
 * The RS-485 keypad poller against the keypad simulator on the far end of a socat pty pair (real
 * kernel tty I/O at 9600 baud), with each fault the simulator has: a dead keypad (no reply at all)
 * and one that is silent when idle. Only the wire is tested here, with a reply timeout no loaded
 * machine comes near; the timeout, the cycle and "offline after N misses" are tested to the
 * millisecond with fake timers in keypad-poller.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { cleanupAfterEach } from '../testing/cleanups.js';
import { serialPty } from '../testing/pty-pair.js';
import { waitFor } from '../testing/wait-for.js';
import { type KeypadHealth, KeypadPoller, type KeypadPress } from './keypad-poller.js';
import { KeypadSimulator, type KeypadSimulatorOptions } from './keypad-simulator.js';
import { CALLER_CODES } from './rs485-keypad.js';

const CODES = [...Object.values(CALLER_CODES), 1, 2, 3, 4, 5];

const cleanups = cleanupAfterEach();

async function rig(sim: KeypadSimulatorOptions, poll: { addresses: number[]; silentWhenIdle?: boolean }) {
  const { device, host } = await serialPty(cleanups, { baudRate: 9600 });
  const simulator = new KeypadSimulator(device, sim);
  cleanups.push(async () => simulator.close());
  // A reply takes about 2 ms at 9600 baud; one that is not there after a second is not coming.
  const poller = new KeypadPoller(host, { ...poll, codes: CODES, replyTimeoutMs: 1000, cycleMs: 20, offlineAfter: 2 });
  cleanups.push(() => poller.stop());
  const presses: KeypadPress[] = [];
  const health: KeypadHealth[] = [];
  poller.onPress((p) => presses.push(p));
  poller.onHealth((h) => health.push(h));
  poller.start();
  return { simulator, presses, health };
}

describe('keypad poller over a real tty', () => {
  it('delivers presses once per address; a dead address is reported offline', async () => {
    const { simulator, presses, health } = await rig({ addresses: [1, 2] }, { addresses: [1, 2, 3] });
    simulator.press(1, CALLER_CODES.call);
    simulator.press(2, 0x05);
    await waitFor(
      'both presses and address 3 offline',
      () => presses.length === 2 && health.some((h) => h.address === 3 && !h.online),
    );
    expect(presses).toEqual([
      { address: 1, code: 0xcc },
      { address: 2, code: 0x05 },
    ]);
    expect(health).toContainEqual({ address: 1, online: true, detail: null });
    expect(health.filter((h) => h.address === 1 || h.address === 2).every((h) => h.online)).toBe(true);
  });

  it('a keypad that never answers goes offline', async () => {
    const { health } = await rig({ addresses: [4], silent: true }, { addresses: [4] });
    await waitFor('a health report', () => health.length > 0);
    expect(health[0]).toMatchObject({ address: 4, online: false });
  });

  it('a silent-when-idle keypad is not offline for being quiet, and its press arrives', async () => {
    const { simulator, presses, health } = await rig(
      { addresses: [5], silentWhenIdle: true },
      { addresses: [5], silentWhenIdle: true },
    );
    await waitFor('three unanswered polls', () => simulator.polls.length >= 3);
    expect(health).toEqual([]);
    simulator.press(5, CALLER_CODES.pause);
    await waitFor('the press', () => presses.length === 1);
    expect(presses[0]).toEqual({ address: 5, code: CALLER_CODES.pause });
    expect(health).toEqual([{ address: 5, online: true, detail: null }]);
  });
});
