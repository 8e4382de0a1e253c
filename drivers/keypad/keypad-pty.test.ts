/**
 * The RS-485 keypad poller against the keypad simulator on the far end of a socat pty pair (real
 * kernel tty I/O at 9600 baud), with each fault the simulator has: a dead keypad (no reply at all)
 * and one that is silent when idle.
 */
import { describe, expect, it } from 'vitest';
import { cleanupAfterEach, until } from '../testing/until.js';
import { openSerialLink } from '../transport/serial-link.js';
import { createPtyPair } from '../transport/socat-pty.js';
import { type KeypadHealth, KeypadPoller, type KeypadPress } from './keypad-poller.js';
import { KeypadSimulator, type KeypadSimulatorOptions } from './keypad-simulator.js';
import { CALLER_CODES } from './rs485-keypad.js';

const CODES = [...Object.values(CALLER_CODES), 1, 2, 3, 4, 5];

const cleanups = cleanupAfterEach();

async function rig(sim: KeypadSimulatorOptions, poll: { addresses: number[]; silentWhenIdle?: boolean }) {
  const pair = await createPtyPair();
  cleanups.push(() => pair.close());
  const device = await openSerialLink({ path: pair.devicePath, baudRate: 9600 });
  cleanups.push(() => device.close());
  const simulator = new KeypadSimulator(device, sim);
  cleanups.push(async () => simulator.close());
  const host = await openSerialLink({ path: pair.hostPath, baudRate: 9600 });
  cleanups.push(() => host.close());
  const poller = new KeypadPoller(host, { ...poll, codes: CODES, replyTimeoutMs: 40, cycleMs: 20, offlineAfter: 2 });
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
    expect(await until(() => presses.length === 2 && health.some((h) => h.address === 3 && !h.online))).toBe(true);
    expect(presses).toEqual([
      { address: 1, code: 0xcc },
      { address: 2, code: 0x05 },
    ]);
    expect(health).toContainEqual({ address: 1, online: true, detail: null });
    expect(health.filter((h) => h.address === 1 || h.address === 2).every((h) => h.online)).toBe(true);
  });

  it('a keypad that never answers goes offline', async () => {
    const { health } = await rig({ addresses: [4], silent: true }, { addresses: [4] });
    expect(await until(() => health.length > 0)).toBe(true);
    expect(health[0]).toMatchObject({ address: 4, online: false });
  });

  it('a silent-when-idle keypad is not offline for being quiet, and its press arrives', async () => {
    const { simulator, presses, health } = await rig(
      { addresses: [5], silentWhenIdle: true },
      { addresses: [5], silentWhenIdle: true },
    );
    expect(await until(() => simulator.polls.length > 5)).toBe(true);
    expect(health).toEqual([]);
    simulator.press(5, CALLER_CODES.pause);
    expect(await until(() => presses.length === 1)).toBe(true);
    expect(presses[0]).toEqual({ address: 5, code: CALLER_CODES.pause });
    expect(health).toEqual([{ address: 5, online: true, detail: null }]);
  });
});
