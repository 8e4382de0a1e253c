/**
 * Talking to a SAM_V reader: one command at a time, each answered by one frame or a timeout.
 * Reads produce the card's text fields; the photo bytes stay in memory for a decoder the hall may
 * license, and are never stored or logged.
 */

import { isValidGb11643 } from '../../common/cert-number.js';
import type { ByteLink } from '../transport/byte-link.js';
import { wireTimeMs } from '../transport/paced-link.js';
import { type CardText, parseCardText } from './card-text.js';
import {
  type CommandName,
  encodeCommand,
  replyOf,
  SamFrameParser,
  type SamReply,
  SamStatusError,
  SW3_FIND_OK,
  SW3_OK,
} from './sam-frame.js';

export class SamTimeoutError extends Error {
  readonly code = 'SAM_TIMEOUT';
  constructor(command: string, ms: number) {
    super(`读卡器在 ${ms} 毫秒内没有应答（命令 ${command}）：请检查连线、端口和波特率`);
    this.name = 'SamTimeoutError';
  }
}

/** Bytes arrived but no frame could be made of them: wrong baud rate, wrong device, line noise. */
export class SamGarbageError extends Error {
  readonly code = 'SAM_GARBAGE';
  constructor(command: string, bytes: number, overallMs?: number) {
    super(
      overallMs === undefined
        ? `读卡器的应答无法识别（命令 ${command}，收到 ${bytes} 字节乱码）：请检查波特率、端口是否接的是读卡器`
        : `读卡器的应答在 ${overallMs} 毫秒内没有收完（命令 ${command}，已收到 ${bytes} 字节）：` +
            `请检查波特率设置、串口线和 USB 转串口适配器`,
    );
    this.name = 'SamGarbageError';
  }
}

export interface SamReaderOptions {
  /**
   * Silence allowed before a reply starts and between its bytes (ms, default 1000). Every arriving
   * chunk restarts it, so a long reply on a slow line or through a USB bridge that hands it over in
   * small pieces is waited for as long as bytes keep coming.
   */
  timeoutMs?: number;
  /** Line speed (default 115200): the overall bound of a reply grows with its wire time. */
  baudRate?: number;
}

/** Largest reply of each command, in bytes on the wire (frame included); others are short. */
const REPLY_BYTES: Partial<Record<CommandName, number>> = {
  samId: 7 + 3 + 16 + 1,
  findCard: 7 + 3 + 4 + 1,
  selectCard: 7 + 3 + 8 + 1,
  readTextPhoto: 7 + 3 + 4 + 256 + 1024 + 1,
  readNewAddress: 7 + 3 + 70 + 1,
  readTextPhotoFingerprint: 7 + 3 + 6 + 256 + 1024 + 1024 + 1,
};
const SHORT_REPLY_BYTES = 64;
/** Wire time is multiplied by this, and this much is added, for bridges that deliver late and in pieces. */
const WIRE_MARGIN = 3;
const BRIDGE_SLACK_MS = 2000;

/**
 * The most a reply to `command` may take from the command's send to its last byte, however the
 * bytes trickle in: the silence allowed before it starts, plus its wire time at `baudRate` with a
 * margin. A reader streaming noise forever is stopped by this, not by the silence timeout.
 */
export function replyBoundMs(command: CommandName, silenceMs = 1000, baudRate = 115200): number {
  const bytes = REPLY_BYTES[command] ?? SHORT_REPLY_BYTES;
  return Math.ceil(silenceMs + WIRE_MARGIN * wireTimeMs(bytes, baudRate) + BRIDGE_SLACK_MS);
}

export interface CardRead {
  text: CardText;
  /** WLT photo, 1024 bytes; decode only in memory, never store. */
  photo: Uint8Array;
  /** The ID number passes the GB 11643 check (18-character numbers only; 2017 foreign cards: null). */
  idNumberValid: boolean | null;
}

export class SamReader {
  private readonly parser = new SamFrameParser();
  private waiting: {
    resolve: (r: SamReply) => void;
    reject: (e: Error) => void;
    activity: (bytes: number) => void;
  } | null = null;
  private readonly stop: () => void;
  private queue: Promise<unknown> = Promise.resolve();
  /** Bytes that made no frame while the current command waited. */
  private junk = 0;

