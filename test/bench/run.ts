/**
 * `npm run bench`: the hall core's speed and memory goals, each printed next to a baseline measured
 * in the same run on the same machine (raw SQLite inserts, a no-op HTTP round trip, an idle hub).
 * Each full run is recorded in bench-results/ (see bench-results.ts); docs/benchmarks.md quotes
 * bench-results/latest.json.
 *
 *   npm run bench [-- --quick] [--no-ui] [--soak [--soak-minutes N]] [--note "共享机器，负载高 / shared, busy machine"]
 *   npm run bench -- --only soak[,fan-out,…]   # some groups only: a partial run, kept out of latest.json
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import WebSocket from 'ws';
import { QueueEngine } from '../../main/queue/engine.js';
import { MemoryQueueRepository } from '../../main/queue/memory-repository.js';
import { testHall } from '../../main/queue/test-hall.js';
import type { Actor } from '../../main/queue/types.js';
import { FieldCipher, loadOrCreateDataKey } from '../../main/store/crypto.js';
import { openDatabase, PRAGMAS } from '../../main/store/database.js';
import { SqliteQueueRepository } from '../../main/store/queue-repository.js';
import { ManualClock, systemClock } from '../../main/time/clock.js';
import { call, spawnHub, tempDir } from '../support/hub-client.js';
import { writeLoadHall } from '../support/load-hall.js';
import { appointmentBenchmarks } from './appointment-bench.js';
import { type BenchRow, fastCall, percentile as pct } from './bench-kit.js';
import { gitFacts, machineFacts, sampleLoad, writeRun } from './bench-results.js';
import { compiledHubBenchmarks } from './compiled-bench.js';
import { documentBenchmarks } from './documents-bench.js';
import { idcardBenchmarks } from './idcard-bench.js';
import { materialsBenchmarks } from './materials-bench.js';
import { phoneBenchmarks } from './phone-bench.js';
import { printerBenchmarks } from './printer-bench.js';
import { soakBenchmarks } from './soak-bench.js';
import { syncBenchmarks } from './sync-bench.js';
import { terminalBenchmarks } from './terminal-bench.js';
import { uiBenchmarks } from './ui-bench.js';

const { values: flags } = parseArgs({
  options: {
    quick: { type: 'boolean' },
    'no-ui': { type: 'boolean' },
    soak: { type: 'boolean' },
    'soak-minutes': { type: 'string' },
    only: { type: 'string' },
    note: { type: 'string' },
  },
});
const quick = flags.quick === true;
/** The benchmark groups in run order; `--only` names some of them. */
const GROUPS = [
  'issue-engine',
  'http-issue',
  'call-next-10k',
  'fan-out',
  'hub-rss',
  'compiled',
  'idcard',
  'sync',
  'printer',
  'documents',
  'appointments',
  'ui',
  'terminal',
  'materials',
  'phone',
  'soak',
] as const;
type Group = (typeof GROUPS)[number];
const only = flags.only?.split(',').map((g) => g.trim()) ?? null;
const unknownGroups = (only ?? []).filter((g) => !(GROUPS as readonly string[]).includes(g));
if (unknownGroups.length) {
  process.stderr.write(`不认识的基准组 / unknown group: ${unknownGroups.join(', ')}（可选 ${GROUPS.join(', ')}）\n`);
  process.exit(2);
}
/** The soak takes minutes and is opt-in; the UI groups (Chromium) can be left out with --no-ui. */
const runs = (g: Group): boolean =>
  only
    ? only.includes(g)
    : g === 'soak'
      ? flags.soak === true
      : g === 'ui' || g === 'terminal' || g === 'materials'
        ? !flags['no-ui']
        : true;

/** 429s met while issuing: `replies` in all, over `tickets` distinct tickets. */
interface RateLimited {
  replies: number;
  tickets: number;
}

/**
 * POST /tickets, waiting out the hub's per-token rate limit as a kiosk would: after Retry-After
 * (seconds), then again. Resolves with the time of the attempt that was accepted, so a wait for the
 * limit is never taken for the hub's latency.
 */
