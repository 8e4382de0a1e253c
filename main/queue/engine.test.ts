import { beforeEach, describe, expect, it } from 'vitest';
import { gb11643CheckChar } from '../../common/cert-number.js';
import { ManualClock } from '../time/clock.js';
import { QueueEngine } from './engine.js';
import { MemoryQueueRepository } from './memory-repository.js';
import { testHall } from './test-hall.js';
import { type Actor, QueueError } from './types.js';

const kiosk: Actor = { role: 'kiosk', terminalId: 'k1', staffNo: null };
const staff: Actor = { role: 'staff', terminalId: 'w', staffNo: '8001' };
// Monday 2026-11-23 09:00 in Shanghai
const T0 = Date.UTC(2026, 10, 23, 1, 0);
const id = (first17: string) => first17 + gb11643CheckChar(first17);

function setup(config = testHall()) {
  const clock = new ManualClock(T0);
  const repo = new MemoryQueueRepository();
  const engine = new QueueEngine({ config, repo, clock });
  return { clock, repo, engine };
}

function expectCode(fn: () => unknown, code: string) {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(QueueError);
    expect((e as QueueError).code).toBe(code);
    return;
  }
  throw new Error(`expected ${code}`);
}

describe('issuing', () => {
  it('numbers per service per day, zero-padded, and ahead counts', () => {
    const { engine } = setup();
    const a = engine.issue({ serviceCode: 'SB', channel: 'kiosk' }, kiosk);
    const b = engine.issue({ serviceCode: 'SB', channel: 'kiosk' }, kiosk);
    const c = engine.issue({ serviceCode: 'BDC', channel: 'kiosk' }, kiosk);
    expect([a.ticket.number, b.ticket.number, c.ticket.number]).toEqual(['A001', 'A002', 'B001']);
    expect([a.ahead, b.ahead, c.ahead]).toEqual([0, 1, 0]);
    expect(b.estimatedWaitSeconds).toBe(300);
    expect(engine.services().find((s) => s.code === 'SB')?.waiting).toBe(2);
  });

  it('refuses outside hours, beyond the daily cap and beyond the number range', () => {
    const cfg = testHall();
    cfg.services[0]!.hours = [{ days: [1], open: '13:00', close: '17:00' }];
    cfg.services[1]!.dailyCap = 1;
    cfg.services[2]!.numberRange = { from: 998, to: 999 };
    const { engine, repo } = setup(cfg);
    expectCode(() => engine.issue({ serviceCode: 'SB', channel: 'kiosk' }, kiosk), 'SERVICE_CLOSED');
    engine.issue({ serviceCode: 'BDC', channel: 'kiosk' }, kiosk);
    expectCode(() => engine.issue({ serviceCode: 'BDC', channel: 'kiosk' }, kiosk), 'DAILY_LIMIT_REACHED');
    expect(engine.issue({ serviceCode: 'HJ', channel: 'kiosk' }, kiosk).ticket.number).toBe('C998');
    expect(engine.issue({ serviceCode: 'HJ', channel: 'kiosk' }, kiosk).ticket.number).toBe('C999');
    expectCode(() => engine.issue({ serviceCode: 'HJ', channel: 'kiosk' }, kiosk), 'DAILY_LIMIT_REACHED');
    expectCode(() => engine.issue({ serviceCode: 'NOPE', channel: 'kiosk' }, kiosk), 'UNKNOWN_SERVICE');
    // Refusals are audited, and change nothing else.
    expect(repo.state.audit.filter((a) => a.result === 'refused')).toHaveLength(4);
    expect(repo.lastSeq('2026-11-23', 'BDC')).toBe(1);
  });

  it('checks the ID number, requires one where anonymous tickets are not allowed, and sets elderly at 60', () => {
    const cfg = testHall();
    cfg.services[0]!.allowAnonymous = false;
    const { engine } = setup(cfg);
    expectCode(() => engine.issue({ serviceCode: 'SB', channel: 'kiosk' }, kiosk), 'ANONYMOUS_NOT_ALLOWED');
    expect(engine.issue({ serviceCode: 'SB', channel: 'staff' }, staff).ticket.priority).toBeNull();
    expectCode(
      () =>
        engine.issue(
          {
            serviceCode: 'SB',
            channel: 'kiosk',
            applicant: { name: '张三', certType: 'resident', certNo: '110105194912310021' },
          },
          kiosk,
        ),
      'INVALID_CERT_NO',
    );
    const old = engine.issue(
      {
        serviceCode: 'SB',
        channel: 'kiosk',
        applicant: { name: '李四', certType: 'resident', certNo: id('33010619661123001') },
      },
      kiosk,
    );
    expect(old.ticket.priority).toBe('elderly');
    const young = engine.issue(
      {
        serviceCode: 'SB',
        channel: 'kiosk',
        applicant: { name: '王五', certType: 'resident', certNo: id('33010619661124001') },
      },
      kiosk,
    );
    expect(young.ticket.priority).toBeNull();
  });

  it('refuses a priority the hall has not enabled', () => {
    const { engine } = setup(
      testHall({ priority: { enabled: ['elderly'], normalPerPriority: 3, appointmentsFirst: true } }),
    );
    expectCode(
      () => engine.issue({ serviceCode: 'SB', channel: 'staff', priority: 'military' }, staff),
      'PRIORITY_NOT_ENABLED',
    );
  });
});

