/** The Electron form of the bridge: a thin adapter over the preload's `window.govhall`. */
import type { DeviceBridge, GovhallPreloadApi } from './bridge.js';

declare global {
  interface Window {
    govhall?: GovhallPreloadApi;
  }
}

export function electronBridge(api: GovhallPreloadApi): DeviceBridge {
  const subs: Array<() => void> = [];
  const keep = (u: () => void) => {
    subs.push(u);
    return u;
  };
  return {
    kind: 'electron',
    onCard: (cb) => keep(api.onCard(cb)),
    onCardRemoved: (cb) => keep(api.onCardRemoved(cb)),
    print: (t) => api.print(t),
    deviceStatus: () => api.deviceStatus(),
    onDeviceStatus: (cb) => keep(api.onDeviceStatus(cb)),
    reportInventory: (inv) => api.reportInventory?.(inv),
    close: () => {
      for (const u of subs.splice(0)) u();
    },
  };
}
