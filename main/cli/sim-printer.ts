/**
 * `govhall sim printer`: an ESC/POS ticket printer on a serial port, a socat pty pair or a TCP port
 * (like a network printer's 9100). Answers `DLE EOT` from its state and prints every ticket it
 * receives in readable form (text, QR payloads, barcodes, images, cuts). Lines on stdin change the
 * state while it runs.
 */
import { createInterface } from 'node:readline';
import {
  type PrinterSimState,
  PrinterSimulator,
  renderTicket,
  startTcpPrinterSimulator,
} from '../../drivers/printer/printer-simulator.js';
import { intFlag } from './args.js';
import { CliError } from './cli-error.js';
import { openSimPortFrom, parseSimFlags, untilSignal } from './sim-port.js';

const USAGE = `用法 / usage: govhall sim printer (--port PATH | --create-pty | --tcp PORT [--host H]) [--baud N]
                            [--paper-out] [--near-end] [--cover-open] [--offline] [--silent] [--reply-delay MS]
                            [--width 58|80]
  模拟 ESC/POS 小票打印机：应答 DLE EOT 状态查询，解码并打印收到的每张票
  simulates an ESC/POS ticket printer: answers DLE EOT, decodes and prints each ticket received
  --port PATH     串口（或虚拟串口）的模拟器一端 / the simulator's end of a serial port
  --create-pty    用 socat 创建虚拟串口对，打印打印机端口路径 / make a socat pty pair, print the printer's path
  --tcp PORT      在 TCP 端口上监听（0 为任意空闲端口）/ listen on a TCP port like a network printer
  --host H        TCP 监听地址（默认 127.0.0.1）/ listen address
  --baud N        波特率（默认 9600）/ baud rate
  --paper-out     缺纸 / no paper        --near-end   纸将尽 / paper near end
  --cover-open    纸仓盖打开 / cover open  --offline    脱机 / offline
  --silent        不应答任何查询（模拟断电或波特率不对）/ answer nothing
  --reply-delay MS 每个状态应答推迟 MS 毫秒（模拟迟到的应答）/ answer every status query MS late
  --width 58|80   显示时的纸宽（默认 80）/ paper width for the readable output
  运行中在标准输入键入 / type on stdin: paper-out | near-end | cover-open | offline | silent | ok | status | quit`;

type OnOffState = Exclude<keyof PrinterSimState, 'replyDelayMs'>;

const STATE_FLAGS: Record<string, OnOffState> = {
  'paper-out': 'paperOut',
  'near-end': 'paperNearEnd',
  'cover-open': 'coverOpen',
  offline: 'offline',
  silent: 'silent',
};

export async function runPrinterSimulator(args: string[]): Promise<number> {
  const values = parseSimFlags(
    args,
    {
      tcp: { type: 'string' },
      host: { type: 'string' },
      'paper-out': { type: 'boolean' },
      'near-end': { type: 'boolean' },
      'cover-open': { type: 'boolean' },
      offline: { type: 'boolean' },
      silent: { type: 'boolean' },
      'reply-delay': { type: 'string' },
      width: { type: 'string' },
    },
    USAGE,
  );
  const modes = [values.port !== undefined, values['create-pty'] === true, values.tcp !== undefined].filter(Boolean);
  if (modes.length !== 1) throw new CliError(`需要 --port、--create-pty、--tcp 三者之一\n\n${USAGE}`);
  if (values.host !== undefined && values.tcp === undefined) throw new CliError(`--host 只用于 --tcp\n\n${USAGE}`);
  if (values.width !== undefined && values.width !== '58' && values.width !== '80')
    throw new CliError(`选项 --width 应为 58 或 80，收到「${values.width}」`);
  const columns = values.width === '58' ? 32 : 48;
  const state: Partial<PrinterSimState> = {};
  for (const [flag, key] of Object.entries(STATE_FLAGS)) if (values[flag as keyof typeof values]) state[key] = true;
  const delay = intFlag(values['reply-delay'], 'reply-delay', 0, 60_000);
  if (delay) state.replyDelayMs = delay;
  const out = process.stdout;

  let sim: PrinterSimulator;
  let close: () => Promise<void>;
  if (values.tcp !== undefined) {
    const port = intFlag(values.tcp, 'tcp', 0, 65535)!;
    const host = values.host ?? '127.0.0.1';
    try {
      const server = await startTcpPrinterSimulator({ port, host, state });
      sim = server.sim;
      close = server.close;
      out.write(`打印机模拟器 / printer simulator: tcp ${server.host}:${server.port}\n`);
    } catch (e) {
      const code = (e as { code?: string }).code;
      if (code === 'EADDRINUSE') throw new CliError(`端口 ${port} 已被占用：请换一个端口，或关闭占用它的程序`, 1);
      if (code === 'EACCES')
        throw new CliError(`没有权限监听端口 ${port}：请改用 1024 以上的端口（1024 以下需要管理员权限）`, 1);
      throw new CliError(`模拟器启动失败：${(e as Error).message}。请检查参数（govhall sim printer --help）后重试`, 1);
    }
  } else {
    const port = await openSimPortFrom(values, USAGE, 9600);
    sim = new PrinterSimulator(port.link, state);
    close = async () => {
      sim.close();
      await port.close();
    };
    out.write(`打印机模拟器 / printer simulator: 打印机端口 / printer port ${port.devicePath}\n`);
  }
  const describe = () => {
    const s = sim.state;
    const on = Object.entries(STATE_FLAGS)
      .filter(([, k]) => s[k])
      .map(([f]) => f);
    return on.length ? on.join(', ') : 'ok';
  };
  out.write(`状态 / state: ${describe()}\n`);
  sim.onTicket((t) => {
    out.write(`==== 第 ${sim.tickets.length} 张票 / ticket ${sim.tickets.length} ====\n${renderTicket(t, columns)}\n`);
  });

  const done = untilSignal();
  const rl = createInterface({ input: process.stdin });
  const quit = new Promise<void>((resolve) => {
    rl.on('line', (line) => {
      const cmd = line.trim();
      if (!cmd) return;
      if (cmd === 'quit' || cmd === 'exit') return resolve();
      if (cmd === 'ok')
        sim.set({ paperOut: false, paperNearEnd: false, coverOpen: false, offline: false, silent: false });
      else if (STATE_FLAGS[cmd]) sim.set({ [STATE_FLAGS[cmd]]: true });
      else if (cmd !== 'status') {
        process.stderr.write(
          `未知指令「${cmd}」：paper-out | near-end | cover-open | offline | silent | ok | status | quit\n`,
        );
        return;
      }
      out.write(`状态 / state: ${describe()}\n`);
    });
  });
  try {
    await Promise.race([done, quit]);
  } finally {
    rl.close();
    await close();
  }
  return 0;
}

export default runPrinterSimulator;
