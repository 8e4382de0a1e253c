/**
 * A device's connection as the device service sees it: bytes plus "is it there"
 * (`StatefulLink`, drivers/transport/link-state.ts). Real transports come wrapped in the
 * reconnecting link (they go offline when unplugged and come back by themselves); simulated ones
 * are in-memory pairs whose far end runs the device's simulator.
 */

import { type ByteLink, createLinkPair } from '../../drivers/transport/byte-link.js';
import type { LinkStateChange, StatefulLink } from '../../drivers/transport/link-state.js';
import { TransportError } from '../../drivers/transport/transport-error.js';
import type { DeviceKind, TransportConfig } from '../../kiosk-config/devices-schema.js';

export type LinkOpener = (
  transport: TransportConfig,
  info: {
    deviceId: string;
    kind: DeviceKind /** Its family's baud rate, when a serial transport gives none. */;
    defaultBaud: number;
  },
) => Promise<StatefulLink>;

export interface SimulatedPair {
  /** The host's end, given to the driver. */
  host: StatefulLink;
  /** The device's end, given to the simulator. */
  device: ByteLink;
  /** Pulls the plug: writes fail and nothing arrives until `replug()`. */
  unplug(): void;
  replug(): void;
}

const UNPLUGGED = new TransportError('PORT_CLOSED', '模拟设备', '模拟设备已拔出');

export function simulatedPair(): SimulatedPair {
  const [a, b] = createLinkPair();
  const listeners = new Set<(s: LinkStateChange) => void>();
  let connected = true;
  const setState = (c: boolean) => {
    if (c === connected) return;
    connected = c;
    const change: LinkStateChange = c
      ? { state: 'online', attempt: 0 }
      : { state: 'offline', reason: UNPLUGGED, attempt: 0 };
    for (const l of listeners) l(change);
  };
  const gate = (link: ByteLink): ByteLink => ({
    write: async (d) => {
      if (!connected) throw UNPLUGGED;
      return link.write(d);
    },
    onData: (l) =>
      link.onData((c) => {
        if (connected) l(c);
      }),
    close: () => link.close(),
  });
  const host: StatefulLink = {
    ...gate(a),
    get state() {
      return connected ? 'online' : 'offline';
    },
    get reason() {
      return connected ? null : UNPLUGGED;
    },
    onState: (cb) => {
      listeners.add(cb);
      return () => listeners.delete(cb);
    },
  };
  return { host, device: gate(b), unplug: () => setState(false), replug: () => setState(true) };
}
