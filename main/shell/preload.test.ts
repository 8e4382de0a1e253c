/**
 * The preload exposes exactly the typed bridge and forwards to IPC. Electron is mocked (vi.mock):
 * there is no Electron binary here, and importing the real `electron` package in Node would try to
 * download one. The preload still compiles against Electron's real typings.
 */
import { EventEmitter } from 'node:events';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { BRIDGE_CHANNELS, type GovhallPreloadApi } from './types.js';

const exposed: Record<string, unknown> = {};
const emitter = new EventEmitter();
const invoke = vi.fn(async (channel: string, ...args: unknown[]) => {
  if (channel === BRIDGE_CHANNELS.print) return { ok: true, echo: args[0] };
  if (channel === BRIDGE_CHANNELS.getDeviceStatus)
    return [{ deviceId: 'p1', kind: 'printer', state: 'ok', detail: null }];
  return { hubUrl: 'http://127.0.0.1:8800', token: null, role: 'kiosk', windowNo: null };
});

vi.mock('electron', () => ({
  contextBridge: {
    exposeInMainWorld: (k: string, v: unknown) => {
      exposed[k] = v;
    },
  },
  ipcRenderer: {
    on: (c: string, l: (...a: unknown[]) => void) => emitter.on(c, l),
    removeListener: (c: string, l: (...a: unknown[]) => void) => emitter.removeListener(c, l),
    invoke: (c: string, ...a: unknown[]) => invoke(c, ...a),
  },
}));

describe('preload (Electron mocked)', () => {
  beforeEach(() => invoke.mockClear());

  it('exposes window.govhall with the bridge API and forwards card events until unsubscribed', async () => {
    await import('./preload.js');
    const api = exposed.govhall as GovhallPreloadApi;
    expect(Object.keys(api).sort()).toEqual(
      [
        'config',
        'deviceStatus',
        'onCard',
        'onCardRemoved',
        'onDeviceStatus',
        'print',
        'printPdf',
        'reportInventory',
        'version',
      ].sort(),
    );
    api.reportInventory!({ cameras: [{ label: '高拍仪' }], displays: [] });
    expect(invoke).toHaveBeenCalledWith(BRIDGE_CHANNELS.inventory, { cameras: [{ label: '高拍仪' }], displays: [] });
    invoke.mockClear();
    expect(Object.isFrozen(api)).toBe(true);
    const cards: unknown[] = [];
    const off = api.onCard((c) => cards.push(c));
    const card = {
      name: '张三',
      certNo: '110101199003070017',
      certType: 'resident',
      gender: '男',
      birthDate: '1990-03-07',
    };
    emitter.emit(BRIDGE_CHANNELS.card, {}, card);
    off();
    emitter.emit(BRIDGE_CHANNELS.card, {}, card);
    expect(cards).toEqual([card]);
    expect(emitter.listenerCount(BRIDGE_CHANNELS.card)).toBe(0);
    let removed = 0;
    api.onCardRemoved(() => removed++);
    emitter.emit(BRIDGE_CHANNELS.cardRemoved, {});
    expect(removed).toBe(1);
  });

  it('prints plain data over invoke and turns IPC failures into results, not exceptions', async () => {
    await import('./preload.js');
    const api = exposed.govhall as GovhallPreloadApi;
    const r = await api.print({
      hallName: '大厅',
      number: 'A001',
      serviceName: '社保',
      ahead: 2,
      issuedAt: '2026-01-01T09:00:00+08:00',
      toJSON: undefined,
    } as never);
    expect(r.ok).toBe(true);
    expect(invoke).toHaveBeenCalledWith(BRIDGE_CHANNELS.print, expect.objectContaining({ number: 'A001' }));
    expect(await api.deviceStatus()).toHaveLength(1);
    expect((await api.config()).role).toBe('kiosk');
    invoke.mockRejectedValueOnce(new Error('no handler'));
    expect(await api.config()).toEqual({ hubUrl: null, token: null, role: null, windowNo: null });
    invoke.mockRejectedValueOnce(new Error('main process gone'));
    expect(await api.print({ hallName: '', number: 'A002', serviceName: '', ahead: 0, issuedAt: '' })).toEqual({
      ok: false,
      code: 'ERROR',
      message: '打印失败，未能打印号票',
    });
  });
});
