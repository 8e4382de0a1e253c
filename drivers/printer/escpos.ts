/**
 * A small typed ESC/POS encoder: exactly the commands a queue ticket needs (docs/devices.md §2),
 * each one byte-checked by golden tests. We write our own rather than use `escpos` /
 * `node-thermal-printer` / `receiptline` because those are stale, GB2312-only or transport-less
 * (see docs/devices.md, 小票打印机); an encoder this size is easier to audit than to adapt.
 *
 * Text is GBK for Chinese-mode printers. `¥` has no GBK code (GB18030 gives 4 bytes that print as
 * garbage), so it becomes the full-width `￥` (`A3 A4`); other characters outside GBK become `?`.
 */
import iconv from 'iconv-lite';
import QRCode from 'qrcode';

export const ESC = 0x1b;
export const GS = 0x1d;
export const FS = 0x1c;
export const DLE = 0x10;
export const EOT = 0x04;
export const LF = 0x0a;

export type Align = 'left' | 'center' | 'right';
export type QrLevel = 'L' | 'M' | 'Q' | 'H';
export type CutMode = 'full' | 'partial';
/** DLE EOT n: 1 printer, 2 offline cause, 4 roll paper sensor. */
export type StatusQuery = 1 | 2 | 4;

const ALIGN: Record<Align, number> = { left: 0, center: 1, right: 2 };
const QR_LEVEL: Record<QrLevel, number> = { L: 0x30, M: 0x31, Q: 0x32, H: 0x33 };

/** Characters a GBK printer cannot print, replaced by ones it can. */
const SUBSTITUTES: Record<string, string> = { '¥': '￥' };
const SUB_RE = /[¥]/g;

/** Encodes text for a Chinese-mode printer: GBK, with `¥` → `￥` and unknown characters as `?`. */
export function encodeGbk(text: string): Uint8Array {
  return Uint8Array.from(
    iconv.encode(
      text.replace(SUB_RE, (c) => SUBSTITUTES[c] ?? c),
      'gbk',
    ),
  );
}

/** Printed width of text in half-width columns (a GBK double-byte character takes two). */
export function textColumns(text: string): number {
  let cols = 0;
  for (const ch of text.replace(SUB_RE, (c) => SUBSTITUTES[c] ?? c)) {
    const cp = ch.codePointAt(0)!;
    // ASCII (and `?` for whatever GBK lacks outside the BMP) is one column; GBK double-byte is two.
    cols += cp < 0x80 ? 1 : iconv.encode(ch, 'gbk').length === 2 ? 2 : 1;
  }
  return cols;
}

function checkRange(what: string, n: number, min: number, max: number): void {
  if (!Number.isInteger(n) || n < min || n > max)
    throw new RangeError(`${what} 应为 ${min} 到 ${max} 的整数，收到 ${n}`);
}

/** A monochrome bitmap, one bit per dot, rows of `ceil(width / 8)` bytes, MSB first, 1 = black. */
export interface RasterImage {
  widthDots: number;
  height: number;
  data: Uint8Array;
}

/** Renders a QR code (payload as UTF-8) to a raster image, `scale` dots per module, quiet zone included. */
export function qrRaster(
  payload: string,
  opts: { scale?: number; level?: QrLevel; quietModules?: number } = {},
): RasterImage {
  const scale = opts.scale ?? 6;
  const quiet = opts.quietModules ?? 2;
  const qr = QRCode.create(payload, { errorCorrectionLevel: opts.level ?? 'M' });
  const n = qr.modules.size;
  const side = (n + 2 * quiet) * scale;
  const rowBytes = Math.ceil(side / 8);
  const data = new Uint8Array(rowBytes * side);
  for (let y = 0; y < side; y++) {
    const my = Math.floor(y / scale) - quiet;
    if (my < 0 || my >= n) continue;
    for (let x = 0; x < side; x++) {
      const mx = Math.floor(x / scale) - quiet;
      if (mx < 0 || mx >= n || !qr.modules.get(my, mx)) continue;
      const i = y * rowBytes + (x >> 3);
      data[i] = data[i]! | (0x80 >> (x & 7));
    }
  }
  return { widthDots: side, height: side, data };
}

/**
 * Builds one ESC/POS byte stream. Every method appends and returns `this`; `bytes()` gives the
 * result. Out-of-range arguments throw RangeError: they are programming errors, not device errors.
 */
export class EscPos {
  private readonly parts: Uint8Array[] = [];
  private length = 0;

  raw(bytes: ArrayLike<number>): this {
    const b = Uint8Array.from(bytes);
    this.parts.push(b);
    this.length += b.length;
    return this;
  }

  /** `ESC @`: clears the buffer's modes (not the Chinese mode default of Chinese printers). */
  init(): this {
    return this.raw([ESC, 0x40]);
  }

  /** `FS &` enters Chinese (double-byte GBK) mode, `FS .` leaves it. */
  chineseMode(on: boolean): this {
    return this.raw(on ? [FS, 0x26] : [FS, 0x2e]);
  }

  align(a: Align): this {
    return this.raw([ESC, 0x61, ALIGN[a]]);
  }

