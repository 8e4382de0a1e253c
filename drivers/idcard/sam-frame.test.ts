import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  COMMANDS,
  type CommandName,
  encodeCommand,
  encodeFrame,
  MAX_FRAME_LENGTH,
  replyOf,
  SamFrameParser,
  SamStatusError,
} from './sam-frame.js';

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0').toUpperCase()).join(' ');
const bytes = (s: string) => Uint8Array.from(s.split(' ').map((x) => Number.parseInt(x, 16)));
const FIND_OK = bytes('AA AA AA 96 69 00 08 00 00 9F 00 00 00 00 97');

/**
 * Feeds `stream` to a fresh parser in pieces of the sizes in `cuts` (cycled): the frame bodies it
 * gives, and the bytes it still holds at the end.
 */
function framesOf(stream: Uint8Array, cuts: number[]): { frames: Uint8Array[]; pending: number } {
  const p = new SamFrameParser();
  const frames: Uint8Array[] = [];
  let at = 0;
  for (let i = 0; at < stream.length; i++) {
    const n = cuts[i % cuts.length]!;
    for (const e of p.push(stream.slice(at, at + n))) if (e.kind === 'frame') frames.push(e.body);
    at += n;
  }
  return { frames, pending: p.pending };
}

describe('SAM_V frames', () => {
  it('encodes the documented command frames', () => {
    const expected: Record<CommandName, string> = {
      resetSam: 'AA AA AA 96 69 00 03 10 FF EC',
      samStatus: 'AA AA AA 96 69 00 03 11 FF ED',
      samId: 'AA AA AA 96 69 00 03 12 FF EE',
      findCard: 'AA AA AA 96 69 00 03 20 01 22',
      selectCard: 'AA AA AA 96 69 00 03 20 02 21',
      readTextPhoto: 'AA AA AA 96 69 00 03 30 01 32',
      readNewAddress: 'AA AA AA 96 69 00 03 30 03 30',
      readTextPhotoFingerprint: 'AA AA AA 96 69 00 03 30 10 23',
    };
    for (const name of Object.keys(COMMANDS) as CommandName[]) expect(hex(encodeCommand(name))).toBe(expected[name]);
  });

  it('parses the documented find-OK reply, even one byte at a time', () => {
    const p = new SamFrameParser();
    const events = [...FIND_OK].flatMap((b) => p.push(Uint8Array.of(b)));
    expect(events).toHaveLength(1);
    const e = events[0]!;
    expect(e.kind).toBe('frame');
    if (e.kind === 'frame') expect(replyOf(e.body)).toMatchObject({ sw1: 0, sw2: 0, sw3: 0x9f });
    expect(p.pending).toBe(0);
  });

  it('skips noise, a bad checksum and an impossible length, and still finds the next frame', () => {
    const p = new SamFrameParser();
    const badSum = Uint8Array.from(FIND_OK);
    badSum[badSum.length - 1] = (badSum[badSum.length - 1] ?? 0) ^ 0xff;
    const badLen = bytes('AA AA AA 96 69 FF FF 00');
    const stream = new Uint8Array([...bytes('01 02 AA 03'), ...badSum, ...badLen, ...FIND_OK]);
    const kinds = p.push(stream).map((e) => e.kind);
    expect(kinds).toContain('noise');
    expect(kinds).toContain('bad-checksum');
    expect(kinds).toContain('bad-length');
    expect(kinds.filter((k) => k === 'frame')).toHaveLength(1);
  });

  it('recovers every frame from any split of a stream with random noise between frames', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ minLength: 3, maxLength: 40 }), { minLength: 1, maxLength: 5 }),
        fc.array(
          fc.uint8Array({ maxLength: 6 }).map((n) => n.filter((b) => b !== 0xaa)),
          { minLength: 5, maxLength: 5 },
        ),
        fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 20 }),
        (bodies, noise, cuts) => {
          const parts: number[] = [];
          bodies.forEach((b, i) => {
            parts.push(...(noise[i] ?? []), ...encodeFrame(b));
          });
          const got = framesOf(Uint8Array.from(parts), cuts).frames;
          expect(got.map((g) => hex(g))).toEqual(bodies.map((b) => hex(b)));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('never throws on random input, keeps its buffer bounded, and finds the next good frame', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ maxLength: 64 }), { maxLength: 40 }),
        fc.uint8Array({ minLength: 3, maxLength: 30 }),
        (chunks, body) => {
          const p = new SamFrameParser();
          for (const c of chunks) {
            p.push(c);
            expect(p.pending).toBeLessThanOrEqual(7 + MAX_FRAME_LENGTH);
          }
          // Whatever came before, a run of silence-breaking filler and one good frame are enough:
          // a half-frame in the buffer can swallow at most MAX_FRAME_LENGTH bytes of filler.
          p.push(new Uint8Array(MAX_FRAME_LENGTH + 7));
          const got = p.push(encodeFrame(body)).filter((e) => e.kind === 'frame');
          expect(got.map((e) => hex(e.body))).toEqual([hex(body)]);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('survives mutated frames (flipped, dropped, duplicated bytes) and recovers at the next good one', () => {
    const good = encodeFrame(Uint8Array.from({ length: 300 }, (_, i) => i & 0xff));
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.record({ op: fc.constant('flip' as const), at: fc.nat(good.length - 1), bit: fc.nat(7) }),
            fc.record({ op: fc.constant('drop' as const), at: fc.nat(good.length - 1), bit: fc.constant(0) }),
            fc.record({ op: fc.constant('dup' as const), at: fc.nat(good.length - 1), bit: fc.constant(0) }),
          ),
          { minLength: 1, maxLength: 6 },
        ),
        fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 1, maxLength: 8 }),
        (mutations, cuts) => {
          const bad = [...good];
          for (const m of mutations) {
            const at = Math.min(m.at, bad.length - 1);
            if (m.op === 'flip') bad[at] = (bad[at] ?? 0) ^ (1 << m.bit);
            else if (m.op === 'drop') bad.splice(at, 1);
            else bad.splice(at, 0, bad[at] ?? 0);
          }
          // Silence long enough to flush a frame whose length field grew, then two good frames.
          const stream = Uint8Array.from([...bad, ...new Uint8Array(MAX_FRAME_LENGTH + 7), ...good, ...good]);
          const { frames, pending } = framesOf(stream, cuts);
          // The last two frames are the good ones; a mutation may also leave the first one valid.
          expect(frames.length).toBeGreaterThanOrEqual(2);
          expect(frames.slice(-2).map(hex)).toEqual([hex(good.slice(7, -1)), hex(good.slice(7, -1))]);
          expect(pending).toBe(0);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('names reader status codes in Chinese and keeps unknown ones', () => {
    expect(new SamStatusError(0x80).message).toBe('未找到卡片');
    expect(new SamStatusError(0x80).code).toBe('SAM_80');
    expect(new SamStatusError(0x5a).message).toContain('0x5a');
  });
});