  constructor(
    private readonly link: ByteLink,
    private readonly opts: SamReaderOptions = {},
  ) {
    this.stop = link.onData((chunk) => {
      this.waiting?.activity(chunk.length);
      for (const e of this.parser.push(chunk)) {
        const w = this.waiting;
        if (!w) continue;
        if (e.kind === 'noise') this.junk += e.bytes;
        else if (e.kind === 'bad-length') this.junk += 1;
        if (e.kind === 'frame') {
          this.waiting = null;
          try {
            w.resolve(replyOf(e.body));
          } catch (err) {
            w.reject(err as Error);
          }
        } else if (e.kind === 'bad-checksum') {
          this.waiting = null;
          w.reject(new SamStatusError(0x10, '读卡器应答校验和错误（线路干扰或波特率不对）'));
        }
      }
    });
  }

  /**
   * Sends one command and waits for its reply; commands never overlap. The wait follows the bytes:
   * it ends after `timeoutMs` of silence (before the reply or inside it), or at `replyBoundMs`.
   */
  send(name: CommandName): Promise<SamReply> {
    const run = () =>
      new Promise<SamReply>((resolve, reject) => {
        const silenceMs = this.opts.timeoutMs ?? 1000;
        const overallMs = replyBoundMs(name, silenceMs, this.opts.baudRate);
        this.junk = 0;
        let received = 0;
        const fail = (err: Error) => {
          clearTimeout(silence);
          clearTimeout(overall);
          this.waiting = null;
          this.parser.reset();
          reject(err);
        };
        const quiet = () => {
          const junk = this.junk + this.parser.pending;
          fail(junk > 0 ? new SamGarbageError(name, junk) : new SamTimeoutError(name, silenceMs));
        };
        let silence = setTimeout(quiet, silenceMs);
        const overall = setTimeout(() => fail(new SamGarbageError(name, received, overallMs)), overallMs);
        const done = () => {
          clearTimeout(silence);
          clearTimeout(overall);
        };
        this.waiting = {
          resolve: (r) => {
            done();
            resolve(r);
          },
          reject: (e) => {
            done();
            reject(e);
          },
          activity: (bytes) => {
            received += bytes;
            clearTimeout(silence);
            silence = setTimeout(quiet, silenceMs);
          },
        };
        // A stale reply to an earlier, timed-out command must not be taken for this one's.
        this.parser.reset();
        this.link.write(encodeCommand(name)).catch((e) => this.waiting?.reject(e as Error));
      });
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** True when a card was found; false when none lies on the reader. */
  async findCard(): Promise<boolean> {
    const r = await this.send('findCard');
    if (r.sw3 === SW3_FIND_OK) return true;
    if (r.sw3 === 0x80) return false;
    throw new SamStatusError(r.sw3);
  }

  /** True while a card lies in the field (used to notice it being lifted after a read). */
  async cardInField(): Promise<boolean> {
    const r = await this.send('selectCard');
    if (r.sw3 === SW3_OK) return true;
    if (r.sw3 === 0x81 || r.sw3 === 0x80) return false;
    throw new SamStatusError(r.sw3);
  }

  /** Reset is not needed for reading; status is the SAM's self-check. Throws on anything but 90. */
  async samStatus(): Promise<void> {
    await this.expectOk('samStatus');
  }

  /** select → read, after a find that succeeded (or to retry a read that failed). */
  async readFoundCard(): Promise<CardRead> {
    await this.expectOk('selectCard');
    return this.readSelected();
  }

  async samId(): Promise<string> {
    const r = await this.expectOk('samId');
    return Array.from(r.data, (b) => b.toString(16).padStart(2, '0')).join('');
  }

  /** find → select → read text and photo. Null when no card is there. */
  async readCard(): Promise<CardRead | null> {
    if (!(await this.findCard())) return null;
    return this.readFoundCard();
  }

  private async readSelected(): Promise<CardRead> {
    const r = await this.expectOk('readTextPhoto');
    const textLen = (r.data[0]! << 8) | r.data[1]!;
    const photoLen = (r.data[2]! << 8) | r.data[3]!;
    if (r.data.length < 4 + textLen + photoLen || textLen < 256) {
      throw new SamStatusError(
        0x11,
        `读卡应答长度不符：文字 ${textLen}、照片 ${photoLen}、实际 ${r.data.length - 4} 字节`,
      );
    }
    const text = parseCardText(r.data.subarray(4, 4 + textLen));
    return {
      text,
      photo: r.data.slice(4 + textLen, 4 + textLen + photoLen),
      idNumberValid: text.cardType === 'foreign_2017' ? null : isValidGb11643(text.idNumber),
    };
  }

  private async expectOk(name: CommandName): Promise<SamReply> {
    const r = await this.send(name);
    if (r.sw3 !== SW3_OK) throw new SamStatusError(r.sw3);
    return r;
  }

  close(): void {
    this.stop();
    this.waiting?.reject(new Error('读卡器已关闭'));
    this.waiting = null;
  }
}
