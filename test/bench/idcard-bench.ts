/**
 * ID card benchmark: a card presented → decoded, over a socat pty pair with the simulator pacing its
 * replies (and the host its commands) like a real 115200-baud UART (10 bits per byte), as a ratio to the wire time of every
 * byte exchanged (commands and replies). Goal ≤ 1.2×. Also reports the same read unpaced (what the
 * host side costs over a real tty) for reference.
 */
import { readFileSync } from 'node:fs';
import { validateCardJson } from '../../drivers/idcard/card-json.js';
import { CardReaderSimulator } from '../../drivers/idcard/card-reader-simulator.js';
import { SamReader } from '../../drivers/idcard/sam-reader.js';
import { pacedLink, wireTimeMs } from '../../drivers/transport/paced-link.js';
import { openSerialLink } from '../../drivers/transport/serial-link.js';
import { createPtyPair } from '../../drivers/transport/socat-pty.js';
import type { BenchRow } from './ui-bench.js';

const BAUD = 115200;
const CARD = validateCardJson(
  JSON.parse(readFileSync(new URL('../../drivers/idcard/sample-cards/resident.json', import.meta.url), 'utf8')),
);

async function measure(paced: boolean, runs: number): Promise<{ median: number; wire: number; bytes: number }> {
  const pair = await createPtyPair();
  const device = await openSerialLink({ path: pair.devicePath, baudRate: BAUD });
  const host = await openSerialLink({ path: pair.hostPath, baudRate: BAUD });
  const sim = new CardReaderSimulator(device, paced ? { baudRate: BAUD } : {});
  // Both directions paced: the host's commands take their wire time too, as on a real line.
  const reader = new SamReader(paced ? pacedLink(host, { baudRate: BAUD }) : host, { timeoutMs: 2000 });
  try {
    const times: number[] = [];
    let bytes = 0;
    for (let i = 0; i < runs + 2; i++) {
      sim.lift();
      sim.presentCard(CARD);
      sim.traffic.in = 0;
      sim.traffic.out = 0;
      const t0 = performance.now();
      const read = await reader.readCard();
      const t = performance.now() - t0;
      if (read?.text.idNumber !== CARD.idNumber) throw new Error('benchmark read the wrong card');
      if (i < 2) continue; // warm-up
      times.push(t);
      bytes = sim.traffic.in + sim.traffic.out;
    }
    times.sort((a, b) => a - b);
    return { median: times[Math.floor(times.length / 2)] ?? 0, wire: wireTimeMs(bytes, BAUD), bytes };
  } finally {
    reader.close();
    sim.close();
    await host.close();
    await device.close();
    await pair.close();
  }
}

export async function idcardBenchmarks(opts: { quick: boolean; progress: (m: string) => void }): Promise<BenchRow[]> {
  const runs = opts.quick ? 10 : 40;
  opts.progress(`身份证读卡 ${BAUD} 波特，真实限速，${runs} 次`);
  const paced = await measure(true, runs);
  const raw = await measure(false, runs);
  const ratio = paced.median / paced.wire;
  return [
    {
      name: `读卡 放卡→解码（${BAUD} 波特限速）`,
      value: `${paced.median.toFixed(1)} ms（中位数）`,
      baseline: `线路时间 ${paced.wire.toFixed(1)} ms（${paced.bytes} 字节×10 位）`,
      ratio: `${ratio.toFixed(2)}×`,
      goal: '≤ 1.2×',
      pass: ratio <= 1.2,
    },
    {
      name: '读卡 放卡→解码（pty 不限速）',
      value: `${raw.median.toFixed(2)} ms（中位数）`,
      baseline: `线路时间 ${raw.wire.toFixed(1)} ms`,
      ratio: `${(raw.median / raw.wire).toFixed(2)}×`,
      goal: '仅记录',
      pass: null,
    },
  ];
}

// Run alone: node --import tsx test/bench/idcard-bench.ts
if (import.meta.url === `file://${process.argv[1]}`) {
  const rows = await idcardBenchmarks({ quick: process.argv.includes('--quick'), progress: (m) => console.error(m) });
  for (const r of rows) console.log(`${r.name}: ${r.value} / ${r.baseline} = ${r.ratio} (goal ${r.goal})`);
}