describe('what a kiosk may ask', () => {
  const counter: Actor = { role: 'counter', terminalId: 'c1', staffNo: null };
  const ELDER = id('33010619500315002');
  const YOUNG = id('33010619900101001');

  it('claims no priority: only the automatic elderly one from the ID number', () => {
    const { engine, repo } = setup();
    for (const priority of ['military', 'disabled', 'pregnant', 'other'] as const) {
      expectCode(() => engine.issue({ serviceCode: 'SB', channel: 'kiosk', priority }, kiosk), 'PRIORITY_NOT_ALLOWED');
    }
    // Asking for elderly is granted only when the number says 60 or over.
    const young = { name: '王五', certType: 'resident' as const, certNo: YOUNG };
    expectCode(
      () => engine.issue({ serviceCode: 'SB', channel: 'kiosk', priority: 'elderly', applicant: young }, kiosk),
      'PRIORITY_NOT_ALLOWED',
    );
    const elder = { name: '李四', certType: 'resident' as const, certNo: ELDER };
    expect(
      engine.issue({ serviceCode: 'SB', channel: 'kiosk', priority: 'elderly', applicant: elder }, kiosk).ticket
        .priority,
    ).toBe('elderly');
    // Nothing was issued by the refusals, and each was audited.
    expect(engine.services().find((s) => s.code === 'SB')!.waiting).toBe(1);
    expect(repo.state.audit.filter((a) => a.result === 'refused')).toHaveLength(5);
    // A counter, an admin or a staff session may give any priority the hall offers.
    expect(engine.issue({ serviceCode: 'SB', channel: 'staff', priority: 'military' }, counter).ticket.priority).toBe(
      'military',
    );
    const admin: Actor = { role: 'admin', terminalId: 'a1', staffNo: null };
    expect(engine.issue({ serviceCode: 'SB', channel: 'staff', priority: 'disabled' }, admin).ticket.priority).toBe(
      'disabled',
    );
    expect(engine.issue({ serviceCode: 'SB', channel: 'staff', priority: 'other' }, staff).ticket.priority).toBe(
      'other',
    );
  });

  it('undoes only its own ticket, within two minutes of issuing; staff cancel any waiting ticket', () => {
    const { engine, clock } = setup();
    const mine = engine.issue({ serviceCode: 'SB', channel: 'kiosk', issuedBy: 'tok-k1' }, kiosk).ticket;
    const other = engine.issue({ serviceCode: 'SB', channel: 'kiosk', issuedBy: 'tok-k2' }, kiosk).ticket;
    expect(mine.issuedBy).toBe('tok-k1');
    expectCode(() => engine.cancel(other.id, kiosk, 'tok-k1'), 'NOT_OWN_TICKET');
    // Without its token id a kiosk owns nothing.
    expectCode(() => engine.cancel(mine.id, kiosk), 'NOT_OWN_TICKET');
    clock.advance(2 * 60_000);
    expect(engine.cancel(mine.id, kiosk, 'tok-k1')).toMatchObject({
      status: 'cancelled',
      closedReason: 'undone_at_kiosk',
    });
    const late = engine.issue({ serviceCode: 'SB', channel: 'kiosk', issuedBy: 'tok-k1' }, kiosk).ticket;
    clock.advance(2 * 60_000 + 1);
    expectCode(() => engine.cancel(late.id, kiosk, 'tok-k1'), 'UNDO_TOO_LATE');
    expect(engine.getTicket(late.id)!.ticket.status).toBe('waiting');
    expect(engine.cancel(late.id, counter, 'tok-c1')).toMatchObject({ closedReason: 'cancelled_by_staff' });
    expect(engine.cancel(other.id, staff)).toMatchObject({ status: 'cancelled', closedReason: 'cancelled_by_staff' });
  });
});

