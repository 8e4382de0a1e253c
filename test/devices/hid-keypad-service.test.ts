/**
 * HID evaluation and caller pads through the HID transport interface (recorded backend: CI has no
 * /dev/uhid): reports decoded into keys, keys into levels and window actions; unplug → offline,
 * replug → ok.
 */
import { describe, expect, it } from 'vitest';
import { bootReport } from '../../drivers/keypad/hid-keypad.js';
import { cleanupAfterEach } from '../../drivers/testing/cleanups.js';
import { waitFor } from '../../drivers/testing/wait-for.js';
import { createRecordedHidBackend } from '../../drivers/transport/hid-link.js';
import { createLinkOpener } from '../../main/devices/open-link.js';
import { startTerminalService } from '../support/terminal-service.js';

const cleanups = cleanupAfterEach();

describe('HID keypads in the device service', () => {
  it('decodes recorded reports into ratings and actions, and follows unplug/replug', async () => {
    const backend = createRecordedHidBackend([
      { path: '/dev/hidraw7', vendorId: 0x1a86, productId: 0xe026, product: '五键评价器' },
      { path: '/dev/hidraw8', vendorId: 0x04d9, productId: 0x1203, product: '呼叫器' },
    ]);
    const { ratings, keys, state } = await startTerminalService(
      cleanups,
      {
        id: 'counter-4',
        role: 'counter',
        window: 4,
        devices: [
          { id: 'w4-eval', kind: 'evalkeypad', transport: { type: 'hid', vendorId: 0x1a86, productId: 0xe026 } },
          {
            id: 'w4-call',
            kind: 'keypad',
            transport: { type: 'hid', vendorId: 0x04d9, productId: 0x1203 },
            keys: { KPENTER: 'call-next', KPPLUS: 'recall' },
          },
        ],
      },
      { openLink: createLinkOpener({ hidBackend: backend, initialDelayMs: 10, maxDelayMs: 50 }) },
    );
    await waitFor('both pads online', () => state('w4-eval') === 'ok' && state('w4-call') === 'ok');
    backend.play('/dev/hidraw7', [bootReport([0x1e]), bootReport([]), bootReport([0x22]), bootReport([])]);
    backend.play('/dev/hidraw8', [bootReport([0x58]), bootReport([]), bootReport([0x57]), bootReport([0x04])]);
    await waitFor('keys', () => ratings.length === 2 && keys.length === 2);
    expect(ratings.map((r) => [r.windowNo, r.level, r.key])).toEqual([
      [4, 'very_satisfied', '1'],
      [4, 'very_dissatisfied', '5'],
    ]);
    // "A" is not in the caller's map: ignored, not an error.
    expect(keys.map((k) => k.action)).toEqual(['call-next', 'recall']);

    backend.unplug('/dev/hidraw7');
    await waitFor('offline', () => state('w4-eval') === 'offline');
    expect(state('w4-call')).toBe('ok');
    backend.replug('/dev/hidraw7');
    await waitFor('back', () => state('w4-eval') === 'ok');
    backend.play('/dev/hidraw7', [bootReport([0x5b])]);
    await waitFor('rating after replug', () => ratings.length === 3);
    expect(ratings[2]?.level).toBe('basically_satisfied');
    // Long after "A" was pressed, still no key for it.
    expect(keys.map((k) => k.action)).toEqual(['call-next', 'recall']);
  });
});
