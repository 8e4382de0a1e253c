/**
 * `govhall sim keypad|ledstrip` as a technician runs them: a child process that makes its own socat
 * pty pair (--create-pty), prints the device end, and talks real tty I/O with our drivers.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { KeypadPoller, type KeypadPress } from '../../drivers/keypad/keypad-poller.js';
import { CALLER_CODES } from '../../drivers/keypad/rs485-keypad.js';
import { Led69Controller } from '../../drivers/ledstrip/led-controller.js';
import type { ByteLink } from '../../drivers/transport/byte-link.js';
import { openSerialLink } from '../../drivers/transport/serial-link.js';

const children: ChildProcess[] = [];
const links: ByteLink[] = [];
afterEach(async () => {
  for (const l of links.splice(0)) await l.close().catch(() => {});
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGTERM');
});

function runSim(family: 'keypad' | 'ledstrip', args: string[]) {
  const child = spawn(process.execPath, ['bin/govhall.mjs', 'sim', family, ...args], {
    cwd: process.cwd(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  const lines: string[] = [];
  const waiters: (() => void)[] = [];
  createInterface({ input: child.stdout! }).on('line', (l) => {
    lines.push(l);
    for (const w of waiters.splice(0)) w();
  });
  let err = '';
  child.stderr!.on('data', (d) => {
    err += d;
  });
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  const line = (re: RegExp, ms = 15_000) =>
    new Promise<string>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no line ${re} in ${ms} ms: ${lines.join('\n')} ${err}`)), ms);
      const check = () => {
        const hit = lines.find((l) => re.test(l));
        if (hit) {
          clearTimeout(t);
          resolve(hit);
        } else waiters.push(check);
      };
      check();
    });
  return { child, line, exited };
}

describe('device simulators on socat ptys', () => {
  it('sim ledstrip decodes what our controller writes', async () => {
    const sim = runSim('ledstrip', ['--create-pty', '--frames', '1', '--json']);
    const path = /device port: (\S+)/.exec(await sim.line(/device port/))![1]!;
    const link = await openSerialLink({ path, baudRate: 9600 });
    links.push(link);
    const led = new Led69Controller(link, { address: 1 });
    await led.showText('请A012号到3号窗口');
    const frame = JSON.parse(await sim.line(/^\{/));
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
    const path = /device port: (\S+)/.exec(await sim.line(/device port/))![1]!;
    const link = await openSerialLink({ path, baudRate: 9600 });
    links.push(link);
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
