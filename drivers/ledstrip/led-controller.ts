/**
 * What the device service asks of a window LED strip. The 69-byte serial format is one
 * implementation; controller cards with their own protocol (e.g. Onbon BX) implement the same
 * interface. Numbers are written to RAM (temporary frames), never to flash: a strip's flash wears out
 * after some 100 000 writes, and a busy window calls that many numbers in a few months.
 */
import type { ByteLink } from '../transport/byte-link.js';
import { encodeLedFrame, type LedEffect } from './led-frame.js';

export interface LedShowResult {
  /** What the strip shows (after truncation). */
  shown: string;
  truncated: boolean;
}

export interface LedStripController {
  readonly protocol: string;
  /** Shows a text until the next call (volatile: a power cycle clears it). */
  showText(text: string): Promise<LedShowResult>;
  clear(): Promise<void>;
  close(): Promise<void>;
}

export interface Led69Options {
  /** Screen address on the bus (byte 0), default 1. */
  address?: number;
  inEffect?: LedEffect;
  outEffect?: number;
  stayMode?: number;
}

export class Led69Controller implements LedStripController {
  readonly protocol = 'led69';

  constructor(
    private readonly link: ByteLink,
    private readonly opts: Led69Options = {},
  ) {}

  async showText(text: string): Promise<LedShowResult> {
    const f = encodeLedFrame({
      address: this.opts.address ?? 1,
      type: 'temporary',
      text,
      ...(this.opts.inEffect ? { inEffect: this.opts.inEffect } : {}),
      ...(this.opts.outEffect !== undefined ? { outEffect: this.opts.outEffect } : {}),
      ...(this.opts.stayMode !== undefined ? { stayMode: this.opts.stayMode } : {}),
    });
    await this.link.write(f.bytes);
    return { shown: f.shown, truncated: f.truncated };
  }

  async clear(): Promise<void> {
    await this.showText('');
  }

  async close(): Promise<void> {
    // The link belongs to whoever opened it (the device service); nothing of our own to release.
  }
}
