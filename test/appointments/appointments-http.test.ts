/**
 * The appointment register over real HTTP with a clock the test moves (hub-api.md v1.1
 * "Appointments"): booking, the one-per-person rule, full slots, check-in windows, no-shows,
 * closures, the public routes without a token — and that no invented id, unknown code or bare
 * `channel: "appointment"` ever gives an appointment ticket.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../main/time/clock.js';
import { call, startTestHub } from '../support/hub-client.js';
import { idOf, person } from './people.js';

// Monday 2026-11-23 10:00 in Shanghai
const T0 = Date.UTC(2026, 10, 23, 2, 0);
const clock = new ManualClock(T0);
const at = (hhmm: string, day = '2026-11-23') => `${day}T${hhmm}:00.000+08:00`;
let hub: Awaited<ReturnType<typeof startTestHub>>;

beforeAll(async () => {
  hub = await startTestHub({ clock });
});
afterAll(async () => {
  await hub.close();
});

const book = (token: string | null, n: number, slot: string, serviceCode = 'SBYB') =>
  call(hub.url, 'POST', token ? '/appointments' : '/public/appointments', token, {
    serviceCode,
    slotStart: slot,
    applicant: person(n),
    phone: '13800138000',
  });

describe('appointments over HTTP', () => {
  it('lists the day’s slots with places booked, publicly and with a token', async () => {
    const r = await call(hub.url, 'GET', '/appointments/slots?serviceCode=SBYB&day=2026-11-23', hub.kiosk);
    expect(r.status).toBe(200);
    expect(r.body[0]).toEqual({
      start: at('08:00'),
      end: at('08:30'),
      capacity: 4,
      booked: 0,
      closed: false,
      passed: true,
    });
    expect(r.body.find((s: { start: string }) => s.start === at('10:00')).passed).toBe(false);
    expect(r.body).toHaveLength(24);
    const pub = await call(hub.url, 'GET', '/public/appointments/slots?serviceCode=SBYB&day=2026-11-23', null);
    expect(pub.status).toBe(200);
    expect(pub.body).toEqual(r.body);
    const services = await call(hub.url, 'GET', '/public/services', null);
    expect(services.body.map((s: { code: string }) => s.code)).toEqual(['SBYB', 'BDCDJ']);
    expect(services.body[0].days).toHaveLength(8);
    // A service that takes no bookings, and a day too far ahead.
    expect(
      (await call(hub.url, 'GET', '/public/appointments/slots?serviceCode=HJ&day=2026-11-23', null)).body.code,
    ).toBe('NOT_BOOKABLE');
    const far = await call(hub.url, 'GET', '/public/appointments/slots?serviceCode=SBYB&day=2026-12-23', null);
    expect(far.status).toBe(400);
    expect(far.body.code).toBe('INVALID_DAY');
  });

  it('books a slot, once per person, service and day, and never beyond its capacity', async () => {
    const first = await book(hub.kiosk, 1, at('11:00'));
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      serviceCode: 'SBYB',
      slotStart: at('11:00'),
      slotEnd: at('11:30'),
      status: 'booked',
    });
    expect(first.body.code).toMatch(/^[2-9A-HJKMNP-Z]{8}$/);
    const again = await book(hub.counter, 1, at('15:00'));
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('ALREADY_BOOKED');
    // Another service the same day is fine.
    expect((await book(hub.counter, 1, at('13:30'), 'BDCDJ')).status).toBe(201);
    for (const n of [2, 3, 4]) expect((await book(null, n, at('11:00'))).status).toBe(201);
    const full = await book(hub.admin, 5, at('11:00'));
    expect(full.status).toBe(409);
    expect(full.body.code).toBe('SLOT_FULL');
    const slots = await call(hub.url, 'GET', '/appointments/slots?serviceCode=SBYB&day=2026-11-23', hub.display);
    expect(slots.body.find((s: { start: string }) => s.start === at('11:00')).booked).toBe(4);
    const bad = await call(hub.url, 'POST', '/public/appointments', null, {
      serviceCode: 'SBYB',
      slotStart: at('12:00'),
      applicant: { name: '张三', certType: 'resident', certNo: '330106199001010010' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('INVALID_CERT_NO');
    expect((await book(null, 6, at('11:10'))).body.code).toBe('NO_SUCH_SLOT');
  });

  it('never gives an appointment ticket for an invented id, an unknown code or a bare channel', async () => {
    const tickets = (body: Record<string, unknown>, token = hub.kiosk) =>
      call(hub.url, 'POST', '/tickets', token, { serviceCode: 'SBYB', applicant: person(7), ...body });
    for (const body of [
      { channel: 'appointment' },
      { channel: 'appointment', appointmentId: 'INVENTED-1' },
      { channel: 'kiosk', appointmentId: 'ABCDEFGH' },
      { channel: 'appointment', appointmentId: '01KXYZ0000000000000000' },
    ]) {
      for (const token of [hub.kiosk, hub.counter, hub.admin]) {
        const r = await tickets(body, token);
        expect(r.status, JSON.stringify(body)).toBe(404);
        expect(r.body.code).toBe('UNKNOWN_APPOINTMENT');
      }
    }
    // A real booking of another service or another day is not one of this service today.
    const other = await book(null, 8, at('14:30'), 'BDCDJ');
    expect((await tickets({ channel: 'appointment', appointmentId: other.body.id })).status).toBe(404);
    const tomorrow = await book(null, 8, at('11:00', '2026-11-24'));
    expect(
      (
        await call(hub.url, 'POST', '/tickets', hub.kiosk, {
          serviceCode: 'SBYB',
          channel: 'appointment',
          appointmentId: tomorrow.body.code,
        })
      ).status,
    ).toBe(404);
    // A kiosk records kiosk tickets only.
    const staff = await tickets({ channel: 'staff' });
    expect(staff.status).toBe(403);
    expect(staff.body.code).toBe('CHANNEL_NOT_ALLOWED');
    expect((await tickets({ channel: 'mobile' })).body.code).toBe('CHANNEL_NOT_ALLOWED');
    expect((await tickets({ channel: 'staff' }, hub.counter)).status).toBe(201);
    const q = await call(hub.url, 'GET', '/queue?serviceCode=SBYB', hub.admin);
    expect(q.body.filter((t: { channel: string }) => t.channel === 'appointment')).toEqual([]);
  });

  it('checks in inside the window only: too early says when, then one ticket, then no second', async () => {
    const a = (await book(hub.kiosk, 10, at('11:30'))).body;
    const early = await call(hub.url, 'POST', '/appointments/check-in', hub.kiosk, { code: a.code });
    expect(early.status).toBe(409);
    expect(early.body).toMatchObject({ code: 'TOO_EARLY', opensAt: at('11:00') });
    expect(early.body.message).toMatch(/11:00 起可以签到/);
    clock.set(T0 + 60 * 60_000); // 11:00
    const counterTry = await call(hub.url, 'POST', '/appointments/check-in', hub.counter, { code: a.code });
    expect(counterTry.status).toBe(403);
    const ok = await call(hub.url, 'POST', '/appointments/check-in', hub.kiosk, { code: a.code.toLowerCase() });
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({
      channel: 'appointment',
      appointmentId: a.id,
      serviceCode: 'SBYB',
      status: 'waiting',
    });
    const twice = await call(hub.url, 'POST', '/appointments/check-in', hub.kiosk, { certNo: idOf(10) });
    expect(twice.status).toBe(409);
    expect(twice.body.code).toBe('ALREADY_CHECKED_IN');
    // Nor through POST /tickets with the same id.
    const viaTickets = await call(hub.url, 'POST', '/tickets', hub.kiosk, {
      serviceCode: 'SBYB',
      channel: 'appointment',
      appointmentId: a.id,
    });
    expect(viaTickets.status).toBe(404);
    // By ID card: the booking of 11:00 (person 2) is in its window.
    const byCard = await call(hub.url, 'POST', '/appointments/check-in', hub.kiosk, { certNo: idOf(2) });
    expect(byCard.status).toBe(201);
    // An unknown code.
    const unknown = await call(hub.url, 'POST', '/appointments/check-in', hub.kiosk, { code: 'ZZZZZZZZ' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('UNKNOWN_APPOINTMENT');
  });

  it('offers a normal ticket when too late, and marks the rest no-shows when the window closes', async () => {
    clock.set(T0 + 76 * 60_000); // 11:16: the 11:00 window closed at 11:15
    const late = await call(hub.url, 'POST', '/appointments/check-in', hub.kiosk, { certNo: idOf(3) });
    expect(late.status).toBe(409);
    expect(late.body).toMatchObject({ code: 'TOO_LATE', offer: 'normal_ticket' });
    expect(late.body.message).toMatch(/可以取普通号/);
    const marked = hub.app.appointments.markNoShows();
    expect(marked.map((m) => m.applicant.name).sort()).toEqual(['市民1', '市民3', '市民4']);
    const day = await call(hub.url, 'GET', '/admin/appointments?day=2026-11-23', hub.admin);
    expect(day.status).toBe(200);
    expect(day.body.counts).toMatchObject({ checked_in: 2, no_show: 3 });
    expect(day.body.noShowRate).toBeCloseTo(3 / 5);
    const sbyb = day.body.services.find((s: { serviceCode: string }) => s.serviceCode === 'SBYB');
    expect(sbyb.booked).toBe(5);
    expect(sbyb.use).toBeCloseTo(5 / (24 * 4));
    expect(day.body.appointments[0].applicant.certNo).toMatch(/\*/);
  });

  it('cancels: the counter by id, the citizen with code and ID number; a wrong number tells nothing', async () => {
    const a = (await book(null, 20, at('16:00'))).body;
    const wrong = await call(hub.url, 'DELETE', `/public/appointments/${a.code}`, null, { certNo: idOf(21) });
    expect(wrong.status).toBe(404);
    expect(wrong.body.code).toBe('UNKNOWN_APPOINTMENT');
    const mine = await call(hub.url, 'DELETE', `/public/appointments/${a.code}`, null, { certNo: idOf(20) });
    expect(mine.status).toBe(200);
    expect(mine.body.status).toBe('cancelled');
    // The place is free again, and the person may book again.
    const b = (await book(hub.counter, 20, at('16:00'))).body;
    expect((await call(hub.url, 'DELETE', `/appointments/${b.id}`, hub.kiosk)).status).toBe(403);
    const byCounter = await call(hub.url, 'DELETE', `/appointments/${b.id}`, hub.counter);
    expect(byCounter.body.status).toBe('cancelled');
    expect((await call(hub.url, 'DELETE', `/appointments/${b.id}`, hub.admin)).body.code).toBe('NOT_CANCELLABLE');
  });

  it('closes slots for a day or part of it; closed slots take no bookings', async () => {
    const c = await call(hub.url, 'POST', '/admin/appointments/closures', hub.admin, {
      serviceCode: 'SBYB',
      day: '2026-11-25',
      from: '13:00',
      to: '15:00',
      reason: '业务培训',
    });
    expect(c.status).toBe(201);
    expect(c.body.affected).toBe(0);
    const slots = await call(hub.url, 'GET', '/public/appointments/slots?serviceCode=SBYB&day=2026-11-25', null);
    const closed = slots.body
      .filter((s: { closed: boolean }) => s.closed)
      .map((s: { start: string }) => s.start.slice(11, 16));
    expect(closed).toEqual(['13:00', '13:30', '14:00', '14:30']);
    const refused = await book(null, 30, at('13:30', '2026-11-25'));
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('SLOT_CLOSED');
    expect((await book(null, 30, at('15:00', '2026-11-25'))).status).toBe(201);
    expect(
      (await call(hub.url, 'POST', '/admin/appointments/closures', hub.counter, { day: '2026-11-26', reason: 'x' }))
        .status,
    ).toBe(403);
  });
});
