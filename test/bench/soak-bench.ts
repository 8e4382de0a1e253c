/**
 * Soak: a hall day at three times a busy hall's load, compressed into a few minutes of real time,
 * against a hub child process (`soak-hub-child.ts`, composed as `govhall hub`). Kiosks issue over
 * HTTP on a day's arrival curve, every window calls, recalls, skips, starts and finishes over HTTP
 * with its staff session, a pad per window rates each finished case over `/api/v1/pads`, displays
 * follow `/api/v1/events`, the admin polls the statistics. The hub reports its RSS every second and
 * its event-loop delay and CPU time per quarter of the run; the verdict is "flat" when the last
 * quarter is within 1.2× of the first for both (the delay with a slack of two measuring steps). Also checked: every planned ticket issued, no unexpected
 * answer, every display received every event in order.
 *
 * Opt-in, not part of a plain `npm run bench`: `npm run bench -- --soak` (full run) or
 * `npm run bench -- --only soak` (this row alone, recorded as a partial run), or on its own:
 *   node --import tsx test/bench/soak-bench.ts [--quick] [--soak-minutes N]
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { Agent, request } from 'node:http';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { tempDir } from '../support/hub-client.js';
import { writeLoadHall } from '../support/load-hall.js';
import { certNo } from '../sync/sync-fixtures.js';
import { type BenchOptions, type BenchRow, isMain, percentile, runAlone } from './bench-kit.js';

/** A busy hall's day (the load is this times `LOAD_FACTOR`). */
export const BUSY_HALL = { ticketsPerDay: 1500, windows: 20, services: 8, openHours: 8 } as const;
export const LOAD_FACTOR = 3;
/** Real minutes a hall day is compressed into; a shorter or longer soak is a shorter or longer day at the same pace. */
export const DAY_MINUTES = 4;
const KIOSKS = 6;
const DISPLAYS = 10;
/**
 * Share of each hour's arrivals over the open hours: morning peak, lunch dip, afternoon peak.
 * Symmetric, so the first and the last quarter of the run carry the same load and their
 * difference is the hub's drift, not the day's shape.
 */
const ARRIVAL_CURVE = [0.8, 1.5, 1.3, 0.6, 0.6, 1.3, 1.5, 0.8];
/** Windows keep pace: a case takes this share of the mean interval between a window's tickets. */
const UTILISATION = 0.6;
export const FLAT_RATIO = 1.2;
/**
 * Event-loop delay is measured in 5 ms steps and a p99 of a few tens of ms moves by a step or two
 * with the machine's other work; two steps of slack keep that noise from reading as drift.
 */
export const ELD_SLACK_MS = 10;

const CHILD = fileURLToPath(new URL('./soak-hub-child.ts', import.meta.url));

interface HubInfo {
  url: string;
  pid: number;
  admin: string;
  kiosks: string[];
  displays: string[];
  evaluators: string[];
}
interface Eld {
  p50: number;
  p99: number;
  max: number;
  mean: number;
}
interface Sample {
  at: number;
  rssMb: number;
  heapMb: number;
  eld: Eld;
}

/** A small deterministic generator, so two soak runs ask the hub for the same day. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));
const now = () => performance.now();

/** When each of a day's `tickets` is issued (ms from the start of a `dayMs` day), following the arrival curve. */
export function arrivals(tickets: number, dayMs: number, rand: () => number): number[] {
  const hourMs = dayMs / ARRIVAL_CURVE.length;
  const weight = ARRIVAL_CURVE.reduce((a, b) => a + b, 0);
  const out: number[] = [];
  ARRIVAL_CURVE.forEach((w, h) => {
    const n = Math.round((tickets * w) / weight);
    for (let i = 0; i < n; i++) out.push((h + rand()) * hourMs);
  });
  return out.sort((a, b) => a - b);
}

