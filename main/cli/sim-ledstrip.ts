/** `govhall sim ledstrip`: a window LED strip that prints every frame it decodes. */
import { LedStripSimulator } from '../../drivers/ledstrip/led-simulator.js';
import { intFlag } from './args.js';
import { openSimPortFrom, parseSimFlags, untilSignal } from './sim-port.js';

const USAGE = `用法 / usage: govhall sim ledstrip (--port PATH | --create-pty) [--address N] [--baud N] [--json] [--frames N]
  模拟 69 字节协议的窗口 LED 屏，打印解码出的每一帧 / a window LED strip that prints each decoded frame
  --port PATH    串口（或虚拟串口）的模拟器一端 / the simulator's end of a port
  --create-pty   用 socat 创建虚拟串口对，打印设备端路径 / make a socat pty pair and print the device path
  --address N    只显示发给该屏地址的帧 / only frames for this screen address
  --baud N       波特率（默认 9600）
  --json         每帧一行 JSON / one JSON line per frame
  --frames N     收到 N 帧后退出 / exit after N frames`;

export async function simLedstrip(args: string[]): Promise<number> {
  const values = parseSimFlags(
    args,
    { address: { type: 'string' }, json: { type: 'boolean' }, frames: { type: 'string' } },
    USAGE,
  );
  const address = intFlag(values.address, 'address', 0, 255);
  const limit = intFlag(values.frames, 'frames', 1, 1_000_000);
  const port = await openSimPortFrom(values, USAGE, 9600);
  const sim = new LedStripSimulator(port.link, address !== undefined ? { address } : {});
  const out = process.stdout;
  out.write(`窗口屏模拟器 / LED strip simulator，设备端口 / device port: ${port.devicePath}\n`);
  let n = 0;
  const done = new Promise<void>((resolve) => {
    sim.onFrame((f) => {
      n++;
      if (values.json) out.write(`${JSON.stringify(f)}\n`);
      else
        out.write(
          `[屏 ${f.address}] ${f.type === 'temporary' ? '临时(RAM)' : f.type === 'show' ? '显示' : f.type === 'download' ? '下载(Flash)' : f.type} 「${f.text}」 ${f.charCount} 字 特效 ${f.inEffect.mode}/${f.inEffect.speed}\n`,
        );
      if (limit !== undefined && n >= limit) resolve();
    });
  });
  try {
    await Promise.race([done, untilSignal()]);
  } finally {
    sim.close();
    await port.close();
  }
  return 0;
}

export default simLedstrip;
