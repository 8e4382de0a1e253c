/**
 * `govhall printer test|status` end to end: the real command (bin/govhall.mjs, a child process)
 * against `govhall sim printer --tcp 0` (another child), over loopback TCP.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../../bin/govhall.mjs', import.meta.url));

function govhall(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      err += d;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out, err });
    });
  });
}

let sim: ChildProcessWithoutNullStreams;
let simOut = '';
let address = '';

/** Waits (bounded) until the simulator's output contains `text`. */
async function simSays(text: string, from = 0): Promise<void> {
  for (let i = 0; i < 300 && !simOut.slice(from).includes(text); i++) await new Promise((r) => setTimeout(r, 20));
  expect(simOut.slice(from)).toContain(text);
}

beforeAll(async () => {
  sim = spawn(process.execPath, [BIN, 'sim', 'printer', '--tcp', '0', '--width', '58'], { stdio: 'pipe' });
  sim.stdout.on('data', (d) => {
    simOut += d;
  });
  for (let i = 0; i < 500 && !/tcp (\S+:\d+)/.test(simOut); i++) await new Promise((r) => setTimeout(r, 20));
  address = /tcp (\S+:\d+)/.exec(simOut)?.[1] ?? '';
  expect(address).toMatch(/^127\.0\.0\.1:\d+$/);
});

afterAll(async () => {
  if (sim.exitCode === null) {
    const gone = new Promise((r) => sim.once('exit', r));
    sim.kill('SIGTERM');
    await gone;
  }
});

describe('govhall printer', () => {
  it('status --json of a ready printer, then a sample ticket the simulator decodes', async () => {
    const s = await govhall(['printer', 'status', '--host', address, '--json']);
    expect(s.code).toBe(0);
    expect(JSON.parse(s.out)).toEqual({ online: true, coverOpen: false, paperNearEnd: false, paperOut: false });
    const mark = simOut.length;
    const t = await govhall(['printer', 'test', '--host', address, '--width', '58']);
    expect(t.err).toBe('');
    expect(t.code).toBe(0);
    expect(t.out).toContain('已打印样票');
    await simSays('切纸', mark);
    expect(simOut.slice(mark)).toContain('A012');
    expect(simOut.slice(mark)).toContain('[二维码 http://127.0.0.1:8800/t/');
  });

  it('paper out: status exits 1 with paperOut, test exits 1 with a Chinese message and prints nothing', async () => {
    sim.stdin.write('paper-out\n');
    await simSays('paper-out');
    const s = await govhall(['printer', 'status', '--host', address, '--json']);
    expect(s.code).toBe(1);
    expect(JSON.parse(s.out)).toMatchObject({ online: false, paperOut: true });
    const before = (simOut.match(/==== 第/g) ?? []).length;
    const t = await govhall(['printer', 'test', '--host', address]);
    expect(t.code).toBe(1);
    expect(t.err).toContain('错误 PAPER_OUT：打印机缺纸');
    expect((simOut.match(/==== 第/g) ?? []).length).toBe(before);
    sim.stdin.write('ok\n');
  });

  it('usage errors exit 2; no printer there exits 3', async () => {
    const both = await govhall(['printer', 'status', '--host', address, '--port', '/dev/ttyUSB9']);
    expect(both.code).toBe(2);
    expect(both.err).toContain('需要 --port、--host、--lp 三者之一');
    expect((await govhall(['printer', 'test', '--host', address, '--width', '76'])).code).toBe(2);
    expect((await govhall(['printer', 'nope'])).code).toBe(2);
    const free = createServer();
    await new Promise<void>((r) => free.listen(0, '127.0.0.1', r));
    const port = (free.address() as { port: number }).port;
    await new Promise<void>((r) => free.close(() => r()));
    const none = await govhall(['printer', 'status', '--host', `127.0.0.1:${port}`]);
    expect(none.code).toBe(3);
    expect(none.err).toContain('拒绝连接');
    expect(none.err).not.toMatch(/\n\s+at /);
  });
});
