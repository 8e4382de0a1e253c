/** A window LED strip that decodes what it receives, for tests and `govhall sim ledstrip`. */
import type { ByteLink } from '../transport/byte-link.js';
import { type DecodedLedFrame, LedFrameParser } from './led-frame.js';

export class LedStripSimulator {
  private readonly parser = new LedFrameParser();
  private readonly stop: () => void;
  private readonly listeners = new Set<(f: DecodedLedFrame) => void>();
  /** Decoded frames (bounded to the last 1000). */
  readonly frames: DecodedLedFrame[] = [];
  noiseBytes = 0;

  constructor(
    link: ByteLink,
    private readonly opts: { address?: number } = {},
  ) {
    this.stop = link.onData((chunk) => {
      for (const e of this.parser.push(chunk)) {
        if (e.kind === 'noise') {
          this.noiseBytes += e.bytes;
          continue;
        }
        if (this.opts.address !== undefined && e.frame.address !== this.opts.address) continue;
        this.frames.push(e.frame);
        if (this.frames.length > 1000) this.frames.shift();
        for (const l of this.listeners) l(e.frame);
      }
    });
  }

  /** The text on display now (the last show or temporary frame). */
  get text(): string | null {
    return this.frames.at(-1)?.text ?? null;
  }

  onFrame(cb: (f: DecodedLedFrame) => void): () => void {
    this.listeners.add(cb);
    return () => this.listeners.delete(cb);
  }

  close(): void {
    this.stop();
  }
}
