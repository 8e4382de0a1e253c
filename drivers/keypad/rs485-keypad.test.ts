import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { waitFor } from '../testing/wait-for.js';
import { createLinkPair } from '../transport/byte-link.js';
import { bootReport, HidKeypad, HidReportDecoder, keyName, usageOf } from './hid-keypad.js';
import { codesOf, DEFAULT_CALLER_MAP, DEFAULT_LEVEL_MAP, normaliseKey } from './key-map.js';
import { CALLER_CODES, encodeReply, KeypadReplyParser, parseCode, pollByte } from './rs485-keypad.js';

const CODES = [...Object.values(CALLER_CODES), 1, 2, 3, 4, 5];

describe('RS-485 keypad frames', () => {
  it('polls with 0xFF − address and parses [echo, code] replies, split anywhere', () => {
    expect(pollByte(1)).toBe(0xfe);
    expect(pollByte(0x33)).toBe(0xcc);
    expect(() => pollByte(0)).toThrow(RangeError);
    const p = new KeypadReplyParser([1, 2], CODES);
    expect(p.push(Uint8Array.of(0xfe))).toEqual([]);
    expect(p.pending).toBe(1);
    expect(p.push(Uint8Array.of(0xcc, 0xfd, 0x00))).toEqual([
      { kind: 'reply', address: 1, code: 0xcc },
      { kind: 'reply', address: 2, code: 0 },
    ]);
  });

  it('skips noise and the adapter echo of our own poll', () => {
    const p = new KeypadReplyParser([1], CODES);
    const ev = p.push(Uint8Array.of(0x13, 0xfe, 0xfe, 0x33, 0x99, 0xfe, 0x77, 0xfe, 0x0f));
    expect(ev.filter((e) => e.kind === 'reply')).toEqual([
      { kind: 'reply', address: 1, code: 0x33 },
      { kind: 'reply', address: 1, code: 0x0f },
    ]);
    expect(ev.filter((e) => e.kind === 'noise').flatMap((e) => (e.kind === 'noise' ? e.bytes : []))).toEqual([
      0x13, 0xfe, 0x99, 0xfe, 0x77,
    ]);
  });

  it('fuzz: never throws, keeps ≤ 1 byte, and finds a good reply after any garbage and split', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 300 }),
        fc.integer({ min: 1, max: 254 }),
        fc.constantFrom(...CODES),
        fc.integer({ min: 1, max: 3 }),
        (garbage, address, code, cut) => {
          const p = new KeypadReplyParser([address], CODES);
          p.push(garbage);
          expect(p.pending).toBeLessThanOrEqual(1);
          // The host resets the parser before each poll; after that a reply is always found.
          p.reset();
          const reply = encodeReply(address, code);
          const out = [...p.push(reply.subarray(0, cut)), ...p.push(reply.subarray(cut))];
          expect(out).toContainEqual({ kind: 'reply', address, code });
          // Without a reset, garbage can hold at most one byte that then becomes noise: the reply
          // following it is found too.
          const q = new KeypadReplyParser([address], CODES);
          q.push(garbage);
          const got = q.push(new Uint8Array([...reply, ...reply]));
          expect(got.filter((e) => e.kind === 'reply').length).toBeGreaterThanOrEqual(1);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('parses config codes and key names', () => {
    expect(parseCode('CC')).toBe(0xcc);
    expect(parseCode('0x0f')).toBe(0x0f);
    expect(parseCode('zz')).toBeNull();
    expect(normaliseKey('cc')).toBe('CC');
    expect(normaliseKey('0x5')).toBe('05');
    expect(normaliseKey(204)).toBe('CC');
    expect(DEFAULT_CALLER_MAP.get('CC')).toBe('call-next');
    expect(DEFAULT_LEVEL_MAP.get('05')).toBe('very_dissatisfied');
    expect(codesOf(DEFAULT_CALLER_MAP).sort()).toEqual(Object.values(CALLER_CODES).sort());
  });
});

describe('HID keypads (recorded boot keyboard reports)', () => {
  // Recorded from a USB 5-key evaluation pad: key "1" down, up, key "5" down, "5"+"4" (rollover), up.
  const recorded = [
    '00 00 1E 00 00 00 00 00',
    '00 00 00 00 00 00 00 00',
    '00 00 22 00 00 00 00 00',
    '00 00 22 21 00 00 00 00',
    '00 00 00 00 00 00 00 00',
    '00 00 01 01 01 01 01 01',
    '00 00 59 00 00 00',
  ].map((s) => Uint8Array.from(s.split(' ').map((x) => Number.parseInt(x, 16))));

  it('decodes key downs only, ignoring releases, phantom and short reports', () => {
    const d = new HidReportDecoder();
    expect(recorded.flatMap((r) => d.push(r))).toEqual(['1', '5', '4']);
  });

  it('handles report ids and maps names both ways', () => {
    const d = new HidReportDecoder({ reportId: 2 });
    expect(d.push(Uint8Array.of(2, 0, 0, 0x3a, 0, 0, 0, 0, 0))).toEqual(['F1']);
    expect(d.push(Uint8Array.of(3, 0, 0, 0x3b, 0, 0, 0, 0, 0))).toEqual([]);
    expect(keyName(0x62)).toBe('KP0');
    expect(keyName(0x99)).toBe('0x99');
    expect(usageOf('kp5')).toBe(0x5d);
    expect(usageOf('0x99')).toBe(0x99);
  });

  it('fuzz: random and mutated reports never throw; a release then a key down is always heard', () => {
    const goodReport = fc
      .array(fc.integer({ min: 0x04, max: 0x65 }), { minLength: 1, maxLength: 6 })
      .map((u) => bootReport(u));
    const mutated = fc
      .tuple(goodReport, fc.nat(), fc.integer({ min: 0, max: 255 }), fc.boolean())
      .map(([r, at, v, drop]) => {
        const b = [...r];
        if (drop) b.splice(at % b.length, 1);
        else b[at % b.length] = v;
        return Uint8Array.from(b);
      });
    const report = fc.oneof(fc.uint8Array({ maxLength: 20 }), goodReport, mutated);
    fc.assert(
      fc.property(
        fc.array(report, { maxLength: 30 }),
        fc.constantFrom(undefined, 2),
        fc.integer({ min: 0x04, max: 0x65 }),
        (reports, reportId, usage) => {
          const d = new HidReportDecoder(reportId === undefined ? {} : { reportId });
          const framed = (r: Uint8Array) => (reportId === undefined ? r : Uint8Array.of(reportId, ...r));
          for (const r of reports) {
            const keys = d.push(r);
            expect(keys.length).toBeLessThanOrEqual(6);
            d.push(framed(r));
          }
          // Recovery: whatever came before, a release and then one key down gives exactly that key.
          d.push(framed(bootReport([])));
          expect(d.push(framed(bootReport([usage])))).toEqual([keyName(usage)]);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('reads reports through a link (the HID transport delivers one report per chunk)', async () => {
    const [dev, host] = createLinkPair();
    const pad = new HidKeypad(host);
    const keys: string[] = [];
    pad.onKey((k) => keys.push(k));
    await dev.write(bootReport([0x59]));
    await dev.write(new Uint8Array([...bootReport([]), ...bootReport([0x5a])]));
    await waitFor('both keys', () => keys.length === 2);
    expect(keys).toEqual(['KP1', 'KP2']);
    pad.close();
  });
});