async function issueTicket(base: string, token: string, body: unknown, limited: RateLimited): Promise<number> {
  for (let attempt = 0; ; attempt++) {
    const t0 = now();
    const r = await fastCall(base, 'POST', '/tickets', token, body);
    const took = now() - t0;
    if (r.status === 201) return took;
    if (r.status !== 429) throw new Error(`issue failed: ${r.status} ${JSON.stringify(r.body)}`);
    limited.replies++;
    if (attempt === 0) limited.tickets++;
    const seconds = Number(r.headers['retry-after']);
    await new Promise((ok) => setTimeout(ok, (Number.isFinite(seconds) && seconds > 0 ? seconds : 1) * 1000));
  }
}
const limitedText = (l: RateLimited) => `限流重试 ${l.tickets} 张（429 共 ${l.replies} 次）`;

// A counter: the engine bench issues priority tickets, which a kiosk may not claim.
const actor: Actor = { role: 'counter', terminalId: 'bench', staffNo: null };
const rows: BenchRow[] = [];
const progress = (msg: string) => process.stderr.write(`  … ${msg}\n`);

const ms = (x: number) => `${x.toFixed(2)} ms`;
const now = () => performance.now();

// 1 ------------------------------------------------------------------------------------------
function issueVsRawInserts() {
  const n = quick ? 500 : 3000;
  progress(`出票（引擎 + 存储）与原始 SQLite 单行插入事务，各 ${n} 次`);
  const rawDir = tempDir('govhall-bench-raw-');
  const raw = new Database(join(rawDir, 'raw.db'));
  for (const p of PRAGMAS) raw.pragma(p);
  raw.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, number TEXT, service TEXT, at INTEGER)');
  const ins = raw.prepare('INSERT INTO t (number, service, at) VALUES (?, ?, ?)');
  const tx = raw.transaction((i: number) => ins.run(`A${i}`, 'SB', Date.now()));
  let t0 = now();
  for (let i = 0; i < n; i++) tx(i);
  const rawRate = n / ((now() - t0) / 1000);
  raw.close();

  const dir = tempDir('govhall-bench-engine-');
  const db = openDatabase({ dataDir: dir, appVersion: 'bench' });
  const cfg = testHall();
  for (const s of cfg.services) s.numberRange = { from: 1, to: 9999 };
  const engine = new QueueEngine({
    config: cfg,
    repo: new SqliteQueueRepository(db, new FieldCipher(loadOrCreateDataKey(dir).master)),
    clock: systemClock,
  });
  t0 = now();
  for (let i = 0; i < n; i++) engine.issue({ serviceCode: cfg.services[i % 3]!.code, channel: 'staff' }, actor);
  const rate = n / ((now() - t0) / 1000);
  db.close();
  const ratio = rate / rawRate;
  rows.push({
    id: 'issue-engine',
    name: '出票 引擎+存储 / issue, engine + store',
    value: `${rate.toFixed(0)} 张/s`,
    baseline: `${rawRate.toFixed(0)} 次/s 原始插入`,
    ratio: ratio.toFixed(2),
    goal: '≥ 0.5',
    pass: ratio >= 0.5,
  });
}

