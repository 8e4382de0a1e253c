/**
 * The reader's side of SAM_V, for tests and by hand: answers commands about a card that can be
 * presented and lifted. One `find` succeeds per presentation, as with a real reader; `select`
 * answers 90 while a card lies in the field and 81 once it is lifted.
 *
 * It speaks through any ByteLink — an in-memory pair, or a serial link on the far end of a socat pty
 * (`govhall sim idcard`). Faults can be switched on and off while it runs:
 *   no-reply      answer nothing (dead reader, wrong port)
 *   garbage       answer bytes that are no frame (wrong baud rate)
 *   bad-checksum  answer frames whose checksum is wrong
 *   split         write every reply in 7-byte pieces with 1 ms gaps
 *   noise         put a few noise bytes before every reply (the host must still find the frame)
 * and `baudRate` paces every reply like a real UART (10 bits per byte).
 */
import type { ByteLink } from '../transport/byte-link.js';
import { pacedLink } from '../transport/paced-link.js';
import { type CardJson, encodeCardText } from './card-json.js';
import { COMMANDS, encodeFrame, SamFrameParser } from './sam-frame.js';

export const SIMULATOR_FAULTS = ['no-reply', 'garbage', 'bad-checksum', 'split', 'noise'] as const;
export type SimulatorFault = (typeof SIMULATOR_FAULTS)[number];

export interface SimulatorOptions {
  samId?: Uint8Array;
  /** Answer nothing (a dead or wrongly configured reader); same as the `no-reply` fault. */
  silent?: boolean;
  faults?: readonly SimulatorFault[];
  /** Pace replies at this baud rate (10 bits per byte); absent = as fast as the link goes. */
  baudRate?: number;
  /** Photo bytes to serve (1024, WLT); default a fixed filler pattern. */
  photo?: Uint8Array;
}

export class CardReaderSimulator {
  private card: Uint8Array | null = null;
  private found = false;
  private readonly parser = new SamFrameParser();
  private readonly stop: () => void;
  private faults: Set<SimulatorFault>;
  private readonly out: ByteLink;
  private readonly split: ByteLink;
  /** Every command received, by name, for tests to inspect. */
  readonly received: string[] = [];
  /** Bytes written and received, for wire-time accounting (benchmark). */
  readonly traffic = { in: 0, out: 0 };

  constructor(
    link: ByteLink,
    private readonly opts: SimulatorOptions = {},
  ) {
    this.faults = new Set(opts.faults ?? []);
    if (opts.silent) this.faults.add('no-reply');
    this.out = opts.baudRate ? pacedLink(link, { baudRate: opts.baudRate }) : link;
    this.split = pacedLink(link, { pieceSize: 7, pieceGapMs: 1 });
    this.stop = link.onData((chunk) => {
      this.traffic.in += chunk.length;
      for (const e of this.parser.push(chunk)) if (e.kind === 'frame') void this.answer(e.body).catch(() => undefined);
    });
  }

  /** Lays a card (its 256-byte text block) on the reader. */
  present(text: Uint8Array): void {
    this.card = text;
    this.found = false;
  }

  /** Lays a card given as JSON (the fields of `govhall idcard read --json --full`). */
  presentCard(card: CardJson): void {
    this.present(encodeCardText(card));
  }

  lift(): void {
    this.card = null;
    this.found = false;
  }

  get cardPresent(): boolean {
    return this.card !== null;
  }

  setFaults(faults: readonly SimulatorFault[]): void {
    this.faults = new Set(faults);
  }

  get activeFaults(): SimulatorFault[] {
    return [...this.faults];
  }

  private async reply(sw3: number, data: readonly number[] | Uint8Array = []): Promise<void> {
    let frame = encodeFrame([0x00, 0x00, sw3, ...data]);
    if (this.faults.has('garbage')) {
      // No preamble anywhere: what a reader at the wrong baud rate looks like.
      frame = Uint8Array.from({ length: Math.min(frame.length, 64) }, (_, i) => (i * 37 + sw3) & 0x7f);
    }
    if (this.faults.has('bad-checksum')) frame[frame.length - 1]! ^= 0x5a;
    if (this.faults.has('noise')) frame = Uint8Array.from([0x00, 0x13, 0xaa, 0x55, ...frame]);
    this.traffic.out += frame.length;
    if (this.faults.has('split')) return this.split.write(frame);
    return this.out.write(frame);
  }

  private async answer(body: Uint8Array): Promise<void> {
    const [cmd, para] = [body[0], body[1]];
    const name = Object.entries(COMMANDS).find(([, c]) => c[0] === cmd && c[1] === para)?.[0] ?? 'unknown';
    this.received.push(name);
    if (this.faults.has('no-reply')) return;
    switch (name) {
      case 'resetSam':
      case 'samStatus':
        return this.reply(0x90);
      case 'samId':
        return this.reply(0x90, this.opts.samId ?? new Uint8Array(16).fill(0x05));
      case 'findCard':
        if (this.card && !this.found) {
          this.found = true;
          return this.reply(0x9f, [0, 0, 0, 0]);
        }
        return this.reply(0x80);
      case 'selectCard':
        return this.reply(this.card ? 0x90 : 0x81, [0, 0, 0, 0, 0, 0, 0, 0]);
      case 'readTextPhoto':
      case 'readTextPhotoFingerprint': {
        if (!this.card) return this.reply(0x41);
        const fp = name === 'readTextPhotoFingerprint';
        const head = fp ? 6 : 4;
        const data = new Uint8Array(head + 256 + 1024);
        data.set(fp ? [0x01, 0x00, 0x04, 0x00, 0x00, 0x00] : [0x01, 0x00, 0x04, 0x00]);
        data.set(this.card, head);
        data.set(this.opts.photo ?? Uint8Array.from({ length: 1024 }, (_, i) => (i * 7) & 0xff), head + 256);
        return this.reply(0x90, data);
      }
      default:
        return this.reply(0x21);
    }
  }

  close(): void {
    this.stop();
  }
}
