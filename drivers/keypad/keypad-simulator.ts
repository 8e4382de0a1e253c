/**
 * The keypads' side of the RS-485 bus, for tests and `govhall sim keypad`: answers each poll of an
 * address it owns with `[0xFF − address, code]`, where code is the oldest queued key press or `00`.
 */
import type { ByteLink } from '../transport/byte-link.js';
import { addressOfPoll, IDLE_CODE, pollByte } from './rs485-keypad.js';

export interface KeypadSimulatorOptions {
  addresses: number[];
  /** Answer only when a key is queued (some keypads are silent when idle). */
  silentWhenIdle?: boolean;
  /** Answer nothing at all (a dead keypad or a wrong address). */
  silent?: boolean;
}

export class KeypadSimulator {
  private readonly queues = new Map<number, number[]>();
  private readonly stop: () => void;
  /** Addresses polled, in order, for tests to inspect (bounded). */
  readonly polls: number[] = [];
  private readonly sentListeners = new Set<(address: number, code: number) => void>();

  constructor(
    private readonly link: ByteLink,
    private readonly opts: KeypadSimulatorOptions,
  ) {
    for (const a of opts.addresses) {
      pollByte(a);
      this.queues.set(a, []);
    }
    this.stop = link.onData((chunk) => {
      for (const b of chunk) this.onPoll(b);
    });
  }

  /** Queues a key press; it is sent with the next poll of `address`. */
  press(address: number, code: number): void {
    const q = this.queues.get(address);
    if (!q) throw new RangeError(`模拟器没有地址 ${address} 的键盘`);
    q.push(code & 0xff);
  }

  /** Presses still waiting to be polled. */
  queued(address?: number): number {
    if (address !== undefined) return this.queues.get(address)?.length ?? 0;
    return [...this.queues.values()].reduce((n, q) => n + q.length, 0);
  }

  /** Called after a press went out on the wire. */
  onSent(cb: (address: number, code: number) => void): () => void {
    this.sentListeners.add(cb);
    return () => this.sentListeners.delete(cb);
  }

  private onPoll(b: number): void {
    const address = addressOfPoll(b);
    const q = this.queues.get(address);
    if (!q) return;
    if (this.polls.length < 10_000) this.polls.push(address);
    if (this.opts.silent) return;
    const code = q.shift() ?? IDLE_CODE;
    if (code === IDLE_CODE && this.opts.silentWhenIdle) return;
    this.link.write(Uint8Array.of(b, code)).then(
      () => {
        if (code !== IDLE_CODE) for (const l of this.sentListeners) l(address, code);
      },
      () => {
        // The port went away; the press is lost like on a real bus. Put it back so a retry sends it.
        if (code !== IDLE_CODE) q.unshift(code);
      },
    );
  }

  close(): void {
    this.stop();
  }
}
