/**
 * How long to wait before starting something again that keeps failing (the browser that exits, a
 * page that keeps crashing): immediately the first time, then doubling to a cap; a run that lasted
 * `stableMs` starts the count over. Pure: the caller passes the time.
 */
export class RestartBackoff {
  private failures = 0;
  private startedAt: number | null = null;

  constructor(private readonly o: { firstMs: number; maxMs: number; stableMs: number }) {}

  /** Something was (re)started at `now`. */
  started(now: number): void {
    this.startedAt = now;
  }

  /** It failed at `now`: the wait before the next start. */
  failed(now: number): number {
    if (this.startedAt !== null && now - this.startedAt >= this.o.stableMs) this.failures = 0;
    const wait = this.failures === 0 ? 0 : Math.min(this.o.maxMs, this.o.firstMs * 2 ** (this.failures - 1));
    this.failures++;
    return wait;
  }
}
