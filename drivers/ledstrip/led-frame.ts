/**
 * The common 69-byte frame of serial window LED strips (窗口屏):
 *
 * | byte | meaning |
 * | --- | --- |
 * | 0 | screen address |
 * | 1 | frame type: 1 show, 3 download (flash), 4 temporary (RAM) |
 * | 2–3 | page count, little-endian |
 * | 4 | character count |
 * | 5 | in-effect: speed << 5 \| mode |
 * | 6 | out-effect |
 * | 7 | stay mode |
 * | 8–67 | content: per character an attribute byte (32 full-width GBK, 33 half-width) and its bytes |
 * | 68 | checksum: sum of bytes 1–67, & 0xFF |
 *
 * Content is 60 bytes: at most 20 full-width characters (3 bytes each) or 30 half-width ones
 * (2 bytes each). Text that does not fit is **truncated** at the last whole character that fits
 * (`truncated: true` tells the caller); a window strip shows a number and a short line, and a
 * controller that pages by itself would need its own page index, which this format does not carry.
 * Unused content bytes are `00`. Characters GBK cannot encode become `？`.
 */
import iconv from 'iconv-lite';

export const FRAME_LENGTH = 69;
export const CONTENT_OFFSET = 8;
export const CONTENT_LENGTH = 60;
export const ATTR_FULL = 32;
export const ATTR_HALF = 33;

export const FRAME_TYPES = { show: 1, download: 3, temporary: 4 } as const;
export type FrameType = keyof typeof FRAME_TYPES;

export interface LedEffect {
  /** 0–31 */
  mode: number;
  /** 0–7 */
  speed: number;
}

export interface LedFrameInput {
  address: number;
  type: FrameType;
  text: string;
  pageCount?: number;
  inEffect?: LedEffect;
  outEffect?: number;
  stayMode?: number;
}

export interface EncodedLedFrame {
  bytes: Uint8Array;
  /** The characters actually placed in the frame. */
  shown: string;
  truncated: boolean;
}

const isHalfWidth = (ch: string) => ch.length === 1 && ch.charCodeAt(0) >= 0x20 && ch.charCodeAt(0) <= 0x7e;

function charBytes(ch: string): number[] {
  if (isHalfWidth(ch)) return [ATTR_HALF, ch.charCodeAt(0)];
  const g = iconv.encode(ch, 'gbk');
  // GBK gives 2 bytes for every character it knows; anything else (emoji, rare CJK) becomes ？.
  if (g.length !== 2 || g[0]! < 0x81) return [ATTR_FULL, 0xa3, 0xbf];
  return [ATTR_FULL, g[0]!, g[1]!];
}

const byte = (v: number, what: string, max = 255) => {
  if (!Number.isInteger(v) || v < 0 || v > max) throw new RangeError(`${what}应为 0 到 ${max} 的整数，收到 ${v}`);
  return v;
};

export function checksum(frame: Uint8Array): number {
  let s = 0;
  for (let i = 1; i <= 67; i++) s += frame[i] ?? 0;
  return s & 0xff;
}

export function encodeLedFrame(input: LedFrameInput): EncodedLedFrame {
  const f = new Uint8Array(FRAME_LENGTH);
  f[0] = byte(input.address, '屏地址');
  f[1] = FRAME_TYPES[input.type];
  const pages = byte(input.pageCount ?? 1, '页数', 0xffff);
  f[2] = pages & 0xff;
  f[3] = pages >> 8;
  const ine = input.inEffect ?? { mode: 0, speed: 0 };
  f[5] = (byte(ine.speed, '进入速度', 7) << 5) | byte(ine.mode, '进入特效', 31);
  f[6] = byte(input.outEffect ?? 0, '退出特效');
  f[7] = byte(input.stayMode ?? 0, '停留方式');
  let at = CONTENT_OFFSET;
  let count = 0;
  let shown = '';
  let truncated = false;
  for (const ch of input.text) {
    const b = charBytes(ch);
    if (at + b.length > CONTENT_OFFSET + CONTENT_LENGTH) {
      truncated = true;
      break;
    }
    f.set(b, at);
    at += b.length;
    count++;
    shown += b[0] === ATTR_HALF ? ch : iconv.decode(Buffer.from(b.slice(1)), 'gbk');
  }
  f[4] = count;
  f[68] = checksum(f);
  return { bytes: f, shown, truncated };
}