describe('calling', () => {
  let ctx: ReturnType<typeof setup>;
  beforeEach(() => {
    ctx = setup();
  });

  it('needs an open window, calls in order and announces from the template', () => {
    const { engine, clock } = ctx;
    expectCode(() => engine.callNext(3, staff), 'WINDOW_CLOSED');
    engine.openWindow(3, '8001', staff);
    expect(engine.callNext(3, staff)).toBeNull();
    engine.issue({ serviceCode: 'BDC', channel: 'kiosk' }, kiosk);
    clock.advance(1000);
    engine.issue({ serviceCode: 'BDC', channel: 'kiosk' }, kiosk);
    const events: string[] = [];
    engine.onEvents((es) => events.push(...es.map((e) => e.event.type)));
    const t = engine.callNext(3, staff)!;
    expect(t.number).toBe('B001');
    expect(t.status).toBe('called');
    expect(events).toEqual(['ticket.called', 'queue.changed', 'window.changed']);
    expect(engine.announcementFor(t, 3)).toBe('请B001号到3号窗口办理');
    expect(engine.window(3)).toMatchObject({ state: 'calling', currentTicketId: t.id });
  });

  it('interleaves one priority ticket per N normal tickets, priority first', () => {
    const { engine, clock } = ctx;
    engine.openWindow(3, '8001', staff);
    for (let i = 0; i < 8; i++) {
      engine.issue({ serviceCode: 'BDC', channel: 'staff' }, staff);
      clock.advance(1000);
    }
    for (let i = 0; i < 3; i++) {
      engine.issue({ serviceCode: 'BDC', channel: 'staff', priority: 'disabled' }, staff);
      clock.advance(1000);
    }
    const kinds: string[] = [];
    for (let i = 0; i < 11; i++) {
      const t = engine.callNext(3, staff)!;
      kinds.push(t.priority ? 'P' : 'n');
      engine.finish(3, staff);
      clock.advance(1000);
    }
    expect(kinds.join('')).toBe('PnnnPnnnPnn');
  });

  it('gives the green channel window priority tickets first and appointments before all', () => {
    const { engine, clock } = ctx;
    engine.openWindow(4, '8002', staff);
    engine.issue({ serviceCode: 'SB', channel: 'kiosk' }, kiosk);
    clock.advance(1000);
    engine.issue({ serviceCode: 'SB', channel: 'staff', priority: 'pregnant' }, staff);
    clock.advance(1000);
    engine.issue({ serviceCode: 'HJ', channel: 'appointment', appointmentId: 'APT-1' }, kiosk);
    const order = [1, 2, 3].map(() => {
      const t = engine.callNext(4, staff)!;
      engine.finish(4, staff);
      return t.channel === 'appointment' ? 'appt' : t.priority ? 'prio' : 'normal';
    });
    expect(order).toEqual(['appt', 'prio', 'normal']);
  });

  it('chooses the service by weight × waiting time, so a low-weight service is not starved', () => {
    const { engine, clock } = ctx;
    engine.openWindow(2, '8001', staff); // SB weight 3, HJ weight 1
    engine.issue({ serviceCode: 'HJ', channel: 'kiosk' }, kiosk);
    clock.advance(60_000);
    engine.issue({ serviceCode: 'SB', channel: 'kiosk' }, kiosk);
    clock.advance(10_000);
    // HJ: 1 × 70 s = 70 > SB: 3 × 10 s = 30 → the old HJ ticket first
    expect(engine.callNext(2, staff)!.serviceCode).toBe('HJ');
    engine.finish(2, staff);
    engine.issue({ serviceCode: 'HJ', channel: 'kiosk' }, kiosk);
    clock.advance(20_000);
    // HJ: 20 s, SB: 3 × 30 s = 90 → SB
    expect(engine.callNext(2, staff)!.serviceCode).toBe('SB');
  });

  it('recalls (counted), skips with a single requeue at the back, and calls a given ticket', () => {
    const { engine, clock } = ctx;
    engine.openWindow(3, '8001', staff);
    const a = engine.issue({ serviceCode: 'BDC', channel: 'kiosk' }, kiosk).ticket;
    clock.advance(1000);
    const b = engine.issue({ serviceCode: 'BDC', channel: 'kiosk' }, kiosk).ticket;
    engine.callNext(3, staff);
    expect(engine.recall(3, staff).recallCount).toBe(1);
    expect(engine.recall(3, staff).recallCount).toBe(2);
    const requeued = engine.skip(3, { requeue: true }, staff);
    expect(requeued).toMatchObject({ id: a.id, status: 'waiting', requeued: true });
    expect(engine.getTicket(a.id)!.ahead).toBe(1);
    expect(engine.callNext(3, staff)!.id).toBe(b.id);
    engine.finish(3, staff);
    expect(engine.callNext(3, staff)!.id).toBe(a.id);
    expectCode(() => engine.skip(3, { requeue: true }, staff), 'ALREADY_REQUEUED');
    expect(engine.skip(3, {}, staff).status).toBe('skipped');
    // The citizen turns up late: staff call that ticket by hand.
    expect(engine.call(3, a.id, staff).status).toBe('called');
  });

  it('treats a called ticket as a no-show when the window calls the next one', () => {
    const { engine } = ctx;
    engine.openWindow(3, '8001', staff);
    const a = engine.issue({ serviceCode: 'BDC', channel: 'kiosk' }, kiosk).ticket;
    engine.issue({ serviceCode: 'BDC', channel: 'kiosk' }, kiosk);
    engine.callNext(3, staff);
    engine.callNext(3, staff);
    expect(engine.getTicket(a.id)!.ticket.status).toBe('skipped');
  });

  it('refuses to call a ticket of a service the window does not serve', () => {
    const { engine } = ctx;
    engine.openWindow(3, '8001', staff);
    const t = engine.issue({ serviceCode: 'HJ', channel: 'kiosk' }, kiosk).ticket;
    expectCode(() => engine.call(3, t.id, staff), 'SERVICE_NOT_AT_WINDOW');
  });

  it('transfers to another service at the front or to a window, keeping number and issue time', () => {
    const { engine, clock } = ctx;
    engine.openWindow(1, '8001', staff);
    engine.openWindow(3, '8002', staff);
    const x = engine.issue({ serviceCode: 'HJ', channel: 'kiosk' }, kiosk).ticket;
    clock.advance(1000);
    engine.issue({ serviceCode: 'BDC', channel: 'kiosk' }, kiosk);
    clock.advance(1000);
    engine.callNext(1, staff); // HJ x
    const leg = engine.transfer(1, { toServiceCode: 'BDC', position: 'front' }, staff);
    expect(leg).toMatchObject({ number: x.number, issuedAt: x.issuedAt, serviceCode: 'BDC', transferredFrom: x.id });
    expect(engine.getTicket(x.id)!.ticket).toMatchObject({ status: 'transferred', transferredTo: leg.id });
    expect(engine.callNext(3, staff)!.id).toBe(leg.id);
    const toWin = engine.transfer(3, { toWindowNo: 1, position: 'back' }, staff);
    expect(toWin.targetWindowNo).toBe(1);
    // Window 3 serves BDC but the leg was sent to window 1 only.
    expectCode(() => engine.call(3, toWin.id, staff), 'SERVICE_NOT_AT_WINDOW');
    expect(engine.callNext(1, staff)!.id).toBe(toWin.id);
  });

  it('pauses with a reason only when free, resumes, and refuses calls while paused', () => {
    const { engine } = ctx;
    engine.openWindow(3, '8001', staff);
    expectCode(() => engine.pause(3, '  ', staff), 'INVALID_STATE');
    expect(engine.pause(3, '系统故障', staff)).toMatchObject({ state: 'paused', pauseReason: '系统故障' });
    expectCode(() => engine.callNext(3, staff), 'WINDOW_PAUSED');
    engine.resume(3, staff);
    engine.issue({ serviceCode: 'BDC', channel: 'kiosk' }, kiosk);
    engine.callNext(3, staff);
    expectCode(() => engine.pause(3, '午休', staff), 'WINDOW_BUSY');
    engine.start(3, staff);
    expectCode(() => engine.callNext(3, staff), 'WINDOW_BUSY');
    expect(engine.finish(3, staff).status).toBe('done');
  });

  it('commits a finish together with what the hook records, or not at all', () => {
    const { engine, repo } = ctx;
    engine.openWindow(3, '8001', staff);
    engine.issue({ serviceCode: 'BDC', channel: 'kiosk' }, kiosk);
    const t = engine.callNext(3, staff)!;
    const published: string[] = [];
    engine.onEvents((es) => published.push(...es.map((e) => e.event.type)));
    expect(() =>
      engine.finish(3, staff, () => {
        throw new Error('case store failed');
      }),
    ).toThrow('case store failed');
    expect(engine.getTicket(t.id)!.ticket.status).toBe('called');
    expect(published).toEqual([]);
    engine.finish(3, staff, (done) => [
      {
        type: 'evaluation.requested',
        windowNo: 3,
        caseId: `case-of-${done.id}`,
        evaluationRequestId: 'ER1',
        staff: null,
      },
    ]);
    expect(published).toContain('evaluation.requested');
    expect(repo.state.events.some((e) => e.event.type === 'evaluation.requested')).toBe(true);
  });

  it('puts a called ticket back at the head of its queue when the window closes', () => {
    const { engine, clock } = ctx;
    engine.openWindow(3, '8001', staff);
    const a = engine.issue({ serviceCode: 'BDC', channel: 'kiosk' }, kiosk).ticket;
    clock.advance(1000);
    engine.issue({ serviceCode: 'BDC', channel: 'kiosk' }, kiosk);
    engine.callNext(3, staff);
    engine.closeWindow(3, staff);
    expect(engine.getTicket(a.id)).toMatchObject({ ticket: { status: 'waiting' }, ahead: 0 });
  });

  it('estimates waiting from recent serving times and open windows', () => {
    const { engine, clock } = ctx;
    engine.openWindow(3, '8001', staff);
    for (let i = 0; i < 3; i++) engine.issue({ serviceCode: 'BDC', channel: 'kiosk' }, kiosk);
    engine.callNext(3, staff);
    engine.start(3, staff);
    clock.advance(120_000);
    engine.finish(3, staff);
    const t = engine.issue({ serviceCode: 'BDC', channel: 'kiosk' }, kiosk);
    expect(t.ahead).toBe(2);
    expect(t.estimatedWaitSeconds).toBe(240);
    engine.openWindow(1, '8002', staff);
    expect(engine.getTicket(t.ticket.id)!.estimatedWaitSeconds).toBe(120);
  });
});

