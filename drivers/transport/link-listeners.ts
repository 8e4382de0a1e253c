/**
 * The listener bookkeeping every link that can be lost shares (serial, TCP, /dev/usb/lpN, HID):
 * data listeners, and close listeners told exactly once — one that throws cannot keep the others
 * from hearing it — with a late `onClose` subscriber told the reason at once.
 */
import type { TransportError } from './transport-error.js';

export class LinkListeners {
  private readonly data = new Set<(chunk: Uint8Array) => void>();
  private readonly closers = new Set<(reason: TransportError | null) => void>();
  /** True once the link is closed or lost. */
  closed = false;
  /** Why the link was lost (null when closed on purpose); also set by links for errors seen on the way. */
  lastError: TransportError | null = null;

  /** Hands a chunk to every data listener. */
  emit(chunk: Uint8Array): void {
    for (const l of this.data) l(chunk);
  }

  /** Marks the link closed and tells the close listeners; false (and nothing done) when it already was. */
  finish(reason: TransportError | null): boolean {
    if (this.closed) return false;
    this.closed = true;
    this.lastError = reason;
    for (const l of [...this.closers]) {
      try {
        l(reason);
      } catch {
        // one listener's failure must not keep the others from hearing it
      }
    }
    this.closers.clear();
    return true;
  }

  readonly onData = (listener: (chunk: Uint8Array) => void): (() => void) => {
    this.data.add(listener);
    return () => {
      this.data.delete(listener);
    };
  };

  readonly onClose = (listener: (reason: TransportError | null) => void): (() => void) => {
    if (this.closed) {
      queueMicrotask(() => listener(this.lastError));
      return () => undefined;
    }
    this.closers.add(listener);
    return () => {
      this.closers.delete(listener);
    };
  };

  /** Drops the data listeners (on close: nothing more will be delivered). */
  clearData(): void {
    this.data.clear();
  }
}
