/**
 * Open WebSockets (live events, the device bridge, evaluation pads) were authenticated once, at
 * the upgrade. This keeps them honest afterwards: every socket is registered with the token it
 * came with, and a socket whose token is revoked, signed out or expired is closed — at once when
 * the change happens in this process (`sweep()`), and within one check interval when it happens
 * elsewhere (`govhall token revoke` on the same database) or by expiry.
 */
import type { WebSocket } from 'ws';

export interface CredentialWatchOptions {
  /** Whether a token still stands for someone (a database read, cheap). */
  stillValid(bearer: string): boolean;
  /** Check interval; with the close grace below, a revoked socket is gone within 1 s. */
  intervalMs?: number;
  onError?(err: Error): void;
}

export const CREDENTIAL_CHECK_MS = 500;
/** A peer that ignores the close frame is cut off this long after it. */
export const CLOSE_GRACE_MS = 500;
/** WebSocket close code for "your credential ended" (4000–4999 are the application's). */
export const CLOSE_REVOKED = 4001;

export class CredentialWatch {
  private readonly watched = new Map<number, { bearer: string; close: () => void }>();
  private nextId = 1;
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly o: CredentialWatchOptions) {
    this.timer = setInterval(() => this.sweep(), o.intervalMs ?? CREDENTIAL_CHECK_MS);
    this.timer.unref();
  }

  get size(): number {
    return this.watched.size;
  }

  /** Calls `close` once when `bearer` stops being valid; the returned function stops watching. */
  watch(bearer: string, close: () => void): () => void {
    const id = this.nextId++;
    this.watched.set(id, { bearer, close });
    return () => {
      this.watched.delete(id);
    };
  }

  /** Checks every watched token now (one read per distinct token); returns how many were closed. */
  sweep(): number {
    const verdict = new Map<string, boolean>();
    let closed = 0;
    for (const [id, w] of [...this.watched]) {
      let ok = verdict.get(w.bearer);
      if (ok === undefined) {
        try {
          ok = this.o.stillValid(w.bearer);
        } catch (err) {
          // A failed read (database busy) is not a revocation: check again next time.
          this.o.onError?.(err as Error);
          continue;
        }
        verdict.set(w.bearer, ok);
      }
      if (ok) continue;
      this.watched.delete(id);
      closed++;
      try {
        w.close();
      } catch (err) {
        this.o.onError?.(err as Error);
      }
    }
    return closed;
  }

  stop(): void {
    clearInterval(this.timer);
    this.watched.clear();
  }
}

/** Closes a socket whose credential ended: a close frame, then the TCP connection regardless. */
export function closeRevoked(ws: WebSocket): void {
  ws.close(CLOSE_REVOKED, 'credential revoked');
  setTimeout(() => ws.terminate(), CLOSE_GRACE_MS).unref();
}
