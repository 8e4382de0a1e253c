/**
 * What features add to 办结: each hook runs inside the transaction that ends the ticket and records
 * the case, after the case exists, so what it writes (materials attached to the case, the outbox
 * records they need) commits with the case or not at all. A hook that throws refuses the 办结.
 */
import type { MaterialInput } from '../cases/platform-record.js';
import type { Actor, Ticket } from '../queue/types.js';

export interface CaseFinishing {
  ticket: Ticket;
  caseId: string;
  windowNo: number;
  materials: readonly MaterialInput[];
  actor: Actor;
}

export class CaseFinishHooks {
  private readonly hooks = new Set<(e: CaseFinishing) => void>();

  /** Adds a hook; returns the function that removes it. */
  add(hook: (e: CaseFinishing) => void): () => void {
    this.hooks.add(hook);
    return () => this.hooks.delete(hook);
  }

  /** Runs every hook in the order added; the first that throws stops the rest (and the 办结). */
  run(e: CaseFinishing): void {
    for (const h of [...this.hooks]) h(e);
  }
}
