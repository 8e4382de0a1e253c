/**
 * The appointment routes (hub-api.md v1.1 "Appointments"): slots, booking from a kiosk, a
 * counter, the admin console or a citizen's phone, the kiosk's check-in, cancelling, the admin's
 * day and closed slots. The rules are the register's (main/appointments); this plugin maps them
 * onto the contract's answers.
 */
import { appointmentRoutes as api } from '../../common/api/appointment-api.js';
import { isoInZone } from '../../common/hall-time.js';
import { maskCertNo, maskName } from '../../common/mask.js';
import type { AppointmentRegister } from '../appointments/register.js';
import { bookableDays } from '../appointments/slots.js';
import type { Appointment, BookingSource, Closure, SlotView } from '../appointments/types.js';
import { issueForAppointment, runAppointment } from './appointment-tickets.js';
import type { Caller } from './auth.js';
import type { HubPlugin } from './hub-plugin.js';
import { issuedTicketJson } from './ticket-plugin.js';

/** `changed`: a booking was made (the no-show timer may need to wake earlier). */
export function appointmentPlugin(register: AppointmentRegister, changed: () => void = () => {}): HubPlugin {
  return {
    name: 'appointments',
    install(ctx) {
      const tz = () => ctx.timeZone();
      const slotJson = (s: SlotView) => ({
        start: isoInZone(s.start, tz()),
        end: isoInZone(s.end, tz()),
        capacity: s.capacity,
        booked: s.booked,
        closed: s.closed,
        passed: s.passed,
      });
      const answer = (a: Appointment) => ({
        id: a.id,
        code: a.code,
        serviceCode: a.serviceCode,
        slotStart: isoInZone(a.slotStart, tz()),
        slotEnd: isoInZone(a.slotEnd, tz()),
        status: a.status,
      });
      const book = (body: Parameters<AppointmentRegister['book']>[0], source: BookingSource, caller: Caller | null) =>
        runAppointment(ctx, () => {
          const a = register.book(body, source);
          changed();
          ctx.audit({
            actor: caller ? ctx.actorOf(caller) : { role: 'system', terminalId: null, staffNo: null },
            action: 'appointment.book',
            subject: a.id,
            result: 'ok',
            detail: { serviceCode: a.serviceCode, slotStart: isoInZone(a.slotStart, tz()), source },
          });
          return answer(a);
        });
      const sourceOf = (caller: Caller): BookingSource => {
        const role = ctx.actorOf(caller).role;
        return role === 'kiosk' ? 'kiosk' : role === 'admin' ? 'admin' : 'counter';
      };

      ctx.defineRoute(api.appointmentSlots, ({ query }) =>
        runAppointment(ctx, () => register.slots(query.serviceCode, query.day).map(slotJson)),
      );
      ctx.defineRoute(api.publicAppointmentSlots, ({ query }) =>
        runAppointment(ctx, () => register.slots(query.serviceCode, query.day).map(slotJson)),
      );
      ctx.defineRoute(api.publicServices, () =>
        register.bookableServices().map((s) => ({
          code: s.code,
          name: s.name,
          slotMinutes: s.appointment.slotMinutes,
          daysAhead: s.appointment.daysAhead,
          days: bookableDays(s.appointment, register.today()),
          checkIn: s.appointment.checkIn,
        })),
      );
      ctx.defineRoute(api.bookAppointment, ({ body, caller }) => book(body, sourceOf(caller), caller));
      ctx.defineRoute(api.publicBookAppointment, ({ body }) => book(body, 'public', null));

      ctx.defineRoute(api.checkInAppointment, ({ body, caller }) => {
        const a = runAppointment(ctx, () => register.forCheckIn(body));
        const view = issueForAppointment(ctx, register, a, caller);
        // The check-in's 201 carries the phone's ticket code, as the issue's does (hub-api.md v1.1).
        return issuedTicketJson(ctx, view);
      });

      ctx.defineRoute(api.cancelAppointment, ({ params, caller }) =>
        runAppointment(ctx, () => {
          const a = register.cancel(params.id);
          ctx.audit({
            actor: ctx.actorOf(caller),
            action: 'appointment.cancel',
            subject: a.id,
            result: 'ok',
            detail: null,
          });
          return answer(a);
        }),
      );
      ctx.defineRoute(api.publicCancelAppointment, ({ params, body }) =>
        runAppointment(ctx, () => answer(register.cancelByCode(params.code, body.certNo))),
      );

      ctx.defineRoute(api.adminAppointments, ({ query }) => {
        const day = query.day ?? register.today();
        const r = register.report(day);
        const names = new Map(ctx.engine.config.services.map((s) => [s.code, s.name]));
        return {
          day,
          appointments: r.appointments.map((a) => ({
            ...answer(a),
            day: a.day,
            opensAt: isoInZone(a.opensAt, tz()),
            closesAt: isoInZone(a.closesAt, tz()),
            source: a.source,
            fromPlatform: a.platformId !== null,
            applicant: {
              name: maskName(a.applicant.name),
              certType: a.applicant.certType,
              certNo: maskCertNo(a.applicant.certNo),
            },
            phone: a.phone ? `${a.phone.slice(0, 3)}****${a.phone.slice(-4)}` : null,
            ticketId: a.ticketId,
            bookedAt: isoInZone(a.bookedAt, tz()),
          })),
          counts: r.counts,
          noShowRate: r.noShowRate,
          services: r.services.map((s) => ({
            ...s,
            name: names.get(s.serviceCode) ?? s.serviceCode,
            slots: s.slots.map((x) => ({ ...slotJson(x), checkedIn: x.checkedIn, noShow: x.noShow })),
          })),
          closures: register
            .closuresFrom(day)
            .filter((c) => c.day === day)
            .map(closureJson),
        };
      });
      ctx.defineRoute(api.closeAppointmentSlots, ({ body, caller }) =>
        runAppointment(ctx, () => {
          const { closure, affected } = register.addClosure(body);
          ctx.audit({
            actor: ctx.actorOf(caller),
            action: 'appointment.close',
            subject: closure.id,
            result: 'ok',
            detail: {
              day: closure.day,
              serviceCode: closure.serviceCode,
              from: closure.from,
              to: closure.to,
              affected,
            },
          });
          return { closure: closureJson(closure), affected };
        }),
      );
      return undefined;
    },
  };
}

const closureJson = (c: Closure) => ({
  id: c.id,
  serviceCode: c.serviceCode,
  day: c.day,
  from: c.from,
  to: c.to,
  reason: c.reason,
});
