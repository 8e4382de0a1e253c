/**
 * Random sequences of every queue command, checked after each step against invariants that must
 * hold whatever happens: nothing lost, nothing served twice, numbers unique and contiguous, the 1:N
 * interleave held, the ageing guard never broken, one ticket per window at most.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../time/clock.js';
import { DEFAULT_AGING_LIMIT_SECONDS, QueueEngine } from './engine.js';
import { MemoryQueueRepository } from './memory-repository.js';
import { testHall } from './test-hall.js';
import { type Actor, QueueError, type Ticket } from './types.js';

const actor: Actor = { role: 'staff', terminalId: 't', staffNo: '8001' };
const T0 = Date.UTC(2026, 10, 23, 1, 0);
const SERVICES = ['SB', 'BDC', 'HJ'];
const WINDOWS = [1, 2, 3, 4];

/** Window commands that need only the window number: how often each is drawn, and how it is run. */
const WINDOW_COMMANDS = {
  recall: { weight: 1, run: (e: QueueEngine, w: number) => e.recall(w, actor) },
  pause: { weight: 1, run: (e: QueueEngine, w: number) => e.pause(w, '休息', actor) },
  resume: { weight: 1, run: (e: QueueEngine, w: number) => e.resume(w, actor) },
  start: { weight: 2, run: (e: QueueEngine, w: number) => e.start(w, actor) },
  finish: { weight: 4, run: (e: QueueEngine, w: number) => e.finish(w, actor) },
  open: { weight: 1, run: (e: QueueEngine, w: number) => e.openWindow(w, '8001', actor) },
  close: { weight: 1, run: (e: QueueEngine, w: number) => e.closeWindow(w, actor) },
};
type WindowCommand = keyof typeof WINDOW_COMMANDS;

const op = fc.oneof(
  ...(Object.keys(WINDOW_COMMANDS) as WindowCommand[]).map((k) => ({
    weight: WINDOW_COMMANDS[k].weight,
    arbitrary: fc.record({ k: fc.constant(k), w: fc.constantFrom(...WINDOWS) }),
  })),
  {
    weight: 6,
    arbitrary: fc.record({
      k: fc.constant('issue' as const),
      s: fc.constantFrom(...SERVICES),
      prio: fc.boolean(),
      appt: fc.boolean(),
    }),
  },
  { weight: 5, arbitrary: fc.record({ k: fc.constant('callNext' as const), w: fc.constantFrom(...WINDOWS) }) },
  {
    weight: 2,
    arbitrary: fc.record({ k: fc.constant('skip' as const), w: fc.constantFrom(...WINDOWS), requeue: fc.boolean() }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      k: fc.constant('transfer' as const),
      w: fc.constantFrom(...WINDOWS),
      s: fc.constantFrom(...SERVICES),
      toWin: fc.option(fc.constantFrom(...WINDOWS)),
      front: fc.boolean(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ k: fc.constant('call' as const), w: fc.constantFrom(...WINDOWS), pick: fc.nat() }),
  },
  {
    weight: 3,
    arbitrary: fc.record({ k: fc.constant('tick' as const), ms: fc.integer({ min: 1, max: 15 * 60_000 }) }),
  },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('midnight' as const) }) },
);
type Op = typeof op extends fc.Arbitrary<infer T> ? T : never;