// 2 ------------------------------------------------------------------------------------------
async function httpIssue() {
  const clients = 8;
  const per = quick ? 100 : 500;
  progress(`HTTP 出票：${clients} 个并发客户端，各 ${per} 张`);
  const dir = tempDir('govhall-bench-http-');
  const hall = writeLoadHall(dir);
  const hub = await spawnHub(join(dir, 'data'), { tokens: clients, config: hall.path });
  try {
    /** Each op resolves with its latency sample (rate-limit waits left out by the op). */
    const run = async (op: (c: number, i: number) => Promise<number>) => {
      const lat: number[] = [];
      const t0 = now();
      await Promise.all(
        Array.from({ length: clients }, async (_, c) => {
          for (let i = 0; i < per; i++) lat.push(await op(c, i));
        }),
      );
      return { rate: (clients * per) / ((now() - t0) / 1000), p99: pct(lat, 99) };
    };
    const base = await run(async () => {
      const t0 = now();
      await fastCall(hub.url, 'GET', '/health', null);
      return now() - t0;
    });
    const limited: RateLimited = { replies: 0, tickets: 0 };
    const issue = await run((c, i) =>
      issueTicket(
        hub.url,
        hub.kioskTokens[c]!,
        { serviceCode: hall.codes[(c + i) % hall.codes.length], channel: 'kiosk' },
        limited,
      ),
    );
    rows.push({
      id: 'http-issue',
      name: 'HTTP 出票 8 并发 / HTTP issue, 8 clients',
      value: `${issue.rate.toFixed(0)} 张/s, p99 ${ms(issue.p99)}，${limitedText(limited)}`,
      baseline: `GET /health ${base.rate.toFixed(0)} 次/s, p99 ${ms(base.p99)}`,
      ratio: (issue.rate / base.rate).toFixed(2),
      goal: 'p99 < 20 ms',
      pass: issue.p99 < 20,
    });
  } finally {
    hub.child.kill('SIGTERM');
    await hub.exited;
  }
}

// 3 ------------------------------------------------------------------------------------------
function callNextWithBacklog() {
  const waiting = 10_000;
  const calls = quick ? 500 : 2000;
  progress(`叫号：${waiting} 张等候票、6 个业务，叫号 ${calls} 次`);
  // Measured through the real store (each call commits with fsync): the engine alone is less.
  const measure = (repoKind: 'memory' | 'sqlite') => {
    const cfg = testHall();
    cfg.services = ['A', 'B', 'C', 'D', 'E', 'F'].map((p, i) => ({
      ...testHall().services[0]!,
      code: `S${i}`,
      prefix: p,
      numberRange: { from: 1, to: 9999 },
    }));
    cfg.windows = cfg.services.map((s, i) => ({
      no: i + 1,
      name: `${i + 1}`,
      services: cfg.services.map((x) => ({ code: x.code, weight: x.code === s.code ? 3 : 1 })),
      comprehensive: true,
      greenChannel: false,
    }));
    const clock = new ManualClock(Date.UTC(2026, 10, 23, 1, 0));
    let close = () => {};
    let repo: MemoryQueueRepository | SqliteQueueRepository;
    if (repoKind === 'memory') repo = new MemoryQueueRepository();
    else {
      const dir = tempDir('govhall-bench-call-');
      const db = openDatabase({ dataDir: dir, appVersion: 'bench' });
      repo = new SqliteQueueRepository(db, new FieldCipher(loadOrCreateDataKey(dir).master));
      close = () => db.close();
    }
    const engine = new QueueEngine({ config: cfg, repo, clock });
    for (let i = 0; i < waiting + calls; i++) {
      engine.issue({ serviceCode: `S${i % 6}`, channel: 'staff', priority: i % 7 === 0 ? 'elderly' : null }, actor);
      if (i % 100 === 0) clock.advance(1000);
    }
    for (const w of cfg.windows) engine.openWindow(w.no, '1', actor);
    const lat: number[] = [];
    for (let i = 0; i < calls; i++) {
      const w = (i % 6) + 1;
      const t0 = now();
      engine.callNext(w, actor);
      lat.push(now() - t0);
      clock.advance(500);
    }
    close();
    return pct(lat, 99);
  };
  const sql = measure('sqlite');
  // Baseline: the p99 of one raw single-row INSERT transaction with the same pragmas (one fsync).
  const rawDir = tempDir('govhall-bench-raw2-');
  const raw = new Database(join(rawDir, 'raw.db'));
  for (const p of PRAGMAS) raw.pragma(p);
  raw.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)');
  const ins = raw.prepare('INSERT INTO t (v) VALUES (?)');
  const tx = raw.transaction(() => ins.run('x'));
  const rawLat: number[] = [];
  for (let i = 0; i < calls; i++) {
    const t0 = now();
    tx();
    rawLat.push(now() - t0);
  }
  raw.close();
  const base = pct(rawLat, 99);
  rows.push({
    id: 'call-next-10k',
    name: '叫号 1 万等候 / call-next, 10k waiting',
    value: `p99 ${ms(sql)}（引擎+SQLite 落盘）`,
    baseline: `原始插入事务 p99 ${ms(base)}`,
    ratio: (sql / base).toFixed(2),
    goal: 'p99 < 5 ms',
    pass: sql < 5,
  });
}

