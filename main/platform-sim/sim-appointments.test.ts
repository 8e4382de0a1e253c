/**
 * The simulator's appointments (platform-api.md v1.1 `GET /api/v1/appointments`): listed per day
 * with an ETag and 304 while unchanged, added by testers through `POST /sim/appointments`, only the
 * signed hall's, and `appointment` records accepted only for the platform's own bookings.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PlatformSim, startPlatformSim } from './platform-sim.js';
import { signedRequest } from './raw-client.js';

const HALL = 'SIM-APPT-HALL';
const SECRET = 'sim-appointments-secret';
let sim: PlatformSim;
beforeAll(async () => {
  sim = await startPlatformSim({
    halls: [
      { hallCode: HALL, secret: SECRET },
      { hallCode: 'OTHER', secret: 'x' },
    ],
  });
});
afterAll(async () => {
  await sim.close();
});
const get = (path: string, headers: Record<string, string> = {}) =>
  signedRequest({ url: sim.url, hallCode: HALL, secret: SECRET, path, headers });
const list = (day: string, etag?: string) =>
  get(`/api/v1/appointments?hallCode=${HALL}&day=${day}`, etag ? { 'if-none-match': etag } : {});

describe('platform-sim appointments', () => {
  it('lists a day’s bookings with an ETag, 304 while unchanged, a new ETag after a change', async () => {
    const empty = await list('2026-11-23');
    expect(empty.status).toBe(200);
    expect(empty.json).toEqual({ appointments: [] });
    const etag = String(empty.headers.etag);
    expect((await list('2026-11-23', etag)).status).toBe(304);

    // A tester adds one over HTTP (no signature on /sim/…).
    const added = await fetch(`${sim.url}/sim/appointments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        hallCode: HALL,
        serviceCode: 'SBYB',
        slotStart: '2026-11-23T10:30:00+08:00',
        slotEnd: '2026-11-23T11:00:00+08:00',
        applicant: { name: '平台甲', certType: '111', certNo: '11010519491231002X' },
      }),
    });
    expect(added.status).toBe(201);
    const a = (await added.json()) as { id: string; code: string };
    sim.addAppointment({
      hallCode: 'OTHER',
      serviceCode: 'SBYB',
      slotStart: '2026-11-23T10:30:00+08:00',
      slotEnd: '2026-11-23T11:00:00+08:00',
      applicant: { name: '别的大厅', certType: '111', certNo: '11010519491231002X' },
    });
    const changed = await list('2026-11-23', etag);
    expect(changed.status).toBe(200);
    expect(changed.headers.etag).not.toBe(etag);
    expect((changed.json as { appointments: { id: string; status: string }[] }).appointments).toEqual([
      expect.objectContaining({ id: a.id, code: a.code, serviceCode: 'SBYB', status: 'booked' }),
    ]);
    expect(((await list('2026-11-24')).json as { appointments: unknown[] }).appointments).toEqual([]);
    expect((await get('/api/v1/appointments?hallCode=OTHER&day=2026-11-23')).status).toBe(403);
    expect((await get(`/api/v1/appointments?hallCode=${HALL}&day=23.11.2026`)).status).toBe(400);

    sim.cancelAppointment(HALL, a.id);
    const cancelled = await list('2026-11-23', String(changed.headers.etag));
    expect((cancelled.json as { appointments: { status: string }[] }).appointments[0]!.status).toBe('cancelled');

    // Records: accepted for the platform's own booking, refused for any other id.
    const send = (id: string, appointmentId: string) =>
      signedRequest({
        url: sim.url,
        hallCode: HALL,
        secret: SECRET,
        method: 'POST',
        path: '/api/v1/records:batch',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          batchId: `b-${id}`,
          records: [
            {
              id,
              kind: 'appointment',
              seq: 1,
              occurredAt: '2026-11-23T10:20:00.000+08:00',
              data: { appointmentId, status: 'checked_in', at: '2026-11-23T10:20:00.000+08:00' },
            },
          ],
        }),
      });
    const ok = await send('r-1', a.id);
    expect((ok.json as { results: { status: string }[] }).results[0]!.status).toBe('accepted');
    const again = await send('r-1', a.id);
    expect((again.json as { results: { status: string }[] }).results[0]!.status).toBe('duplicate');
    const unknown = await send('r-2', 'HALL-OWN-1');
    expect((unknown.json as { results: { status: string; code: string }[] }).results[0]).toMatchObject({
      status: 'rejected',
      code: 'UNKNOWN_APPOINTMENT',
    });
  });
});
