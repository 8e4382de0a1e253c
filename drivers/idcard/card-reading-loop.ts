/**
 * The reading loop of a kiosk's ID card reader: asks the reader every `intervalMs` (300 by default)
 * whether a card was presented, reads it, and tells listeners once per presentation (`card`), then
 * once when it is lifted (`removed`). While a card lies there the reader's `find` fails (one find per
 * presentation), so the loop watches for the lift with `select`, and checks `find` first so a card
 * swapped between two polls is still noticed.
 *
 * At start (and after every reconnect) it checks the SAM (status, id) and reports `sam`. Health
 * changes — `online`, `offline` (no answer, port gone), `error` (garbage, bad checksums, SAM
 * errors) with a Chinese detail — go out as `health` events for the device service to forward as
 * `device.status`. Nothing here throws out of the loop.
 *
 * The photo stays in memory: the `card` event carries it as a non-enumerable property (so it never
 * ends up in JSON or a log line by accident) and, when a `PhotoDecoder` is given, a `decodePhoto()`.
 */
import type { ByteLink } from '../transport/byte-link.js';
import type { CardText } from './card-text.js';
import { SamStatusError } from './sam-frame.js';
import { type CardRead, SamGarbageError, SamReader, SamTimeoutError } from './sam-reader.js';

/** Decodes a WLT photo to an image (licensed vendor library); none ships with govhall. */
export interface PhotoDecoder {
  /** Returns image bytes (e.g. BMP or PNG). Called only in memory; never store the result. */
  decode(wlt: Uint8Array): Promise<Uint8Array>;
}

export type ReaderHealth = 'online' | 'offline' | 'error';

export interface HealthEvent {
  state: ReaderHealth;
  /** Chinese, for people; null when online. */
  detail: string | null;
  /** Error code when not online (SAM_TIMEOUT, SAM_GARBAGE, SAM_10, PORT_CLOSED, …). */
  code: string | null;
}

export interface CardEvent {
  text: CardText;
  idNumberValid: boolean | null;
  /** When the read finished (clock of the loop). */
  readAt: number;
  /** WLT bytes — non-enumerable, in memory only. */
  readonly photo: Uint8Array;
  decodePhoto?: () => Promise<Uint8Array>;
}

export interface SamInfo {
  samId: string;
  status: 'ok';
}

export interface CardReadingLoopEvents {
  card: CardEvent;
  removed: { readAt: number };
  health: HealthEvent;
  sam: SamInfo;
}

export interface CardReadingLoopOptions {
  /** Poll period (ms, default 300). */
  intervalMs?: number;
  /** Silence allowed before and inside a reply (ms, default 1000; see SamReaderOptions). */
  commandTimeoutMs?: number;
  /** The reader's line speed, so long replies on slow lines are waited for (default 115200). */
  baudRate?: number;
  photoDecoder?: PhotoDecoder;
  now?: () => number;
}

type Phase = 'idle' | 'found' | 'present';

/** A link that can say it is offline (the reconnecting link does). */
interface StatefulLink {
  onState(l: (c: { state: string; reason?: { code?: string; message: string } }) => void): () => void;
}

export class CardReadingLoop {
  private readonly reader: SamReader;
  private readonly listeners: { [K in keyof CardReadingLoopEvents]: Set<(e: CardReadingLoopEvents[K]) => void> } = {
    card: new Set(),
    removed: new Set(),
    health: new Set(),
    sam: new Set(),
  };
  private phase: Phase = 'idle';
  /**
   * A find may have succeeded without us seeing it: a poll failed while idle (reply lost), or, at
   * start, an earlier program already read the card lying there. Next idle poll asks with select.
   */
  private uncertain = true;
  private samReady = false;
  private health: HealthEvent | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private running = false;
  private ticking: Promise<void> | null = null;
  private readonly stopState: (() => void) | null = null;
  private readonly now: () => number;

  constructor(
    link: ByteLink,
    private readonly opts: CardReadingLoopOptions = {},
  ) {
    this.reader = new SamReader(link, {
      timeoutMs: opts.commandTimeoutMs ?? 1000,
      ...(opts.baudRate ? { baudRate: opts.baudRate } : {}),
    });
    this.now = opts.now ?? Date.now;
    const stateful = link as Partial<StatefulLink>;
    if (typeof stateful.onState === 'function') {
      this.stopState = stateful.onState((c) => {
        if (c.state === 'offline') {
          this.lost();
          this.setHealth('offline', c.reason?.message ?? '读卡器已断开', c.reason?.code ?? 'PORT_CLOSED');
        }
      });
    }
  }

