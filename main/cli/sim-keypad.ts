/**
 * `govhall sim keypad`: window callers and evaluation keypads on an RS-485 bus (a serial port or a
 * socat pty pair). Answers the host's polls; each `--press` (and each line typed on stdin) queues
 * a key press that goes out with the next poll of its address.
 */
import { createInterface } from 'node:readline';
import { KeypadSimulator } from '../../drivers/keypad/keypad-simulator.js';
import { CALLER_CODES, DEFAULT_LEVEL_CODES, parseCode } from '../../drivers/keypad/rs485-keypad.js';
import { intFlag } from './args.js';
import { CliError } from './cli-error.js';
import { openSimPortFrom, parseSimFlags, untilSignal } from './sim-port.js';

const USAGE = `用法 / usage: govhall sim keypad (--port PATH | --create-pty) [--address N[,N…]] [--press KEY[,KEY…]]
                           [--baud N] [--silent-when-idle] [--exit-after-press]
  模拟 RS-485 呼叫器/评价键盘：应答主机轮询，按下的键随下一次轮询发出
  simulates RS-485 keypads: answers the host's polls; presses go out with the next poll
  --port PATH         串口（或虚拟串口）的模拟器一端 / the simulator's end of a port
  --create-pty        用 socat 创建虚拟串口对，打印设备端路径 / make a socat pty pair, print the device path
  --address N         键盘地址 1–254，可用逗号列多个（默认 1）/ keypad address(es)
  --press KEY         call recall login pause query transfer（呼叫器），very_satisfied … very_dissatisfied
                      或 1–5（评价键盘），或两位十六进制代码如 CC；逗号分隔；可写 2:call 指定地址
  --baud N            波特率（默认 9600）
  --silent-when-idle  没有按键时不应答 / answer only when a key is queued
  --exit-after-press  所有按键发出后退出 / exit once every press went out
  运行中在标准输入键入按键名（如 call 或 2:satisfied）也会按下 / type key names on stdin to press`;

const LEVEL_KEYS: Record<string, number> = {
  ...DEFAULT_LEVEL_CODES,
  '1': DEFAULT_LEVEL_CODES.very_satisfied,
  '2': DEFAULT_LEVEL_CODES.satisfied,
  '3': DEFAULT_LEVEL_CODES.basically_satisfied,
  '4': DEFAULT_LEVEL_CODES.dissatisfied,
  '5': DEFAULT_LEVEL_CODES.very_dissatisfied,
};

/** `call`, `2:satisfied`, `CC` → [address, code]. */
export function parsePress(spec: string, defaultAddress: number): [number, number] {
  const m = /^(?:(\d{1,3}):)?(.+)$/.exec(spec.trim());
  if (!m) throw new CliError(`无法识别的按键「${spec}」\n\n${USAGE}`, 2);
  const address = m[1] ? Number(m[1]) : defaultAddress;
  const key = m[2]!.toLowerCase();
  const code =
    (CALLER_CODES as Record<string, number>)[key] ??
    LEVEL_KEYS[key] ??
    (/^(0x)?[0-9a-f]{2}$/.test(key) ? parseCode(key) : null);
  if (code === null || code === undefined) throw new CliError(`无法识别的按键「${m[2]}」\n\n${USAGE}`, 2);
  return [address, code];
}

export async function simKeypad(args: string[]): Promise<number> {
  const values = parseSimFlags(
    args,
    {
      address: { type: 'string' },
      press: { type: 'string' },
      'silent-when-idle': { type: 'boolean' },
      'exit-after-press': { type: 'boolean' },
    },
    USAGE,
  );
  const addresses = (values.address ?? '1').split(',').map((a) => intFlag(a.trim(), 'address', 1, 254)!);
  const presses = (values.press ?? '')
    .split(',')
    .filter((s) => s.trim())
    .map((p) => parsePress(p, addresses[0]!));
  for (const [a] of presses) if (!addresses.includes(a)) throw new CliError(`按键的地址 ${a} 不在 --address 中`, 2);
  const port = await openSimPortFrom(values, USAGE, 9600);
  const sim = new KeypadSimulator(port.link, { addresses, silentWhenIdle: values['silent-when-idle'] === true });
  const out = process.stdout;
  out.write(`键盘模拟器 / keypad simulator: 地址 ${addresses.join(',')}，设备端口 / device port: ${port.devicePath}\n`);
  let pending = presses.length;
  const allSent = new Promise<void>((resolve) => {
    if (pending === 0) resolve();
    sim.onSent((a, c) => {
      out.write(`已发送 / sent: 地址 ${a} 代码 ${c.toString(16).toUpperCase().padStart(2, '0')}\n`);
      if (--pending <= 0) resolve();
    });
  });
  for (const [a, c] of presses) sim.press(a, c);
  const rl = process.stdin.isTTY || !values['exit-after-press'] ? createInterface({ input: process.stdin }) : null;
  rl?.on('line', (line) => {
    if (!line.trim()) return;
    try {
      const [a, c] = parsePress(line, addresses[0]!);
      if (!addresses.includes(a)) throw new CliError(`地址 ${a} 不在 --address 中`, 2);
      pending++;
      sim.press(a, c);
    } catch (e) {
      process.stderr.write(`${(e as Error).message.split('\n')[0]}\n`);
    }
  });
  try {
    if (values['exit-after-press']) {
      await Promise.race([allSent, untilSignal()]);
      // "Sent" means written to our end; let the host poll once more round (so it has read the last
      // reply) before the port — and with --create-pty the whole pty pair — goes away. At most 1 s.
      const seen = sim.polls.length;
      const end = Date.now() + 1000;
      while (sim.polls.length <= seen + addresses.length && Date.now() < end)
        await new Promise((r) => setTimeout(r, 10));
    } else await untilSignal();
  } finally {
    rl?.close();
    sim.close();
    await port.close();
  }
  return 0;
}

export default simKeypad;
