/**
 * `govhall sim idcard`: an ID card reader (SAM_V) on a serial port or a socat pty pair, serving a
 * card from a JSON file (the fields `govhall idcard read --json --full` prints). Lines on stdin lift
 * and present the card and switch faults while it runs.
 */
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { type CardJson, CardJsonError, validateCardJson } from '../../drivers/idcard/card-json.js';
import {
  CardReaderSimulator,
  SIMULATOR_FAULTS,
  type SimulatorFault,
} from '../../drivers/idcard/card-reader-simulator.js';
import { CliError } from './cli-error.js';
import { openSimPortFrom, parseSimFlags, untilSignal } from './sim-port.js';

const FAULTS = [...SIMULATOR_FAULTS, 'pace'] as const;

const USAGE = `用法 / usage: govhall sim idcard (--port PATH | --create-pty) [--card FILE] [--lifted]
                           [--fault ${FAULTS.join('|')}[,…]] [--baud N]
  模拟身份证读卡器（SAM_V 协议）/ simulates an ID card reader (SAM_V)
  --port PATH     串口（或虚拟串口）的模拟器一端 / the simulator's end of a port
  --create-pty    用 socat 创建虚拟串口对，打印读卡端口路径 / make a socat pty pair, print the reader's path
  --card FILE     卡片 JSON（字段同 govhall idcard read --json --full；示例见 drivers/idcard/sample-cards/）
  --lifted        启动时卡不在读卡器上 / start with the card lifted
  --fault LIST    no-reply 不应答，garbage 乱码，bad-checksum 校验和错，split 分片发送，noise 帧前噪声，
                  pace 按波特率真实限速（每字节 10 位）/ faults to inject, comma separated
  --baud N        波特率（默认 115200）/ baud rate (default 115200)
  运行中在标准输入键入 / type on stdin: present | lift | card FILE | fault LIST | fault none | quit`;

function loadCard(file: string): CardJson {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new CliError(`无法读取卡片文件 ${file}`, 1);
  }
  try {
    return validateCardJson(JSON.parse(text));
  } catch (e) {
    if (e instanceof CardJsonError) throw new CliError(`卡片文件 ${file} 有误：${e.message}`, 1);
    throw new CliError(`卡片文件 ${file} 不是合法的 JSON`, 1);
  }
}

/** The simulator's faults in a comma list (`pace` is handled apart: it is a pacing, not a fault). */
function parseFaults(spec: string): SimulatorFault[] {
  const list = spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const f of list) {
    if (!(FAULTS as readonly string[]).includes(f) && f !== 'none') {
      throw new CliError(`未知的故障「${f}」，可选：${FAULTS.join('、')}\n\n${USAGE}`, 2);
    }
  }
  return list.filter((f): f is SimulatorFault => (SIMULATOR_FAULTS as readonly string[]).includes(f));
}

export async function runIdcardSimulator(args: string[]): Promise<number> {
  const values = parseSimFlags(
    args,
    { card: { type: 'string' }, lifted: { type: 'boolean' }, fault: { type: 'string' } },
    USAGE,
  );
  const faults = parseFaults(values.fault ?? '');
  const pace = (values.fault ?? '').split(',').some((f) => f.trim() === 'pace');
  let card = values.card ? loadCard(values.card) : null;
  const port = await openSimPortFrom(values, USAGE, 115200);
  const baud = port.baud;
  const sim = new CardReaderSimulator(port.link, { faults, ...(pace ? { baudRate: baud } : {}) });
  const out = process.stdout;
  const present = () => {
    if (!card) return out.write('没有卡片，请先 card FILE / no card loaded\n');
    sim.presentCard(card);
    return out.write(`已放卡 / presented: ${card.cardType}\n`);
  };
  if (card && !values.lifted) sim.presentCard(card);
  out.write(
    `读卡器模拟器 / ID card reader simulator: ${baud} 波特，${card ? (values.lifted ? '卡已拿开' : '卡在读卡器上') : '无卡'}${
      faults.length || pace ? `，故障 ${[...faults, ...(pace ? ['pace'] : [])].join(',')}` : ''
    }\n设备端口 / device port: ${port.devicePath}\n`,
  );
  const rl = createInterface({ input: process.stdin });
  let quit: () => void = () => undefined;
  const quitting = new Promise<void>((r) => {
    quit = r;
  });
  rl.on('line', (line) => {
    const [cmd, ...rest] = line.trim().split(/\s+/);
    const arg = rest.join(' ');
    try {
      if (!cmd) return;
      if (cmd === 'present') present();
      else if (cmd === 'lift') {
        sim.lift();
        out.write('已拿开卡 / lifted\n');
      } else if (cmd === 'card') {
        card = loadCard(arg);
        present();
      } else if (cmd === 'fault') {
        const f = arg === 'none' ? [] : parseFaults(arg);
        sim.setFaults(f);
        out.write(`故障 / faults: ${f.join(',') || '无 none'}\n`);
      } else if (cmd === 'quit' || cmd === 'exit') quit();
      else out.write('可用 / commands: present | lift | card FILE | fault LIST | fault none | quit\n');
    } catch (e) {
      out.write(`${(e as Error).message.split('\n')[0]}\n`);
    }
  });
  await Promise.race([untilSignal(), quitting]);
  rl.close();
  sim.close();
  await port.close();
  return 0;
}

export default runIdcardSimulator;