describe('business day', () => {
  it('expires waiting tickets at local midnight, resets windows and numbers, keeps history', () => {
    const { engine, clock, repo } = setup();
    engine.openWindow(3, '8001', staff);
    const a = engine.issue({ serviceCode: 'BDC', channel: 'kiosk' }, kiosk).ticket;
    engine.issue({ serviceCode: 'BDC', channel: 'kiosk' }, kiosk);
    engine.callNext(3, staff);
    // 23:59:59 local is still the same day
    clock.set(Date.UTC(2026, 10, 23, 15, 59, 59));
    engine.rolloverIfDue();
    expect(engine.businessDay()).toBe('2026-11-23');
    clock.set(Date.UTC(2026, 10, 23, 16, 0, 1));
    const next = engine.issue({ serviceCode: 'BDC', channel: 'kiosk' }, kiosk).ticket;
    expect(next).toMatchObject({ number: 'B001', businessDay: '2026-11-24' });
    expect(engine.getTicket(a.id)!.ticket).toMatchObject({ status: 'cancelled', closedReason: 'expired' });
    expect(engine.window(3).state).toBe('closed');
    expect(engine.services().find((s) => s.code === 'BDC')!.waiting).toBe(1);
    expect(repo.listTicketsOfDay('2026-11-23')).toHaveLength(2);
  });

  it('rolls over once when the hub was off for several days', () => {
    const { clock, repo, engine } = setup();
    engine.issue({ serviceCode: 'SB', channel: 'kiosk' }, kiosk);
    clock.set(T0 + 3 * 86400_000);
    const restarted = new QueueEngine({ config: testHall(), repo, clock });
    restarted.rolloverIfDue();
    restarted.rolloverIfDue();
    const rolls = repo.state.events.filter((e) => e.event.type === 'day.rolled');
    expect(rolls).toHaveLength(1);
    expect(rolls[0]!.event).toMatchObject({ from: '2026-11-23', to: '2026-11-26', expired: 1 });
    expect(restarted.waitingTickets()).toHaveLength(0);
  });

  it('does not reopen a closed day when the clock is set back', () => {
    const { clock, engine } = setup();
    clock.advance(86400_000);
    engine.rolloverIfDue();
    clock.advance(-86400_000);
    engine.rolloverIfDue();
    expect(engine.issue({ serviceCode: 'SB', channel: 'kiosk' }, kiosk).ticket.number).toBe('A001');
  });
});

describe('statistics', () => {
  it('counts issued, served and skipped with mean and p90 waits per service, window, staff and hour', () => {
    const { engine, clock } = setup();
    engine.openWindow(3, '8001', staff);
    for (let i = 0; i < 3; i++) engine.issue({ serviceCode: 'BDC', channel: 'kiosk' }, kiosk);
    clock.advance(60_000);
    engine.callNext(3, staff);
    clock.advance(30_000);
    engine.finish(3, staff);
    engine.callNext(3, staff);
    engine.skip(3, {}, staff);
    const s = engine.statistics('2026-11-23');
    expect(s.total).toMatchObject({ issued: 3, served: 1, skipped: 1, meanWaitSeconds: 75, p90WaitSeconds: 90 });
    expect(s.byService.BDC).toMatchObject({ issued: 3, served: 1, meanServeSeconds: 30 });
    expect(s.byWindow['3']).toMatchObject({ served: 1, skipped: 1 });
    expect(s.byStaff['8001']).toMatchObject({ served: 1 });
    expect(s.byHour['09']).toMatchObject({ issued: 3 });
  });
});
