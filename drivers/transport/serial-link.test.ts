/** Serial links over real kernel ttys (socat pty pairs): data both ways, errors, unplug/replug. */
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { ByteLink } from './byte-link.js';
import type { LinkStateChange } from './link-state.js';
import { createReconnectingLink } from './reconnecting-link.js';
import { openSerialLink } from './serial-link.js';
import { createPtyPair, type PtyPair } from './socat-pty.js';
import { TransportError, toTransportError } from './transport-error.js';

const pairs: PtyPair[] = [];
const links: ByteLink[] = [];
afterEach(async () => {
  for (const l of links.splice(0)) await l.close().catch(() => undefined);
  for (const p of pairs.splice(0)) await p.close();
});

async function pair() {
  const p = await createPtyPair();
  pairs.push(p);
  return p;
}

function collect(link: ByteLink) {
  const got: number[] = [];
  link.onData((c) => got.push(...c));
  return {
    got,
    async waitFor(n: number, ms = 3000) {
      const end = Date.now() + ms;
      while (got.length < n && Date.now() < end) await new Promise((r) => setTimeout(r, 5));
      return got;
    },
  };
}

const waitUntil = async (cond: () => boolean, ms = 5000) => {
  const end = Date.now() + ms;
  while (!cond() && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
  return cond();
};

describe('serial link over a socat pty pair', () => {
  it('carries bytes both ways, in order', async () => {
    const p = await pair();
    const host = await openSerialLink({ path: p.hostPath, baudRate: 115200 });
    const dev = await openSerialLink({ path: p.devicePath, baudRate: 115200 });
    links.push(host, dev);
    const atDev = collect(dev);
    const atHost = collect(host);
    const big = Uint8Array.from({ length: 3000 }, (_, i) => i & 0xff);
    await host.write(big);
    await dev.write(Uint8Array.of(1, 2, 3));
    expect(await atDev.waitFor(3000)).toEqual([...big]);
    expect(await atHost.waitFor(3)).toEqual([1, 2, 3]);
  });

  it('names a missing port with PORT_NOT_FOUND and what to do', async () => {
    const err = await openSerialLink({ path: '/tmp/govhall-no-such-port' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransportError);
    expect(err).toMatchObject({ code: 'PORT_NOT_FOUND', port: '/tmp/govhall-no-such-port' });
    expect((err as Error).message).toContain('/tmp/govhall-no-such-port');
    expect((err as Error).message).not.toContain('    at ');
  });

  it('says NOT_A_PORT for a directory or a plain file, naming it', async () => {
    const file = fileURLToPath(import.meta.url);
    for (const path of [tmpdir(), file]) {
      const err = await openSerialLink({ path }).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'NOT_A_PORT', port: path });
      expect((err as Error).message).toContain('不是串口');
    }
  });

  it('says PORT_BUSY when another program holds the port', async () => {
    const p = await pair();
    links.push(await openSerialLink({ path: p.hostPath }));
    const err = await openSerialLink({ path: p.hostPath }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'PORT_BUSY', port: p.hostPath });
    expect((err as Error).message).toContain('占用');
  });

  it('maps permission errors to PORT_FORBIDDEN with the dialout advice (root here, so mapped directly)', () => {
    const e = toTransportError(
      Object.assign(new Error('Error: Permission denied, cannot open /dev/ttyS9'), {}),
      '/dev/ttyS9',
    );
    expect(e.code).toBe('PORT_FORBIDDEN');
    expect(e.message).toContain('sudo usermod -aG dialout $USER');
    expect(toTransportError(new Error('weird\n    at x (y.js:1:1)'), 'P').message).not.toContain(' at ');
  });

  it('closes itself with PORT_CLOSED when the port disappears', async () => {
    const p = await pair();
    const host = await openSerialLink({ path: p.hostPath, watchIntervalMs: 50 });
    links.push(host);
    const reasons: (Error | null)[] = [];
    host.onClose((r) => reasons.push(r));
    await p.unplug();
    expect(await waitUntil(() => reasons.length > 0)).toBe(true);
    expect(reasons[0]).toMatchObject({ code: 'PORT_CLOSED' });
    await expect(host.write(Uint8Array.of(1))).rejects.toMatchObject({ code: 'PORT_CLOSED' });
  });
});

describe('reconnecting link with socat unplug/replug', () => {
  it('goes offline when unplugged, comes back on replug without a restart, and picks up a late device', async () => {
    const p = await pair();
    await p.unplug(); // nothing there at start: the link must keep trying
    const states: LinkStateChange[] = [];
    const host = createReconnectingLink({
      port: p.hostPath,
      open: () => openSerialLink({ path: p.hostPath, watchIntervalMs: 50 }),
      initialDelayMs: 20,
      maxDelayMs: 100,
    });
    links.push(host);
    host.onState((s) => states.push(s));
    expect(await waitUntil(() => host.state === 'offline')).toBe(true);
    expect(host.reason?.code).toBe('PORT_NOT_FOUND');
    await expect(host.write(Uint8Array.of(1))).rejects.toMatchObject({ code: 'PORT_NOT_FOUND' });

    await p.replug();
    await host.whenOnline(5000);
    const dev = await openSerialLink({ path: p.devicePath });
    const atDev = collect(dev);
    await host.write(Uint8Array.of(7, 8));
    expect(await atDev.waitFor(2)).toEqual([7, 8]);

    await p.unplug();
    await dev.close();
    expect(await waitUntil(() => host.state === 'offline')).toBe(true);
    expect(host.reason?.code).toBe('PORT_CLOSED');

    await p.replug();
    await host.whenOnline(5000);
    const dev2 = await openSerialLink({ path: p.devicePath });
    links.push(dev2);
    const atHost = collect(host); // data listeners survive reconnects
    await dev2.write(Uint8Array.of(9));
    expect(await atHost.waitFor(1)).toEqual([9]);
    // While offline the reason may change (PORT_CLOSED, then PORT_NOT_FOUND on retries): collapse.
    const seq = states.map((s) => s.state).filter((s, i, all) => s !== all[i - 1]);
    expect(seq).toEqual(['offline', 'online', 'offline', 'online']);
  });
});
