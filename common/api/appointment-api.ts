/**
 * The appointment routes (hub-api.md v1.1 "Appointments"): request and answer schemas and the
 * route descriptions, in one module beside the core tables; `routes.ts` lists them in `API`.
 */
import { z } from 'zod';
import { APPOINTMENT_STATUSES } from '../appointment-terms.js';
import { CERT_TYPES } from '../cert-number.js';
import { ROUTE_ADDRESSES as at } from './addresses.js';
import { applicantInput, day } from './requests.js';
import { issuedTicketAnswer } from './responses.js';
import { ADMIN, ANY_CALLER, PUBLIC, roles, route } from './route-spec.js';

const time = z.string().describe('ISO 8601，带大厅时区偏移');
/** An instant the client names, with its offset (e.g. a slot's `start` as the hub answered it). */
const instant = z.iso
  .datetime({ offset: true, error: '应为带时区偏移的 ISO 8601 时间，例如 2026-11-23T09:30:00+08:00' })
  .transform((s) => Date.parse(s));
const code = z.string().min(1).max(32);
const serviceCode = z.string().min(1).max(32);
const phone = z
  .string()
  .regex(/^\+?[0-9 -]{5,20}$/, '电话号码应为 5 到 20 位数字')
  .optional();

// ------------------------------------------------------------------ requests

export const slotsQuery = z.object({ serviceCode, day }).strict();

export const bookBody = z.object({ serviceCode, slotStart: instant, applicant: applicantInput, phone }).strict();

export const checkInBody = z.union(
  [z.object({ code }).strict(), z.object({ certNo: z.string().min(1).max(40) }).strict()],
  { error: '请给出预约码 code 或证件号码 certNo（二者之一）' },
);

export const publicCancelBody = z.object({ certNo: z.string().min(1).max(40) }).strict();

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, '时间格式应为 HH:MM');
export const closureBody = z
  .object({
    serviceCode: serviceCode.optional(),
    day,
    from: hhmm.optional(),
    to: hhmm.optional(),
    reason: z.string().min(1).max(200),
  })
  .strict()
  .refine((c) => !c.from || !c.to || c.from < c.to, { message: '开始时间应早于结束时间', path: ['to'] });

export const appointmentDayQuery = z.object({ day: day.optional() }).strict();

// ------------------------------------------------------------------ answers

export const slotAnswer = z.object({
  start: time,
  end: time,
  capacity: z.number().int(),
  booked: z.number().int(),
  /** Closed by the admin or the hall calendar: not offered. */
  closed: z.boolean(),
  /** Its check-in window has closed: too late to book. */
  passed: z.boolean(),
});

export const appointmentAnswer = z.object({
  id: z.string(),
  code: z.string(),
  serviceCode: z.string(),
  slotStart: time,
  slotEnd: time,
  status: z.enum(APPOINTMENT_STATUSES),
});

/** A booking as the counter and admin list it: the person masked, where it came from, its ticket. */
export const appointmentRowAnswer = appointmentAnswer.extend({
  day: z.string(),
  opensAt: time,
  closesAt: time,
  source: z.string(),
  fromPlatform: z.boolean(),
  applicant: z.object({ name: z.string(), certType: z.enum(CERT_TYPES), certNo: z.string() }),
  phone: z.string().nullable(),
  ticketId: z.string().nullable(),
  bookedAt: time,
});

export const closureAnswer = z.object({
  id: z.string(),
  serviceCode: z.string().nullable(),
  day: z.string(),
  from: z.string().nullable(),
  to: z.string().nullable(),
  reason: z.string(),
});

export const appointmentDayAnswer = z.object({
  day: z.string(),
  appointments: z.array(appointmentRowAnswer),
  counts: z.object({ booked: z.number(), checked_in: z.number(), cancelled: z.number(), no_show: z.number() }),
  /** no-shows ÷ (checked in + no-shows); null before any was decided. */
  noShowRate: z.number().nullable(),
  services: z.array(
    z.object({
      serviceCode: z.string(),
      name: z.string(),
      capacity: z.number().int(),
      booked: z.number().int(),
      use: z.number().nullable(),
      slots: z.array(slotAnswer.extend({ checkedIn: z.number().int(), noShow: z.number().int() })),
    }),
  ),
  closures: z.array(closureAnswer),
});

export const bookableServiceAnswer = z.object({
  code: z.string(),
  name: z.string(),
  slotMinutes: z.number().int(),
  daysAhead: z.number().int(),
  /** The days that may be booked now, YYYY-MM-DD. */
  days: z.array(z.string()),
  checkIn: z.object({ beforeMinutes: z.number().int(), afterMinutes: z.number().int() }),
});

// ------------------------------------------------------------------ routes

const BOOKERS = roles(['kiosk', 'counter', 'admin'], true);
const CANCELLERS = roles(['counter', 'admin'], true);

export const appointmentRoutes = {
  appointmentSlots: route({
    ...at.appointmentSlots,
    summary: '某业务某天的预约时段及已约人数',
    access: ANY_CALLER,
    query: slotsQuery,
    response: z.array(slotAnswer),
    errors: [400, 409],
  }),
  bookAppointment: route({
    ...at.bookAppointment,
    summary: '预约（取号机、窗口或管理员代为预约）：同一人同一业务每天一次，时段约满即止',
    access: BOOKERS,
    body: bookBody,
    response: appointmentAnswer,
    status: 201,
    errors: [400, 409],
  }),
  checkInAppointment: route({
    ...at.checkInAppointment,
    summary: '预约签到：凭预约码或证件号码，在签到时间内取预约号',
    access: roles(['kiosk']),
    body: checkInBody,
    response: issuedTicketAnswer,
    status: 201,
    errors: [400, 404, 409],
  }),
  cancelAppointment: route({
    ...at.cancelAppointment,
    summary: '取消预约（窗口、管理员）',
    access: CANCELLERS,
    response: appointmentAnswer,
    errors: [404, 409],
  }),
  adminAppointments: route({
    ...at.adminAppointments,
    summary: '某天的预约列表、爽约率与时段使用率（管理员）',
    access: roles(['admin', 'counter'], true),
    query: appointmentDayQuery,
    response: appointmentDayAnswer,
    errors: [400],
  }),
  closeAppointmentSlots: route({
    ...at.closeAppointmentSlots,
    summary: '停止预约：某天（全天或某时段）、某业务或全部业务（管理员）',
    access: ADMIN,
    body: closureBody,
    response: z.object({ closure: closureAnswer, affected: z.number().int() }),
    status: 201,
    errors: [400],
  }),
  publicServices: route({
    ...at.publicServices,
    summary: '可预约的业务（公开，无需令牌）',
    access: PUBLIC,
    response: z.array(bookableServiceAnswer),
  }),
  publicAppointmentSlots: route({
    ...at.publicAppointmentSlots,
    summary: '某业务某天的预约时段（公开，无需令牌）',
    access: PUBLIC,
    query: slotsQuery,
    response: z.array(slotAnswer),
    errors: [400, 409],
  }),
  publicBookAppointment: route({
    ...at.publicBookAppointment,
    summary: '市民用手机预约（公开，无需令牌）',
    access: PUBLIC,
    body: bookBody,
    response: appointmentAnswer,
    status: 201,
    errors: [400, 409],
  }),
  publicCancelAppointment: route({
    ...at.publicCancelAppointment,
    summary: '市民凭预约码与证件号码取消预约（公开，无需令牌）',
    access: PUBLIC,
    body: publicCancelBody,
    response: appointmentAnswer,
    errors: [400, 404, 409],
  }),
} as const;
