/** `govhall platform-sim`: flag validation in process, and one real run as a child process. */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../cli/main.js';
import { rawIngest, signedRequest } from './raw-client.js';
import { sampleCase } from './sample-records.js';

const BIN = fileURLToPath(new URL('../../bin/govhall.mjs', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'govhall-sim-cli-'));
const secretFile = join(dir, 'secret');
writeFileSync(secretFile, 'cli-secret\n');
const emptyFile = join(dir, 'empty');
writeFileSync(emptyFile, '\n');
const children: ChildProcess[] = [];

afterEach(() => vi.restoreAllMocks());
afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

async function run(args: string[]): Promise<{ code: number; err: string }> {
  let err = '';
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => {
    err += String(s);
    return true;
  });
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  const code = await main(['platform-sim', ...args]);
  vi.restoreAllMocks();
  return { code, err };
}

describe('govhall platform-sim', () => {
  it('refuses bad flags with exit 2 and a Chinese message', async () => {
    const cases: [string[], string][] = [
      [[], '缺少必需的选项 --secret-file'],
      [['--secret-file', join(dir, 'missing')], '无法读取密钥文件'],
      [['--secret-file', emptyFile], '是空的'],
      [['--secret-file', secretFile, '--port', '70000'], '--port'],
      [['--secret-file', secretFile, '--error-rate', '1.5'], '--error-rate 应为 0 到 1'],
      [['--secret-file', secretFile, '--rate-limit-rate', 'x'], '--rate-limit-rate'],
      [['--secret-file', secretFile, '--drop-after-commit', '-1'], '--drop-after-commit'],
      [['--secret-file', secretFile, '--latency', '-5'], '--latency'],
      [['--secret-file', secretFile, '--clock-offset=abc'], '--clock-offset'],
      [['--secret-file', secretFile, '--hall-code', '大厅 1'], '--hall-code'],
      [['--secret-file', secretFile, '--colour'], '未知选项 --colour'],
      [['--secret-file', secretFile, 'extra'], '多余的参数'],
    ];
    for (const [args, message] of cases) {
      const r = await run(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err, args.join(' ')).toContain(message);
    }
  });

  it('runs, prints its URL first, takes signed batches with the file secret, stops on SIGTERM', async () => {
    const { child, url } = await startChild(['--hall-code', 'H-CLI', '--clock-offset=0']);
    const r = await rawIngest(url, 'H-CLI', 'cli-secret', [sampleCase()], { alg: 'HMAC-SM3' });
    expect(r.status).toBe(200);
    const wrong = await signedRequest({ url, hallCode: 'H-CLI', secret: 'cli-secret\n', path: '/api/v1/catalog' });
    expect(wrong.status).toBe(401);
    const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
  });

  it('starts with every fault flag, and its partition can be lifted while it runs', async () => {
    const { child, url } = await startChild([
      '--hall-code=H-F',
      '--latency=5',
      '--error-rate=0.25',
      '--rate-limit-rate=0.125',
      '--retry-after=3',
      '--drop-after-commit=0.5',
      '--clock-offset=-90000',
      '--partitioned',
      '--seed=42',
      '--data',
      join(dir, 'sim-data'),
    ]);
    const faults = await (await fetch(`${url}/sim/faults`)).json();
    expect(faults).toEqual({
      latencyMs: 5,
      errorRate: 0.25,
      rateLimitRate: 0.125,
      retryAfterSeconds: 3,
      dropAfterCommitRate: 0.5,
      clockOffsetMs: -90000,
      partitioned: true,
    });
    await expect(
      signedRequest({ url, hallCode: 'H-F', secret: 'cli-secret', path: '/api/v1/catalog' }),
    ).rejects.toThrow();
    expect((await fetch(`${url}/sim/faults`, { method: 'POST', body: '{}' })).status).toBe(200);
    const ok = await signedRequest({ url, hallCode: 'H-F', secret: 'cli-secret', path: '/api/v1/catalog' });
    expect(ok.status).toBe(200);
    const page = await (await fetch(`${url}/`)).text();
    expect(page).toContain('省级平台模拟器');
    expect(
      ((await (await fetch(`${url}/sim/stats`)).json()) as { faults: { partitioned: number } }).faults.partitioned,
    ).toBeGreaterThan(0);
    const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
  });
});

async function startChild(args: string[]): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [BIN, 'platform-sim', '--port', '0', '--secret-file', secretFile, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`no URL within 20 s: ${out}`)), 20_000);
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /^(http:\/\/127\.0\.0\.1:\d+)\n/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.on('exit', () => reject(new Error(`exited early: ${out}`)));
  });
  return { child, url };
}
