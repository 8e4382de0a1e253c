/**
 * Reads an ESC/POS byte stream the way a printer would: text lines (GBK in Chinese mode) with their
 * size, bold and alignment, QR payloads from `GS ( k` store/print, raster images, barcodes, feeds,
 * cuts and real-time status requests. The printer simulator answers `DLE EOT` with it, and tests use
 * it to read golden bytes back.
 *
 * It is streaming (a command split across chunks waits for its rest) and total: any byte sequence
 * is consumed without throwing; an unknown command becomes an `unknown` item of the bytes skipped.
 * Like a real printer it skips the parameters of commands it knows but does not render.
 */
import iconv from 'iconv-lite';
import type { Align, QrLevel } from './escpos.js';

export type DecodedItem =
  | { type: 'init' }
  | { type: 'text'; text: string; align: Align; bold: boolean; width: number; height: number; chinese: boolean }
  | { type: 'qr'; payload: string; moduleSize: number; level: QrLevel; model: number }
  | { type: 'raster'; widthDots: number; height: number; data: Uint8Array }
  | { type: 'barcode'; symbology: string; data: string }
  | { type: 'feed'; lines: number; dots?: number }
  | { type: 'cut'; mode: 'full' | 'partial'; feed?: number }
  | { type: 'status-request'; n: number }
  | { type: 'unknown'; bytes: Uint8Array };

/** A raster or data block larger than this is treated as a corrupt header, not waited for. */
const MAX_BLOCK = 1 << 20;
/** A line longer than this (bytes) is emitted as it stands; a real printer would have wrapped it. */
const MAX_LINE = 4096;
const NEED_MORE = -1;

const ALIGNS: Align[] = ['left', 'center', 'right'];
const LEVELS: QrLevel[] = ['L', 'M', 'Q', 'H'];
const SYMBOLOGY_A = ['UPC-A', 'UPC-E', 'EAN13', 'EAN8', 'CODE39', 'ITF', 'CODABAR'];
const SYMBOLOGY_B = ['UPC-A', 'UPC-E', 'EAN13', 'EAN8', 'CODE39', 'ITF', 'CODABAR', 'CODE93', 'CODE128'];

/** ESC / GS / FS commands with a fixed number of parameter bytes we skip or read. */
const ESC_PARAMS: Record<number, number> = {
  32: 1, // right-side spacing
  33: 1, // print mode
  36: 2, // absolute position
  37: 1, // user-defined characters on/off
  45: 1, // underline
  50: 0, // default line spacing
  51: 1, // line spacing
  60: 0, // return home
  61: 1, // peripheral select
  63: 1, // cancel user-defined character
  64: 0, // init
  69: 1, // bold
  71: 1, // double strike
  74: 1, // feed dots
  75: 1, // reverse feed dots (some models)
  76: 0, // page mode
  77: 1, // font
  82: 1, // international character set
  83: 0, // standard mode
  84: 1, // print direction in page mode
  85: 1, // unidirectional
  86: 1, // rotate 90°
  87: 8, // page mode area
  92: 2, // relative position
  97: 1, // align
  99: 2, // ESC c 3/4/5 n
  100: 1, // print and feed lines
  101: 1, // print and reverse feed
  105: 0, // full cut (old)
  109: 0, // partial cut (old)
  112: 3, // drawer kick
  114: 1, // colour
  116: 1, // code table
  117: 1, // peripheral status (old)
  118: 0, // paper status (old)
  123: 1, // upside down
};
const GS_PARAMS: Record<number, number> = {
  33: 1, // character size
  36: 2, // vertical position page mode
  47: 1, // print downloaded bit image
  58: 0, // macro
  66: 1, // reverse
  72: 1, // HRI position
  73: 1, // printer id
  76: 2, // left margin
  80: 2, // motion units
  84: 1, // print position to beginning
  87: 2, // print area width
  92: 2, // relative vertical position
  94: 3, // execute macro
  97: 1, // automatic status back
  98: 1, // smoothing
  102: 1, // HRI font
  104: 1, // barcode height
  114: 1, // transmit status
  119: 1, // barcode module width
};
const FS_PARAMS: Record<number, number> = {
  33: 1, // Chinese print mode
  38: 0, // Chinese mode on
  45: 1, // Chinese underline
  46: 0, // Chinese mode off
  67: 1, // Chinese code system
  83: 2, // Chinese spacing
  87: 1, // Chinese quadruple size
  112: 2, // print NV image
};

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