const agent = new Agent({ keepAlive: true, maxSockets: 64 });
function api(
  base: string,
  method: string,
  path: string,
  token: string,
  body?: unknown,
): Promise<{ status: number; body: any; retryAfter: number }> {
  const data = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      `${base}/api/v1${path}`,
      {
        method,
        agent,
        headers: {
          authorization: `Bearer ${token}`,
          ...(data ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString();
          resolve({
            status: res.statusCode ?? 0,
            body: text && res.headers['content-type']?.includes('json') ? JSON.parse(text) : text,
            retryAfter: Number(res.headers['retry-after'] ?? 1),
          });
        });
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

function startHub(
  dataDir: string,
  config: string,
): Promise<{ proc: ChildProcess; info: HubInfo; lines: AsyncIterable<string> }> {
  const proc = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      CHILD,
      '--data',
      dataDir,
      '--config',
      config,
      '--windows',
      String(BUSY_HALL.windows),
      '--kiosks',
      String(KIOSKS),
      '--displays',
      String(DISPLAYS),
    ],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const rl = createInterface({ input: proc.stdout! });
  return new Promise((resolve, reject) => {
    rl.once('line', (line) => resolve({ proc, info: JSON.parse(line) as HubInfo, lines: rl }));
    proc.once('exit', (code) => reject(new Error(`soak hub exited ${code} before it was ready`)));
  });
}

/** What the simulated hall did, counted by the clients. */
interface Tally {
  issued: number;
  issueLatency: number[];
  /** Worst delay of an issue behind its planned time: the hub (or this machine) falling behind. */
  maxLagMs: number;
  rateLimited: number;
  called: number;
  finished: number;
  skipped: number;
  rated: number;
  padErrors: string[];
  unexpected: string[];
  /** The admin's statistics pages: they read more as the day fills up. */
  adminLatency: number[];
}

export async function soakBenchmarks(opts: BenchOptions & { minutes?: number }): Promise<BenchRow[]> {
  const minutes = opts.minutes ?? (opts.quick ? 1 : DAY_MINUTES);
  const durationMs = minutes * 60_000;
  // The pace of a busy hall at three times its load, whatever the length of the run.
  const tickets = Math.round((BUSY_HALL.ticketsPerDay * LOAD_FACTOR * minutes) / DAY_MINUTES);
  const rand = mulberry32(20_240_611);
  const plan = arrivals(tickets, durationMs, rand);
  const windowIntervalMs = (durationMs / tickets) * BUSY_HALL.windows;
  opts.progress(
    `浸泡：一天压缩到 ${minutes} 分钟，${plan.length} 张票（忙碌大厅 ${BUSY_HALL.ticketsPerDay} 张/天的 ${LOAD_FACTOR} 倍的节奏）、` +
      `${BUSY_HALL.windows} 个窗口、${KIOSKS} 台取号机、${DISPLAYS} 块显示屏、每窗口一台评价器`,
  );

  const dir = tempDir('govhall-bench-soak-');
  const hall = writeLoadHall(dir, BUSY_HALL.services, BUSY_HALL.windows);
  const { proc, info, lines } = await startHub(join(dir, 'data'), hall.path);
  const exited = new Promise((r) => proc.once('exit', r));
  const samples: Sample[] = [];
  /** Per quarter (index 0: set-up): the hub's event-loop delay and CPU time, and the machine's load then. */
  const marks: { eld: Eld; cpuMs: number; load1m: number }[] = [];
  let runStart = now();
  void (async () => {
    for await (const line of lines) {
      const m = JSON.parse(line);
      if (m.type === 'sample') samples.push({ at: now() - runStart, rssMb: m.rssMb, heapMb: m.heapMb, eld: m.eld });
      else if (m.type === 'mark') marks.push({ eld: m.eld, cpuMs: m.cpuMs, load1m: loadavg()[0]! });
    }
  })();
  const mark = () => proc.stdin!.write('mark\n');

  const tally: Tally = {
    issued: 0,
    issueLatency: [],
    maxLagMs: 0,
    rateLimited: 0,
    called: 0,
    finished: 0,
    skipped: 0,
    rated: 0,
    padErrors: [],
    unexpected: [],
    adminLatency: [],
  };
  const unexpected = (what: string, r: { status: number; body: unknown }) => {
    if (tally.unexpected.length < 20)
      tally.unexpected.push(`${what} → ${r.status} ${JSON.stringify(r.body).slice(0, 160)}`);
    else tally.unexpected.push('');
  };
  const sockets: WebSocket[] = [];
  const timers: NodeJS.Timeout[] = [];
  try {
    // ---------------------------------------------------------------- set up (not measured)
    const sessions: string[] = [];
    for (let w = 1; w <= BUSY_HALL.windows; w++) {
      const r = await api(info.url, 'POST', '/staff/sessions', '', {
        staffNo: String(9000 + w),
        pin: '123456',
        windowNo: w,
      });
      if (r.status !== 201) throw new Error(`窗口 ${w} 登录失败：${r.status} ${JSON.stringify(r.body)}`);
      sessions.push(r.body.token);
    }
    const displays = info.displays.map((token) => {
      const d = { events: 0, gaps: 0, last: -1 };
      const ws = new WebSocket(`${info.url.replace('http', 'ws')}/api/v1/events?token=${token}`);
      ws.on('message', (data) => {
        const m = JSON.parse(String(data));
        if (m.type === 'hello') d.last = m.seq;
        else if (typeof m.seq === 'number' && m.type !== 'resumed') {
          d.events++;
          if (d.last >= 0 && m.seq !== d.last + 1) d.gaps++;
          d.last = m.seq;
        }
      });
      sockets.push(ws);
      return d;
    });
    info.evaluators.forEach((token, i) => {
      const ws = new WebSocket(`${info.url.replace('http', 'ws')}/api/v1/pads`);
      let n = 0;
      ws.on('open', () => ws.send(JSON.stringify({ type: 'hello', token, protocol: 1, windowNo: i + 1 })));
      ws.on('message', (data) => {
        const m = JSON.parse(String(data));
        if (m.type === 'evaluate') {
          const x = rand();
          const level =
            x < 0.6 ? 'very_satisfied' : x < 0.85 ? 'satisfied' : x < 0.95 ? 'basically_satisfied' : 'dissatisfied';
          const rate = {
            type: 'rate',
            id: `r${++n}`,
            requestId: m.requestId,
            caseId: m.caseId,
            level,
            ...(level === 'dissatisfied' ? { text: '等候时间过长' } : {}),
          };
          setTimeout(() => ws.readyState === ws.OPEN && ws.send(JSON.stringify(rate)), 100 + rand() * 300);
        } else if (m.type === 'rated') tally.rated++;
        else if (m.type === 'error' && tally.padErrors.length < 20) tally.padErrors.push(`${m.code} ${m.message}`);
      });
      sockets.push(ws);
      timers.push(setInterval(() => ws.readyState === ws.OPEN && ws.send('{"type":"ping"}'), 10_000));
    });
    await Promise.all(sockets.map((ws) => new Promise((r) => ws.once('open', r))));
    await sleep(500); // the pads' hello and welcome

    // ---------------------------------------------------------------- the day
    mark(); // the first quarter starts now: sign-ins and connections are not in it
    runStart = now();
    const end = runStart + durationMs;
    for (let q = 1; q <= 4; q++) timers.push(setTimeout(mark, (q * durationMs) / 4));
    timers.push(
      setInterval(() => {
        const s = samples.at(-1);
        opts.progress(
          `${Math.round((now() - runStart) / 1000)} s：出票 ${tally.issued}/${plan.length}，办结 ${tally.finished}，` +
            `评价 ${tally.rated}，RSS ${s?.rssMb ?? '?'} MB，事件循环延迟 p99 ${s?.eld.p99 ?? '?'} ms`,
        );
      }, 30_000),
    );

    const kiosk = async (k: number) => {
      for (let i = k; i < plan.length; i += KIOSKS) {
        await sleep(runStart + plan[i]! - now());
        tally.maxLagMs = Math.max(tally.maxLagMs, now() - runStart - plan[i]!);
        const body = {
          serviceCode: hall.codes[Math.floor(rand() * hall.codes.length)],
          channel: 'kiosk',
          ...(rand() < 0.6 ? { applicant: { name: '张三', certType: 'resident', certNo: certNo(i % 28_000) } } : {}),
        };
        for (;;) {
          const t0 = now();
          const r = await api(info.url, 'POST', '/tickets', info.kiosks[k]!, body);
          if (r.status === 201) {
            tally.issueLatency.push(now() - t0);
            tally.issued++;
            break;
          }
          if (r.status !== 429) {
            unexpected('POST /tickets', r);
            break;
          }
          tally.rateLimited++;
          await sleep(r.retryAfter * 1000);
        }
      }
    };

    const window = async (w: number, token: string) => {
      const act = (what: string, body?: unknown) => api(info.url, 'POST', `/windows/${w}/${what}`, token, body);
      const expect = async (what: string, p: ReturnType<typeof act>, ok = 200) => {
        const r = await p;
        if (r.status !== ok) unexpected(`POST /windows/${w}/${what}`, r);
        return r.status === ok;
      };
      while (now() < end) {
        const r = await act('call-next');
        if (r.status === 204) {
          await sleep(150);
          continue;
        }
        if (r.status !== 200) {
          unexpected(`POST /windows/${w}/call-next`, r);
          await sleep(200);
          continue;
        }
        tally.called++;
        await sleep(100 + rand() * 200); // the citizen walks to the window
        if (rand() < 0.03) {
          if (await expect('skip', act('skip', { requeue: false }))) tally.skipped++;
          continue;
        }
        if (rand() < 0.08) await expect('recall', act('recall'));
        if (!(await expect('start', act('start')))) continue;
        await sleep(windowIntervalMs * UTILISATION * (0.5 + rand()));
        const finish = act('finish', { case: { taskCode: `T-${w}`, result: 'approved' } });
        if (await expect('finish', finish)) tally.finished++;
      }
    };

    const admin = async () => {
      while (now() < end) {
        for (const path of ['/stats', '/hall', '/admin/evaluations']) {
          const t0 = now();
          const r = await api(info.url, 'GET', path, info.admin);
          tally.adminLatency.push(now() - t0);
          if (r.status !== 200) unexpected(`GET ${path}`, r);
        }
        await sleep(5000);
      }
    };

    await Promise.all([
      ...Array.from({ length: KIOSKS }, (_, k) => kiosk(k)),
      ...sessions.map((token, i) => window(i + 1, token)),
      admin(),
    ]);
    // The last quarter's mark fires at `end`; wait for it and for the events still in flight.
    for (let i = 0; i < 100 && marks.length < 5; i++) await sleep(100);
    await sleep(1000);

    // ---------------------------------------------------------------- verdict
    const quarter = (q: number) =>
      samples.filter((s) => s.at >= (q * durationMs) / 4 && s.at < ((q + 1) * durationMs) / 4);
    const meanRss = (xs: Sample[]) => xs.reduce((a, s) => a + s.rssMb, 0) / Math.max(1, xs.length);
    const rssFirst = meanRss(quarter(0));
    const rssLast = meanRss(quarter(3));
    const eldFirst = marks[1]?.eld.p99 ?? Number.NaN;
    const eldLast = marks[4]?.eld.p99 ?? Number.NaN;
    const cpuRatio = (marks[4]?.cpuMs ?? Number.NaN) / (marks[1]?.cpuMs ?? Number.NaN);
    const rssRatio = rssLast / rssFirst;
    const eldRatio = eldLast / eldFirst;
    const events = displays.map((d) => d.events);
    const gaps = displays.reduce((a, d) => a + d.gaps, 0);
    const inStep = events.every((e) => e === events[0]);
    const clean = tally.unexpected.length === 0 && tally.padErrors.length === 0;
    const allIssued = tally.issued === plan.length;
    const eldFlat = eldLast <= eldFirst * FLAT_RATIO + ELD_SLACK_MS;
    const flat = rssRatio <= FLAT_RATIO && eldFlat;
    opts.progress(
      `平稳 / flat: ${flat ? '是' : '否'}（RSS ${rssRatio.toFixed(2)}，目标 ≤ ${FLAT_RATIO}；` +
        `事件循环延迟 p99 ${eldRatio.toFixed(2)}，目标 ≤ ${FLAT_RATIO}×首段 + ${ELD_SLACK_MS} ms）`,
    );
    for (const u of tally.unexpected.filter(Boolean)) opts.progress(`意外回答 / unexpected: ${u}`);
    for (const e of tally.padErrors) opts.progress(`评价器错误 / pad error: ${e}`);

    const peakEld = Math.max(...marks.slice(1).map((m) => m.eld.max));
    const load = (q: number) => (marks[q]?.load1m ?? Number.NaN).toFixed(1);
    return [
      {
        id: 'soak-day',
        name: `浸泡 模拟营业日 ${LOAD_FACTOR} 倍负载 / soak, hall day at ${LOAD_FACTOR}× load`,
        value:
          `出票 ${tally.issued}（p99 ${percentile(tally.issueLatency, 99).toFixed(1)} ms，最大滞后 ${(tally.maxLagMs / 1000).toFixed(1)} s）、` +
          `叫号 ${tally.called}、过号 ${tally.skipped}、办结 ${tally.finished}、评价 ${tally.rated}；` +
          `每块屏 ${events[0] ?? 0} 条事件，缺 ${gaps}${inStep ? '' : '，各屏不一致'}；` +
          `管理统计页 p99 ${percentile(tally.adminLatency, 99).toFixed(0)} ms；` +
          `意外回答 ${tally.unexpected.length}，评价器错误 ${tally.padErrors.length}，限流 ${tally.rateLimited}`,
        baseline: `计划 ${plan.length} 张，${BUSY_HALL.windows} 窗口，${minutes} 分钟`,
        ratio: (tally.issued / plan.length).toFixed(2),
        goal: '全部出票、0 意外、事件无缺',
        pass: allIssued && clean && gaps === 0 && inStep,
      },
      {
        id: 'soak-rss',
        name: '浸泡 中枢 RSS 末/首四分之一 / soak, hub RSS last vs first quarter',
        value: `${rssLast.toFixed(0)} MB（末四分之一均值）`,
        baseline: `${rssFirst.toFixed(0)} MB（首四分之一均值）`,
        ratio: rssRatio.toFixed(2),
        goal: `≤ ${FLAT_RATIO}（平稳）`,
        pass: rssRatio <= FLAT_RATIO,
      },
      {
        id: 'soak-eld-p99',
        name: '浸泡 事件循环延迟 p99 末/首四分之一 / soak, event-loop delay p99',
        value:
          `${eldLast.toFixed(1)} ms（末四分之一，全程最大 ${peakEld.toFixed(0)} ms；` +
          `中枢 CPU 时间末/首 ${cpuRatio.toFixed(2)}，1 分钟负载 首 ${load(1)} 末 ${load(4)}）`,
        baseline: `${eldFirst.toFixed(1)} ms（首四分之一）`,
        ratio: eldRatio.toFixed(2),
        goal: `末段 ≤ ${FLAT_RATIO}×首段 + ${ELD_SLACK_MS} ms（平稳）`,
        pass: eldFlat,
      },
    ];
  } finally {
    for (const t of timers) clearInterval(t);
    for (const ws of sockets) ws.terminate();
    proc.kill('SIGTERM');
    await exited;
    agent.destroy();
  }
}

if (isMain(import.meta.url)) {
  const i = process.argv.indexOf('--soak-minutes');
  const minutes = i > 0 ? Number(process.argv[i + 1]) : undefined;
  await runAlone((o) => soakBenchmarks({ ...o, ...(minutes ? { minutes } : {}) }));
}
