/** HID links through recorded reports (no /dev/uhid here), and the node-hid backend's behaviour. */
import { describe, expect, it } from 'vitest';
import { createRecordedHidBackend, loadNodeHidBackend, openHidLink } from './hid-link.js';
import { createReconnectingLink } from './reconnecting-link.js';
import { TransportError } from './transport-error.js';

const KEYPAD = { path: '/dev/hidraw3', vendorId: 0x1a86, productId: 0xe026, product: 'Eval Keypad' };

describe('HID link', () => {
  it('delivers one input report per chunk and writes output reports', async () => {
    const backend = createRecordedHidBackend([KEYPAD]);
    const link = await openHidLink({ vendorId: 0x1a86, productId: 0xe026, backend });
    expect(link.info.path).toBe('/dev/hidraw3');
    const got: number[][] = [];
    link.onData((r) => got.push([...r]));
    backend.play('/dev/hidraw3', [Uint8Array.of(0, 0, 0x59, 0, 0, 0, 0, 0), new Uint8Array(8)]);
    expect(got).toEqual([
      [0, 0, 0x59, 0, 0, 0, 0, 0],
      [0, 0, 0, 0, 0, 0, 0, 0],
    ]);
    await link.write(Uint8Array.of(0, 1));
    expect(backend.written).toEqual([{ path: '/dev/hidraw3', report: Uint8Array.of(0, 1) }]);
    await link.close();
  });

  it('names a missing device and a denied hidraw node in Chinese', async () => {
    const backend = createRecordedHidBackend([KEYPAD]);
    const missing = await openHidLink({ vendorId: 0x1234, productId: 0x5678, backend }).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(TransportError);
    expect(missing).toMatchObject({ code: 'PORT_NOT_FOUND' });
    expect((missing as Error).message).toContain('1234:5678');
    backend.deny.add('/dev/hidraw3');
    const denied = await openHidLink({ path: '/dev/hidraw3', backend }).catch((e: unknown) => e);
    expect(denied).toMatchObject({ code: 'PORT_FORBIDDEN' });
    expect((denied as Error).message).toContain('udev');
  });

  it('reports an unplugged device as closed and reconnects when it is back', async () => {
    const backend = createRecordedHidBackend([KEYPAD]);
    const link = createReconnectingLink({
      port: KEYPAD.path,
      initialDelayMs: 5,
      maxDelayMs: 20,
      open: () => openHidLink({ path: KEYPAD.path, backend }),
    });
    await link.whenOnline(15_000);
    backend.unplug(KEYPAD.path);
    expect(link.state).toBe('offline');
    backend.replug(KEYPAD.path);
    await link.whenOnline(15_000);
    const got: number[] = [];
    link.onData((r) => got.push(...r));
    backend.play(KEYPAD.path, [Uint8Array.of(1)]);
    expect(got).toEqual([1]);
    await link.close();
  });

  it('loads the real node-hid (a dependency, built on install), lists devices and names a missing one', async () => {
    // No branch for "node-hid did not load": it is installed with its native part, so failing to
    // load it is a broken install, which this test must report rather than pass over.
    const backend = await loadNodeHidBackend();
    const list = await backend.list();
    expect(Array.isArray(list)).toBe(true);
    expect(list.every((d) => typeof d.path === 'string' && Number.isInteger(d.vendorId))).toBe(true);
    const err = await openHidLink({ path: '/dev/hidraw-none' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransportError);
    expect(err).toMatchObject({ code: 'PORT_NOT_FOUND', port: 'HID /dev/hidraw-none' });
    expect((err as Error).message).toContain('udev');
  });
});