function decodeCode128(d: Uint8Array): string {
  let set: 'A' | 'B' | 'C' = 'B';
  let out = '';
  for (let i = 0; i < d.length; i++) {
    const b = d[i]!;
    if (b === 0x7b && i + 1 < d.length) {
      const c = d[i + 1]!;
      if (c === 0x41 || c === 0x42 || c === 0x43) {
        set = String.fromCharCode(c) as 'A' | 'B' | 'C';
        i++;
        continue;
      }
      if (c === 0x7b) {
        out += '{';
        i++;
        continue;
      }
      i++; // {1..{4, {S: function codes, not data
      continue;
    }
    out += set === 'C' ? String(b).padStart(2, '0') : String.fromCharCode(b);
  }
  return out;
}

export class EscPosDecoder {
  private pending: Uint8Array = new Uint8Array(0);
  private line: number[] = [];
  private lineAttrs: Omit<Extract<DecodedItem, { type: 'text' }>, 'type' | 'text'> | null = null;
  private align: Align = 'left';
  private bold = false;
  private width = 1;
  private height = 1;
  private chineseDouble = { w: false, h: false };
  private chinese: boolean;
  private qr = { payload: new Uint8Array(0), moduleSize: 3, level: 'L' as QrLevel, model: 2 };
  private out: DecodedItem[] = [];

  constructor(opts: { chinese?: boolean } = {}) {
    // Chinese-market printers start in Chinese mode (docs/devices.md §2).
    this.chinese = opts.chinese ?? true;
  }

  /** Feeds bytes; returns what they completed. Never throws. */
  push(chunk: Uint8Array): DecodedItem[] {
    this.out = [];
    const buf = concat(this.pending, chunk);
    let i = 0;
    while (i < buf.length) {
      const next = this.step(buf, i);
      if (next === NEED_MORE) break;
      i = next > i ? next : i + 1; // always progress, whatever step returned
    }
    this.pending = buf.slice(i);
    return this.out;
  }

  /** End of input: the unfinished line and any incomplete command. */
  end(): DecodedItem[] {
    this.out = [];
    if (this.pending.length) this.out.push({ type: 'unknown', bytes: this.pending });
    this.pending = new Uint8Array(0);
    this.flushLine(false);
    return this.out;
  }

  private resetModes(): void {
    this.align = 'left';
    this.bold = false;
    this.width = 1;
    this.height = 1;
    this.chineseDouble = { w: false, h: false };
    this.line = [];
    this.lineAttrs = null;
  }

  private addText(bytes: number[]): void {
    if (this.lineAttrs === null) {
      this.lineAttrs = {
        align: this.align,
        bold: this.bold,
        width: Math.max(this.width, this.chinese && this.chineseDouble.w ? 2 : 1),
        height: Math.max(this.height, this.chinese && this.chineseDouble.h ? 2 : 1),
        chinese: this.chinese,
      };
    }
    this.line.push(...bytes);
    if (this.line.length >= MAX_LINE) this.flushLine(false);
  }

  /** Emits the line buffer; with `always`, an empty buffer prints an empty line (LF on its own). */
  private flushLine(always: boolean): void {
    if (this.line.length === 0 && !always) return;
    const attrs = this.lineAttrs ?? {
      align: this.align,
      bold: this.bold,
      width: this.width,
      height: this.height,
      chinese: this.chinese,
    };
    const text = iconv.decode(Buffer.from(this.line), attrs.chinese ? 'gbk' : 'cp437');
    this.out.push({ type: 'text', text, ...attrs });
    this.line = [];
    this.lineAttrs = null;
  }

  private unknown(buf: Uint8Array, from: number, to: number): number {
    this.out.push({ type: 'unknown', bytes: buf.slice(from, to) });
    return to;
  }

