/** What every benchmark module shares: the row it reports and the statistics it reports with. */
import { Agent, type IncomingHttpHeaders, request } from 'node:http';
import { pathToFileURL } from 'node:url';

/** One line of the benchmark table, as printed and as stored in bench-results/*.json. */
export interface BenchRow {
  /** Stable key: the docs quote a row by it, so it survives rewording the name. */
  id: string;
  name: string;
  value: string;
  baseline: string;
  ratio: string;
  goal: string;
  /** null: recorded only, no goal. */
  pass: boolean | null;
}

export interface BenchOptions {
  quick: boolean;
  progress: (message: string) => void;
}

/** The `p`th percentile by nearest rank (p99 of 100 samples is the 99th smallest). */
export function percentile(xs: readonly number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? 0;
}

export const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
};

/** Runs a benchmark module on its own (`node --import tsx test/bench/<name>.ts [--quick]`) and prints its rows. */
export async function runAlone(bench: (opts: BenchOptions) => Promise<BenchRow[]> | BenchRow[]): Promise<void> {
  const rows = await bench({
    quick: process.argv.includes('--quick'),
    progress: (m) => process.stderr.write(`  … ${m}\n`),
  });
  for (const r of rows) console.log(`${r.name}: ${r.value}（基线 ${r.baseline}，比值 ${r.ratio}，目标 ${r.goal}）`);
}

/** True when `moduleUrl` is the script node was started with. */
export const isMain = (moduleUrl: string): boolean =>
  !!process.argv[1] && moduleUrl === pathToFileURL(process.argv[1]).href;

/** The keep-alive agent of `fastCall`; destroy it when a run is over so the process can end. */
export const fastAgent = new Agent({ keepAlive: true, maxSockets: 64 });

/**
 * A lean keep-alive JSON client, so the numbers measure the hub and not the client; `retryAfter`
 * is the 429's `Retry-After` in seconds (1 when absent).
 */
export function fastCall(
  base: string,
  method: string,
  path: string,
  token: string | null,
  body?: unknown,
): Promise<{ status: number; body: any; headers: IncomingHttpHeaders; retryAfter: number }> {
  const data = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      `${base}/api/v1${path}`,
      {
        method,
        agent: fastAgent,
        headers: {
          ...(token ? { authorization: `Bearer ${token}` } : {}),
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
            body: text && res.headers['content-type']?.includes('json') ? JSON.parse(text) : text || null,
            headers: res.headers,
            retryAfter: Number(res.headers['retry-after'] ?? 1),
          });
        });
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}
