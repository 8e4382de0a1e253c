/** The hub's device health table: rows from the config, changes told once, unknown devices refused. */
import { describe, expect, it } from 'vitest';
import type { DevicesConfig } from '../../kiosk-config/devices-schema.js';
import { DeviceHealthTable, type DeviceRow } from './device-health-table.js';

const config: DevicesConfig = {
  terminals: [
    {
      id: 'kiosk-1',
      role: 'kiosk',
      devices: [{ id: 'k1-printer', kind: 'printer', transport: { type: 'simulated' } }],
    },
    {
      id: 'counter-2',
      role: 'counter',
      window: 2,
      devices: [
        { id: 'w2-keys', kind: 'keypad', transport: { type: 'serial', path: '/dev/ttyUSB0' }, address: 1 },
        { id: 'w5-led', kind: 'ledstrip', transport: { type: 'simulated' }, window: 5 },
      ],
    },
  ],
};

describe('device health table', () => {
  it('lists every configured device, unknown until reported, with its terminal, window and transport', () => {
    const t = new DeviceHealthTable(config, () => 1000);
    expect(t.all().map((r) => [r.deviceId, r.terminal, r.windowNo, r.transport, r.state])).toEqual([
      ['k1-printer', 'kiosk-1', null, 'simulated', 'unknown'],
      ['w2-keys', 'counter-2', 2, 'serial', 'unknown'],
      ['w5-led', 'counter-2', 5, 'simulated', 'unknown'],
    ]);
    expect([...t.terminals]).toEqual(['kiosk-1', 'counter-2']);
    expect(t.ofTerminal('counter-2').map((r) => r.deviceId)).toEqual(['w2-keys', 'w5-led']);
    expect(t.config('w2-keys')).toMatchObject({ kind: 'keypad', address: 1 });
  });

  it('tells a change once, stamped with the clock; refuses a device it does not have', () => {
    let now = 1000;
    const t = new DeviceHealthTable(config, () => now);
    const seen: DeviceRow[] = [];
    const off = t.onChange((r) => seen.push(r));
    expect(t.update({ deviceId: 'k1-printer', state: 'error', detail: '打印机缺纸' })).toBe(true);
    now = 2000;
    expect(t.update({ deviceId: 'k1-printer', state: 'error', detail: '打印机缺纸' })).toBe(true);
    expect(t.update({ deviceId: 'k1-printer', state: 'ok', detail: null })).toBe(true);
    expect(t.update({ deviceId: 'nope', state: 'ok', detail: null })).toBe(false);
    expect(seen.map((r) => [r.state, r.detail, r.since])).toEqual([
      ['error', '打印机缺纸', 1000],
      ['ok', null, 2000],
    ]);
    off();
    t.update({ deviceId: 'k1-printer', state: 'offline', detail: null });
    expect(seen).toHaveLength(2);
    expect(t.get('k1-printer')).toMatchObject({ state: 'offline', since: 2000 });
  });
});