  /** Decodes one command or character at `i`; returns the next index, or NEED_MORE. */
  private step(buf: Uint8Array, i: number): number {
    const b = buf[i]!;
    const have = buf.length - i;
    if (b >= 0x20 && b !== 0x7f) {
      if (this.chinese && b >= 0x81 && b <= 0xfe) {
        if (have < 2) return NEED_MORE;
        const t = buf[i + 1]!;
        if (t >= 0x40 && t <= 0xfe && t !== 0x7f) {
          this.addText([b, t]);
          return i + 2;
        }
      }
      this.addText([b]);
      return i + 1;
    }
    switch (b) {
      case 0x0a:
        this.flushLine(true);
        return i + 1;
      case 0x09:
        this.addText([0x20]);
        return i + 1;
      case 0x0d:
      case 0x00:
        return i + 1;
      case 0x10:
        return this.dle(buf, i, have);
      case 0x1b:
        return this.esc(buf, i, have);
      case 0x1d:
        return this.gs(buf, i, have);
      case 0x1c:
        return this.fs(buf, i, have);
      default:
        return this.unknown(buf, i, i + 1);
    }
  }

  private dle(buf: Uint8Array, i: number, have: number): number {
    if (have < 2) return NEED_MORE;
    const c = buf[i + 1]!;
    if (c === 0x04 || c === 0x05) {
      if (have < 3) return NEED_MORE;
      if (c === 0x04) {
        this.out.push({ type: 'status-request', n: buf[i + 2]! });
        return i + 3;
      }
      return this.unknown(buf, i, i + 3);
    }
    if (c === 0x14) return have < 5 ? NEED_MORE : this.unknown(buf, i, i + 5);
    return this.unknown(buf, i, i + 1);
  }

  private esc(buf: Uint8Array, i: number, have: number): number {
    if (have < 2) return NEED_MORE;
    const c = buf[i + 1]!;
    // Variable-length ESC commands first.
    if (c === 0x44) {
      // ESC D n1 … NUL: tab positions (at most 32).
      for (let k = i + 2; k < buf.length && k < i + 35; k++) if (buf[k] === 0) return k + 1;
      return have < 35 ? NEED_MORE : this.unknown(buf, i, i + 2);
    }
    if (c === 0x2a) {
      // ESC * m nL nH data: column bit image.
      if (have < 5) return NEED_MORE;
      const m = buf[i + 2]!;
      const n = buf[i + 3]! | (buf[i + 4]! << 8);
      const len = 5 + (m === 32 || m === 33 ? 3 * n : n);
      if (have < len) return NEED_MORE;
      this.flushLine(false);
      return this.unknown(buf, i, i + len);
    }
    const params = ESC_PARAMS[c];
    if (params === undefined) return this.unknown(buf, i, i + 2);
    if (have < 2 + params) return NEED_MORE;
    const n = buf[i + 2] ?? 0;
    switch (c) {
      case 0x40:
        this.resetModes();
        this.out.push({ type: 'init' });
        break;
      case 0x61:
        this.align = ALIGNS[n % 48] ?? this.align;
        break;
      case 0x45:
        this.bold = (n & 1) === 1;
        break;
      case 0x21:
        this.bold = (n & 0x08) !== 0;
        this.height = n & 0x10 ? 2 : 1;
        this.width = n & 0x20 ? 2 : 1;
        break;
      case 0x64:
        this.flushLine(false);
        this.out.push({ type: 'feed', lines: n });
        break;
      case 0x4a:
        this.flushLine(false);
        this.out.push({ type: 'feed', lines: 0, dots: n });
        break;
      case 0x69:
      case 0x6d:
        this.flushLine(false);
        this.out.push({ type: 'cut', mode: c === 0x69 ? 'full' : 'partial' });
        break;
      default:
        break; // known, no effect on what we record
    }
    return i + 2 + params;
  }

