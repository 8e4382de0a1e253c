/**
 * The hub of the soak benchmark, composed as `govhall hub` runs it (admin routes, device list,
 * pad endpoint, UIs; no local devices), plus what only a benchmark wants to see from inside: the
 * event-loop delay. Prints one JSON line with its address and tokens, then a `sample` line every
 * second (RSS, heap, event-loop delay of that second); on a `mark` line on stdin it answers with
 * the event-loop delay and the CPU time since the previous mark, so each quarter of the run has its
 * own histogram.
 *
 *   node --import tsx test/bench/soak-hub-child.ts --data DIR --config FILE --windows N --kiosks N --displays N
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { loadHallConfigFile } from '../../kiosk-config/load.js';
import { startEmbeddedHall } from '../../main/hall/embedded-hall.js';

const { values } = parseArgs({
  options: {
    data: { type: 'string' },
    config: { type: 'string' },
    windows: { type: 'string' },
    kiosks: { type: 'string' },
    displays: { type: 'string' },
  },
});
const loaded = loadHallConfigFile(values.config!);
if (!loaded.ok) throw new Error(`soak hall config: ${JSON.stringify(loaded.problems)}`);
const hall = await startEmbeddedHall({
  config: loaded.config,
  configPath: values.config!,
  dataDir: values.data!,
  port: 0,
  version: 'bench',
  devices: 'none',
});
const { app } = hall;
const times = (n: string | undefined) => Array.from({ length: Number(n ?? 1) }, (_, i) => i);
const say = (o: unknown) => process.stdout.write(`${JSON.stringify(o)}\n`);

say({
  url: app.url,
  pid: process.pid,
  admin: await app.createToken('admin', undefined, 'soak-admin'),
  kiosks: await Promise.all(times(values.kiosks).map((i) => app.createToken('kiosk', undefined, `soak-kiosk-${i}`))),
  displays: await Promise.all(
    times(values.displays).map((i) => app.createToken('display', undefined, `soak-display-${i}`)),
  ),
  // One pad per window, bound to it.
  evaluators: await Promise.all(
    times(values.windows).map((i) => app.createToken('evaluator', i + 1, `soak-pad-${i + 1}`)),
  ),
});

// Delays in ms; resolution 5 ms is fine enough for "did it grow" and cheap enough not to be the load.
const ms = (ns: number) => Math.round((ns / 1e6) * 100) / 100;
const stats = (h: ReturnType<typeof monitorEventLoopDelay>) => ({
  p50: ms(h.percentile(50)),
  p99: ms(h.percentile(99)),
  max: ms(h.max),
  mean: ms(h.mean),
});
const perSecond = monitorEventLoopDelay({ resolution: 5 });
const perMark = monitorEventLoopDelay({ resolution: 5 });
perSecond.enable();
perMark.enable();
const t0 = performance.now();
setInterval(() => {
  const m = process.memoryUsage();
  say({
    type: 'sample',
    t: Math.round(performance.now() - t0),
    rssMb: Math.round((m.rss / 2 ** 20) * 10) / 10,
    heapMb: Math.round((m.heapUsed / 2 ** 20) * 10) / 10,
    eld: stats(perSecond),
  });
  perSecond.reset();
}, 1000).unref();

const stop = async () => {
  await hall.close();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);

const commands = createInterface({ input: process.stdin });
// CPU time per mark too: a delay that grows while the hub's own work does not is the machine's.
let cpuAtMark = process.cpuUsage();
commands.on('line', (line) => {
  if (line.trim() !== 'mark') return;
  const cpu = process.cpuUsage(cpuAtMark);
  cpuAtMark = process.cpuUsage();
  say({
    type: 'mark',
    t: Math.round(performance.now() - t0),
    eld: stats(perMark),
    cpuMs: (cpu.user + cpu.system) / 1000,
  });
  perMark.reset();
});
// The benchmark that started this hub is gone: do not outlive it.
commands.on('close', () => void stop());
