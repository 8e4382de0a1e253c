/**
 * Unplug and replug: a window caller on a real (socat) serial port; the simulator's port is closed
 * and recreated while the device service runs. The keypad goes offline, comes back online by
 * itself, and its next key press arrives — nothing restarted. Timing is generous: the poller's
 * timeouts are tested with fake timers in drivers/keypad/keypad-poller.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { KeypadSimulator } from '../../drivers/keypad/keypad-simulator.js';
import { cleanupAfterEach } from '../../drivers/testing/cleanups.js';
import { ptyPair } from '../../drivers/testing/pty-pair.js';
import { waitFor } from '../../drivers/testing/wait-for.js';
import { createReconnectingLink } from '../../drivers/transport/reconnecting-link.js';
import { openSerialLink } from '../../drivers/transport/serial-link.js';
import { createLinkOpener } from '../../main/devices/open-link.js';
import { startTerminalService } from '../support/terminal-service.js';

const cleanups = cleanupAfterEach();

describe('unplug and replug', () => {
  it('a serial keypad goes offline when its port vanishes and comes back when it returns', async () => {
    const pair = await ptyPair(cleanups);
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

    const { service, statuses, keys, state } = await startTerminalService(
      cleanups,
      {
        id: 'counter-5',
        role: 'counter',
        window: 5,
        devices: [
          { id: 'w5-keys', kind: 'keypad', transport: { type: 'serial', path: pair.hostPath, baud: 9600 }, address: 3 },
        ],
      },
      {
        openLink: createLinkOpener({ initialDelayMs: 20, maxDelayMs: 100 }),
        // A reply takes about 2 ms at 9600 baud: a second without one means the keypad is gone.
        keypadTiming: { replyTimeoutMs: 1000, cycleMs: 50, offlineAfter: 2 },
      },
    );

    await waitFor('online', () => state() === 'ok');
    sim.press(3, 0xcc);
    await waitFor('the first press', () => keys.length === 1);

    await pair.unplug();
    await waitFor('offline', () => state() === 'offline');
    expect(service.statuses()[0]!.detail).toMatch(/端口|应答|连接/);

    await pair.replug();
    await waitFor('back online', () => state() === 'ok');
    sim.press(3, 0x33);
    await waitFor('the press after replug', () => keys.length === 2);
    expect(keys.map((k) => [k.windowNo, k.action])).toEqual([
      [5, 'call-next'],
      [5, 'recall'],
    ]);
    const seq = statuses.map((s) => s.state).filter((s, i, a) => s !== a[i - 1]);
    expect(seq.slice(-3)).toEqual(['ok', 'offline', 'ok']);
  });
});