export interface DecodedLedFrame {
  address: number;
  type: FrameType | number;
  pageCount: number;
  charCount: number;
  inEffect: LedEffect;
  outEffect: number;
  stayMode: number;
  text: string;
}

export type LedDecodeResult =
  | { ok: true; frame: DecodedLedFrame }
  | { ok: false; code: LedFrameErrorCode; message: string };
export type LedFrameErrorCode = 'BAD_LENGTH' | 'BAD_CHECKSUM' | 'BAD_TYPE' | 'BAD_CONTENT';

export function decodeLedFrame(f: Uint8Array): LedDecodeResult {
  if (f.length !== FRAME_LENGTH)
    return { ok: false, code: 'BAD_LENGTH', message: `帧长应为 ${FRAME_LENGTH} 字节，收到 ${f.length}` };
  if (checksum(f) !== f[68]) return { ok: false, code: 'BAD_CHECKSUM', message: '校验和不符' };
  const typeByte = f[1]!;
  const type = (Object.entries(FRAME_TYPES).find(([, v]) => v === typeByte)?.[0] as FrameType | undefined) ?? null;
  if (type === null) return { ok: false, code: 'BAD_TYPE', message: `未知帧类型 ${typeByte}` };
  const count = f[4]!;
  let at = CONTENT_OFFSET;
  let text = '';
  const end = CONTENT_OFFSET + CONTENT_LENGTH;
  for (let i = 0; i < count; i++) {
    const attr = f[at];
    if (attr === ATTR_HALF && at + 2 <= end) {
      text += String.fromCharCode(f[at + 1]!);
      at += 2;
    } else if (attr === ATTR_FULL && at + 3 <= end) {
      text += iconv.decode(Buffer.from(f.subarray(at + 1, at + 3)), 'gbk');
      at += 3;
    } else {
      return { ok: false, code: 'BAD_CONTENT', message: `第 ${i + 1} 个字符的属性字节无效或超出内容区` };
    }
  }
  return {
    ok: true,
    frame: {
      address: f[0]!,
      type,
      pageCount: f[2]! | (f[3]! << 8),
      charCount: count,
      inEffect: { speed: f[5]! >> 5, mode: f[5]! & 0x1f },
      outEffect: f[6]!,
      stayMode: f[7]!,
      text,
    },
  };
}

export type LedStreamEvent = { kind: 'frame'; frame: DecodedLedFrame } | { kind: 'noise'; bytes: number };

/**
 * Finds frames in a byte stream (the simulator's side). The format has no preamble, so a frame is
 * recognised by a valid type, checksum and content; on failure one byte is dropped and the search
 * moves on. Never throws; keeps at most 68 bytes between chunks.
 */
export class LedFrameParser {
  private buf: number[] = [];

  get pending(): number {
    return this.buf.length;
  }

  push(chunk: Uint8Array): LedStreamEvent[] {
    const out: LedStreamEvent[] = [];
    let dropped = 0;
    for (const b of chunk) {
      this.buf.push(b);
      while (this.buf.length >= FRAME_LENGTH) {
        const r = decodeLedFrame(Uint8Array.from(this.buf.slice(0, FRAME_LENGTH)));
        if (r.ok) {
          if (dropped) out.push({ kind: 'noise', bytes: dropped });
          dropped = 0;
          out.push({ kind: 'frame', frame: r.frame });
          this.buf = [];
        } else {
          this.buf.shift();
          dropped++;
        }
      }
    }
    if (dropped) out.push({ kind: 'noise', bytes: dropped });
    return out;
  }

  reset(): void {
    this.buf = [];
  }
}
