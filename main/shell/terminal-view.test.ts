/** What the shell shows for each state of the terminal core: pure, no Electron. */
import { describe, expect, it } from 'vitest';
import type { TerminalConfigView } from '../terminal/terminal-types.js';
import { FIRST_WINDOWS, hubUsable, shellPairing, shellSettings, shellWindows } from './terminal-view.js';

const VIEW: TerminalConfigView = {
  terminalId: 'window-3',
  version: 'v1',
  name: null,
  windows: [],
  entry: {
    id: 'window-3',
    windows: [
      { role: 'counter', window: 3, display: 'primary' },
      { role: 'evaluator', window: 3, display: 'secondary', layout: 'portrait', camera: '高拍仪' },
    ],
    lockdown: { technicianUnlock: 'admin-pin' },
    devices: [],
  },
  hall: { code: 'H1', name: '演示大厅', timeZone: 'Asia/Urumqi' },
  ticketText: { header: '', footer: '' },
};

describe('the terminal’s state as the shell shows it', () => {
  it('shows the pairing code while pairing, a problem while it has none, and the role pages once paired', () => {
    expect(
      shellPairing({ kind: 'pairing', code: '418203', expiresAt: '2026-11-23T09:40:00+08:00', problem: null }),
    ).toEqual({ status: 'pairing', pairingId: 'terminal', code: '418203', expiresAt: Date.UTC(2026, 10, 23, 1, 40) });
    expect(shellPairing({ kind: 'pairing', code: null, expiresAt: null, problem: '无法连接大厅中枢' })).toEqual({
      status: 'unpaired',
      retryAt: null,
      error: { code: 'PAIRING_PROBLEM', message: '无法连接大厅中枢' },
    });
    expect(shellPairing({ kind: 'starting' })).toMatchObject({ status: 'unpaired' });
    expect(shellPairing({ kind: 'running', config: VIEW, hubReachable: false })).toEqual({ status: 'paired' });
    expect(shellPairing({ kind: 'waiting', problem: 'x' })).toEqual({ status: 'paired' });
  });

  it('opens the entry’s windows while running and keeps what is open otherwise', () => {
    expect(shellWindows({ kind: 'running', config: VIEW, hubReachable: true })).toEqual([
      { role: 'counter', window: 3, display: 'primary' },
      { role: 'evaluator', window: 3, display: 'secondary', layout: 'portrait', camera: '高拍仪' },
    ]);
    const short = { ...VIEW, entry: { id: 'k', role: 'kiosk' as const, devices: [] } };
    expect(shellWindows({ kind: 'running', config: short, hubReachable: true })).toEqual([
      { role: 'kiosk', display: 'primary' },
    ]);
    const none = { ...VIEW, entry: { id: 'k', devices: [] } };
    expect(shellWindows({ kind: 'running', config: none, hubReachable: true })).toEqual([...FIRST_WINDOWS]);
    expect(shellWindows({ kind: 'pairing', code: null, expiresAt: null, problem: null })).toBeNull();
  });

  it('counts the hub as usable unless the running terminal lost it or waits without a configuration', () => {
    expect(hubUsable({ kind: 'running', config: VIEW, hubReachable: true })).toBe(true);
    expect(hubUsable({ kind: 'running', config: VIEW, hubReachable: false })).toBe(false);
    expect(hubUsable({ kind: 'waiting', problem: 'x' })).toBe(false);
    expect(hubUsable({ kind: 'pairing', code: null, expiresAt: null, problem: null })).toBe(true);
  });

  it('takes lockdown and the hall’s zone from the entry, with safe defaults before the first configuration', () => {
    expect(shellSettings(VIEW)).toEqual({ timeZone: 'Asia/Urumqi', technicianUnlock: 'admin-pin' });
    expect(shellSettings(null)).toEqual({ timeZone: 'Asia/Shanghai', technicianUnlock: 'none' });
  });
});
