/**
 * The host side of the RS-485 keypad bus: polls each address in turn, waits a bounded time for its
 * reply, reports key presses and the health of every address. One poller per bus (serial port);
 * callers and evaluation keypads may share a bus.
 *
 * Nothing here throws out of the loop: a write that fails (port gone) counts as a missed reply, so a
 * bus behind a reconnecting link simply goes offline and comes back by itself.
 */
import type { ByteLink } from '../transport/byte-link.js';
import { IDLE_CODE, KeypadReplyParser, pollByte } from './rs485-keypad.js';

export interface KeypadPollerOptions {
  addresses: number[];
  /** Every key code any keypad on the bus may send (idle `00` is added). */
  codes: Iterable<number>;
  /** How long to wait for one keypad's reply (default 60 ms). */
  replyTimeoutMs?: number;
  /**
   * A full round over every address starts at most this often (default 200 ms). The protocol asks
   * for every keypad to be polled within 500 ms; `addresses × replyTimeoutMs` should stay below it.
   */
  cycleMs?: number;
  /** Missed replies in a row before an address is reported offline (default 3). */
  offlineAfter?: number;
  /** Keypads that answer only when a key was pressed: silence is then no sign of trouble. */
  silentWhenIdle?: boolean;
}

export interface KeypadPress {
  address: number;
  code: number;
}

export interface KeypadHealth {
  address: number;
  online: boolean;
  detail: string | null;
}

export class KeypadPoller {
  private readonly parser: KeypadReplyParser;
  private readonly opts: Required<Omit<KeypadPollerOptions, 'codes'>>;
  private readonly pressListeners = new Set<(p: KeypadPress) => void>();
  private readonly healthListeners = new Set<(h: KeypadHealth) => void>();
  private readonly health = new Map<number, { online: boolean | null; misses: number }>();
  private waiting: { address: number; done: (ok: boolean) => void } | null = null;
  private sleeper: { timer: NodeJS.Timeout; done: () => void } | null = null;
  private running = false;
  private loopDone: Promise<void> = Promise.resolve();
  private unsubscribe: (() => void) | null = null;
  /** Polls sent and replies received, for diagnostics. */
  readonly counters = { polls: 0, replies: 0, noiseBytes: 0, writeErrors: 0 };

  constructor(
    private readonly link: ByteLink,
    options: KeypadPollerOptions,
  ) {
    for (const a of options.addresses) pollByte(a); // validates
    this.opts = {
      addresses: [...new Set(options.addresses)],
      replyTimeoutMs: options.replyTimeoutMs ?? 60,
      cycleMs: options.cycleMs ?? 200,
      offlineAfter: options.offlineAfter ?? 3,
      silentWhenIdle: options.silentWhenIdle ?? false,
    };
    this.parser = new KeypadReplyParser(this.opts.addresses, options.codes);
    for (const a of this.opts.addresses) this.health.set(a, { online: null, misses: 0 });
  }

  onPress(cb: (p: KeypadPress) => void): () => void {
    this.pressListeners.add(cb);
    return () => this.pressListeners.delete(cb);
  }

  onHealth(cb: (h: KeypadHealth) => void): () => void {
    this.healthListeners.add(cb);
    return () => this.healthListeners.delete(cb);
  }

  /** Current health of each address: true online, false offline, null not yet known. */
  states(): Map<number, boolean | null> {
    return new Map([...this.health].map(([a, h]) => [a, h.online]));
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.unsubscribe = this.link.onData((chunk) => this.onChunk(chunk));
    this.loopDone = this.loop();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.waiting?.done(false);
    if (this.sleeper) {
      clearTimeout(this.sleeper.timer);
      this.sleeper.done();
    }
    await this.loopDone;
    this.unsubscribe?.();
    this.unsubscribe = null;
  }

  private onChunk(chunk: Uint8Array): void {
    for (const e of this.parser.push(chunk)) {
      if (e.kind === 'noise') {
        this.counters.noiseBytes += e.bytes.length;
        continue;
      }
      this.counters.replies++;
      this.markAlive(e.address);
      // A late reply still carries a real press: deliver it rather than lose it.
      if (e.code !== IDLE_CODE) this.emit(this.pressListeners, { address: e.address, code: e.code });
      if (this.waiting?.address === e.address) this.waiting.done(true);
    }
  }

  private async loop(): Promise<void> {
    while (this.running) {
      const started = Date.now();
      for (const a of this.opts.addresses) {
        if (!this.running) return;
        await this.pollOne(a);
      }
      const rest = this.opts.cycleMs - (Date.now() - started);
      await this.sleep(Math.max(rest, 1));
    }
  }

  private async pollOne(address: number): Promise<void> {
    this.parser.reset();
    this.counters.polls++;
    const answered = new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => finish(false), this.opts.replyTimeoutMs);
      const finish = (ok: boolean) => {
        clearTimeout(timer);
        if (this.waiting?.address === address) this.waiting = null;
        resolve(ok);
      };
      this.waiting = { address, done: finish };
    });
    let detail = '没有应答';
    try {
      await this.link.write(Uint8Array.of(pollByte(address)));
    } catch (e) {
      this.counters.writeErrors++;
      detail = `串口写入失败：${(e as Error).message}`;
      this.waiting?.done(false);
    }
    const ok = await answered;
    if (!ok && this.running) this.markMiss(address, detail);
  }

  private sleep(ms: number): Promise<void> {
    // Stopped while the last poll of a cycle was waiting: end now rather than sleep out the cycle.
    if (!this.running) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.sleeper = null;
        resolve();
      }, ms);
      this.sleeper = { timer, done: resolve };
    });
  }

  private markAlive(address: number): void {
    const h = this.health.get(address);
    if (!h) return;
    h.misses = 0;
    if (h.online !== true) {
      h.online = true;
      this.emit(this.healthListeners, { address, online: true, detail: null });
    }
  }

  private markMiss(address: number, detail: string): void {
    const h = this.health.get(address);
    if (!h) return;
    h.misses++;
    const writeFailed = detail !== '没有应答';
    if (this.opts.silentWhenIdle && !writeFailed) return;
    if (h.misses >= this.opts.offlineAfter && h.online !== false) {
      h.online = false;
      this.emit(this.healthListeners, { address, online: false, detail: `${detail}（连续 ${h.misses} 次）` });
    }
  }

  private emit<T>(set: Set<(v: T) => void>, v: T): void {
    for (const l of set) {
      try {
        l(v);
      } catch {
        // A listener's failure is the listener's business; the bus keeps running.
      }
    }
  }
}