  private gs(buf: Uint8Array, i: number, have: number): number {
    if (have < 2) return NEED_MORE;
    const c = buf[i + 1]!;
    switch (c) {
      case 0x28:
        return this.gsParen(buf, i, have);
      case 0x38: {
        // GS 8 L p1 p2 p3 p4 …: large graphics data, 4-byte length.
        if (have < 7) return NEED_MORE;
        const len = buf[i + 3]! + (buf[i + 4]! << 8) + (buf[i + 5]! << 16) + buf[i + 6]! * 2 ** 24;
        if (len > MAX_BLOCK) return this.unknown(buf, i, i + 3);
        if (have < 7 + len) return NEED_MORE;
        return this.unknown(buf, i, i + 7 + len);
      }
      case 0x76:
        return this.raster(buf, i, have);
      case 0x6b:
        return this.barcode(buf, i, have);
      case 0x56: {
        if (have < 3) return NEED_MORE;
        const m = buf[i + 2]!;
        const withFeed = m === 0x41 || m === 0x42 || m === 0x61 || m === 0x62 || m === 0x67 || m === 0x68;
        if (withFeed && have < 4) return NEED_MORE;
        this.flushLine(false);
        const full = m === 0x00 || m === 0x30 || m === 0x41 || m === 0x61 || m === 0x67;
        this.out.push(
          withFeed
            ? { type: 'cut', mode: full ? 'full' : 'partial', feed: buf[i + 3]! }
            : { type: 'cut', mode: full ? 'full' : 'partial' },
        );
        return i + (withFeed ? 4 : 3);
      }
      case 0x2a: {
        // GS * x y data: define downloaded bit image (x*y*8 bytes).
        if (have < 4) return NEED_MORE;
        const len = 4 + buf[i + 2]! * buf[i + 3]! * 8;
        return have < len ? NEED_MORE : this.unknown(buf, i, i + len);
      }
    }
    const params = GS_PARAMS[c];
    if (params === undefined) return this.unknown(buf, i, i + 2);
    if (have < 2 + params) return NEED_MORE;
    if (c === 0x21) {
      const n = buf[i + 2]!;
      this.width = (n >> 4) + 1 <= 8 ? (n >> 4) + 1 : 1;
      this.height = (n & 0x0f) + 1 <= 8 ? (n & 0x0f) + 1 : 1;
    }
    return i + 2 + params;
  }

  /** `GS ( k pL pH cn fn …`: 2-D symbols; we read the QR functions (cn = 0x31). */
  private gsParen(buf: Uint8Array, i: number, have: number): number {
    if (have < 5) return NEED_MORE;
    const len = buf[i + 3]! | (buf[i + 4]! << 8);
    if (have < 5 + len) return NEED_MORE;
    const end = i + 5 + len;
    if (buf[i + 2] !== 0x6b || len < 2 || buf[i + 5] !== 0x31) return this.unknown(buf, i, end);
    const fn = buf[i + 6]!;
    const arg = len >= 3 ? buf[i + 7]! : 0;
    switch (fn) {
      case 0x41:
        this.qr.model = arg - 0x30;
        break;
      case 0x43:
        this.qr.moduleSize = arg;
        break;
      case 0x45:
        this.qr.level = LEVELS[arg - 0x30] ?? this.qr.level;
        break;
      case 0x50:
        this.qr.payload = len >= 3 ? buf.slice(i + 8, end) : new Uint8Array(0);
        break;
      case 0x51:
        this.flushLine(false);
        this.out.push({
          type: 'qr',
          payload: new TextDecoder().decode(this.qr.payload),
          moduleSize: this.qr.moduleSize,
          level: this.qr.level,
          model: this.qr.model,
        });
        break;
      default:
        return this.unknown(buf, i, end);
    }
    return end;
  }

  /** `GS v 0 m xL xH yL yH data`. */
  private raster(buf: Uint8Array, i: number, have: number): number {
    if (have < 8) return NEED_MORE;
    if (buf[i + 2] !== 0x30) return this.unknown(buf, i, i + 2);
    const x = buf[i + 4]! | (buf[i + 5]! << 8);
    const y = buf[i + 6]! | (buf[i + 7]! << 8);
    const len = x * y;
    if (len > MAX_BLOCK) return this.unknown(buf, i, i + 8);
    if (have < 8 + len) return NEED_MORE;
    this.flushLine(false);
    this.out.push({ type: 'raster', widthDots: x * 8, height: y, data: buf.slice(i + 8, i + 8 + len) });
    return i + 8 + len;
  }

