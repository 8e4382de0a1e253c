/**
 * Unplug and replug: a window caller on a real (socat) serial port; the simulator's port is closed
 * and recreated while the device service runs. The keypad goes offline, comes back online by
 * itself, and its next key press arrives — nothing restarted.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { KeypadSimulator } from '../../drivers/keypad/keypad-simulator.js';
import { createReconnectingLink } from '../../drivers/transport/reconnecting-link.js';
import { openSerialLink } from '../../drivers/transport/serial-link.js';
import { DeviceService } from '../../main/devices/device-service.js';
import { createLinkOpener } from '../../main/devices/open-link.js';
import type { DeviceStatus, KeyActionEvent } from '../../main/devices/types.js';
import { createPtyPair, type PtyPair } from '../support/socat.js';
import { waitUntil } from '../support/until.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => {});
});

describe('unplug and replug', () => {
  it('a serial keypad goes offline when its port vanishes and comes back when it returns', async () => {
    const pair: PtyPair = await createPtyPair();
    cleanups.push(() => pair.close());
    // The simulator's side reconnects too, as a keypad powered up again would answer again.
    const simLink = createReconnectingLink({
      open: () => openSerialLink({ path: pair.devicePath, baudRate: 9600, watchIntervalMs: 50 }),
      port: pair.devicePath,
      initialDelayMs: 20,
      maxDelayMs: 100,
    });
    cleanups.push(() => simLink.close());
    const sim = new KeypadSimulator(simLink, { addresses: [3] });
    cleanups.push(async () => sim.close());

    const service = new DeviceService({
      devices: {
        terminals: [
          {
            id: 'counter-5',
            role: 'counter',
            window: 5,
            devices: [
              {
                id: 'w5-keys',
                kind: 'keypad',
                transport: { type: 'serial', path: pair.hostPath, baud: 9600 },
                address: 3,
              },
            ],
          },
        ],
      },
      openLink: createLinkOpener({ initialDelayMs: 20, maxDelayMs: 100 }),
      keypadTiming: { replyTimeoutMs: 40, cycleMs: 50, offlineAfter: 2 },
    });
    const states: DeviceStatus[] = [];
    const keys: KeyActionEvent[] = [];
    service.on('status', (s) => states.push(s));
    service.on('key', (k) => keys.push(k));
    await service.start();
    cleanups.push(() => service.stop());
    const state = () => service.statuses()[0]!.state;

    await waitUntil(() => state() === 'ok', 'online');
    sim.press(3, 0xcc);
    await waitUntil(() => keys.length === 1, 'first press');

    await pair.unplug();
    await waitUntil(() => state() === 'offline', 'offline');
    expect(service.statuses()[0]!.detail).toMatch(/端口|应答|连接/);

    await pair.replug();
    await waitUntil(() => state() === 'ok', 'back online');
    sim.press(3, 0x33);
    await waitUntil(() => keys.length === 2, 'press after replug');
    expect(keys.map((k) => [k.windowNo, k.action])).toEqual([
      [5, 'call-next'],
      [5, 'recall'],
    ]);
    const seq = states.map((s) => s.state).filter((s, i, a) => s !== a[i - 1]);
    expect(seq.slice(-3)).toEqual(['ok', 'offline', 'ok']);
  });
});