  on<K extends keyof CardReadingLoopEvents>(event: K, listener: (e: CardReadingLoopEvents[K]) => void): () => void {
    this.listeners[event].add(listener);
    return () => this.listeners[event].delete(listener);
  }

  /** The last health reported (null before the first poll). */
  get currentHealth(): HealthEvent | null {
    return this.health;
  }

  get cardPresent(): boolean {
    return this.phase === 'present';
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule(0);
  }

  /** Runs one poll now (tests, CLI); resolves when it is done. */
  async tick(): Promise<void> {
    if (this.ticking) return this.ticking;
    this.ticking = this.poll().finally(() => {
      this.ticking = null;
    });
    return this.ticking;
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.ticking?.catch(() => undefined);
    this.stopState?.();
    this.reader.close();
  }

  private schedule(ms: number): void {
    if (!this.running) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.tick().finally(() => this.schedule(this.opts.intervalMs ?? 300));
    }, ms);
  }

  private emit<K extends keyof CardReadingLoopEvents>(event: K, e: CardReadingLoopEvents[K]): void {
    for (const l of [...this.listeners[event]]) {
      try {
        l(e);
      } catch {
        // a listener's failure is its own
      }
    }
  }

  private setHealth(state: ReaderHealth, detail: string | null, code: string | null): void {
    const h = this.health;
    if (h && h.state === state && h.code === code) return;
    this.health = { state, detail, code };
    this.emit('health', this.health);
  }

  /** The reader went away: a card that lay there is gone as far as we can know. */
  private lost(): void {
    this.samReady = false;
    if (this.phase === 'present') this.emit('removed', { readAt: this.now() });
    this.phase = 'idle';
  }

  private async poll(): Promise<void> {
    try {
      if (!this.samReady) {
        await this.reader.samStatus();
        const samId = await this.reader.samId();
        this.samReady = true;
        this.emit('sam', { samId, status: 'ok' });
      }
      if (this.phase === 'found') {
        // A read failed after a successful find: the reader will not find it again until it is
        // lifted, so read it again directly while it is there.
        if (await this.reader.cardInField()) await this.read();
        else this.phase = 'idle';
      } else if (await this.reader.findCard()) {
        if (this.phase === 'present') this.emit('removed', { readAt: this.now() });
        this.phase = 'found';
        await this.read();
      } else if (this.phase === 'idle' && this.uncertain) {
        // The reader will not find that card again; ask whether one lies there and read it.
        if (await this.reader.cardInField()) {
          this.phase = 'found';
          await this.read();
        }
      } else if (this.phase === 'present' && !(await this.reader.cardInField())) {
        this.phase = 'idle';
        this.emit('removed', { readAt: this.now() });
      }
      this.uncertain = false;
      this.setHealth('online', null, null);
    } catch (err) {
      if (this.phase === 'idle') this.uncertain = true;
      this.failed(err);
    }
  }

  private async read(): Promise<void> {
    const r = await this.reader.readFoundCard();
    this.phase = 'present';
    this.emit('card', this.cardEvent(r));
  }

  private cardEvent(r: CardRead): CardEvent {
    const e = { text: r.text, idNumberValid: r.idNumberValid, readAt: this.now() } as CardEvent;
    Object.defineProperty(e, 'photo', { value: r.photo, enumerable: false });
    const decoder = this.opts.photoDecoder;
    if (decoder) Object.defineProperty(e, 'decodePhoto', { value: () => decoder.decode(r.photo), enumerable: false });
    return e;
  }

  private failed(err: unknown): void {
    const e = err as { code?: string; message?: string };
    const message = typeof e?.message === 'string' ? e.message : String(err);
    if (err instanceof SamTimeoutError) {
      this.samReady = false;
      this.setHealth('offline', message, err.code);
    } else if (err instanceof SamGarbageError || err instanceof SamStatusError) {
      this.setHealth('error', message, err.code);
    } else if (e?.code === 'PORT_CLOSED' || e?.code === 'PORT_NOT_FOUND') {
      this.lost();
      this.setHealth('offline', message, e.code);
    } else {
      this.setHealth('error', message, e?.code ?? 'IO');
    }
  }
}