// 4 ------------------------------------------------------------------------------------------
async function fanOut() {
  const nClients = 200;
  const calls = quick ? 10 : 40;
  progress(`一次叫号推送给 ${nClients} 个 WebSocket 客户端，共 ${calls} 次`);
  const dir = tempDir('govhall-bench-ws-');
  const hall = writeLoadHall(dir);
  const hub = await spawnHub(join(dir, 'data'), { tokens: 1, config: hall.path });
  const sockets: WebSocket[] = [];
  try {
    const pending = new Map<string, number>();
    const lat: number[] = [];
    await Promise.all(
      Array.from({ length: nClients }, () => {
        const ws = new WebSocket(`${hub.url.replace('http', 'ws')}/api/v1/events?token=${hub.displayToken}`);
        sockets.push(ws);
        ws.on('message', (d) => {
          const m = JSON.parse(d.toString());
          if (m.type === 'ticket.called') {
            const t0 = pending.get(m.ticket.id);
            if (t0 !== undefined) lat.push(now() - t0);
          }
        });
        return new Promise((r) => ws.once('open', r));
      }),
    );
    const s = (await call(hub.url, 'POST', '/staff/sessions', null, { staffNo: '9001', pin: '123456', windowNo: 1 }))
      .body.token;
    const rttLat: number[] = [];
    for (let i = 0; i < calls; i++) {
      const t = await call(hub.url, 'POST', '/tickets', hub.kioskTokens[0], { serviceCode: 'S1', channel: 'kiosk' });
      const t0 = now();
      pending.set(t.body.id, t0);
      await call(hub.url, 'POST', '/windows/1/call-next', s);
      rttLat.push(now() - t0);
      await new Promise((r) => setTimeout(r, 20));
    }
    for (let i = 0; i < 100 && lat.length < nClients * calls; i++) await new Promise((r) => setTimeout(r, 20));
    const p99 = pct(lat, 99);
    rows.push({
      id: 'fan-out',
      name: `叫号推送 ${nClients} 客户端 / fan-out to ${nClients}`,
      value: `p99 ${ms(p99)}（${lat.length}/${nClients * calls} 送达）`,
      baseline: `叫号请求往返 p99 ${ms(pct(rttLat, 99))}`,
      ratio: (p99 / pct(rttLat, 99)).toFixed(2),
      goal: 'p99 < 50 ms',
      pass: p99 < 50 && lat.length === nClients * calls,
    });
  } finally {
    for (const ws of sockets) ws.terminate();
    hub.child.kill('SIGTERM');
    await hub.exited;
  }
}

