/**
 * SAM_V frames (GA 467) for resident ID card readers: `AA AA AA 96 69`, a big-endian length that
 * counts every byte after itself (checksum included), the body, and an XOR checksum over the length
 * bytes and the body. The parser takes bytes as the transport delivers them — split anywhere, with
 * noise before the preamble, bad checksums or impossible lengths — and always finds the next frame.
 */

export const PREAMBLE = Uint8Array.from([0xaa, 0xaa, 0xaa, 0x96, 0x69]);
/** The largest reply is read-with-fingerprint: 7 + 3 + 6 + 256 + 1024 + 1024 + 1. */
export const MAX_FRAME_LENGTH = 2400;

export const COMMANDS = {
  resetSam: [0x10, 0xff],
  samStatus: [0x11, 0xff],
  samId: [0x12, 0xff],
  findCard: [0x20, 0x01],
  selectCard: [0x20, 0x02],
  readTextPhoto: [0x30, 0x01],
  readNewAddress: [0x30, 0x03],
  readTextPhotoFingerprint: [0x30, 0x10],
} as const satisfies Record<string, readonly [number, number]>;

export type CommandName = keyof typeof COMMANDS;

function xor(bytes: Uint8Array, from: number, to: number): number {
  let x = 0;
  for (let i = from; i < to; i++) x ^= bytes[i]!;
  return x;
}

/** A full frame (preamble, length, body, checksum) around `body`. */
export function encodeFrame(body: Uint8Array | readonly number[]): Uint8Array {
  const b = Uint8Array.from(body);
  const len = b.length + 1;
  const out = new Uint8Array(5 + 2 + len);
  out.set(PREAMBLE);
  out[5] = len >> 8;
  out[6] = len & 0xff;
  out.set(b, 7);
  out[out.length - 1] = xor(out, 5, out.length - 1);
  return out;
}

export const encodeCommand = (name: CommandName, data: readonly number[] = []) =>
  encodeFrame([...COMMANDS[name], ...data]);

export interface SamReply {
  sw1: number;
  sw2: number;
  sw3: number;
  data: Uint8Array;
}

export type ParserEvent =
  | { kind: 'frame'; body: Uint8Array }
  | { kind: 'bad-checksum'; body: Uint8Array }
  | { kind: 'bad-length'; length: number }
  | { kind: 'noise'; bytes: number };

/** Streaming parser: `push` bytes, get every complete frame (and what was wrong) in order. */
export class SamFrameParser {
  private buf = new Uint8Array(0);

  push(chunk: Uint8Array): ParserEvent[] {
    const joined = new Uint8Array(this.buf.length + chunk.length);
    joined.set(this.buf);
    joined.set(chunk, this.buf.length);
    this.buf = joined;
    const out: ParserEvent[] = [];
    for (;;) {
      const start = this.findPreamble();
      if (start < 0) {
        // Keep a possible partial preamble at the end; the rest is noise.
        const keep = this.partialPreambleTail();
        const dropped = this.buf.length - keep;
        if (dropped > 0) out.push({ kind: 'noise', bytes: dropped });
        this.buf = this.buf.slice(this.buf.length - keep);
        return out;
      }
      if (start > 0) {
        out.push({ kind: 'noise', bytes: start });
        this.buf = this.buf.slice(start);
      }
      if (this.buf.length < 7) return out;
      const length = (this.buf[5]! << 8) | this.buf[6]!;
      if (length < 2 || length > MAX_FRAME_LENGTH) {
        out.push({ kind: 'bad-length', length });
        this.buf = this.buf.slice(1); // resync on the next preamble
        continue;
      }
      if (this.buf.length < 7 + length) return out;
      const frameEnd = 7 + length;
      const body = this.buf.slice(7, frameEnd - 1);
      const ok = xor(this.buf, 5, frameEnd - 1) === this.buf[frameEnd - 1];
      out.push(ok ? { kind: 'frame', body } : { kind: 'bad-checksum', body });
      this.buf = ok ? this.buf.slice(frameEnd) : this.buf.slice(1);
    }
  }

  /** Bytes waiting for the rest of a frame. */
  get pending(): number {
    return this.buf.length;
  }

  reset(): void {
    this.buf = new Uint8Array(0);
  }

  private findPreamble(): number {
    outer: for (let i = 0; i + PREAMBLE.length <= this.buf.length; i++) {
      for (let j = 0; j < PREAMBLE.length; j++) if (this.buf[i + j] !== PREAMBLE[j]) continue outer;
      return i;
    }
    return -1;
  }

  private partialPreambleTail(): number {
    for (let k = Math.min(PREAMBLE.length - 1, this.buf.length); k > 0; k--) {
      let match = true;
      for (let j = 0; j < k; j++) if (this.buf[this.buf.length - k + j] !== PREAMBLE[j]) match = false;
      if (match) return k;
    }
    return 0;
  }
}

export function replyOf(body: Uint8Array): SamReply {
  if (body.length < 3) throw new SamStatusError(0x11, '应答过短');
  return { sw1: body[0]!, sw2: body[1]!, sw3: body[2]!, data: body.slice(3) };
}

const SW3_MESSAGES: Record<number, string> = {
  16: '读卡器报告校验和错误',
  17: '读卡器报告长度错误',
  33: '读卡器不认识该命令',
  35: '读卡器不允许该操作',
  36: '读卡器未知错误',
  49: '卡片认证失败',
  50: '安全模块认证失败',
  51: '信息验证失败',
  64: '无法识别的卡片类型',
  65: '读卡失败，请重新放卡',
  71: '取随机数失败',
  96: '安全模块自检失败',
  102: '安全模块未授权',
  128: '未找到卡片',
  129: '选卡失败',
};

/** SW3 codes that mean success for the command that got them. */
export const SW3_OK = 0x90;
export const SW3_FIND_OK = 0x9f;
export const SW3_FIELD_EMPTY = 0x91;

/** A reader status other than success, with its SW3 code and a Chinese message. */
export class SamStatusError extends Error {
  constructor(
    readonly sw3: number,
    detail?: string,
  ) {
    super(detail ?? SW3_MESSAGES[sw3] ?? `读卡器返回未知状态 0x${sw3.toString(16).padStart(2, '0')}`);
    this.name = 'SamStatusError';
  }
  get code(): string {
    return `SAM_${this.sw3.toString(16).toUpperCase().padStart(2, '0')}`;
  }
}
