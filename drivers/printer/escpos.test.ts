/** Golden bytes of the encoder, each written out by hand from docs/devices.md §2. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EscPos, encodeGbk, qrRaster, statusRequest, textColumns } from './escpos.js';
import { decodeEscPos } from './escpos-decoder.js';
import { fromGoldenHex, toGoldenHex } from './golden-hex.js';
import { layoutTicket, maskName, qrUrlFor, sampleTicket, wrapColumns } from './ticket-layout.js';

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join(' ');
const enc = (f: (p: EscPos) => EscPos) => hex(f(new EscPos()).bytes());

describe('ESC/POS encoder (golden bytes from devices.md)', () => {
  it('init, Chinese mode, alignment, bold, sizes', () => {
    expect(enc((p) => p.init())).toBe('1b 40');
    expect(enc((p) => p.chineseMode(true).chineseMode(false))).toBe('1c 26 1c 2e');
    expect(enc((p) => p.align('left').align('center').align('right'))).toBe('1b 61 00 1b 61 01 1b 61 02');
    expect(enc((p) => p.bold(true).bold(false))).toBe('1b 45 01 1b 45 00');
    // n = (width−1)<<4 | (height−1)
    expect(enc((p) => p.size(1).size(2).size(4).size(8).size(2, 1))).toBe(
      '1d 21 00 1d 21 11 1d 21 33 1d 21 77 1d 21 10',
    );
    expect(enc((p) => p.chineseSize(true, true).chineseSize(false, false))).toBe('1c 21 0c 1c 21 00');
    expect(() => new EscPos().size(9)).toThrow(RangeError);
    expect(() => new EscPos().size(0)).toThrow(RangeError);
  });

  it('GBK text, with ¥ as full-width ￥ (A3 A4) and unknown characters as ?', () => {
    expect(hex(encodeGbk('中文'))).toBe('d6 d0 ce c4');
    expect(hex(encodeGbk('¥5'))).toBe('a3 a4 35');
    expect(hex(encodeGbk('￥'))).toBe('a3 a4');
    expect(hex(encodeGbk('𠮷'))).toBe('3f');
    expect(enc((p) => p.line('A1'))).toBe('41 31 0a');
    expect(textColumns('A012')).toBe(4);
    expect(textColumns('社保¥')).toBe(6);
  });

  it('native QR: model 2, module size, error correction, store (pL pH = n + 3), print', () => {
    expect(enc((p) => p.qr('AB', { moduleSize: 6, level: 'M' }))).toBe(
      [
        '1d 28 6b 04 00 31 41 32 00',
        '1d 28 6b 03 00 31 43 06',
        '1d 28 6b 03 00 31 45 31',
        '1d 28 6b 05 00 31 50 30 41 42',
        '1d 28 6b 03 00 31 51 30',
      ].join(' '),
    );
    expect(enc((p) => p.qr('x', { level: 'L' }))).toContain('31 45 30');
    expect(enc((p) => p.qr('x', { level: 'H' }))).toContain('31 45 33');
    // 300 data bytes: 303 = 0x012F, little-endian 2F 01
    expect(enc((p) => p.qr('a'.repeat(300)))).toContain('1d 28 6b 2f 01 31 50 30');
  });

  it('raster image GS v 0 and the QR raster fallback', () => {
    const img = { widthDots: 16, height: 2, data: Uint8Array.of(0xff, 0x00, 0x0f, 0xf0) };
    expect(enc((p) => p.raster(img))).toBe('1d 76 30 00 02 00 02 00 ff 00 0f f0');
    const qr = qrRaster('HELLO', { scale: 4, level: 'L', quietModules: 2 });
    // Version 1 is 21 modules; with 2 quiet modules a side, 25 × 4 = 100 dots, rows of 13 bytes.
    expect(qr.widthDots).toBe(100);
    expect(qr.data.length).toBe(13 * 100);
    const bytes = new EscPos().qrAsRaster('HELLO', { moduleSize: 4, level: 'L' }).bytes();
    expect(hex(bytes.subarray(0, 8))).toBe('1d 76 30 00 0d 00 64 00');
  });

  it('CODE128 code set B, feed, cuts, real-time status', () => {
    expect(enc((p) => p.code128('A012'))).toBe('1d 6b 49 06 7b 42 41 30 31 32');
    expect(enc((p) => p.code128('{x', { height: 80, hri: 'below' }))).toBe(
      '1d 68 50 1d 48 02 1d 6b 49 05 7b 42 7b 7b 78',
    );
    expect(() => new EscPos().code128('中')).toThrow(RangeError);
    expect(enc((p) => p.feed(3))).toBe('1b 64 03');
    expect(enc((p) => p.cut('full').cut('partial').cut('partial', 3))).toBe('1d 56 00 1d 56 01 1d 56 42 03');
    expect(hex(statusRequest(1))).toBe('10 04 01');
    expect(hex(statusRequest(4))).toBe('10 04 04');
  });
});

describe('ticket layout', () => {
  for (const width of [58, 80] as const) {
    it(`${width} mm sample ticket matches its golden bytes`, () => {
      const golden = readFileSync(new URL(`./fixtures/ticket-${width}mm.hex`, import.meta.url), 'utf8');
      const bytes = layoutTicket(sampleTicket(), { width });
      // On purpose a failing comparison shows the readable hex of both sides.
      expect(toGoldenHex(bytes)).toBe(toGoldenHex(fromGoldenHex(golden)));
    });
  }

  it('starts with init + Chinese mode, ends with feed + cut, never wider than the paper', () => {
    for (const width of [58, 80] as const) {
      const bytes = layoutTicket(sampleTicket(), { width });
      expect(hex(bytes.subarray(0, 4))).toBe('1b 40 1c 26');
      expect(hex(bytes.subarray(-7))).toBe('1b 64 01 1d 56 42 03');
      const columns = width === 58 ? 32 : 48;
      for (const it of decodeEscPos(bytes)) {
        if (it.type === 'text') expect(textColumns(it.text) * it.width).toBeLessThanOrEqual(columns);
      }
    }
  });

  it('control characters in data cannot become commands', () => {
    const bytes = layoutTicket(
      { ...sampleTicket(), serviceName: 'X\x1d\x56\x00Y', qr: undefined, footer: undefined },
      { width: 58 },
    );
    const cuts = decodeEscPos(bytes).filter((i) => i.type === 'cut');
    expect(cuts).toHaveLength(1);
  });

  it('masks names, wraps by columns and fills the QR template', () => {
    expect(maskName('张三')).toBe('张*');
    expect(maskName('张小三')).toBe('张*三');
    expect(maskName('欧阳小明')).toBe('欧**明');
    expect(maskName('张*')).toBe('张*');
    expect(wrapColumns('一二三四五', 4)).toEqual(['一二', '三四', '五']);
    expect(wrapColumns('ab一c', 3)).toEqual(['ab', '一c']);
    expect(
      qrUrlFor('{baseUrl}/t/{ticketId}?n={number}', { baseUrl: 'http://hall/', ticketId: 'a b', number: 'A012' }),
    ).toBe('http://hall/t/a%20b?n=A012');
  });
});
