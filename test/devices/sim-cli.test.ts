/**
 * `govhall sim keypad|ledstrip` as a technician runs them: a child process that makes its own socat
 * pty pair (--create-pty), prints the device end, and talks real tty I/O with our drivers.
 */
import { describe, expect, it } from 'vitest';
import { KeypadPoller, type KeypadPress } from '../../drivers/keypad/keypad-poller.js';
import { CALLER_CODES } from '../../drivers/keypad/rs485-keypad.js';
import { Led69Controller } from '../../drivers/ledstrip/led-controller.js';
import { cleanupAfterEach } from '../../drivers/testing/cleanups.js';
import { openSerialLink } from '../../drivers/transport/serial-link.js';
import { startGovhall } from '../support/govhall-cli.js';

const cleanups = cleanupAfterEach();
const runSim = (family: 'keypad' | 'ledstrip', args: string[]) => startGovhall(cleanups, ['sim', family, ...args]);

describe('device simulators on socat ptys', () => {
  it('sim ledstrip decodes what our controller writes', async () => {
    const sim = runSim('ledstrip', ['--create-pty', '--frames', '1', '--json']);
    const path = (await sim.said(/device port: (\S+)/))[1]!;
    const link = await openSerialLink({ path, baudRate: 9600 });
    cleanups.push(() => link.close());
    const led = new Led69Controller(link, { address: 1 });
    await led.showText('请A012号到3号窗口');
    const frame = JSON.parse((await sim.said(/^(\{.*)\n/m))[1]!);
    expect(frame).toMatchObject({ address: 1, type: 'temporary', text: '请A012号到3号窗口' });
    expect(await sim.exited).toBe(0);
  });

  it('sim keypad answers our poller with the pressed keys', async () => {
    const sim = runSim('keypad', [
      '--create-pty',
      '--address',
      '1,2',
      '--press',
      'call,2:very_satisfied',
      '--exit-after-press',
    ]);
    const path = (await sim.said(/device port: (\S+)/))[1]!;
    const link = await openSerialLink({ path, baudRate: 9600 });
    cleanups.push(() => link.close());
    const poller = new KeypadPoller(link, {
      addresses: [1, 2],
      codes: [...Object.values(CALLER_CODES), 1, 2, 3, 4, 5],
    });
    const presses: KeypadPress[] = [];
    poller.onPress((p) => presses.push(p));
    poller.start();
    try {
      expect(await sim.exited).toBe(0);
    } finally {
      await poller.stop();
    }
    expect(presses).toEqual([
      { address: 1, code: 0xcc },
      { address: 2, code: 0x01 },
    ]);
  });

  it('refuses an unknown key with exit code 2', async () => {
    const sim = runSim('keypad', ['--create-pty', '--press', 'explode']);
    expect(await sim.exited).toBe(2);
  });
});