function checkInvariants(engine: QueueEngine, repo: MemoryQueueRepository) {
  const all = [...repo.state.tickets.values()];
  // Numbers: first legs unique and contiguous per service per day; later legs share a first leg's number.
  const byKey = new Map<string, Ticket[]>();
  for (const t of all.filter((x) => x.transferredFrom === null)) {
    const k = `${t.businessDay}|${t.issuedServiceCode}`;
    byKey.set(k, [...(byKey.get(k) ?? []), t]);
  }
  for (const [k, list] of byKey) {
    const seqs = list.map((t) => t.seq).sort((a, b) => a - b);
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
    expect(new Set(list.map((t) => t.number)).size).toBe(list.length);
    const [day, svc] = k.split('|') as [string, string];
    expect(repo.lastSeq(day, svc)).toBe(list.length);
  }
  // Each ticket (chain of legs) is done at most once and has at most one live leg.
  const root = (t: Ticket): string => {
    let cur = t;
    while (cur.transferredFrom) cur = repo.state.tickets.get(cur.transferredFrom)!;
    return cur.id;
  };
  const chains = new Map<string, Ticket[]>();
  for (const t of all) chains.set(root(t), [...(chains.get(root(t)) ?? []), t]);
  for (const legs of chains.values()) {
    expect(legs.filter((l) => l.status === 'done').length).toBeLessThanOrEqual(1);
    expect(legs.filter((l) => ['waiting', 'called', 'serving'].includes(l.status)).length).toBeLessThanOrEqual(1);
    const live = legs.filter((l) => l.status !== 'transferred');
    expect(live.length).toBe(1); // every ticket ends in exactly one non-transferred state
  }
  // Windows hold at most one ticket, and it is theirs.
  const held = new Set<string>();
  for (const w of engine.windows()) {
    if (w.currentTicketId) {
      expect(held.has(w.currentTicketId)).toBe(false);
      held.add(w.currentTicketId);
      const t = repo.state.tickets.get(w.currentTicketId)!;
      expect(['called', 'serving']).toContain(t.status);
      expect(t.windowNo).toBe(w.no);
    }
  }
  for (const t of all) if (t.status === 'called' || t.status === 'serving') expect(held.has(t.id)).toBe(true);
  // Memory index agrees with storage.
  expect(engine.waitingTickets().length).toBe(all.filter((t) => t.status === 'waiting').length);
}

function run(ops: Op[], opts: { check: boolean }) {
  const config = testHall();
  const clock = new ManualClock(T0);
  const repo = new MemoryQueueRepository();
  const engine = new QueueEngine({ config, repo, clock });
  const N = config.priority.normalPerPriority;
  const since = new Map<number, number>(WINDOWS.map((w) => [w, N]));
  let issued = 0;
  for (const o of ops) {
    try {
      switch (o.k) {
        case 'issue':
          engine.issue(
            {
              serviceCode: o.s,
              channel: o.appt ? 'appointment' : 'staff',
              priority: o.prio ? 'disabled' : null,
              appointmentId: o.appt ? 'A' : null,
            },
            actor,
          );
          issued++;
          break;
        case 'callNext': {
          const before = engine.waitingTickets();
          const win = config.windows.find((w) => w.no === o.w)!;
          const cands = before.filter((t) =>
            t.targetWindowNo === null ? win.services.some((s) => s.code === t.serviceCode) : t.targetWindowNo === o.w,
          );
          const t = engine.callNext(o.w, actor);
          if (t) {
            const cls = (x: Ticket) => (x.channel === 'appointment' ? 'a' : x.priority ? 'p' : 'n');
            const c = cls(t);
            // Appointments first.
            if (c !== 'a') expect(cands.some((x) => cls(x) === 'a')).toBe(false);
            // 1:N interleave: a priority ticket only on its turn, unless no normal ticket waited.
            if (t.targetWindowNo === null && c === 'p' && !win.greenChannel && cands.some((x) => cls(x) === 'n'))
              expect(since.get(o.w)!).toBeGreaterThanOrEqual(N);
            if (t.targetWindowNo === null && c === 'n' && cands.some((x) => cls(x) === 'p') && !win.greenChannel)
              expect(since.get(o.w)!).toBeLessThan(N);
            // Ageing guard: no same-class candidate past the limit is overtaken by a younger one.
            const limit = DEFAULT_AGING_LIMIT_SECONDS * 1000;
            if (t.targetWindowNo === null) {
              for (const x of cands) {
                if (x.targetWindowNo === null && cls(x) === c && x.queueOrder < t.queueOrder) {
                  expect(clock.now() - x.queueOrder).toBeLessThan(limit);
                }
              }
            }
            if (c === 'p') since.set(o.w, 0);
            else if (c === 'n') since.set(o.w, Math.min(N, since.get(o.w)! + 1));
          }
          break;
        }
        case 'skip':
          engine.skip(o.w, { requeue: o.requeue }, actor);
          break;
        case 'transfer':
          engine.transfer(
            o.w,
            { toServiceCode: o.s, toWindowNo: o.toWin, position: o.front ? 'front' : 'back' },
            actor,
          );
          break;
        case 'call': {
          const w = engine.waitingTickets();
          if (w.length) engine.call(o.w, w[o.pick % w.length]!.id, actor);
          break;
        }
        case 'tick':
          clock.advance(o.ms);
          break;
        case 'midnight': {
          const before = engine.businessDay();
          clock.advance(86400_000);
          engine.rolloverIfDue();
          if (engine.businessDay() !== before) for (const w of WINDOWS) since.set(w, N);
          break;
        }
        default:
          WINDOW_COMMANDS[o.k].run(engine, o.w);
      }
    } catch (e) {
      if (!(e instanceof QueueError)) throw e;
    }
    if (opts.check) checkInvariants(engine, repo);
  }
  return { engine, repo, issued };
}

