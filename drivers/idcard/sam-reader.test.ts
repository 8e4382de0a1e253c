/** The reader session against the device-side simulator over an in-memory link. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type ByteLink, createLinkPair } from '../transport/byte-link.js';
import { wireTimeMs } from '../transport/paced-link.js';
import { CardReaderSimulator } from './card-reader-simulator.js';
import { buildCardText } from './card-text.js';
import { encodeFrame } from './sam-frame.js';
import { replyBoundMs, SamGarbageError, SamReader, SamTimeoutError } from './sam-reader.js';

const CARD = buildCardText([
  { offset: 0, length: 30, value: '李秀英' },
  { offset: 30, length: 2, value: '2' },
  { offset: 32, length: 4, value: '01' },
  { offset: 36, length: 16, value: '19550315' },
  { offset: 52, length: 70, value: '浙江省杭州市上城区' },
  { offset: 122, length: 36, value: '330102195503150026' },
  { offset: 158, length: 30, value: '杭州市公安局上城分局' },
  { offset: 188, length: 16, value: '20150101' },
  { offset: 204, length: 16, value: '长期' },
]);

function setup(opts = {}) {
  const [host, device] = createLinkPair();
  const sim = new CardReaderSimulator(device, opts);
  const reader = new SamReader(host, { timeoutMs: 200 });
  return { sim, reader };
}

describe('SAM_V reader session', () => {
  it('reads a presented card once per presentation', async () => {
    const { sim, reader } = setup();
    expect(await reader.readCard()).toBeNull();
    sim.present(CARD);
    const read = await reader.readCard();
    expect(read?.text).toMatchObject({
      name: '李秀英',
      gender: '女',
      nation: '汉',
      idNumber: '330102195503150026',
      validTo: '长期',
    });
    expect(read?.photo.length).toBe(1024);
    // The card still lies there, but a reader only finds it again after it is lifted and presented.
    expect(await reader.readCard()).toBeNull();
    sim.lift();
    sim.present(CARD);
    expect((await reader.readCard())?.text.name).toBe('李秀英');
    expect(sim.received.slice(0, 4)).toEqual(['findCard', 'findCard', 'selectCard', 'readTextPhoto']);
    reader.close();
  });

  it('reports the SAM id', async () => {
    const { reader } = setup({ samId: Uint8Array.from({ length: 16 }, (_, i) => i) });
    expect(await reader.samId()).toBe('000102030405060708090a0b0c0d0e0f');
  });

  it('times out with a Chinese message when the reader never answers, and keeps working after', async () => {
    const { reader } = setup({ silent: true });
    const err = await reader.findCard().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SamTimeoutError);
    expect((err as Error).message).toContain('没有应答');
  });

  it('serialises overlapping commands', async () => {
    const { sim, reader } = setup();
    sim.present(CARD);
    const [a, b] = await Promise.all([reader.findCard(), reader.findCard()]);
    expect([a, b]).toEqual([true, false]);
  });
});

/** A link whose incoming bytes the test hands over itself, piece by piece, under fake timers. */
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
const READ_REPLY = encodeFrame([0x00, 0x00, 0x90, 0x01, 0x00, 0x04, 0x00, ...CARD, ...new Uint8Array(1024).fill(7)]);

describe('reply timeouts follow the bytes and the baud rate (fake timers)', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('a read whose reply trickles in over more than a second succeeds', async () => {
    vi.useFakeTimers();
    const { link, deliver } = handLink();
    const reader = new SamReader(link, { timeoutMs: 1000, baudRate: 9600 });
    expect(READ_REPLY.length).toBe(1295);
    let outcome: unknown = null;
    const pending = reader.send('readTextPhoto').then(
      (r) => {
        outcome = r;
      },
      (e: unknown) => {
        outcome = e;
      },
    );
    await vi.advanceTimersByTimeAsync(400);
    // 100-byte pieces 300 ms apart, as a USB-serial bridge may hand them over: 3.9 s in all.
    for (let at = 0; at < READ_REPLY.length; at += 100) {
      deliver(READ_REPLY.subarray(at, at + 100));
      await vi.advanceTimersByTimeAsync(at + 100 < READ_REPLY.length ? 300 : 0);
    }
    await pending;
    expect(outcome).toMatchObject({ sw3: 0x90 });
    expect((outcome as { data: Uint8Array }).data.length).toBe(4 + 256 + 1024);
    reader.close();
  });

  it('true silence times out after the silence timeout, not before', async () => {
    vi.useFakeTimers();
    const { link } = handLink();
    const reader = new SamReader(link, { timeoutMs: 1000, baudRate: 9600 });
    let outcome: unknown = null;
    void reader.send('readTextPhoto').catch((e: unknown) => {
      outcome = e;
    });
    await vi.advanceTimersByTimeAsync(999);
    expect(outcome).toBeNull();
    await vi.advanceTimersByTimeAsync(1);
    expect(outcome).toBeInstanceOf(SamTimeoutError);
    expect((outcome as Error).message).toContain('没有应答');
    reader.close();
  });

  it('a reply that stops half way is reported after the silence, as a reply it could not use', async () => {
    vi.useFakeTimers();
    const { link, deliver } = handLink();
    const reader = new SamReader(link, { timeoutMs: 1000 });
    let outcome: unknown = null;
    void reader.send('readTextPhoto').catch((e: unknown) => {
      outcome = e;
    });
    await vi.advanceTimersByTimeAsync(10);
    deliver(READ_REPLY.subarray(0, 600));
    await vi.advanceTimersByTimeAsync(999);
    expect(outcome).toBeNull();
    await vi.advanceTimersByTimeAsync(1);
    expect(outcome).toBeInstanceOf(SamGarbageError);
    reader.close();
  });

  it('bytes that never make a frame are stopped by the overall bound from the wire time', async () => {
    vi.useFakeTimers();
    const { link, deliver } = handLink();
    const reader = new SamReader(link, { timeoutMs: 1000, baudRate: 9600 });
    const bound = replyBoundMs('readTextPhoto', 1000, 9600);
    // The bound leaves room for the reply's own wire time at 9600 baud (1.35 s) several times over.
    expect(bound).toBeGreaterThan(1000 + 2 * wireTimeMs(1295, 9600));
    let outcome: unknown = null;
    void reader.send('readTextPhoto').catch((e: unknown) => {
      outcome = e;
    });
    let elapsed = 0;
    while (outcome === null && elapsed < 4 * bound) {
      deliver(Uint8Array.of(0x13, 0x37)); // noise, never a preamble, never silent for long
      await vi.advanceTimersByTimeAsync(200);
      elapsed += 200;
    }
    expect(outcome).toBeInstanceOf(SamGarbageError);
    expect(elapsed).toBeGreaterThanOrEqual(bound);
    expect(elapsed).toBeLessThan(bound + 200);
    reader.close();
  });

  it('short commands get a short bound; a slower line a longer one', () => {
    expect(replyBoundMs('findCard', 1000, 115200)).toBeLessThan(replyBoundMs('readTextPhoto', 1000, 115200));
    expect(replyBoundMs('readTextPhoto', 1000, 9600)).toBeGreaterThan(replyBoundMs('readTextPhoto', 1000, 115200));
  });
});
