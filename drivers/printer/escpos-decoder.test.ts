/** Reading ticket bytes back as a printer would, and the decoder under random and mutated input. */
import fc from 'fast-check';
import jsQRModule from 'jsqr';
import { describe, expect, it } from 'vitest';
import { EscPos } from './escpos.js';
import { type DecodedItem, decodeEscPos, EscPosDecoder, renderDecoded, textLines } from './escpos-decoder.js';
import { layoutTicket, sampleTicket } from './ticket-layout.js';

// jsqr is CommonJS with a `default` export in its types; under ESM the function may sit on either.
const jsQR = ((jsQRModule as any).default ?? jsQRModule) as (typeof jsQRModule)['default'];

/** Scans a decoded raster image with jsQR, as a phone would scan the paper. */
function scanRaster(img: Extract<DecodedItem, { type: 'raster' }>): string | null {
  const { widthDots: w, height: h, data } = img;
  const rgba = new Uint8ClampedArray(w * h * 4).fill(255);
  const rowBytes = w / 8;
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      if (data[y * rowBytes + (x >> 3)]! & (0x80 >> (x & 7))) rgba.fill(0, (y * w + x) * 4, (y * w + x) * 4 + 3);
    }
  return jsQR(rgba, w, h)?.data ?? null;
}

describe('decode back', () => {
  for (const width of [58, 80] as const) {
    it(`${width} mm ticket: text, QR payload (native and raster), cut`, () => {
      const t = sampleTicket();
      for (const qrMode of ['native', 'raster'] as const) {
        const items = decodeEscPos(layoutTicket(t, { width, qrMode }));
        const lines = textLines(items);
        expect(lines).toContain(t.hallName);
        expect(lines).toContain('A012');
        expect(lines).toContain('您前面还有 5 人等候');
        expect(lines).toContain('预计等候：约 21 分钟');
        expect(lines).toContain('取号时间：2026-11-23 09:05');
        expect(lines).toContain('申请人：张*三');
        expect(lines.join('')).toContain('收费标准￥0');
        expect(lines.join('')).not.toContain('张小三');
        const number = items.find((i) => i.type === 'text' && i.text === 'A012');
        expect(number).toMatchObject({ align: 'center', bold: true, width: width === 80 ? 4 : 3 });
        if (qrMode === 'native') {
          expect(items.filter((i) => i.type === 'qr')).toEqual([
            { type: 'qr', payload: t.qr, moduleSize: width === 80 ? 6 : 5, level: 'M', model: 2 },
          ]);
        } else {
          const img = items.find((i) => i.type === 'raster');
          expect(img?.type).toBe('raster');
          if (img?.type === 'raster') {
            expect(img.widthDots).toBeLessThanOrEqual(width === 80 ? 576 : 384);
            expect(scanRaster(img)).toBe(t.qr);
          }
        }
        expect(items.at(-1)).toEqual({ type: 'cut', mode: 'partial', feed: 3 });
        expect(items.filter((i) => i.type === 'unknown')).toEqual([]);
      }
    });
  }

  it('barcodes, Chinese mode off, status requests, split chunks', () => {
    const bytes = new EscPos()
      .init()
      .chineseMode(false)
      .line('abc')
      .chineseMode(true)
      .line('中文')
      .code128('{A012')
      .raw([0x10, 0x04, 0x04])
      .cut('full')
      .bytes();
    const whole = decodeEscPos(bytes);
    // Feed one byte at a time: the same items come out.
    const d = new EscPosDecoder();
    const split: DecodedItem[] = [];
    for (const b of bytes) split.push(...d.push(Uint8Array.of(b)));
    split.push(...d.end());
    expect(split).toEqual(whole);
    expect(whole.map((i) => i.type)).toEqual(['init', 'text', 'text', 'barcode', 'status-request', 'cut']);
    expect(whole[1]).toMatchObject({ text: 'abc', chinese: false });
    expect(whole[2]).toMatchObject({ text: '中文', chinese: true });
    expect(whole[3]).toEqual({ type: 'barcode', symbology: 'CODE128', data: '{A012' });
    expect(whole[4]).toEqual({ type: 'status-request', n: 4 });
    expect(renderDecoded(whole, 32)).toContain('切纸');
  });

  it('skips known commands it does not render and reports unknown ones', () => {
    const items = decodeEscPos(Uint8Array.of(0x1b, 0x2d, 0x01, 0x41, 0x0a, 0x1b, 0x99, 0x42, 0x0a));
    expect(textLines(items)).toEqual(['A', 'B']);
    expect(items.filter((i) => i.type === 'unknown')).toHaveLength(1);
  });
});

describe('decoder robustness (property)', () => {
  const ticket = layoutTicket(sampleTicket(), { width: 80 });

  it('never throws on random bytes, in random chunks, and always consumes its input', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 600 }),
        fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 20 }),
        (bytes, cuts) => {
          const d = new EscPosDecoder();
          let at = 0;
          let k = 0;
          while (at < bytes.length) {
            const n = cuts[k++ % cuts.length]!;
            d.push(bytes.subarray(at, at + n));
            at += n;
          }
          d.end();
          // After end() nothing is pending: a fresh ticket decodes exactly as on a fresh decoder.
          const after = [...d.push(ticket), ...d.end()].filter((i) => i.type === 'qr');
          expect(after).toHaveLength(1);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('mutated tickets never throw, and a good ticket after garbage still decodes its QR and cut', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat({ max: ticket.length - 1 }), fc.integer({ min: 0, max: 255 })), { maxLength: 12 }),
        fc.nat({ max: ticket.length }),
        (flips, truncate) => {
          const bad = ticket.slice(0, truncate);
          for (const [i, v] of flips) if (i < bad.length) bad[i] = v;
          const items = decodeEscPos(bad);
          expect(Array.isArray(items)).toBe(true);
          // Recovery: mutated bytes, then a known terminator-free reset, then a good ticket.
          const d = new EscPosDecoder();
          d.push(bad);
          d.end();
          const good = [...d.push(ticket), ...d.end()];
          expect(good.filter((i) => i.type === 'qr').map((i) => i.type === 'qr' && i.payload)).toEqual([
            sampleTicket().qr,
          ]);
          expect(good.at(-1)?.type).toBe('cut');
        },
      ),
      { numRuns: 300 },
    );
  });

  it('a huge declared block does not make it wait for megabytes', () => {
    const d = new EscPosDecoder();
    // GS v 0 claiming 65535 × 65535 bytes: treated as a corrupt header, the text after it prints.
    const items = [...d.push(Uint8Array.of(0x1d, 0x76, 0x30, 0, 0xff, 0xff, 0xff, 0xff, 0x41, 0x0a)), ...d.end()];
    expect(textLines(items)).toEqual(['A']);
  });
});
