/**
 * Sync benchmark (issue 4): drain 100 000 outbox records to the platform simulator on loopback, in
 * its own process, against the simulator's raw ingest rate measured by a minimal signed client in
 * the same run (goal ≥ 0.7). Peak RSS of the draining process, and for contrast that of a drain of
 * a tenth as many records: memory must not grow with the outbox (the relay reads bounded pages).
 * Also the simulator's ingest of a tenth as many records signed with HMAC-SM3 next to HMAC-SHA256
 * (recorded only: what choosing the national algorithm costs per batch).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { CaseRepository } from '../../main/store/case-repository.js';
import { FieldCipher, loadOrCreateDataKey } from '../../main/store/crypto.js';
import { openDatabase } from '../../main/store/database.js';
import { tempDir } from '../support/hub-client.js';
import { certNo, TASK, ticket } from '../sync/sync-fixtures.js';
import { type BenchOptions, type BenchRow, isMain, runAlone } from './bench-kit.js';

const CHILD = fileURLToPath(new URL('./sync-bench-child.ts', import.meta.url));

function child(args: string[]): { proc: ChildProcess; line: Promise<any> } {
  const proc = spawn(process.execPath, ['--import', 'tsx', CHILD, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = new Promise((resolve, reject) => {
    createInterface({ input: proc.stdout! }).once('line', (l) => resolve(JSON.parse(l)));
    proc.once('exit', (code) => reject(new Error(`bench child ${args.join(' ')} exited ${code}`)));
  });
  return { proc, line };
}

/** A hall data folder whose outbox holds `n` pending records (cases and their ratings). */
function fillOutbox(n: number): string {
  const data = join(tempDir('govhall-bench-sync-'), 'data');
  const db = openDatabase({ dataDir: data, appVersion: 'bench' });
  db.db.pragma('foreign_keys = OFF');
  const cases = new CaseRepository(db, { cipher: new FieldCipher(loadOrCreateDataKey(data).master) });
  const now = Date.now();
  const insert = db.db.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const c = cases.recordFinished(
        ticket(i, { name: '张三', certType: 'resident', certNo: certNo(i % 28_000) }, now),
        { taskCode: TASK, taskName: '参保登记', result: 'approved', materials: ['居民身份证'] },
        now,
      );
      cases.addEvaluation(
        { caseId: c.id, level: 'satisfied', reasons: [], text: null, channel: 'pad', deviceId: 'pad-1' },
        now,
      );
    }
  });
  for (let i = 0; i < n / 2; i += 5000) insert(i, Math.min(n / 2, i + 5000));
  db.close();
  return data;
}

export async function syncBenchmarks(opts: BenchOptions): Promise<BenchRow[]> {
  const n = opts.quick ? 10_000 : 100_000;
  const small = n / 10;
  opts.progress(`平台同步：准备 ${n} 条和 ${small} 条发件箱记录`);
  const bigData = fillOutbox(n);
  const smallData = fillOutbox(small);
  // Each measurement gets a fresh simulator: its database slows down as it fills, so the baseline
  // and the drain must push the same number of records into an empty one.
  const sims: ChildProcess[] = [];
  const freshSim = async (): Promise<string> => {
    const sim = child(['--mode', 'sim']);
    sims.push(sim.proc);
    return (await sim.line).url as string;
  };
  try {
    opts.progress(`平台同步：最简客户端直接发送 ${n} 条（基线）`);
    const raw = await child(['--mode', 'raw', '--url', await freshSim(), '--count', String(n)]).line;
    opts.progress(`平台同步：中继排空 ${small} 条`);
    const s = await child(['--mode', 'drain', '--url', await freshSim(), '--data', smallData]).line;
    opts.progress(`平台同步：中继排空 ${n} 条`);
    const b = await child(['--mode', 'drain', '--url', await freshSim(), '--data', bigData]).line;
    if (!b.ok || b.records !== n) throw new Error(`drain incomplete: ${JSON.stringify(b)}`);
    // The national SM3 signature next to HMAC-SHA256, same records, each into an empty simulator.
    opts.progress(`平台同步：最简客户端 HMAC-SHA256 与 HMAC-SM3 各发送 ${small} 条`);
    const direct = async (alg: string) =>
      (await child(['--mode', 'raw', '--url', await freshSim(), '--count', String(small), '--alg', alg]).line) as {
        records: number;
        ms: number;
      };
    const sha = await direct('HMAC-SHA256');
    const sm3 = await direct('HMAC-SM3');
    const perBatch = (r: { records: number; ms: number }) => r.ms / (r.records / 500);
    const rawRate = raw.records / (raw.ms / 1000);
    const rate = b.records / (b.ms / 1000);
    return [
      {
        id: 'sync-drain',
        name: `发件箱排空 ${n} 条 / outbox drain`,
        value: `${rate.toFixed(0)} 条/s`,
        baseline: `${rawRate.toFixed(0)} 条/s 最简客户端直发`,
        ratio: (rate / rawRate).toFixed(2),
        goal: '≥ 0.7',
        pass: rate / rawRate >= 0.7,
      },
      {
        id: 'sync-peak-rss',
        name: `排空时峰值 RSS / peak RSS, ${n}`,
        value: `${b.maxRssMb.toFixed(0)} MB`,
        baseline: `${small} 条时 ${s.maxRssMb.toFixed(0)} MB`,
        ratio: (b.maxRssMb / s.maxRssMb).toFixed(2),
        // In --quick the small drain is two batches: too short to reach a steady state, so only recorded.
        goal: opts.quick ? '仅记录（快速模式）' : '≤ 1.25（不随积压增长）',
        pass: opts.quick ? null : b.maxRssMb / s.maxRssMb <= 1.25,
      },
      {
        id: 'platform-sim-sm3',
        name: `模拟平台直收 HMAC-SM3 / simulator ingest, SM3, ${small}`,
        value: `${(sm3.records / (sm3.ms / 1000)).toFixed(0)} 条/s，${perBatch(sm3).toFixed(1)} ms/批`,
        baseline: `HMAC-SHA256 ${(sha.records / (sha.ms / 1000)).toFixed(0)} 条/s，${perBatch(sha).toFixed(1)} ms/批`,
        ratio: (perBatch(sm3) / perBatch(sha)).toFixed(2),
        goal: '仅记录',
        pass: null,
      },
    ];
  } finally {
    for (const p of sims) p.kill('SIGTERM');
    for (const d of [bigData, smallData]) rmSync(dirname(d), { recursive: true, force: true });
  }
}

// `npx tsx test/bench/sync-bench.ts [--quick]` runs this module alone.
if (isMain(import.meta.url)) await runAlone(syncBenchmarks);
