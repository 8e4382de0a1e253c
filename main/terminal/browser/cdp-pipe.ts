/**
 * The Chrome DevTools Protocol over the browser's own pipe (`--remote-debugging-pipe`: it reads
 * commands on fd 3 and writes on fd 4, each message JSON ending in a NUL byte). No debugging port
 * is opened, so no other program on the PC can drive the terminal's browser.
 */
import type { Readable, Writable } from 'node:stream';

export type CdpEvent = { method: string; params: Record<string, unknown>; sessionId?: string };

export class CdpError extends Error {}

export class CdpPipe {
  private nextId = 1;
  private buffer = '';
  private readonly pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  private readonly listeners = new Set<(e: CdpEvent) => void>();
  private closed = false;

  constructor(
    private readonly toBrowser: Writable,
    fromBrowser: Readable,
  ) {
    fromBrowser.on('data', (chunk: Buffer) => this.receive(chunk.toString('utf8')));
    fromBrowser.on('close', () => this.close());
    fromBrowser.on('error', () => this.close());
    toBrowser.on('error', () => this.close());
  }

  /** A command; rejects with CdpError on a protocol error, when the pipe closes, or after `timeoutMs`. */
  send<T = Record<string, unknown>>(
    method: string,
    params: Record<string, unknown> = {},
    sessionId?: string,
    timeoutMs = 15_000,
  ): Promise<T> {
    if (this.closed) return Promise.reject(new CdpError('浏览器连接已关闭'));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new CdpError(`${method} 超时`));
      }, timeoutMs);
      this.pending.set(id, {
        resolve: (v) => {
          clearTimeout(timer);
          resolve(v as T);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      this.toBrowser.write(`${JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) })}\0`);
    });
  }

  onEvent(listener: (e: CdpEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const p of this.pending.values()) p.reject(new CdpError('浏览器连接已关闭'));
    this.pending.clear();
  }

  private receive(text: string): void {
    this.buffer += text;
    for (let end = this.buffer.indexOf('\0'); end >= 0; end = this.buffer.indexOf('\0')) {
      const raw = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 1);
      let msg: {
        id?: number;
        result?: unknown;
        error?: { message?: string };
        method?: string;
        params?: unknown;
        sessionId?: string;
      };
      try {
        msg = JSON.parse(raw);
      } catch {
        continue;
      }
      if (typeof msg.id === 'number') {
        const p = this.pending.get(msg.id);
        this.pending.delete(msg.id);
        if (msg.error) p?.reject(new CdpError(msg.error.message ?? 'CDP error'));
        else p?.resolve(msg.result ?? {});
      } else if (msg.method) {
        const e: CdpEvent = {
          method: msg.method,
          params: (msg.params ?? {}) as Record<string, unknown>,
          ...(msg.sessionId ? { sessionId: msg.sessionId } : {}),
        };
        for (const l of [...this.listeners]) {
          try {
            l(e);
          } catch {
            // a listener's failure is its own
          }
        }
      }
    }
  }
}
