/**
 * The one thing every device protocol needs from a transport: write bytes, be told when bytes
 * arrive, close. Serial ports, HID, raw TCP and USB printer class devices all fit behind it, and so
 * does an in-memory pair for protocol tests.
 */
export interface ByteLink {
  write(data: Uint8Array): Promise<void>;
  /** Returns a function that stops the subscription. */
  onData(listener: (chunk: Uint8Array) => void): () => void;
  close(): Promise<void>;
  /**
   * Optional: called once when the link is lost (`reason`) or closed by `close()` (`null`). Links
   * that can notice an unplugged device implement it; the reconnecting link uses it.
   */
  onClose?(listener: (reason: Error | null) => void): () => void;
}

/** Two connected in-memory ends; what one writes, the other receives asynchronously. */
export function createLinkPair(): [ByteLink, ByteLink] {
  const listeners: [Set<(c: Uint8Array) => void>, Set<(c: Uint8Array) => void>] = [new Set(), new Set()];
  let closed = false;
  const end = (me: 0 | 1): ByteLink => ({
    write: async (data) => {
      if (closed) throw new Error('连接已关闭');
      const copy = Uint8Array.from(data);
      queueMicrotask(() => {
        for (const l of listeners[me === 0 ? 1 : 0]) l(copy);
      });
    },
    onData: (l) => {
      listeners[me].add(l);
      return () => listeners[me].delete(l);
    },
    close: async () => {
      closed = true;
    },
  });
  return [end(0), end(1)];
}
