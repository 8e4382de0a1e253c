/** Picks the bridge form for this page: Electron preload, in-page simulator, or the hub relay. */
import type { DeviceBridge } from './bridge.js';
import { browserBridge } from './bridge-browser.js';
import { electronBridge } from './bridge-electron.js';
import { simBridge } from './bridge-sim.js';
import type { Identity } from './token.js';

export function createBridge(id: Identity, search: string = window.location.search): DeviceBridge {
  if (window.govhall) return electronBridge(window.govhall);
  const q = new URLSearchParams(search);
  if (q.get('bridge') === 'sim') {
    const b = simBridge();
    window.govhallSim = b.sim;
    return b;
  }
  return browserBridge({ baseUrl: id.hubUrl, token: id.token, terminalId: id.terminalId });
}
