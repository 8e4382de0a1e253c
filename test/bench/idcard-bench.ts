/**
 * ID card benchmark: a card presented → its text decoded by the kiosk's real reading loop
 * (`CardReadingLoop`: find, select, read, parse, GB 11643 check), over a socat pty pair with the
 * simulator pacing its replies and the host its commands like a 115200-baud UART (10 bits per byte).
 *
 * The baseline is measured on the same paced link in the same run: the fewest lines that send the
 * same three SAM_V commands and wait for each full reply by its length field, decoding nothing. The
 * ratio (goal ≤ 1.2×) is therefore what the reading loop adds to what the line and the pacing cost,
 * not a comparison with a formula the pacing itself sleeps by. The two take turns in rounds, so
 * load from elsewhere on the machine falls on both. The same comparison unpaced is recorded too.
 */
import { readFileSync } from 'node:fs';
import { validateCardJson } from '../../drivers/idcard/card-json.js';
import { CardReaderSimulator } from '../../drivers/idcard/card-reader-simulator.js';
import { CardReadingLoop } from '../../drivers/idcard/card-reading-loop.js';
import { encodeCommand } from '../../drivers/idcard/sam-frame.js';
import type { ByteLink } from '../../drivers/transport/byte-link.js';
import { pacedLink, wireTimeMs } from '../../drivers/transport/paced-link.js';
import { openSerialLink } from '../../drivers/transport/serial-link.js';
import { createPtyPair } from '../../drivers/transport/socat-pty.js';
import { type BenchOptions, type BenchRow, isMain, median, runAlone } from './bench-kit.js';

const BAUD = 115200;
const CARD = validateCardJson(
  JSON.parse(readFileSync(new URL('../../drivers/idcard/sample-cards/resident.json', import.meta.url), 'utf8')),
);
/** What the loop sends for a freshly presented card; both sides must send exactly this. */
const COMMANDS = ['findCard', 'selectCard', 'readTextPhoto'] as const;

/** The baseline client: send each command, wait until its reply's length field says it is all here. */
function minimalClient(link: ByteLink) {
  const frames = COMMANDS.map((c) => encodeCommand(c));
  let buf = Buffer.alloc(0);
  let replied = () => {};
  const stop = link.onData((chunk) => {
    buf = Buffer.concat([buf, chunk]);
    if (buf.length >= 7 && buf.length >= 7 + buf.readUInt16BE(5)) {
      buf = Buffer.alloc(0);
      replied();
    }
  });
  const read = async () => {
    for (const f of frames)
      await new Promise<void>((ok) => {
        replied = ok;
        void link.write(f);
      });
  };
  return { read, stop };
}

interface Samples {
  loop: number[];
  baseline: number[];
  /** Bytes both ways for one read (the same for both sides, checked). */
  bytes: number;
}

async function measure(paced: boolean, rounds: number, perRound: number): Promise<Samples> {
  const pair = await createPtyPair();
  const device = await openSerialLink({ path: pair.devicePath, baudRate: BAUD });
  const host = await openSerialLink({ path: pair.hostPath, baudRate: BAUD });
  const sim = new CardReaderSimulator(device, paced ? { baudRate: BAUD } : {});
  // Both directions paced: the host's commands take their wire time too, as on a real line.
  const link = paced ? pacedLink(host, { baudRate: BAUD }) : host;
  const out: Samples = { loop: [], baseline: [], bytes: 0 };
  /** Presents the card afresh and runs `read`; checks what went over the line. */
  const timed = async (read: () => Promise<number>): Promise<number> => {
    sim.lift();
    sim.presentCard(CARD);
    sim.received.length = 0;
    sim.traffic.in = 0;
    sim.traffic.out = 0;
    const ms = await read();
    const bytes = sim.traffic.in + sim.traffic.out;
    if (sim.received.join() !== COMMANDS.join() || (out.bytes && bytes !== out.bytes))
      throw new Error(`读卡基准的两侧交换不同：${sim.received.join()}，${bytes} 字节`);
    out.bytes = bytes;
    return ms;
  };
  try {
    for (let round = 0; round < rounds; round++) {
      const loop = new CardReadingLoop(link, { commandTimeoutMs: 2000, now: () => performance.now() });
      let readAt = 0;
      let idNumber: string | null = null;
      loop.on('card', (e) => {
        readAt = e.readAt;
        idNumber = e.text.idNumber;
      });
      sim.lift();
      await loop.tick(); // SAM status and id, and no card yet: not timed
      for (let i = 0; i < perRound + 1; i++) {
        const ms = await timed(async () => {
          readAt = 0;
          const t0 = performance.now();
          await loop.tick();
          if (!readAt || idNumber !== CARD.idNumber)
            throw new Error(`读卡循环没有读出放上的证（${JSON.stringify(loop.currentHealth)}）`);
          return readAt - t0;
        });
        if (i > 0) out.loop.push(ms); // the first read of a round warms up
      }
      await loop.stop();

      const client = minimalClient(link);
      for (let i = 0; i < perRound + 1; i++) {
        const ms = await timed(async () => {
          const t0 = performance.now();
          await client.read();
          return performance.now() - t0;
        });
        if (i > 0) out.baseline.push(ms);
      }
      client.stop();
    }
    return out;
  } finally {
    sim.close();
    await host.close();
    await device.close();
    await pair.close();
  }
}

export async function idcardBenchmarks(opts: BenchOptions): Promise<BenchRow[]> {
  const rounds = opts.quick ? 3 : 8;
  const perRound = 5;
  opts.progress(`身份证读卡 ${BAUD} 波特限速：读卡循环与最简客户端轮流，各 ${rounds * perRound} 次`);
  const paced = await measure(true, rounds, perRound);
  opts.progress(`身份证读卡 pty 不限速：各 ${rounds * perRound} 次`);
  const raw = await measure(false, rounds, perRound);
  const row = (s: Samples, digits: number, wire: boolean) => {
    const loop = median(s.loop);
    const base = median(s.baseline);
    // The formula's wire time is shown for orientation only; the ratio is to the measured client.
    const bytes = wire ? `${s.bytes} 字节，按线速计 ${wireTimeMs(s.bytes, BAUD).toFixed(1)} ms` : `${s.bytes} 字节`;
    return {
      value: `${loop.toFixed(digits)} ms（中位数，${s.loop.length} 次）`,
      baseline: `最简客户端 ${base.toFixed(digits)} ms（${bytes}）`,
      ratio: loop / base,
    };
  };
  const p = row(paced, 1, true);
  const u = row(raw, 2, false);
  return [
    {
      id: 'idcard-paced',
      name: `读卡 放卡→解码（${BAUD} 波特限速）`,
      value: p.value,
      baseline: p.baseline,
      ratio: `${p.ratio.toFixed(2)}×`,
      goal: '≤ 1.2×',
      pass: p.ratio <= 1.2,
    },
    {
      id: 'idcard-unpaced',
      name: '读卡 放卡→解码（pty 不限速）',
      value: u.value,
      baseline: u.baseline,
      ratio: `${u.ratio.toFixed(2)}×`,
      goal: '仅记录',
      pass: null,
    },
  ];
}

// Run alone: node --import tsx test/bench/idcard-bench.ts [--quick]
if (isMain(import.meta.url)) await runAlone(idcardBenchmarks);
