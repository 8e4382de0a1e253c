/**
 * The platform's appointments pulled into the hall's register (platform-api.md v1.1
 * `GET /api/v1/appointments`): each bookable day from today on, with the ETag of the last answer
 * per day (kept in memory: after a restart the first pull reads the lists again, and the merge
 * is idempotent because the platform's id is the key). An answer that does not match the contract
 * is dropped whole; the register keeps what it had.
 */
import { z } from 'zod';
import { addDays } from '../../common/hall-calendar.js';
import type { MergeResult, PlatformAppointment } from '../appointments/register.js';
import type { PlatformClient } from './platform-client.js';

const instant = z.iso.datetime({ offset: true }).transform((s) => Date.parse(s));
const listAnswer = z.object({
  appointments: z.array(
    z.object({
      id: z.string().min(1).max(100),
      code: z.string().min(1).max(32),
      serviceCode: z.string().min(1).max(64),
      slotStart: instant,
      slotEnd: instant,
      applicant: z.object({
        name: z.string().min(1).max(60),
        certType: z.string().min(1).max(20),
        certNo: z.string().min(1).max(40),
      }),
      phone: z.string().max(32).nullish(),
      status: z.enum(['booked', 'cancelled']),
    }),
  ),
});

/** The platform's card type codes (111, 553, 990) and the hall's names, as the register stores them. */
function certTypeOf(code: string, certNo: string): PlatformAppointment['applicant']['certType'] {
  if (code === '111' || code === 'resident') return 'resident';
  if (code === '553') return /^9\d{16}[\dX]$/i.test(certNo) ? 'foreign_2023' : 'foreign_2017';
  if (code === 'hk_mo_tw' || code === 'foreign_2017' || code === 'foreign_2023') return code;
  return 'other';
}

export function parseAppointmentList(text: string): PlatformAppointment[] | null {
  try {
    const r = listAnswer.safeParse(JSON.parse(text));
    if (!r.success) return null;
    return r.data.appointments.map((a) => ({
      ...a,
      phone: a.phone ?? null,
      applicant: { ...a.applicant, certType: certTypeOf(a.applicant.certType, a.applicant.certNo) },
    }));
  } catch {
    return null;
  }
}

export type AppointmentPullResult = { days: number; unchanged: number; merged: MergeResult } | { error: string };

export class AppointmentPull {
  private readonly etags = new Map<string, string>();

  constructor(
    private readonly o: {
      client: PlatformClient;
      hallCode: () => string;
      /** Today's business day and how many days after it may hold bookings. */
      days: () => { today: string; ahead: number };
      merge: (items: PlatformAppointment[]) => MergeResult;
    },
  ) {}

  async pull(): Promise<AppointmentPullResult> {
    const { today, ahead } = this.o.days();
    const merged: MergeResult = { added: 0, updated: 0, cancelled: 0, skipped: [] };
    let unchanged = 0;
    for (const key of [...this.etags.keys()]) if (key < today) this.etags.delete(key);
    for (let i = 0; i <= ahead; i++) {
      const day = addDays(today, i);
      let out = await this.o.client.getAppointments(this.o.hallCode(), day, this.etags.get(day) ?? null);
      if (out.kind === 'skew' || out.kind === 'replay') {
        if (out.kind === 'skew') this.o.client.clock.correct(out.serverTime, out.sentAt, out.receivedAt);
        out = await this.o.client.getAppointments(this.o.hallCode(), day, this.etags.get(day) ?? null);
      }
      if (out.kind !== 'ok') {
        const why = out.kind === 'transient' ? out.reason : `平台拒绝（${'code' in out ? out.code : out.kind}）`;
        return { error: `获取平台预约失败（${day}）：${why}` };
      }
      if (out.value === null) {
        unchanged++;
        continue;
      }
      const items = parseAppointmentList(out.value.body);
      if (!items) return { error: `平台返回的预约列表格式不对（${day}），保留已有预约` };
      const r = this.o.merge(items);
      merged.added += r.added;
      merged.updated += r.updated;
      merged.cancelled += r.cancelled;
      merged.skipped.push(...r.skipped);
      if (out.value.etag) this.etags.set(day, out.value.etag);
    }
    return { days: ahead + 1, unchanged, merged };
  }
}
