/**
 * Whether a citizen is mid-flow at a terminal — the signal its updater waits on, so a new version
 * is never installed under someone's hands (docs/deployment.md 更新).
 *
 * Each role page on the terminal's local origin says `PUT /terminal/activity { page, busy }` when
 * that changes, and repeats a busy report every `ACTIVITY_REFRESH_MS` while it lasts: the kiosk is
 * busy off its home screen, the counter while its window has a ticket called or being served, the
 * evaluator while a rating is asked for. A busy report that is not repeated runs out, so a page that
 * crashed or was closed mid-flow cannot hold an update back forever.
 */

export const ACTIVITY_PATH = '/terminal/activity';
/** How often a busy page repeats its report. */
export const ACTIVITY_REFRESH_MS = 60_000;

export interface ActivityReport {
  /** The page's name on the terminal, e.g. `kiosk`, `counter-3`, `evaluator-3`. */
  page: string;
  busy: boolean;
}

/** A report as a page sends it, or null for anything else. */
export function parseActivityReport(value: unknown): ActivityReport | null {
  if (typeof value !== 'object' || value === null) return null;
  const { page, busy } = value as Record<string, unknown>;
  if (typeof page !== 'string' || !/^[a-z][a-z0-9-]{0,39}$/.test(page) || typeof busy !== 'boolean') return null;
  return { page, busy };
}

export interface ActivityBoardOptions {
  now: () => number;
  /** A busy report lasts this long unless repeated (default three refreshes). */
  busyTtlMs?: number;
  /** At most this many pages are followed (a page name is the page's own word). */
  maxPages?: number;
}

/** The terminal's view of its pages' reports (pure: the clock is injected). */
export class ActivityBoard {
  private readonly busy = new Map<string, number>();
  private lastBusyAt: number | null = null;
  private readonly ttl: number;
  private readonly maxPages: number;

  constructor(private readonly o: ActivityBoardOptions) {
    this.ttl = o.busyTtlMs ?? 3 * ACTIVITY_REFRESH_MS;
    this.maxPages = o.maxPages ?? 32;
  }

  report({ page, busy }: ActivityReport): void {
    const now = this.o.now();
    this.expire(now);
    if (busy) {
      if (!this.busy.has(page) && this.busy.size >= this.maxPages) return;
      this.busy.set(page, now);
      this.lastBusyAt = now;
    } else if (this.busy.delete(page)) this.lastBusyAt = now;
  }

  /** The pages busy now, by name. */
  busyPages(): string[] {
    this.expire(this.o.now());
    return [...this.busy.keys()].sort();
  }

  /**
   * Idle: no page busy, and none was for `quietMs` — a citizen who just finished may still be
   * standing there, and a page between two screens may be about to say busy again.
   */
  idle(quietMs: number): boolean {
    const now = this.o.now();
    this.expire(now);
    if (this.busy.size > 0) return false;
    return this.lastBusyAt === null || now - this.lastBusyAt >= quietMs;
  }

  private expire(now: number): void {
    for (const [page, at] of this.busy) {
      if (now - at >= this.ttl) {
        this.busy.delete(page);
        // It ran out rather than ended: count the quiet from when it ran out.
        this.lastBusyAt = Math.max(this.lastBusyAt ?? 0, at + this.ttl);
      }
    }
  }
}
