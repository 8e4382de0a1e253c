/**
 * Open rating requests, one per window: created by `evaluation.requested` (a window finished a
 * case), closed when the case is rated (by any channel), dismissed by the citizen, replaced by the
 * window's next request, or expired. An expired or dismissed request is announced as
 * `evaluation.expired` so the window and the platform record know the case was "not evaluated".
 * Shared by the pad WebSocket and the evaluation keypads.
 */
import type { HubContext } from './hub-plugin.js';

export interface OpenRequest {
  requestId: string;
  caseId: string;
  windowNo: number;
  staff: { no: string; name: string } | null;
  taskCode: string | null;
  taskName: string | null;
  requestedAt: number;
  expiresAt: number;
}

export type CloseReason = 'rated' | 'timeout' | 'dismissed' | 'replaced';
export type RequestChange =
  | { kind: 'open'; request: OpenRequest }
  | { kind: 'closed'; request: OpenRequest; reason: CloseReason };

export class EvaluationRequests {
  private ctx: HubContext | null = null;
  private readonly open = new Map<number, { request: OpenRequest; timer: NodeJS.Timeout }>();
  private readonly listeners = new Set<(c: RequestChange) => void>();
  private unsubscribe: (() => void) | null = null;
  private unsubscribePublished: (() => void) | null = null;

  constructor(private readonly timeoutMs = 120_000) {}

  /** Idempotent: the first plugin that installs attaches the tracker to the hub. */
  attach(ctx: HubContext): void {
    if (this.ctx) return;
    this.ctx = ctx;
    this.unsubscribe = ctx.engine.onEvents((events) => {
      for (const { event: e } of events) {
        try {
          if (e.type === 'evaluation.requested') this.request(e);
        } catch (err) {
          ctx.log('error', '评价请求处理失败', { error: (err as Error).message });
        }
      }
    });
    // Every rating — POST /evaluations, the pad WebSocket, keypads — is recorded by
    // evaluation-recorder.ts, which publishes `evaluation.recorded` (not through the engine).
    // Closing a microtask later lets the rating channel answer first (a pad gets `rated`, then
    // `evaluate.cancel`, as docs/pad-protocol.md shows).
    this.unsubscribePublished = ctx.onPublished((stored) => {
      for (const { event: e } of stored)
        if (e.type === 'evaluation.recorded') queueMicrotask(() => this.closeCase(e.caseId, 'rated'));
    });
  }

  get timeoutSeconds(): number {
    return Math.round(this.timeoutMs / 1000);
  }

  onChange(cb: (c: RequestChange) => void): () => void {
    this.listeners.add(cb);
    return () => this.listeners.delete(cb);
  }

  pending(windowNo: number): OpenRequest | null {
    return this.open.get(windowNo)?.request ?? null;
  }

  find(requestIdOrCase: string): OpenRequest | null {
    for (const { request } of this.open.values())
      if (request.requestId === requestIdOrCase || request.caseId === requestIdOrCase) return request;
    return null;
  }

  dismiss(requestId: string): boolean {
    const r = this.find(requestId);
    if (!r) return false;
    this.close(r.windowNo, 'dismissed');
    return true;
  }

  detach(): void {
    this.unsubscribe?.();
    this.unsubscribePublished?.();
    for (const { timer } of this.open.values()) clearTimeout(timer);
    this.open.clear();
  }

  private request(e: {
    windowNo: number;
    caseId: string;
    evaluationRequestId: string;
    staff: { no: string; name: string } | null;
  }): void {
    const ctx = this.ctx!;
    if (this.open.has(e.windowNo)) this.close(e.windowNo, 'replaced');
    const c = ctx.cases.get(e.caseId);
    const now = ctx.clock.now();
    const request: OpenRequest = {
      requestId: e.evaluationRequestId,
      caseId: e.caseId,
      windowNo: e.windowNo,
      staff: e.staff,
      taskCode: c?.taskCode ?? null,
      taskName: c?.taskName ?? null,
      requestedAt: now,
      expiresAt: now + this.timeoutMs,
    };
    const timer = setTimeout(() => this.close(e.windowNo, 'timeout'), this.timeoutMs);
    timer.unref();
    this.open.set(e.windowNo, { request, timer });
    this.notify({ kind: 'open', request });
  }

  /** Closes the request of a case (its rating was recorded, or found already recorded). */
  closeCase(caseId: string, reason: CloseReason): void {
    for (const [w, { request }] of this.open) if (request.caseId === caseId) this.close(w, reason);
  }

  private close(windowNo: number, reason: CloseReason): void {
    const o = this.open.get(windowNo);
    if (!o) return;
    clearTimeout(o.timer);
    this.open.delete(windowNo);
    if (reason !== 'rated') {
      try {
        // Only if still unrated: a rating may have come in over HTTP a moment ago.
        if (this.ctx && this.ctx.cases.evaluationsOf(o.request.caseId).length === 0)
          this.ctx.emit({
            type: 'evaluation.expired',
            windowNo,
            caseId: o.request.caseId,
            evaluationRequestId: o.request.requestId,
          });
      } catch (err) {
        this.ctx?.log('error', '记录未评价失败', { error: (err as Error).message });
      }
    }
    this.notify({ kind: 'closed', request: o.request, reason });
  }

  private notify(c: RequestChange): void {
    for (const l of this.listeners) {
      try {
        l(c);
      } catch (err) {
        this.ctx?.log('error', '评价请求监听失败', { error: (err as Error).message });
      }
    }
  }
}
