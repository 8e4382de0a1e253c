/**
 * The common RS-485 polled keypad protocol of window callers (呼叫器) and 5-key evaluation keypads
 * (评价器). The host sends one byte, `0xFF − address`, to each keypad in turn; the keypad answers
 * two bytes, `[0xFF − address, code]`. A keypad with nothing to report answers code `00` (or stays
 * silent: both are accepted, see `silentWhenIdle` in the poller).
 *
 * The parser never throws and keeps at most one byte between chunks: a byte that is not a polled
 * address echo, or an echo followed by an unknown code, is dropped as noise and scanning resumes at
 * the next byte, so the next good reply is always found. Half-duplex adapters that echo the host's
 * own poll byte give `[poll, poll, code]`, which the same rule handles.
 */

export const IDLE_CODE = 0x00;

/** Caller (呼叫器) key codes of the common protocol. */
export const CALLER_CODES = {
  call: 0xcc,
  recall: 0x33,
  login: 0x0f,
  pause: 0xaa,
  query: 0x55,
  transfer: 0xf0,
} as const;

export type CallerAction = keyof typeof CALLER_CODES;
export const CALLER_ACTIONS = Object.keys(CALLER_CODES) as CallerAction[];

/**
 * Default code of each level on a 5-key evaluation keypad (非常满意 … 非常不满意, left to right).
 * Vendors differ; the hall config overrides it per device (`levelMap`).
 */
export const DEFAULT_LEVEL_CODES = {
  very_satisfied: 0x01,
  satisfied: 0x02,
  basically_satisfied: 0x03,
  dissatisfied: 0x04,
  very_dissatisfied: 0x05,
} as const;

export const MIN_ADDRESS = 1;
export const MAX_ADDRESS = 254;

export function pollByte(address: number): number {
  if (!Number.isInteger(address) || address < MIN_ADDRESS || address > MAX_ADDRESS) {
    throw new RangeError(`键盘地址应为 ${MIN_ADDRESS} 到 ${MAX_ADDRESS} 的整数，收到 ${address}`);
  }
  return 0xff - address;
}

export const addressOfPoll = (b: number) => 0xff - b;

export function encodeReply(address: number, code: number): Uint8Array {
  return Uint8Array.of(pollByte(address), code & 0xff);
}

export type KeypadParseEvent = { kind: 'reply'; address: number; code: number } | { kind: 'noise'; bytes: number[] };

export class KeypadReplyParser {
  private readonly echoes: Set<number>;
  private readonly codes: Set<number>;
  /** An address echo waiting for its code byte (the only state kept between chunks). */
  private held: number | null = null;

  /**
   * @param addresses the keypads on this bus; only their echoes start a reply
   * @param codes the codes that complete a reply (key codes plus `00`)
   */
  constructor(addresses: Iterable<number>, codes: Iterable<number>) {
    this.echoes = new Set([...addresses].map(pollByte));
    this.codes = new Set([...codes].map((c) => c & 0xff));
    this.codes.add(IDLE_CODE);
  }

  get pending(): number {
    return this.held === null ? 0 : 1;
  }

  push(chunk: Uint8Array): KeypadParseEvent[] {
    const out: KeypadParseEvent[] = [];
    let noise: number[] = [];
    const flushNoise = () => {
      if (noise.length) out.push({ kind: 'noise', bytes: noise });
      noise = [];
    };
    for (const b of chunk) {
      if (this.held !== null) {
        if (this.codes.has(b)) {
          flushNoise();
          out.push({ kind: 'reply', address: addressOfPoll(this.held), code: b });
          this.held = null;
          continue;
        }
        // Not a code: the held byte was noise (or the adapter's echo of our poll); rescan from b.
        noise.push(this.held);
        this.held = null;
      }
      if (this.echoes.has(b)) this.held = b;
      else noise.push(b);
    }
    flushNoise();
    return out;
  }

  reset(): void {
    this.held = null;
  }
}

/** Parses `"CC"`, `"0xCC"` or `204` into a byte; null when it is not one. */
export function parseCode(v: string | number): number | null {
  if (typeof v === 'number') return Number.isInteger(v) && v >= 0 && v <= 255 ? v : null;
  const m = /^(?:0x)?([0-9a-f]{1,2})$/i.exec(v.trim());
  return m ? Number.parseInt(m[1]!, 16) : null;
}

export const hexByte = (b: number) => b.toString(16).toUpperCase().padStart(2, '0');