  /** `GS k m d… NUL` (m 0–6) or `GS k m n d1…dn` (m 65–73). */
  private barcode(buf: Uint8Array, i: number, have: number): number {
    if (have < 3) return NEED_MORE;
    const m = buf[i + 2]!;
    if (m <= 6) {
      for (let k = i + 3; k < buf.length && k < i + 259; k++) {
        if (buf[k] === 0) {
          this.flushLine(false);
          this.out.push({
            type: 'barcode',
            symbology: SYMBOLOGY_A[m]!,
            data: String.fromCharCode(...buf.subarray(i + 3, k)),
          });
          return k + 1;
        }
      }
      return have < 259 ? NEED_MORE : this.unknown(buf, i, i + 3);
    }
    if (m < 65 || m > 73) return this.unknown(buf, i, i + 3);
    if (have < 4) return NEED_MORE;
    const n = buf[i + 3]!;
    if (have < 4 + n) return NEED_MORE;
    const d = buf.subarray(i + 4, i + 4 + n);
    const symbology = SYMBOLOGY_B[m - 65]!;
    this.flushLine(false);
    this.out.push({
      type: 'barcode',
      symbology,
      data: symbology === 'CODE128' ? decodeCode128(d) : String.fromCharCode(...d),
    });
    return i + 4 + n;
  }

  private fs(buf: Uint8Array, i: number, have: number): number {
    if (have < 2) return NEED_MORE;
    const c = buf[i + 1]!;
    if (c === 0x32) {
      // FS 2 c1 c2 d1…d72: define a user Chinese character.
      return have < 76 ? NEED_MORE : this.unknown(buf, i, i + 76);
    }
    const params = FS_PARAMS[c];
    if (params === undefined) return this.unknown(buf, i, i + 2);
    if (have < 2 + params) return NEED_MORE;
    if (c === 0x26) this.chinese = true;
    else if (c === 0x2e) this.chinese = false;
    else if (c === 0x21) {
      const n = buf[i + 2]!;
      this.chineseDouble = { w: (n & 0x04) !== 0, h: (n & 0x08) !== 0 };
    }
    return i + 2 + params;
  }
}

/** Decodes a complete byte stream. */
export function decodeEscPos(bytes: Uint8Array, opts: { chinese?: boolean } = {}): DecodedItem[] {
  const d = new EscPosDecoder(opts);
  return [...d.push(bytes), ...d.end()];
}

/** Text lines only, in order (what a person reads off the paper, without pictures). */
export function textLines(items: readonly DecodedItem[]): string[] {
  return items.flatMap((it) => (it.type === 'text' ? [it.text] : []));
}

/**
 * A readable rendering of decoded items on a paper of `columns` half-width characters: aligned
 * text (enlarged text marked), `[二维码 …]`, `[条码 …]`, `[图像 w×h]`, and a cut line.
 */
export function renderDecoded(items: readonly DecodedItem[], columns = 48): string {
  const out: string[] = [];
  const cols = (s: string) => {
    let n = 0;
    for (const ch of s) n += ch.codePointAt(0)! < 0x80 ? 1 : 2;
    return n;
  };
  const place = (s: string, align: Align, scale = 1, mark = '') => {
    if (!s && !mark) return '';
    const pad = Math.max(0, columns - cols(s) * scale);
    const lead = align === 'center' ? pad >> 1 : align === 'right' ? pad : 0;
    return ' '.repeat(Math.max(0, lead - cols(mark))) + mark + s;
  };
  for (const it of items) {
    switch (it.type) {
      case 'text': {
        const mark =
          it.width > 1 || it.height > 1
            ? `〔${it.width}×${it.height}${it.bold ? ' 粗' : ''}〕`
            : it.bold
              ? '〔粗〕'
              : '';
        out.push(place(it.text, it.align, it.width, mark));
        break;
      }
      case 'qr':
        out.push(place(`[二维码 ${it.payload}]`, 'center'));
        break;
      case 'barcode':
        out.push(place(`[条码 ${it.symbology} ${it.data}]`, 'center'));
        break;
      case 'raster':
        out.push(place(`[图像 ${it.widthDots}×${it.height}]`, 'center'));
        break;
      case 'feed':
        for (let k = 0; k < Math.min(it.lines, 3); k++) out.push('');
        break;
      case 'cut':
        out.push(`${'-'.repeat(Math.max(0, (columns >> 1) - 4))} 切纸 ${'-'.repeat(Math.max(0, (columns >> 1) - 4))}`);
        break;
      default:
        break;
    }
  }
  return out.join('\n');
}