describe('queue engine properties', () => {
  it('keeps every invariant over random command sequences', () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 150 }), (ops) => {
        run(ops, { check: true });
      }),
      { numRuns: 300 },
    );
  });

  it('drains every ticket when windows keep calling (nothing lost, nothing starved)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({ s: fc.constantFrom(...SERVICES), prio: fc.boolean(), gap: fc.integer({ min: 0, max: 60_000 }) }),
          { maxLength: 120 },
        ),
        (arrivals) => {
          const clock = new ManualClock(T0);
          const repo = new MemoryQueueRepository();
          const engine = new QueueEngine({ config: testHall(), repo, clock });
          for (const w of WINDOWS) engine.openWindow(w, '8001', actor);
          let step = 0;
          const calls = () => {
            const w = WINDOWS[step++ % WINDOWS.length]!;
            if (engine.window(w).currentTicketId) engine.finish(w, actor);
            engine.callNext(w, actor);
          };
          for (const a of arrivals) {
            engine.issue({ serviceCode: a.s, channel: 'staff', priority: a.prio ? 'elderly' : null }, actor);
            clock.advance(a.gap);
            calls();
          }
          for (let i = 0; i < arrivals.length * 2 + 8; i++) {
            clock.advance(30_000);
            calls();
          }
          expect(engine.waitingTickets()).toHaveLength(0);
          expect([...repo.state.tickets.values()].every((t) => t.calledAt !== null)).toBe(true);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('does not starve a low-weight service when a heavy one is overloaded', () => {
    // Window 2 serves SB (weight 3) and HJ (weight 1). SB arrives twice as fast as the window calls.
    const clock = new ManualClock(T0);
    const repo = new MemoryQueueRepository();
    const engine = new QueueEngine({ config: testHall(), repo, clock });
    engine.openWindow(2, '8001', actor);
    const hj = engine.issue({ serviceCode: 'HJ', channel: 'staff' }, actor).ticket;
    let calledAt: number | null = null;
    for (let i = 0; i < 400 && calledAt === null; i++) {
      engine.issue({ serviceCode: 'SB', channel: 'staff' }, actor);
      engine.issue({ serviceCode: 'SB', channel: 'staff' }, actor);
      clock.advance(60_000);
      const t = engine.callNext(2, actor);
      if (t?.id === hj.id) calledAt = clock.now();
      engine.finish(2, actor);
    }
    expect(calledAt).not.toBeNull();
    // Called by the first call after it passed the ageing limit.
    expect(calledAt! - hj.issuedAt).toBeLessThanOrEqual(DEFAULT_AGING_LIMIT_SECONDS * 1000 + 60_000);
  });
});