// 5 ------------------------------------------------------------------------------------------
async function rssAfterTickets() {
  const total = quick ? 10_000 : 100_000;
  progress(`中枢内存：出票 ${total} 张后的 RSS`);
  const dir = tempDir('govhall-bench-rss-');
  const hall = writeLoadHall(dir, 12);
  const hub = await spawnHub(join(dir, 'data'), { tokens: 8, config: hall.path });
  const rss = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${hub.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
  try {
    await call(hub.url, 'GET', '/hall', hub.adminToken);
    const idle = rss();
    let done = 0;
    let next = 0;
    // The per-token rate limit (200/s) may trip when the hub runs fast.
    const limited: RateLimited = { replies: 0, tickets: 0 };
    await Promise.all(
      Array.from({ length: 8 }, async (_, c) => {
        for (;;) {
          const i = next++;
          if (i >= total) return;
          const body = { serviceCode: hall.codes[i % hall.codes.length], channel: 'kiosk' };
          await issueTicket(hub.url, hub.kioskTokens[c]!, body, limited);
          if (++done % 10_000 === 0) progress(`${done}/${total}，RSS ${rss().toFixed(0)} MB`);
        }
      }),
    );
    const after = rss();
    rows.push({
      id: 'hub-rss',
      name: `中枢 RSS，${total} 张票后 / hub RSS`,
      value: `${after.toFixed(0)} MB，${limitedText(limited)}`,
      baseline: `空闲 ${idle.toFixed(0)} MB`,
      ratio: (after / idle).toFixed(2),
      goal: '< 200 MB',
      pass: after < 200,
    });
  } finally {
    hub.child.kill('SIGTERM');
    await hub.exited;
  }
}

const started = now();
const load = sampleLoad();
const git = gitFacts(); // before the run: the code that was measured
process.stderr.write(`govhall 基准测试 / benchmarks${quick ? '（快速模式）' : ''}\n`);
if (runs('issue-engine')) issueVsRawInserts();
if (runs('http-issue')) await httpIssue();
if (runs('call-next-10k')) callNextWithBacklog();
if (runs('fan-out')) await fanOut();
if (runs('hub-rss')) await rssAfterTickets();
if (runs('compiled')) rows.push(...(await compiledHubBenchmarks({ quick, progress })));
if (runs('idcard')) rows.push(...(await idcardBenchmarks({ quick, progress })));
if (runs('sync')) rows.push(...(await syncBenchmarks({ quick, progress })));
if (runs('printer')) rows.push(...printerBenchmarks({ quick, progress }));
if (runs('documents')) rows.push(...(await documentBenchmarks({ quick, progress })));
if (runs('appointments')) rows.push(...(await appointmentBenchmarks({ quick, progress })));
if (runs('ui')) rows.push(...(await uiBenchmarks({ quick, progress })));
if (runs('terminal')) rows.push(...(await terminalBenchmarks({ quick, progress })));
if (runs('materials')) rows.push(...(await materialsBenchmarks({ quick, progress })));
if (runs('phone') && !flags['no-ui']) rows.push(...(await phoneBenchmarks({ quick, progress })));
if (runs('soak')) {
  const minutes = flags['soak-minutes'] ? Number(flags['soak-minutes']) : undefined;
  rows.push(...(await soakBenchmarks({ quick, progress, ...(minutes ? { minutes } : {}) })));
}

const w = [34, 30, 36, 6, 16];
const line = (cells: string[]) => cells.map((c, i) => c.padEnd(w[i] ?? 8)).join('  ');
console.log(`\n${line(['项目 / benchmark', '结果 / result', '同次基线 / baseline', '比值', '目标 / goal'])}  达标`);
for (const r of rows)
  console.log(
    `${line([r.name, r.value, r.baseline, r.ratio, r.goal])}  ${r.pass === null ? '-' : r.pass ? '是' : '否'}`,
  );
const machine = machineFacts();
const durationS = Math.round((now() - started) / 1000);
const { run, written } = writeRun({
  at: new Date().toISOString(),
  quick,
  ...(only ? { partial: true } : {}),
  skipped: GROUPS.filter((g) => !runs(g)),
  durationS,
  note: flags.note ?? null,
  machine,
  load: load.stop(),
  git,
  rows,
});
console.log(
  `\n用时 ${durationS} s；机器 ${machine.cpus} 核，Node ${machine.node}；1 分钟平均负载最高 ${run.load.max1m}` +
    `\n结果 / results: ${written.join('，')}` +
    (quick || only
      ? `（${quick ? '快速模式' : '部分运行'}不更新 latest.json）`
      : '\n更新文档 / update the docs: node --import tsx test/bench/bench-docs.ts --write'),
);
