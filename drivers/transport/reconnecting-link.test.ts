/** Reconnect logic with a scripted opener and manual timers (no sleeping). */
import { describe, expect, it } from 'vitest';
import { type ByteLink, createLinkPair } from './byte-link.js';
import type { LinkStateChange } from './link-state.js';
import { createReconnectingLink, type ReconnectTimers } from './reconnecting-link.js';
import { transportError } from './transport-error.js';

function manualTimers() {
  const pending: { fn: () => void; ms: number; id: number }[] = [];
  let next = 1;
  const timers: ReconnectTimers = {
    setTimeout: (fn, ms) => {
      const id = next++;
      pending.push({ fn, ms, id });
      return id;
    },
    clearTimeout: (h) => {
      const i = pending.findIndex((p) => p.id === h);
      if (i >= 0) pending.splice(i, 1);
    },
  };
  return {
    timers,
    delays: () => pending.map((p) => p.ms),
    fire() {
      const p = pending.shift();
      p?.fn();
      return p?.ms;
    },
  };
}

const flush = () => new Promise((r) => setTimeout(r, 0));

/** A closable in-memory link whose loss can be triggered. */
function losable(link: ByteLink) {
  const closers = new Set<(r: Error | null) => void>();
  let failWrites = false;
  const l: ByteLink = {
    write: async (d) => {
      if (failWrites) throw new Error('EIO: i/o error, write');
      return link.write(d);
    },
    onData: (f) => link.onData(f),
    close: async () => undefined,
    onClose: (f) => {
      closers.add(f);
      return () => closers.delete(f);
    },
  };
  return {
    link: l,
    lose: () => {
      for (const c of closers) c(transportError('PORT_CLOSED', 'P'));
    },
    failWrites: () => {
      failWrites = true;
    },
  };
}

describe('reconnecting link', () => {
  it('retries a failing open with capped exponential backoff, then goes online', async () => {
    const t = manualTimers();
    let attempts = 0;
    const [a] = createLinkPair();
    const link = createReconnectingLink({
      port: '/dev/ttyUSB0',
      timers: t.timers,
      initialDelayMs: 100,
      maxDelayMs: 400,
      open: async () => {
        attempts++;
        if (attempts < 5) throw Object.assign(new Error('No such file or directory, cannot open /dev/ttyUSB0'), {});
        return a;
      },
    });
    const states: LinkStateChange[] = [];
    link.onState((s) => states.push(s));
    expect(link.state).toBe('connecting');
    await flush();
    const waits: (number | undefined)[] = [];
    for (let i = 0; i < 4; i++) {
      waits.push(t.fire());
      await flush();
    }
    expect(waits).toEqual([100, 200, 400, 400]);
    expect(link.state).toBe('online');
    // One offline event (same reason each time), then online.
    expect(states.map((s) => [s.state, s.reason?.code])).toEqual([
      ['offline', 'PORT_NOT_FOUND'],
      ['online', undefined],
    ]);
    await link.close();
    expect(t.delays()).toEqual([]);
  });

  it('goes offline when the inner link is lost, rejects writes with PORT_CLOSED, and reconnects', async () => {
    const t = manualTimers();
    const [a, b] = createLinkPair();
    const inner = [losable(a), losable(a)];
    let n = 0;
    const link = createReconnectingLink({ port: 'P', timers: t.timers, open: async () => inner[n++]!.link });
    const got: number[] = [];
    link.onData((c) => got.push(...c));
    await flush();
    expect(link.state).toBe('online');
    inner[0]!.lose();
    expect(link.state).toBe('offline');
    await expect(link.write(Uint8Array.of(1))).rejects.toMatchObject({ code: 'PORT_CLOSED' });
    t.fire();
    await flush();
    expect(link.state).toBe('online');
    await b.write(Uint8Array.of(5));
    await flush();
    expect(got).toEqual([5]);
    // A failed write also takes it offline.
    inner[1]!.failWrites();
    await expect(link.write(Uint8Array.of(1))).rejects.toBeTruthy();
    expect(link.state).toBe('offline');
    await link.close();
  });

  it('whenOnline rejects with the last reason after its timeout', async () => {
    const link = createReconnectingLink({
      port: 'COM9',
      initialDelayMs: 5,
      open: async () => {
        throw new Error('Error Resource temporarily unavailable Cannot lock port');
      },
    });
    await expect(link.whenOnline(50)).rejects.toMatchObject({ code: 'PORT_BUSY', port: 'COM9' });
    await link.close();
  });
});
