/**
 * The compiled hub against the sources through tsx, in the same run on the same machine: how long
 * `govhall hub` takes from the command to listening, and its RSS idle and after 100 000 tickets.
 * The compiled hub is the installed hub package (`npm run dist:hub`, staged as in the build test);
 * the tsx hub is bin/govhall.mjs of this checkout. Starts alternate between the two, so a change
 * in the machine's load falls on both.
 *
 *   node --import tsx test/bench/compiled-bench.ts [--quick]
 */
import { type ChildProcess, spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { call, tempDir } from '../support/hub-client.js';
import { cleanEnv, REPO, runStaged, stageHubPackage, startGovhallHub } from '../support/hub-package.js';
import { writeLoadHall } from '../support/load-hall.js';
import { type BenchOptions, type BenchRow, isMain, median, runAlone } from './bench-kit.js';

type Variant = 'compiled' | 'tsx';

interface Running {
  child: ChildProcess;
  url: string;
  startMs: number;
  exited: Promise<number | null>;
}

const CLIENTS = 8;

/** Starts `govhall hub` and resolves when it prints its address, with the time that took. */
async function startHub(bin: string, config: string, data: string): Promise<Running> {
  const t0 = performance.now();
  const hub = await startGovhallHub(bin, ['--config', config, '--data', data, '--port', '0']);
  return { ...hub, startMs: performance.now() - t0 };
}

async function stop(hub: Running): Promise<void> {
  hub.child.kill('SIGTERM');
  await hub.exited;
}

const rssMb = (pid: number) =>
  Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

/** POST /tickets until `total` are issued by 8 kiosks, waiting out the per-token rate limit as a kiosk would. */
async function issue(url: string, tokens: string[], codes: string[], total: number): Promise<void> {
  let next = 0;
  await Promise.all(
    tokens.map(async (token) => {
      for (;;) {
        const i = next++;
        if (i >= total) return;
        for (;;) {
          const r = await call(url, 'POST', '/tickets', token, {
            serviceCode: codes[i % codes.length],
            channel: 'kiosk',
          });
          if (r.status === 201) break;
          if (r.status !== 429) throw new Error(`issue failed: ${r.status} ${JSON.stringify(r.body)}`);
          await new Promise((ok) => setTimeout(ok, (Number(r.headers.get('retry-after')) || 1) * 1000));
        }
      }
    }),
  );
}

export async function compiledHubBenchmarks(opts: BenchOptions): Promise<BenchRow[]> {
  const starts = opts.quick ? 3 : 7;
  const tickets = opts.quick ? 10_000 : 100_000;
  opts.progress('编译版与 tsx 中枢：npm run build，打包中枢');
  const built = spawnSync('npm', ['run', 'build', '--silent'], { cwd: REPO, encoding: 'utf8', env: cleanEnv() });
  if (built.status !== 0) throw new Error(`npm run build failed: ${built.stdout}${built.stderr}`);
  const stage = stageHubPackage();
  const work = tempDir('govhall-bench-compiled-');
  const hall = writeLoadHall(work, 12);
  const bins: Record<Variant, string> = {
    compiled: join(stage, 'bin', 'govhall.mjs'),
    tsx: join(REPO, 'bin', 'govhall.mjs'),
  };
  let dirs = 0;
  const freshData = () => join(work, `data-${dirs++}`);
  try {
    opts.progress(`中枢启动时间：编译版与 tsx 交替各 ${starts} 次`);
    const startMs: Record<Variant, number[]> = { compiled: [], tsx: [] };
    for (let i = 0; i < starts; i++)
      for (const v of ['compiled', 'tsx'] as const) {
        const hub = await startHub(bins[v], hall.path, freshData());
        startMs[v].push(hub.startMs);
        await stop(hub);
      }

    const rss: Record<Variant, { idle: number; loaded: number }> = {
      compiled: { idle: 0, loaded: 0 },
      tsx: { idle: 0, loaded: 0 },
    };
    for (const v of ['compiled', 'tsx'] as const) {
      const data = freshData();
      // Tokens from the installed command for both, before the hub holds the database.
      const tokens = Array.from({ length: CLIENTS }, (_, c) => {
        const r = runStaged(stage, ['token', 'create', '--data', data, '--role', 'kiosk', '--name', `kiosk-${c}`]);
        if (r.code !== 0) throw new Error(`token create: ${r.err}`);
        return r.out.trim();
      });
      const hub = await startHub(bins[v], hall.path, data);
      try {
        await call(hub.url, 'GET', '/health');
        rss[v].idle = rssMb(hub.child.pid!);
        opts.progress(`${v}：出票 ${tickets} 张`);
        await issue(hub.url, tokens, hall.codes, tickets);
        rss[v].loaded = rssMb(hub.child.pid!);
      } finally {
        await stop(hub);
      }
    }

    const c = median(startMs.compiled);
    const t = median(startMs.tsx);
    const mb = (x: number) => `${x.toFixed(0)} MB`;
    return [
      {
        id: 'hub-start-compiled',
        name: '中枢启动 编译版 / hub start, compiled',
        value: `${c.toFixed(0)} ms（中位数，${starts} 次）`,
        baseline: `tsx ${t.toFixed(0)} ms`,
        ratio: (c / t).toFixed(2),
        goal: '≤ 1（不慢于 tsx）',
        pass: c <= t,
      },
      {
        id: 'hub-rss-idle-compiled',
        name: '中枢空闲 RSS 编译版 / idle RSS, compiled',
        value: mb(rss.compiled.idle),
        baseline: `tsx ${mb(rss.tsx.idle)}`,
        ratio: (rss.compiled.idle / rss.tsx.idle).toFixed(2),
        goal: '≤ 1',
        pass: rss.compiled.idle <= rss.tsx.idle,
      },
      {
        id: 'hub-rss-tickets-compiled',
        name: `中枢 RSS 编译版，${tickets} 张票后 / RSS after tickets, compiled`,
        value: mb(rss.compiled.loaded),
        baseline: `tsx ${mb(rss.tsx.loaded)}`,
        ratio: (rss.compiled.loaded / rss.tsx.loaded).toFixed(2),
        goal: '≤ 1',
        pass: rss.compiled.loaded <= rss.tsx.loaded,
      },
    ];
  } finally {
    rmSync(stage, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  }
}

if (isMain(import.meta.url)) await runAlone(compiledHubBenchmarks);
