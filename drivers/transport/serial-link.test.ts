/** Serial links over real kernel ttys (socat pty pairs): data both ways, errors, unplug/replug. */
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cleanupAfterEach } from '../testing/cleanups.js';
import { ptyPair, serialPty } from '../testing/pty-pair.js';
import { waitFor } from '../testing/wait-for.js';
import type { ByteLink } from './byte-link.js';
import type { LinkStateChange } from './link-state.js';
import { createReconnectingLink } from './reconnecting-link.js';
import { openSerialLink } from './serial-link.js';
import { TransportError, toTransportError } from './transport-error.js';

const cleanups = cleanupAfterEach();
const pair = () => ptyPair(cleanups);
function keep<T extends ByteLink>(link: T): T {
  cleanups.push(() => link.close());
  return link;
}

/** Everything `link` receives; `bytes(n)` waits until at least n bytes are there. */
function collect(link: ByteLink) {
  const got: number[] = [];
  link.onData((c) => got.push(...c));
  return {
    got,
    async bytes(n: number) {
      await waitFor(`${n} bytes`, () => got.length >= n);
      return got;
    },
  };
}

describe('serial link over a socat pty pair', () => {
  it('carries bytes both ways, in order', async () => {
    const { host, device: dev } = await serialPty(cleanups, { baudRate: 115200 });
    const atDev = collect(dev);
    const atHost = collect(host);
    const big = Uint8Array.from({ length: 3000 }, (_, i) => i & 0xff);
    await host.write(big);
    await dev.write(Uint8Array.of(1, 2, 3));
    expect(await atDev.bytes(3000)).toEqual([...big]);
    expect(await atHost.bytes(3)).toEqual([1, 2, 3]);
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
    keep(await openSerialLink({ path: p.hostPath }));
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
    const host = keep(await openSerialLink({ path: p.hostPath, watchIntervalMs: 50 }));
    const reasons: (Error | null)[] = [];
    host.onClose((r) => reasons.push(r));
    await p.unplug();
    await waitFor('the close', () => reasons.length > 0);
    expect(reasons[0]).toMatchObject({ code: 'PORT_CLOSED' });
    await expect(host.write(Uint8Array.of(1))).rejects.toMatchObject({ code: 'PORT_CLOSED' });
  });
});

describe('reconnecting link with socat unplug/replug', () => {
  it('goes offline when unplugged, comes back on replug without a restart, and picks up a late device', async () => {
    const p = await pair();
    await p.unplug(); // nothing there at start: the link must keep trying
    const states: LinkStateChange[] = [];
    const host = keep(
      createReconnectingLink({
        port: p.hostPath,
        open: () => openSerialLink({ path: p.hostPath, watchIntervalMs: 50 }),
        initialDelayMs: 20,
        maxDelayMs: 100,
      }),
    );
    host.onState((s) => states.push(s));
    await waitFor('offline', () => host.state === 'offline');
    expect(host.reason?.code).toBe('PORT_NOT_FOUND');
    await expect(host.write(Uint8Array.of(1))).rejects.toMatchObject({ code: 'PORT_NOT_FOUND' });

    await p.replug();
    await host.whenOnline(15_000);
    const dev = await openSerialLink({ path: p.devicePath });
    const atDev = collect(dev);
    await host.write(Uint8Array.of(7, 8));
    expect(await atDev.bytes(2)).toEqual([7, 8]);

    await p.unplug();
    await dev.close();
    await waitFor('offline', () => host.state === 'offline');
    expect(host.reason?.code).toBe('PORT_CLOSED');

    await p.replug();
    await host.whenOnline(15_000);
    const dev2 = keep(await openSerialLink({ path: p.devicePath }));
    const atHost = collect(host); // data listeners survive reconnects
    await dev2.write(Uint8Array.of(9));
    expect(await atHost.bytes(1)).toEqual([9]);
    // While offline the reason may change (PORT_CLOSED, then PORT_NOT_FOUND on retries): collapse.
    const seq = states.map((s) => s.state).filter((s, i, all) => s !== all[i - 1]);
    expect(seq).toEqual(['offline', 'online', 'offline', 'online']);
  });
});
