import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createLinkPair } from '../transport/byte-link.js';
import { Led69Controller } from './led-controller.js';
import { checksum, decodeLedFrame, encodeLedFrame, FRAME_LENGTH, LedFrameParser } from './led-frame.js';
import { LedStripSimulator } from './led-simulator.js';

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0').toUpperCase()).join(' ');

describe('LED strip 69-byte frame', () => {
  it('encodes a temporary frame byte for byte (golden)', () => {
    const f = encodeLedFrame({ address: 1, type: 'temporary', text: 'A012请' });
    const content = '21 41 21 30 21 31 21 32 20 C7 EB';
    const zeros = Array(60 - 11)
      .fill('00')
      .join(' ');
    expect(hex(f.bytes)).toBe(`01 04 01 00 05 00 00 00 ${content} ${zeros} 34`);
    expect(f).toMatchObject({ shown: 'A012请', truncated: false });
  });

  it('packs effects and the page count little-endian', () => {
    const f = encodeLedFrame({
      address: 0x12,
      type: 'show',
      text: '',
      pageCount: 0x0102,
      inEffect: { speed: 5, mode: 3 },
      outEffect: 7,
      stayMode: 2,
    }).bytes;
    expect(hex(f.subarray(0, 8))).toBe('12 01 02 01 00 A3 07 02');
    expect(f[68]).toBe((0x01 + 0x02 + 0x01 + 0xa3 + 0x07 + 0x02) & 0xff);
  });

  it('truncates at the last whole character: 20 full-width or 30 half-width', () => {
    const full = encodeLedFrame({ address: 1, type: 'temporary', text: '请'.repeat(25) });
    expect(full.truncated).toBe(true);
    expect(full.shown).toBe('请'.repeat(20));
    expect(full.bytes[4]).toBe(20);
    const half = encodeLedFrame({ address: 1, type: 'temporary', text: 'x'.repeat(31) });
    expect(half.shown).toHaveLength(30);
    const mixed = encodeLedFrame({ address: 1, type: 'temporary', text: `${'x'.repeat(29)}号` });
    expect(mixed.shown).toBe('x'.repeat(29)); // 58 bytes used, a full-width char needs 3 more
    expect(decodeLedFrame(mixed.bytes)).toMatchObject({ ok: true, frame: { text: 'x'.repeat(29) } });
  });

  it('replaces what GBK cannot encode with ？ and refuses bad header values', () => {
    expect(encodeLedFrame({ address: 1, type: 'temporary', text: '号😀' }).shown).toBe('号？');
    expect(() => encodeLedFrame({ address: 300, type: 'temporary', text: '' })).toThrow(/屏地址/);
    expect(() => encodeLedFrame({ address: 1, type: 'temporary', text: '', inEffect: { mode: 1, speed: 9 } })).toThrow(
      /速度/,
    );
  });

  it('round-trips any text through decode', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), fc.integer({ min: 0, max: 255 }), (text, address) => {
        const f = encodeLedFrame({ address, type: 'temporary', text });
        const d = decodeLedFrame(f.bytes);
        expect(d.ok).toBe(true);
        if (d.ok) expect(d.frame.text).toBe(f.shown);
        expect(checksum(f.bytes)).toBe(f.bytes[68]);
      }),
    );
  });

  it('rejects a wrong checksum, length and type', () => {
    const f = encodeLedFrame({ address: 1, type: 'temporary', text: 'A1' }).bytes;
    const bad = Uint8Array.from(f);
    bad[68] = (bad[68] ?? 0) ^ 0xff;
    expect(decodeLedFrame(bad)).toMatchObject({ ok: false, code: 'BAD_CHECKSUM' });
    expect(decodeLedFrame(f.subarray(0, 68))).toMatchObject({ ok: false, code: 'BAD_LENGTH' });
    const t = Uint8Array.from(f);
    t[1] = 9;
    t[68] = checksum(t);
    expect(decodeLedFrame(t)).toMatchObject({ ok: false, code: 'BAD_TYPE' });
  });

  it('stream parser: never throws, bounded, recovers the next good frame after any noise and split', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 200 }),
        fc.string({ maxLength: 12 }),
        fc.array(fc.integer({ min: 1, max: 20 }), { minLength: 1, maxLength: 10 }),
        (noise, text, cuts) => {
          const p = new LedFrameParser();
          p.push(noise);
          expect(p.pending).toBeLessThan(FRAME_LENGTH);
          // Noise may have left a partial "frame" in the buffer; the good frame must still come out
          // once the buffer moved past it, which at most one frame length of padding guarantees.
          const good = encodeLedFrame({ address: 7, type: 'temporary', text }).bytes;
          const stream = new Uint8Array([...good]);
          const frames = [];
          let i = 0;
          let k = 0;
          while (i < stream.length) {
            const n = cuts[k++ % cuts.length]!;
            frames.push(...p.push(stream.subarray(i, i + n)).filter((e) => e.kind === 'frame'));
            i += n;
          }
          if (noise.length === 0) expect(frames).toHaveLength(1);
          // Whatever the noise left behind, the next two good frames bring the good text back.
          const shown = encodeLedFrame({ address: 7, type: 'temporary', text }).shown;
          const again = p.push(new Uint8Array([...good, ...good])).filter((e) => e.kind === 'frame');
          expect([...frames, ...again].some((e) => e.kind === 'frame' && e.frame.text === shown)).toBe(true);
          expect(p.pending).toBeLessThan(FRAME_LENGTH);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('the controller writes RAM frames that the simulator decodes', async () => {
    const [host, strip] = createLinkPair();
    const sim = new LedStripSimulator(strip, { address: 3 });
    const led = new Led69Controller(host, { address: 3 });
    expect(await led.showText('请A012号到3号窗口')).toEqual({ shown: '请A012号到3号窗口', truncated: false });
    await new Promise((r) => setTimeout(r, 0));
    expect(sim.text).toBe('请A012号到3号窗口');
    expect(sim.frames[0]?.type).toBe('temporary');
    await led.clear();
    await new Promise((r) => setTimeout(r, 0));
    expect(sim.text).toBe('');
  });
});