  bold(on: boolean): this {
    return this.raw([ESC, 0x45, on ? 1 : 0]);
  }

  /** `GS ! n`: width and height multipliers 1..8 each (applies to Chinese characters too on most printers). */
  size(width: number, height: number = width): this {
    checkRange('字符宽度倍数', width, 1, 8);
    checkRange('字符高度倍数', height, 1, 8);
    return this.raw([GS, 0x21, ((width - 1) << 4) | (height - 1)]);
  }

  /** `FS ! n`: Chinese character double width (bit 2) / double height (bit 3). */
  chineseSize(doubleWidth: boolean, doubleHeight: boolean): this {
    return this.raw([FS, 0x21, (doubleWidth ? 0x04 : 0) | (doubleHeight ? 0x08 : 0)]);
  }

  /** GBK text without a line feed. */
  text(s: string): this {
    return this.raw(encodeGbk(s));
  }

  /** GBK text and a line feed. */
  line(s = ''): this {
    return this.text(s).raw([LF]);
  }

  /** `ESC d n`: print and feed n lines. */
  feed(lines: number): this {
    checkRange('走纸行数', lines, 0, 255);
    return this.raw([ESC, 0x64, lines]);
  }

  /**
   * Native QR (`GS ( k`): model 2, module size, error correction, store the payload (UTF-8), print.
   * The printer picks the QR version from the payload length.
   */
  qr(payload: string, opts: { moduleSize?: number; level?: QrLevel } = {}): this {
    const moduleSize = opts.moduleSize ?? 6;
    checkRange('二维码模块大小', moduleSize, 1, 16);
    const data = new TextEncoder().encode(payload);
    checkRange('二维码数据字节数', data.length, 1, 7089);
    const n = data.length + 3;
    return this.raw([GS, 0x28, 0x6b, 0x04, 0x00, 0x31, 0x41, 0x32, 0x00])
      .raw([GS, 0x28, 0x6b, 0x03, 0x00, 0x31, 0x43, moduleSize])
      .raw([GS, 0x28, 0x6b, 0x03, 0x00, 0x31, 0x45, QR_LEVEL[opts.level ?? 'M']])
      .raw([GS, 0x28, 0x6b, n & 0xff, n >> 8, 0x31, 0x50, 0x30])
      .raw(data)
      .raw([GS, 0x28, 0x6b, 0x03, 0x00, 0x31, 0x51, 0x30]);
  }

  /** `GS v 0 m xL xH yL yH data`: a raster bit image, normal density (m = 0). */
  raster(img: RasterImage): this {
    const x = Math.ceil(img.widthDots / 8);
    checkRange('图像宽度字节数', x, 1, 0xffff);
    checkRange('图像高度', img.height, 1, 0xffff);
    if (img.data.length !== x * img.height)
      throw new RangeError(`图像数据应为 ${x * img.height} 字节，收到 ${img.data.length}`);
    return this.raw([GS, 0x76, 0x30, 0x00, x & 0xff, x >> 8, img.height & 0xff, img.height >> 8]).raw(img.data);
  }

  /** QR drawn by us as a raster image, for printers without (working) native QR. */
  qrAsRaster(payload: string, opts: { moduleSize?: number; level?: QrLevel } = {}): this {
    return this.raster(qrRaster(payload, { scale: opts.moduleSize ?? 6, level: opts.level ?? 'M' }));
  }

  /**
   * CODE128 in code set B (`GS k 73 n {B data`), printable ASCII only; a literal `{` is doubled
   * as the standard asks. Height in dots and the human-readable line are optional.
   */
  code128(data: string, opts: { height?: number; hri?: 'none' | 'above' | 'below' } = {}): this {
    if (!/^[\x20-\x7e]+$/.test(data)) throw new RangeError('CODE128 只接受可打印 ASCII 字符');
    if (opts.height !== undefined) {
      checkRange('条码高度', opts.height, 1, 255);
      this.raw([GS, 0x68, opts.height]);
    }
    if (opts.hri) this.raw([GS, 0x48, { none: 0, above: 1, below: 2 }[opts.hri]]);
    const body = [0x7b, 0x42, ...Array.from(data.replaceAll('{', '{{'), (c) => c.charCodeAt(0))];
    checkRange('条码长度', body.length, 2, 255);
    return this.raw([GS, 0x6b, 0x49, body.length, ...body]);
  }

  /** `GS V 00` / `GS V 01`, or with `feed` the feed-then-partial-cut form `GS V 42 n`. */
  cut(mode: CutMode = 'partial', feed?: number): this {
    if (feed !== undefined) {
      checkRange('切纸前走纸', feed, 0, 255);
      return this.raw([GS, 0x56, mode === 'full' ? 0x41 : 0x42, feed]);
    }
    return this.raw([GS, 0x56, mode === 'full' ? 0x00 : 0x01]);
  }

  bytes(): Uint8Array {
    const out = new Uint8Array(this.length);
    let at = 0;
    for (const p of this.parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }
}

/** `DLE EOT n`, the real-time status request (answered even while the printer is offline). */
export function statusRequest(n: StatusQuery): Uint8Array {
  return Uint8Array.of(DLE, EOT, n);
}
