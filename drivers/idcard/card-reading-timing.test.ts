/**
 * How long the reader waits for a reply and how often the reading loop polls, on fake timers: the
 * simulator answers over an in-memory link (microtasks, no timers), or the test hands the bytes over
 * itself, so time moves only when the
 * test moves it and each timeout is checked to the millisecond, however loaded the machine is.
 */
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type ByteLink, createLinkPair } from '../transport/byte-link.js';
import { wireTimeMs } from '../transport/paced-link.js';
import { encodeCardText, validateCardJson } from './card-json.js';
import { CardReaderSimulator, type SimulatorOptions } from './card-reader-simulator.js';
import { type CardEvent, CardReadingLoop, type HealthEvent } from './card-reading-loop.js';
import { encodeFrame } from './sam-frame.js';
import { replyBoundMs, SamGarbageError, SamReader, SamTimeoutError } from './sam-reader.js';

const RESIDENT = validateCardJson(
  JSON.parse(readFileSync(new URL('./sample-cards/resident.json', import.meta.url), 'utf8')),
);

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

function rig(opts: SimulatorOptions = {}) {
  const [host, device] = createLinkPair();
  return { host, sim: new CardReaderSimulator(device, opts) };
}

/** Settles a promise without letting it reject unobserved while timers are moved. */
function settle<T>(p: Promise<T>) {
  const out: { value?: T; error?: unknown; done: boolean } = { done: false };
  p.then(
    (value) => Object.assign(out, { value, done: true }),
    (error: unknown) => Object.assign(out, { error, done: true }),
  );
  return out;
}

/** Checks that `p` is still pending `ms` − 1 ms from now and settled at `ms`; returns how it settled. */
async function settledAt<T>(p: Promise<T>, ms: number) {
  const out = settle(p);
  await vi.advanceTimersByTimeAsync(ms - 1);
  expect(out.done).toBe(false);
  await vi.advanceTimersByTimeAsync(1);
  expect(out.done).toBe(true);
  return out;
}

describe('SAM_V reader timeouts', () => {
  it('waits exactly timeoutMs for a reader that never answers, names the command, and works again after', async () => {
    const { host, sim } = rig({ silent: true });
    const reader = new SamReader(host, { timeoutMs: 1000 });
    const find = await settledAt(reader.findCard(), 1000);
    expect(find.error).toBeInstanceOf(SamTimeoutError);
    expect((find.error as Error).message).toMatch(/1000 毫秒内没有应答（命令 findCard）.*请检查连线/);
    sim.setFaults([]);
    const again = settle(reader.findCard());
    await vi.advanceTimersByTimeAsync(0);
    expect(again).toEqual({ value: false, done: true });
    reader.close();
  });

  it('an answer well inside the timeout is taken, and no timer is left behind', async () => {
    const { host, sim } = rig();
    const reader = new SamReader(host, { timeoutMs: 1000 });
    sim.presentCard(RESIDENT);
    const read = settle(reader.readCard());
    await vi.advanceTimersByTimeAsync(0);
    expect(read.value).toMatchObject({ text: { name: RESIDENT.name } });
    expect(vi.getTimerCount()).toBe(0);
    reader.close();
  });

  it('bytes that make no frame are reported as garbage when the wait is over, not as silence', async () => {
    const { host } = rig({ faults: ['garbage'] });
    const reader = new SamReader(host, { timeoutMs: 500 });
    const find = await settledAt(reader.findCard(), 500);
    expect(find.error).toBeInstanceOf(SamGarbageError);
    reader.close();
  });

  it('a command queued behind one that times out gets its own full wait', async () => {
    const { host } = rig({ silent: true });
    const reader = new SamReader(host, { timeoutMs: 300 });
    const first = reader.findCard();
    const second = reader.samId();
    expect((await settledAt(first, 300)).error).toBeInstanceOf(SamTimeoutError);
    expect((await settledAt(second, 300)).error).toBeInstanceOf(SamTimeoutError);
    reader.close();
  });
});

