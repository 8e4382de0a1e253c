/**
 * Virtual serial port pairs for tests and simulators — real kernel tty I/O through socat. Lives in
 * drivers/ so `govhall sim … --create-pty` can use it too; tests use it through
 * `drivers/testing/pty-pair.ts`, which closes each pair after the test.
 *
 *   const pair = await createPtyPair();          // spawns socat, waits for both ends
 *   const host = await openSerialLink({ path: pair.hostPath });     // the driver's end
 *   const dev = await openSerialLink({ path: pair.devicePath });    // the simulator's end
 *   await pair.unplug();   // kills socat: both ptys vanish, like a USB adapter pulled out
 *   await pair.replug();   // a new socat with the SAME two link paths (new /dev/pts numbers)
 *   await pair.close();    // kills socat and removes the temp folder (call it in afterEach)
 *
 * `hostPath` and `devicePath` are symlinks in a fresh temp folder (`link=` option of socat), so
 * they stay the same across unplug/replug while the pts devices behind them change. Both ends are
 * `raw,echo=0`. Every pair ever created is also killed on process exit, so a failed test cannot
 * leave socat running. Needs `socat` on PATH (Debian: apt-get install socat).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface PtyPair {
  /** The host (driver) side: give it to the code under test, e.g. `--port`. */
  readonly hostPath: string;
  /** The device side: the simulator opens this one. */
  readonly devicePath: string;
  /** The temp folder holding both links. */
  readonly dir: string;
  /** True while socat runs. */
  readonly plugged: boolean;
  /** Kills socat; both link paths disappear. */
  unplug(): Promise<void>;
  /** Starts socat again with the same link paths (no-op when plugged). */
  replug(): Promise<void>;
  /** Kills socat and removes the folder. Safe to call twice. */
  close(): Promise<void>;
}

export interface PtyPairOptions {
  /** Folder for the links; default a fresh temp folder (removed on close). */
  dir?: string;
  /** How long to wait for socat to create both links (ms, default 5000). */
  startTimeoutMs?: number;
}

const live = new Set<ChildProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const p of live) p.kill('SIGKILL');
  });
}

async function startSocat(hostPath: string, devicePath: string, timeoutMs: number): Promise<ChildProcess> {
  const child = spawn('socat', ['-d', '-d', `pty,raw,echo=0,link=${hostPath}`, `pty,raw,echo=0,link=${devicePath}`], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  live.add(child);
  installExitHook();
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  let exited = false;
  let spawnError: Error | null = null;
  child.once('error', (e) => {
    spawnError = e;
  });
  child.once('exit', () => {
    exited = true;
    live.delete(child);
  });
  const deadline = Date.now() + timeoutMs;
  // socat logs "starting data transfer loop" once both ptys exist and their links are made.
  while (!(stderr.includes('starting data transfer loop') && existsSync(hostPath) && existsSync(devicePath))) {
    if (spawnError) throw new Error(`无法启动 socat（请安装 socat）：${(spawnError as Error).message}`);
    if (exited) throw new Error(`socat 意外退出：${stderr.trim().split('\n').pop() ?? ''}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`socat 在 ${timeoutMs} 毫秒内没有建好虚拟串口`);
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  return child;
}

async function stopSocat(child: ChildProcess, paths: string[]): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    const gone = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 1000);
    await gone;
    clearTimeout(timer);
  }
  live.delete(child);
  // socat removes its links on SIGTERM; make sure, so "unplugged" really means the path is gone.
  for (const p of paths) rmSync(p, { force: true });
}

/** Creates a connected pair of ptys through socat; see the top of this file. */
export async function createPtyPair(opts: PtyPairOptions = {}): Promise<PtyPair> {
  const ownDir = !opts.dir;
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'govhall-pty-'));
  const hostPath = join(dir, 'host');
  const devicePath = join(dir, 'device');
  const timeout = opts.startTimeoutMs ?? 5000;
  let child: ChildProcess | null = await startSocat(hostPath, devicePath, timeout);
  let closed = false;
  return {
    hostPath,
    devicePath,
    dir,
    get plugged() {
      return child !== null;
    },
    async unplug() {
      if (!child) return;
      const c = child;
      child = null;
      await stopSocat(c, [hostPath, devicePath]);
    },
    async replug() {
      if (child || closed) return;
      child = await startSocat(hostPath, devicePath, timeout);
    },
    async close() {
      if (closed) return;
      closed = true;
      if (child) {
        const c = child;
        child = null;
        await stopSocat(c, [hostPath, devicePath]);
      }
      if (ownDir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
