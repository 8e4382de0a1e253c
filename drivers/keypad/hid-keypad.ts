/**
 * USB HID keypads (caller pads and evaluation pads that enumerate as a keyboard). They send boot
 * keyboard reports: `[modifiers, reserved, key1 … key6]` (8 bytes), or the same 8 bytes after a
 * report id when the device numbers its reports (9 bytes). A key press is a usage that appears in a
 * report and was not in the previous one; releases and held keys give nothing. Reports of the wrong
 * size and the keyboard's "roll-over" error report (`01` in every slot) are ignored, never thrown.
 *
 * Key names are the HID usage names we need: `1`…`0`, `KP1`…`KP0`, `A`…`Z`, `F1`…`F12`, `ENTER`,
 * `KPENTER`, `SPACE`, `ESC`, `BACKSPACE`, `TAB`, `KPPLUS`, `KPMINUS`, `KPSTAR`, `KPSLASH`, `KPDOT`,
 * and `0xNN` for any other usage. The key → action (or level) map comes from the hall config.
 */
import type { ByteLink } from '../transport/byte-link.js';

const NAMES = new Map<number, string>();
for (let i = 0; i < 26; i++) NAMES.set(0x04 + i, String.fromCharCode(65 + i));
for (let i = 0; i < 9; i++) NAMES.set(0x1e + i, String(i + 1));
NAMES.set(0x27, '0');
for (let i = 0; i < 12; i++) NAMES.set(0x3a + i, `F${i + 1}`);
for (let i = 0; i < 9; i++) NAMES.set(0x59 + i, `KP${i + 1}`);
NAMES.set(0x62, 'KP0');
for (const [u, n] of [
  [0x28, 'ENTER'],
  [0x29, 'ESC'],
  [0x2a, 'BACKSPACE'],
  [0x2b, 'TAB'],
  [0x2c, 'SPACE'],
  [0x54, 'KPSLASH'],
  [0x55, 'KPSTAR'],
  [0x56, 'KPMINUS'],
  [0x57, 'KPPLUS'],
  [0x58, 'KPENTER'],
  [0x63, 'KPDOT'],
] as const)
  NAMES.set(u, n);

export function keyName(usage: number): string {
  return NAMES.get(usage) ?? `0x${usage.toString(16).toUpperCase().padStart(2, '0')}`;
}

export interface HidReportDecoderOptions {
  /** The device prefixes each report with this report id (9-byte reports). */
  reportId?: number;
}

/** Turns a sequence of boot keyboard reports into key-down names. Pure, never throws. */
export class HidReportDecoder {
  private down = new Set<number>();

  constructor(private readonly opts: HidReportDecoderOptions = {}) {}

  push(report: Uint8Array): string[] {
    let r = report;
    if (this.opts.reportId !== undefined) {
      if (r.length !== 9 || r[0] !== this.opts.reportId) return [];
      r = r.subarray(1);
    }
    if (r.length !== 8) return [];
    const keys = [...r.subarray(2)].filter((u) => u !== 0);
    // Phantom state (too many keys held): keep the previous state, report nothing.
    if (keys.length > 0 && keys.every((u) => u === 0x01)) return [];
    const now = new Set(keys);
    const pressed = keys.filter((u) => !this.down.has(u));
    this.down = now;
    return pressed.map(keyName);
  }

  reset(): void {
    this.down.clear();
  }
}

/**
 * A HID keypad on any link that hands over one input report per chunk (the HID transport does).
 * Chunks that are several reports glued together (8·n bytes) are split.
 */
export class HidKeypad {
  private readonly decoder: HidReportDecoder;
  private readonly stop: () => void;
  private readonly listeners = new Set<(key: string) => void>();

  constructor(link: ByteLink, opts: HidReportDecoderOptions = {}) {
    this.decoder = new HidReportDecoder(opts);
    const size = opts.reportId === undefined ? 8 : 9;
    this.stop = link.onData((chunk) => {
      const reports = chunk.length > size && chunk.length % size === 0 ? split(chunk, size) : [chunk];
      for (const r of reports)
        for (const k of this.decoder.push(r)) {
          for (const l of this.listeners) {
            try {
              l(k);
            } catch {
              // listener errors stay with the listener
            }
          }
        }
    });
  }

  onKey(cb: (key: string) => void): () => void {
    this.listeners.add(cb);
    return () => this.listeners.delete(cb);
  }

  close(): void {
    this.stop();
  }
}

function split(b: Uint8Array, size: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i + size <= b.length; i += size) out.push(b.subarray(i, i + size));
  return out;
}

/** A boot keyboard report with the given usages held (for simulators and tests). */
export function bootReport(usages: number[], modifiers = 0): Uint8Array {
  const r = new Uint8Array(8);
  r[0] = modifiers;
  usages.slice(0, 6).forEach((u, i) => {
    r[2 + i] = u;
  });
  return r;
}

/** Usage code of a key name (inverse of keyName), or null. */
export function usageOf(name: string): number | null {
  const up = name.toUpperCase();
  for (const [u, n] of NAMES) if (n === up) return u;
  const m = /^0X([0-9A-F]{2})$/.exec(up);
  return m ? Number.parseInt(m[1]!, 16) : null;
}
