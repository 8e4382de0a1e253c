/**
 * A ByteLink that stays usable across unplugging: it opens its device through `open()`, and when
 * the device goes away (the inner link reports close, or a write fails) it goes `offline` and keeps
 * trying to open again with capped exponential backoff. A device plugged in after start is picked
 * up the same way, because a failed first open is retried like any other. Data listeners survive
 * reconnects. Writes while offline reject at once with `PORT_CLOSED` — callers (reading loops,
 * printers) report that as health, they do not queue.
 */
import type { ByteLink } from './byte-link.js';
import type { LinkState, LinkStateChange, StatefulLink } from './link-state.js';
import { type TransportError, toTransportError, transportError } from './transport-error.js';

export interface ReconnectTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface ReconnectingLinkOptions {
  open: () => Promise<ByteLink>;
  /** The port or address, for error messages. */
  port: string;
  /** First retry delay (ms, default 250); doubles per failure up to `maxDelayMs` (default 5000). */
  initialDelayMs?: number;
  maxDelayMs?: number;
  factor?: number;
  timers?: ReconnectTimers;
}

export interface ReconnectingLink extends StatefulLink {
  /** Resolves when online; rejects with the last reason after `timeoutMs`. */
  whenOnline(timeoutMs: number): Promise<void>;
}

const defaultTimers: ReconnectTimers = {
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    t.unref?.();
    return t;
  },
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

export function createReconnectingLink(opts: ReconnectingLinkOptions): ReconnectingLink {
  const timers = opts.timers ?? defaultTimers;
  const initial = opts.initialDelayMs ?? 250;
  const max = opts.maxDelayMs ?? 5000;
  const factor = opts.factor ?? 2;
  const dataListeners = new Set<(c: Uint8Array) => void>();
  const stateListeners = new Set<(c: LinkStateChange) => void>();
  let state: LinkState = 'connecting';
  let reason: TransportError | null = null;
  let inner: ByteLink | null = null;
  let innerStops: (() => void)[] = [];
  let attempt = 0;
  let delay = initial;
  let retry: unknown = null;
  let closed = false;

  const emit = (next: LinkState, why: TransportError | null) => {
    const same = next === state && (why?.code ?? null) === (reason?.code ?? null);
    state = next;
    reason = why;
    if (same) return;
    const change: LinkStateChange = { state: next, attempt, ...(why ? { reason: why } : {}) };
    for (const l of [...stateListeners]) {
      try {
        l(change);
      } catch {
        // listeners must not break reconnection
      }
    }
  };

  const schedule = () => {
    if (closed || retry !== null) return;
    const wait = delay;
    delay = Math.min(max, Math.max(1, delay * factor));
    retry = timers.setTimeout(() => {
      retry = null;
      void connect();
    }, wait);
  };

  const drop = (why: TransportError) => {
    if (!inner) return;
    const old = inner;
    inner = null;
    for (const s of innerStops) s();
    innerStops = [];
    old.close().catch(() => undefined);
    if (closed) return;
    emit('offline', why);
    schedule();
  };

  const connect = async () => {
    if (closed) return;
    attempt++;
    let link: ByteLink;
    try {
      link = await opts.open();
    } catch (err) {
      if (closed) return;
      emit('offline', toTransportError(err, opts.port));
      schedule();
      return;
    }
    if (closed) {
      await link.close().catch(() => undefined);
      return;
    }
    inner = link;
    innerStops = [
      link.onData((chunk) => {
        for (const l of dataListeners) l(chunk);
      }),
    ];
    if (link.onClose) {
      innerStops.push(
        link.onClose((why) => {
          if (inner === link) drop(why ? toTransportError(why, opts.port) : transportError('PORT_CLOSED', opts.port));
        }),
      );
    }
    attempt = 0;
    delay = initial;
    emit('online', null);
  };

  const onState = (listener: (change: LinkStateChange) => void) => {
    stateListeners.add(listener);
    return () => {
      stateListeners.delete(listener);
    };
  };

  void connect();

  return {
    get state() {
      return state;
    },
    get reason() {
      return reason;
    },
    async write(data) {
      const link = inner;
      if (!link || state !== 'online') throw reason ?? transportError('PORT_CLOSED', opts.port);
      try {
        await link.write(data);
      } catch (err) {
        const e = toTransportError(err, opts.port);
        drop(e.code === 'IO' ? transportError('PORT_CLOSED', opts.port) : e);
        throw e;
      }
    },
    onData(listener) {
      dataListeners.add(listener);
      return () => dataListeners.delete(listener);
    },
    onState,
    whenOnline(timeoutMs) {
      if (state === 'online') return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const stop = () => {
          off();
          timers.clearTimeout(timer);
        };
        const off = onState((c) => {
          if (c.state === 'online') {
            stop();
            resolve();
          }
        });
        const timer = timers.setTimeout(() => {
          stop();
          reject(reason ?? transportError('TIMEOUT', opts.port, `${timeoutMs} 毫秒内未连上`));
        }, timeoutMs);
      });
    },
    async close() {
      if (closed) return;
      closed = true;
      if (retry !== null) timers.clearTimeout(retry);
      retry = null;
      const link = inner;
      inner = null;
      for (const s of innerStops) s();
      innerStops = [];
      stateListeners.clear();
      dataListeners.clear();
      if (link) await link.close().catch(() => undefined);
    },
  };
}
