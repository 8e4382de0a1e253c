/**
 * Where an appointment becomes a ticket: the check-in of a booked appointment issues an
 * `appointment` ticket and marks the booking checked in, in one transaction; nothing else may
 * claim the channel (hub-api.md "Appointment priority only through a check-in").
 */
import { isoInZone } from '../../common/hall-time.js';
import type { AppointmentRegister } from '../appointments/register.js';
import { APPOINTMENT_ERROR_STATUS, type Appointment, AppointmentError } from '../appointments/types.js';
import type { TicketView } from '../queue/engine-api.js';
import type { Caller } from './auth.js';
import { ApiError } from './http-kit.js';
import type { HubContext } from './hub-plugin.js';

/** Runs a register command, answering its refusals with their status, code, Chinese message (and `opensAt`). */
export function runAppointment<T>(ctx: HubContext, fn: () => T): T {
  try {
    return ctx.run(fn);
  } catch (e) {
    if (!(e instanceof AppointmentError)) throw e;
    const status = APPOINTMENT_ERROR_STATUS[e.code];
    const message = status === 400 && e.extra.field ? `字段 ${e.extra.field}：${e.message}` : e.message;
    const details: Record<string, unknown> = {};
    if (e.extra.opensAt !== undefined) details.opensAt = isoInZone(e.extra.opensAt, ctx.timeZone());
    // A citizen too late may still queue: the kiosk offers a normal ticket of the same service.
    if (e.code === 'TOO_LATE') details.offer = 'normal_ticket';
    throw new ApiError(status, e.code, message, {}, details);
  }
}

/** The 404 of every appointment that is not one (unknown, invented, of another service or day). */
export const unknownAppointment = () =>
  new ApiError(
    404,
    'UNKNOWN_APPOINTMENT',
    '没有这个预约：预约号不对、不是本业务或不是今天的预约；请到预约签到凭预约码签到，或直接取号',
  );

/** Issues the appointment's ticket and checks it in; the booking's window rules apply. */
export function issueForAppointment(
  ctx: HubContext,
  register: AppointmentRegister,
  appointment: Appointment,
  caller: Caller,
): TicketView {
  return runAppointment(ctx, () => {
    register.checkWindow(appointment, ctx.clock.now());
    return ctx.engine.issue(
      {
        serviceCode: appointment.serviceCode,
        channel: 'appointment',
        applicant: { ...appointment.applicant },
        priority: null,
        appointmentId: appointment.id,
        issuedBy: caller.kind === 'device' ? caller.token.id : null,
        onIssued: (t) => register.markCheckedIn(appointment, t.id),
      },
      ctx.actorOf(caller),
    );
  });
}

/**
 * The booking a `POST /tickets` names, when it is one: booked, of that service, for today. Its
 * `appointmentId` may be the register's id or the citizen's code (what older kiosks sent).
 */
export function appointmentOfTicketRequest(
  register: AppointmentRegister | undefined,
  serviceCode: string,
  appointmentId: string | undefined,
): Appointment {
  if (!register || !appointmentId) throw unknownAppointment();
  const a = register.get(appointmentId) ?? register.byCode(appointmentId);
  if (!a || a.serviceCode !== serviceCode || a.day !== register.today() || a.status !== 'booked') {
    throw unknownAppointment();
  }
  return a;
}
