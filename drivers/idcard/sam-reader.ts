/**
 * Talking to a SAM_V reader: one command at a time, each answered by one frame or a timeout.
 * Reads produce the card's text fields; the photo bytes stay in memory for a decoder the hall may
 * license, and are never stored or logged.
 */

import { isValidGb11643 } from '../../common/gb11643.js';
import type { ByteLink } from '../transport/byte-link.js';
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
  constructor(command: string, bytes: number) {
    super(`读卡器的应答无法识别（命令 ${command}，收到 ${bytes} 字节乱码）：请检查波特率、端口是否接的是读卡器`);
    this.name = 'SamGarbageError';
  }
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
  private waiting: { resolve: (r: SamReply) => void; reject: (e: Error) => void } | null = null;
  private readonly stop: () => void;
  private queue: Promise<unknown> = Promise.resolve();
  /** Bytes that made no frame while the current command waited. */
  private junk = 0;

  constructor(
    private readonly link: ByteLink,
    private readonly opts: { timeoutMs?: number } = {},
  ) {
    this.stop = link.onData((chunk) => {
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

  /** Sends one command and waits for its reply; commands never overlap. */
  send(name: CommandName): Promise<SamReply> {
    const run = () =>
      new Promise<SamReply>((resolve, reject) => {
        const ms = this.opts.timeoutMs ?? 1000;
        this.junk = 0;
        const timer = setTimeout(() => {
          this.waiting = null;
          const junk = this.junk + this.parser.pending;
          this.parser.reset();
          reject(junk > 0 ? new SamGarbageError(name, junk) : new SamTimeoutError(name, ms));
        }, ms);
        this.waiting = {
          resolve: (r) => {
            clearTimeout(timer);
            resolve(r);
          },
          reject: (e) => {
            clearTimeout(timer);
            reject(e);
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
