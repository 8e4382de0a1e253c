/**
 * `govhall printer test|status` end to end: the real command (bin/govhall.mjs, a child process)
 * against `govhall sim printer --tcp 0` (another child), over loopback TCP.
 */
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Cleanups } from '../../drivers/testing/cleanups.js';
import { govhall, startGovhall } from '../support/govhall-cli.js';

const stopSim: Cleanups = [];
let sim: ReturnType<typeof startGovhall>;
let address = '';
const tickets = () => (sim.output().match(/==== 第/g) ?? []).length;

beforeAll(async () => {
  sim = startGovhall(stopSim, ['sim', 'printer', '--tcp', '0', '--width', '58']);
  address = (await sim.said(/tcp (\S+:\d+)/))[1]!;
  expect(address).toMatch(/^127\.0\.0\.1:\d+$/);
});

afterAll(async () => {
  for (const stop of stopSim) await stop();
});

describe('govhall printer', () => {
  it('status --json of a ready printer, then a sample ticket the simulator decodes', async () => {
    const s = await govhall(['printer', 'status', '--host', address, '--json']);
    expect(s.code).toBe(0);
    expect(JSON.parse(s.out)).toEqual({ online: true, coverOpen: false, paperNearEnd: false, paperOut: false });
    const mark = sim.output().length;
    const t = await govhall(['printer', 'test', '--host', address, '--width', '58']);
    expect(t.err).toBe('');
    expect(t.code).toBe(0);
    expect(t.out).toContain('已打印样票');
    await sim.said(/切纸/, mark);
    expect(sim.output().slice(mark)).toContain('A012');
    expect(sim.output().slice(mark)).toContain('[二维码 http://127.0.0.1:8800/t/');
  });

  it('paper out: status exits 1 with paperOut, test exits 1 with a Chinese message and prints nothing', async () => {
    const said = sim.output().length;
    sim.child.stdin.write('paper-out\n');
    await sim.said(/paper-out/, said);
    const s = await govhall(['printer', 'status', '--host', address, '--json']);
    expect(s.code).toBe(1);
    expect(JSON.parse(s.out)).toMatchObject({ online: false, paperOut: true });
    const before = tickets();
    const t = await govhall(['printer', 'test', '--host', address]);
    expect(t.code).toBe(1);
    expect(t.err).toContain('错误 PAPER_OUT：打印机缺纸');
    // Paper back and one more print: once the simulator has decoded that one, anything the refused
    // run had sent (on its earlier, closed connection) would have been decoded before it.
    const ok = sim.output().length;
    sim.child.stdin.write('ok\n');
    await sim.said(/state: ok/, ok);
    const mark = sim.output().length;
    expect((await govhall(['printer', 'test', '--host', address])).code).toBe(0);
    await sim.said(/切纸/, mark);
    expect(tickets()).toBe(before + 1);
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