/** A link whose incoming bytes the test hands over itself, piece by piece. */
function handLink() {
  const listeners = new Set<(c: Uint8Array) => void>();
  const link: ByteLink = {
    write: async () => {},
    onData: (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    close: async () => {},
  };
  const deliver = (bytes: Uint8Array) => {
    for (const l of listeners) l(bytes);
  };
  return { link, deliver };
}

/** The reply to readTextPhoto: 1,295 bytes on the wire. */
const READ_REPLY = encodeFrame([
  0x00,
  0x00,
  0x90,
  0x01,
  0x00,
  0x04,
  0x00,
  ...encodeCardText(RESIDENT),
  ...new Uint8Array(1024).fill(7),
]);

describe('reply timeouts follow the bytes and the baud rate', () => {
  it('a read whose reply trickles in over more than a second succeeds', async () => {
    const { link, deliver } = handLink();
    const reader = new SamReader(link, { timeoutMs: 1000, baudRate: 9600 });
    expect(READ_REPLY.length).toBe(1295);
    const read = settle(reader.send('readTextPhoto'));
    await vi.advanceTimersByTimeAsync(400);
    // 100-byte pieces 300 ms apart, as a USB-serial bridge may hand them over: 3.9 s in all.
    for (let at = 0; at < READ_REPLY.length; at += 100) {
      deliver(READ_REPLY.subarray(at, at + 100));
      await vi.advanceTimersByTimeAsync(at + 100 < READ_REPLY.length ? 300 : 0);
    }
    expect(read.done).toBe(true);
    expect(read.value).toMatchObject({ sw3: 0x90 });
    expect(read.value?.data.length).toBe(4 + 256 + 1024);
    reader.close();
  });

  it('true silence times out after the silence timeout, not before, however slow the line', async () => {
    const { link } = handLink();
    const reader = new SamReader(link, { timeoutMs: 1000, baudRate: 9600 });
    const read = await settledAt(reader.send('readTextPhoto'), 1000);
    expect(read.error).toBeInstanceOf(SamTimeoutError);
    expect((read.error as Error).message).toContain('没有应答');
    reader.close();
  });

  it('a reply that stops half way is reported after the silence, as a reply it could not use', async () => {
    const { link, deliver } = handLink();
    const reader = new SamReader(link, { timeoutMs: 1000 });
    const pending = reader.send('readTextPhoto');
    const early = settle(pending);
    await vi.advanceTimersByTimeAsync(10);
    deliver(READ_REPLY.subarray(0, 600));
    expect(early.done).toBe(false);
    // The silence is counted from the last byte, not from the command.
    const read = await settledAt(pending, 1000);
    expect(read.error).toBeInstanceOf(SamGarbageError);
    reader.close();
  });

  it('bytes that never make a frame are stopped by the overall bound from the wire time', async () => {
    const { link, deliver } = handLink();
    const reader = new SamReader(link, { timeoutMs: 1000, baudRate: 9600 });
    const bound = replyBoundMs('readTextPhoto', 1000, 9600);
    // The bound leaves room for the reply's own wire time at 9600 baud (1.35 s) several times over.
    expect(bound).toBeGreaterThan(1000 + 2 * wireTimeMs(1295, 9600));
    const read = settle(reader.send('readTextPhoto'));
    let elapsed = 0;
    while (!read.done && elapsed < 4 * bound) {
      deliver(Uint8Array.of(0x13, 0x37)); // noise, never a preamble, never silent for long
      await vi.advanceTimersByTimeAsync(200);
      elapsed += 200;
    }
    expect(read.error).toBeInstanceOf(SamGarbageError);
    expect(elapsed).toBeGreaterThanOrEqual(bound);
    expect(elapsed).toBeLessThan(bound + 200);
    reader.close();
  });

  it('short commands get a short bound; a slower line a longer one', () => {
    expect(replyBoundMs('findCard', 1000, 115200)).toBeLessThan(replyBoundMs('readTextPhoto', 1000, 115200));
    expect(replyBoundMs('readTextPhoto', 1000, 9600)).toBeGreaterThan(replyBoundMs('readTextPhoto', 1000, 115200));
  });
});

describe('card reading loop timing', () => {
  function start(sim: SimulatorOptions, intervalMs: number, commandTimeoutMs: number) {
    const { host, sim: simulator } = rig(sim);
    const loop = new CardReadingLoop(host, { intervalMs, commandTimeoutMs });
    const health: HealthEvent[] = [];
    const cards: CardEvent[] = [];
    loop.on('health', (h) => health.push(h));
    loop.on('card', (c) => cards.push(c));
    loop.start();
    return { loop, sim: simulator, health, cards };
  }

  it('polls once every intervalMs after the previous poll is done', async () => {
    const { loop, sim } = start({}, 300, 1000);
    await vi.advanceTimersByTimeAsync(0);
    // The first poll checks the SAM, then looks for a card (and asks with select whether one an
    // earlier program found lies there).
    expect(sim.received).toEqual(['samStatus', 'samId', 'findCard', 'selectCard']);
    await vi.advanceTimersByTimeAsync(299);
    expect(sim.received).toHaveLength(4);
    await vi.advanceTimersByTimeAsync(1);
    expect(sim.received.slice(4)).toEqual(['findCard']);
    await vi.advanceTimersByTimeAsync(600);
    expect(sim.received.slice(4)).toEqual(['findCard', 'findCard', 'findCard']);
    await loop.stop();
    await vi.advanceTimersByTimeAsync(3000);
    expect(sim.received).toHaveLength(7);
  });

  it('a silent reader is offline after one command timeout, and online at the next poll once it answers', async () => {
    const { loop, sim, health } = start({ silent: true }, 300, 1000);
    await vi.advanceTimersByTimeAsync(999);
    expect(health).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(health).toEqual([{ state: 'offline', code: 'SAM_TIMEOUT', detail: expect.stringContaining('没有应答') }]);
    sim.setFaults([]);
    await vi.advanceTimersByTimeAsync(299);
    expect(health).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(health.at(-1)).toEqual({ state: 'online', detail: null, code: null });
    await loop.stop();
  });

  it('a card presented between polls is read at the next poll, not before', async () => {
    const { loop, sim, cards } = start({}, 300, 1000);
    await vi.advanceTimersByTimeAsync(0);
    sim.presentCard(RESIDENT);
    await vi.advanceTimersByTimeAsync(299);
    expect(cards).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(cards.map((c) => c.text.name)).toEqual([RESIDENT.name]);
    await loop.stop();
  });
});
