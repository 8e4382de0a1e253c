/**
 * A device's connection as the device service sees it: bytes plus "is it there". Real transports
 * come wrapped in the reconnecting link (they go offline when unplugged and come back by
 * themselves); simulated ones are in-memory pairs whose far end runs the device's simulator.
 */

import { type ByteLink, createLinkPair } from '../../drivers/transport/byte-link.js';
import type { DeviceKind, TransportConfig } from '../../kiosk-config/devices-schema.js';

export interface LinkState {
  connected: boolean;
  detail: string | null;
}

export interface DeviceLink extends ByteLink {
  readonly connected: boolean;
  onState(cb: (s: LinkState) => void): () => void;
}

export type LinkOpener = (
  transport: TransportConfig,
  info: { deviceId: string; kind: DeviceKind },
) => Promise<DeviceLink>;

export interface SimulatedPair {
  /** The host's end, given to the driver. */
  host: DeviceLink;
  /** The device's end, given to the simulator. */
  device: ByteLink;
  /** Pulls the plug: writes fail and nothing arrives until `replug()`. */
  unplug(): void;
  replug(): void;
}

export function simulatedPair(): SimulatedPair {
  const [a, b] = createLinkPair();
  const listeners = new Set<(s: LinkState) => void>();
  let connected = true;
  const setState = (c: boolean) => {
    if (c === connected) return;
    connected = c;
    for (const l of listeners) l({ connected: c, detail: c ? null : '模拟设备已拔出' });
  };
  const gate = (link: ByteLink): ByteLink => ({
    write: async (d) => {
      if (!connected) throw new Error('设备未连接');
      return link.write(d);
    },
    onData: (l) =>
      link.onData((c) => {
        if (connected) l(c);
      }),
    close: () => link.close(),
  });
  const host: DeviceLink = {
    ...gate(a),
    get connected() {
      return connected;
    },
    onState: (cb) => {
      listeners.add(cb);
      return () => listeners.delete(cb);
    },
  };
  return { host, device: gate(b), unplug: () => setState(false), replug: () => setState(true) };
}
