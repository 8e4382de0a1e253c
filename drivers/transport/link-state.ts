/**
 * Whether a link's device is there: the one state every link that can lose its device reports —
 * the reconnecting link over a real port, and the in-memory pair of a simulated device. The device
 * service turns it into the device's `offline` health and its Chinese detail.
 */
import type { ByteLink } from './byte-link.js';
import type { TransportError } from './transport-error.js';

export type LinkState = 'connecting' | 'online' | 'offline';

export interface LinkStateChange {
  state: LinkState;
  /** Why it is offline (absent when online or connecting). */
  reason?: TransportError;
  /** Open attempts since the link was last online. */
  attempt: number;
}

/** A ByteLink that says whether its device is there and tells when that changes. */
export interface StatefulLink extends ByteLink {
  readonly state: LinkState;
  /** The last reason it went offline (null while online). */
  readonly reason: TransportError | null;
  /** Every state change, including a new reason while offline. Returns an unsubscribe function. */
  onState(listener: (change: LinkStateChange) => void): () => void;
}

/** The state as a short Chinese detail for device health; null when online. */
export function linkStateDetail(change: Pick<LinkStateChange, 'state' | 'reason'>): string | null {
  if (change.state === 'online') return null;
  return change.reason?.message ?? (change.state === 'connecting' ? '正在连接' : '未连接');
}
