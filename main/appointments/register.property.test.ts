/**
 * Properties of the appointment register on its real SQLite store: capacity and the one-booking
 * rule under interleaved bookings from two connections (two hub processes' worth), check-in
 * windows around midnight and the business day's rollover, and no-show marking.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { gb11643CheckChar } from '../../common/cert-number.js';
import { businessDayOf, nextMidnight, startOfDay } from '../../common/hall-time.js';
import type { AppointmentConfig } from '../../kiosk-config/appointment-schema.js';
import type { HallConfig } from '../../kiosk-config/hall-config.js';
import { createIdGenerator } from '../queue/engine.js';
import { SqliteAppointmentRepository } from '../store/appointment-repository.js';
import { FieldCipher } from '../store/crypto.js';
import { type HallDatabase, openDatabase } from '../store/database.js';
import { ManualClock } from '../time/clock.js';
import { NoShowScheduler, type SchedulerTimers } from './no-show-scheduler.js';
import { AppointmentRegister } from './register.js';
import { checkInWindow } from './slots.js';
import { AppointmentError } from './types.js';

const TZ = 'Asia/Shanghai';
const DAY = '2026-11-23'; // a Monday
const MIDNIGHT = startOfDay(DAY, TZ);
const MIN = 60_000;
const idOf = (n: number) => {
  const first = `33010619800101${String(n).padStart(3, '0')}`;
  return first + gb11643CheckChar(first);
};

function hall(appointment: Partial<AppointmentConfig> = {}): HallConfig {
  const cfg: AppointmentConfig = {
    bookable: true,
    slotMinutes: 30,
    capacity: 3,
    hours: [{ days: [1, 2, 3, 4, 5, 6, 7], open: '00:00', close: '24:00' }],
    daysAhead: 2,
    checkIn: { beforeMinutes: 30, afterMinutes: 15 },
    priority: 'first',
    ...appointment,
  };
  return {
    hall: { code: 'T', name: 'T', areaCode: '330106', timeZone: TZ, openingHours: [] },
    services: ['S1', 'S2'].map((code, i) => ({
      code,
      name: `业务${i + 1}`,
      category: 'x',
      prefix: 'AB'[i]!,
      numberRange: { from: 1, to: 999 },
      dailyCap: 0,
      taskCodes: [],
      allowAnonymous: false,
      defaultServiceSeconds: 300,
      appointment: cfg,
    })),
    windows: [],
    staff: [],
    priority: { enabled: [], normalPerPriority: 3, appointmentsFirst: true },
    announcement: { template: '{number}', repeat: 1 },
    ticketText: { header: '', footer: '' },
    privacy: { purgeAfterDays: 30 },
  };
}

const opened: HallDatabase[] = [];
afterEach(() => {
  for (const d of opened.splice(0)) d.close();
});

/**
 * `n` registers over `n` connections to one database file, made once per test; `reset` empties
 * the register between runs (a fresh file per run would spend the test on migrations). The
 * durability of commits is not under test here, so the connections do not wait for the disk.
 */
function registers(clock: ManualClock, n = 1) {
  const dataDir = mkdtempSync(join(tmpdir(), 'govhall-appt-'));
  const master = randomBytes(32);
  let config = hall();
  const regs = Array.from({ length: n }, () => {
    const db = openDatabase({ dataDir, appVersion: 'test' });
    db.db.pragma('synchronous = OFF');
    opened.push(db);
    return new AppointmentRegister({
      config: () => config,
      repo: new SqliteAppointmentRepository(db, new FieldCipher(master)),
      clock,
      newId: createIdGenerator(clock),
      randomBytes: (k) => randomBytes(k),
    });
  });
  const reset = (next: HallConfig = hall()) => {
    config = next;
    opened[opened.length - n]!.db.exec('DELETE FROM appointments; DELETE FROM appointment_closures;');
  };
  return { regs, reset };
}

const codeOf = (f: () => unknown): string => {
  try {
    f();
    return 'ok';
  } catch (e) {
    if (e instanceof AppointmentError) return e.code;
    throw e;
  }
};

