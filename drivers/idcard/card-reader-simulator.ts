/**
 * The reader's side of SAM_V, for tests and by hand: answers commands about a card that can be
 * presented and lifted. One `find` succeeds per presentation, as with a real reader.
 */
import type { ByteLink } from '../transport/byte-link.js';
import { COMMANDS, encodeFrame, SamFrameParser } from './sam-frame.js';

export interface SimulatorOptions {
  samId?: Uint8Array;
  /** Answer nothing (a dead or wrongly configured reader). */
  silent?: boolean;
}

export class CardReaderSimulator {
  private card: Uint8Array | null = null;
  private found = false;
  private readonly parser = new SamFrameParser();
  private readonly stop: () => void;
  /** Every command received, by name, for tests to inspect. */
  readonly received: string[] = [];

  constructor(
    private readonly link: ByteLink,
    private readonly opts: SimulatorOptions = {},
  ) {
    this.stop = link.onData((chunk) => {
      for (const e of this.parser.push(chunk)) if (e.kind === 'frame') void this.answer(e.body);
    });
  }

  /** Lays a card (its 256-byte text block) on the reader. */
  present(text: Uint8Array): void {
    this.card = text;
    this.found = false;
  }

  lift(): void {
    this.card = null;
    this.found = false;
  }

  private reply(sw3: number, data: readonly number[] | Uint8Array = []): Promise<void> {
    return this.link.write(encodeFrame([0x00, 0x00, sw3, ...data]));
  }

  private async answer(body: Uint8Array): Promise<void> {
    const [cmd, para] = [body[0], body[1]];
    const name = Object.entries(COMMANDS).find(([, c]) => c[0] === cmd && c[1] === para)?.[0] ?? 'unknown';
    this.received.push(name);
    if (this.opts.silent) return;
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
      case 'readTextPhoto': {
        if (!this.card) return this.reply(0x41);
        const data = new Uint8Array(4 + 256 + 1024);
        data.set([0x01, 0x00, 0x04, 0x00]);
        data.set(this.card, 4);
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