describe('appointment register properties', () => {
  it('never books a slot beyond its capacity, nor a person twice a service and day, whatever the interleaving', async () => {
    const command = fc.record({
      conn: fc.integer({ min: 0, max: 1 }),
      person: fc.integer({ min: 1, max: 12 }),
      service: fc.constantFrom('S1', 'S2'),
      slot: fc.integer({ min: 20, max: 23 }), // 10:00 … 11:30
      cancel: fc.boolean(),
    });
    const clock = new ManualClock(MIDNIGHT + 8 * 60 * MIN);
    const { regs, reset } = registers(clock, 2);
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), fc.array(command, { minLength: 1, maxLength: 40 }), async (s, cmds) => {
        reset();
        const pending = Promise.all(
          cmds.map((c) =>
            s.schedule(Promise.resolve(c)).then(() => {
              const r = regs[c.conn]!;
              const start = MIDNIGHT + c.slot * 30 * MIN;
              const slotCount = r.slots(c.service, DAY).find((x) => x.start === start)!.booked;
              const outcome = codeOf(() => {
                const a = r.book(
                  {
                    serviceCode: c.service,
                    slotStart: start,
                    applicant: { name: '甲', certType: 'resident', certNo: idOf(c.person) },
                  },
                  'kiosk',
                );
                if (c.cancel) regs[1 - c.conn]!.cancel(a.id);
              });
              // Full means full: refused only when the slot really held its capacity.
              if (outcome === 'SLOT_FULL') expect(slotCount).toBe(3);
              return outcome;
            }),
          ),
        );
        await s.waitAll();
        const outcomes = await pending;
        expect(outcomes.every((o) => ['ok', 'SLOT_FULL', 'ALREADY_BOOKED'].includes(o))).toBe(true);
        const report = regs[0]!.report(DAY);
        for (const svc of report.services) for (const slot of svc.slots) expect(slot.booked).toBeLessThanOrEqual(3);
        const active = report.appointments.filter((a) => a.status === 'booked');
        const keys = active.map((a) => `${a.serviceCode}/${a.applicant.certNo}`);
        expect(new Set(keys).size).toBe(keys.length);
      }),
      { numRuns: 60 },
    );
  });

  it('opens check-in only inside the window, cut to the slot’s own business day, across midnight', () => {
    const clock = new ManualClock(MIDNIGHT - 3 * 60 * MIN); // 21:00 the evening before
    const {
      regs: [r],
      reset,
    } = registers(clock);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 240 }),
        fc.integer({ min: 0, max: 240 }),
        fc.integer({ min: 0, max: 47 }), // which 30-minute slot of the day
        fc.integer({ min: -26 * 60, max: 26 * 60 }), // minutes from the slot's start
        (before, after, slotNo, offset) => {
          const config = hall({ checkIn: { beforeMinutes: before, afterMinutes: after }, daysAhead: 3 });
          reset(config);
          const day = '2026-11-23';
          const start = MIDNIGHT + slotNo * 30 * MIN;
          const a = r!.book(
            { serviceCode: 'S1', slotStart: start, applicant: { name: '乙', certType: 'resident', certNo: idOf(1) } },
            'public',
          );
          const w = checkInWindow(config.services[0]!.appointment!, start, day, TZ);
          expect(w.opensAt).toBeGreaterThanOrEqual(MIDNIGHT);
          expect(w.closesAt).toBeLessThanOrEqual(nextMidnight(MIDNIGHT, TZ));
          const now = start + offset * MIN;
          const outcome = (() => {
            try {
              r!.checkWindow(a, now);
              return 'ok';
            } catch (e) {
              return e as AppointmentError;
            }
          })();
          if (outcome === 'ok') {
            expect(now).toBeGreaterThanOrEqual(start - before * MIN);
            expect(now).toBeLessThan(start + after * MIN);
            // A ticket issued now belongs to the appointment's own day.
            expect(businessDayOf(now, TZ)).toBe(day);
          } else if (outcome.code === 'TOO_EARLY') {
            expect(now).toBeLessThan(w.opensAt);
            expect(outcome.extra.opensAt).toBe(w.opensAt);
          } else {
            expect(outcome.code).toBe('TOO_LATE');
            expect(now).toBeGreaterThanOrEqual(w.closesAt);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('marks exactly the booked appointments whose window closed, once; checked-in ones never', () => {
    const clock = new ManualClock(0);
    const {
      regs: [r],
      reset,
    } = registers(clock);
    fc.assert(
      fc.property(
        fc.array(fc.record({ slot: fc.integer({ min: 0, max: 47 }), checkIn: fc.boolean() }), { maxLength: 20 }),
        fc.integer({ min: 0, max: 26 * 60 }),
        (bookings, markAtMinute) => {
          clock.set(MIDNIGHT - 60 * MIN);
          reset(hall({ capacity: 50 }));
          const made = bookings.map((b, i) => ({
            ...b,
            a: r!.book(
              {
                serviceCode: 'S1',
                slotStart: MIDNIGHT + b.slot * 30 * MIN,
                applicant: { name: '丙', certType: 'resident', certNo: idOf(i + 1) },
              },
              'counter',
            ),
          }));
          for (const m of made) {
            if (!m.checkIn) continue;
            clock.set(Math.max(m.a.opensAt, MIDNIGHT));
            if (clock.now() < m.a.closesAt) r!.markCheckedIn(m.a, `T${m.a.id}`);
          }
          const T = MIDNIGHT + markAtMinute * MIN;
          clock.set(Math.max(T, clock.now()));
          const now = clock.now();
          const marked = new Set(r!.markNoShows().map((a) => a.id));
          const after = new Map(r!.report(DAY).appointments.map((a) => [a.id, a]));
          for (const m of made) {
            const status = after.get(m.a.id)!.status;
            if (status === 'checked_in') expect(marked.has(m.a.id)).toBe(false);
            else if (m.a.closesAt <= now) expect(status).toBe('no_show');
            else expect(status).toBe('booked');
          }
          expect(r!.markNoShows()).toEqual([]);
        },
      ),
      { numRuns: 80 },
    );
  });

  it('the scheduler marks a no-show when the window closes, on fake timers, and wakes earlier for a new booking', () => {
    vi.useFakeTimers({ now: MIDNIGHT + 9 * 60 * MIN });
    try {
      const clock = { now: () => Date.now() } as ManualClock;
      const {
        regs: [r],
      } = registers(clock);
      const timers: SchedulerTimers = { set: (fn, ms) => setTimeout(fn, ms), clear: (h) => clearTimeout(h as never) };
      const marked: string[] = [];
      const s = new NoShowScheduler({
        target: r!,
        clock,
        timers,
        maxWaitMs: 3600_000,
        onMarked: (m) => marked.push(...m.map((a) => a.applicant.certNo)),
      });
      s.start();
      const book = (slot: string, n: number) =>
        r!.book(
          {
            serviceCode: 'S1',
            slotStart: MIDNIGHT + (Number(slot.slice(0, 2)) * 60 + Number(slot.slice(3))) * MIN,
            applicant: { name: '丁', certType: 'resident', certNo: idOf(n) },
          },
          'kiosk',
        );
      book('10:00', 1);
      s.poke();
      vi.advanceTimersByTime(74 * MIN); // 10:14: the window closes at 10:15
      expect(marked).toEqual([]);
      vi.advanceTimersByTime(MIN);
      expect(marked).toEqual([idOf(1)]);
      book('10:30', 2);
      s.poke();
      vi.advanceTimersByTime(29 * MIN + 59_000);
      expect(marked).toEqual([idOf(1)]);
      vi.advanceTimersByTime(1000);
      expect(marked).toEqual([idOf(1), idOf(2)]);
      s.stop();
    } finally {
      vi.useRealTimers();
    }
  });
});
