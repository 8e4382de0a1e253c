/**
 * The platform's appointments end to end: `govhall platform-sim` lists them (ETag), the hub pulls
 * and merges them, a kiosk checks one in, another becomes a no-show, and each goes back to the
 * platform as an `appointment` record exactly once — through lost answers and resends — while the
 * hall's own bookings are never reported.
 */
import { appendFileSync, copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../drivers/testing/wait-for.js';
import { DEMO_HALL_PATH } from '../../kiosk-config/demo-hall.js';
import { type HubApp, startHubApp } from '../../main/hall/hub-app.js';
import { type PlatformSim, startPlatformSim } from '../../main/platform-sim/platform-sim.js';
import { ManualClock } from '../../main/time/clock.js';
import { call, tempDir } from '../support/hub-client.js';
import { idOf, person } from './people.js';

const HALL = 'DEMO-HALL-01';
const SECRET = 'appointment-sync-secret';
const T0 = Date.UTC(2026, 10, 23, 2, 0); // Monday 10:00 in Shanghai
const clock = new ManualClock(T0);
const at = (hhmm: string) => `2026-11-23T${hhmm}:00+08:00`;
let sim: PlatformSim;
let app: HubApp;
let kiosk: string;
let admin: string;

beforeAll(async () => {
  sim = await startPlatformSim({ halls: [{ hallCode: HALL, secret: SECRET }], now: () => clock.now() });
  const dir = tempDir('govhall-appt-sync-');
  const configPath = join(dir, 'hall.yaml');
  copyFileSync(DEMO_HALL_PATH, configPath);
  writeFileSync(join(dir, 'platform.secret'), `${SECRET}\n`, { mode: 0o600 });
  appendFileSync(
    configPath,
    [
      '',
      'platform:',
      `  url: ${sim.url}`,
      '  secretFile: platform.secret',
      '  alg: HMAC-SHA256',
      '  batchSize: 10',
      '  intervalMs: 30',
      '  requestTimeoutMs: 2000',
      '  backoff: { baseMs: 20, maxMs: 200 }',
      '',
    ].join('\n'),
  );
  app = await startHubApp({ configPath, dataDir: join(dir, 'data'), port: 0, version: 'test', clock });
  kiosk = await app.createToken('kiosk', undefined, 'k1');
  admin = await app.createToken('admin', undefined, 'a1');
  // The start's own pull (of empty lists) is over before the test books anything on the platform.
  await app.pullPlatformAppointments();
}, 60_000);
afterAll(async () => {
  await app?.close();
  await sim?.close();
});

const platformRecords = () => sim.records().filter((r) => r.kind === 'appointment');

describe('appointments booked on the platform', () => {
  it('arrive through the pull (ETag), are checked in or missed, and go back exactly once each', async () => {
    const a1 = sim.addAppointment({
      hallCode: HALL,
      id: 'PA-1',
      code: 'PLAT0001',
      serviceCode: 'SBYB',
      slotStart: at('10:30'),
      slotEnd: at('11:00'),
      applicant: { name: '平台甲', certType: '111', certNo: idOf(101) },
      phone: '13900000001',
    });
    sim.addAppointment({
      hallCode: HALL,
      id: 'PA-2',
      code: 'PLAT0002',
      serviceCode: 'SBYB',
      slotStart: at('10:30'),
      slotEnd: at('11:00'),
      applicant: { name: '平台乙', certType: '111', certNo: idOf(102) },
    });
    // Named by a 事项 code the hall maps to 不动产登记.
    sim.addAppointment({
      hallCode: HALL,
      id: 'PA-3',
      code: 'PLAT0003',
      serviceCode: '11330106MB0987654Y4000115001000',
      slotStart: at('14:30'),
      slotEnd: at('15:30'),
      applicant: { name: '平台丙', certType: '111', certNo: idOf(103) },
    });
    sim.addAppointment({
      hallCode: HALL,
      id: 'PA-X',
      code: 'PLAT0009',
      serviceCode: 'NO-SUCH',
      slotStart: at('10:30'),
      slotEnd: at('11:00'),
      applicant: { name: '平台丁', certType: '111', certNo: idOf(104) },
    });

    const first = await app.pullPlatformAppointments();
    if ('error' in first) throw new Error(first.error);
    expect(first.merged).toMatchObject({ added: 3, updated: 0, cancelled: 0 });
    expect(first.merged.skipped.map((s) => s.id)).toEqual(['PA-X']);
    const again = await app.pullPlatformAppointments();
    if ('error' in again) throw new Error(again.error);
    expect(again.unchanged).toBe(again.days);
    expect(again.merged.added).toBe(0);

    const day = await call(app.url, 'GET', '/admin/appointments', admin);
    expect(day.body.appointments.filter((a: { fromPlatform: boolean }) => a.fromPlatform)).toHaveLength(3);
    expect(day.body.appointments.find((a: { code: string }) => a.code === 'PLAT0003').serviceCode).toBe('BDCDJ');
    // The platform's bookings take places of the slot.
    const slots = await call(app.url, 'GET', '/public/appointments/slots?serviceCode=SBYB&day=2026-11-23', null);
    expect(slots.body.find((s: { start: string }) => s.start.startsWith('2026-11-23T10:30')).booked).toBe(2);

    // A booking of the hall's own, checked in too: never reported.
    const own = await call(app.url, 'POST', '/appointments', kiosk, {
      serviceCode: 'SBYB',
      slotStart: `${at('10:30').slice(0, 19)}.000+08:00`,
      applicant: person(110),
    });
    expect(own.status).toBe(201);

    // The platform's answers are lost after it commits: the relay resends the same ids.
    sim.setFaults({ dropAfterCommitRate: 1 });
    const checkIn = await call(app.url, 'POST', '/appointments/check-in', kiosk, { code: a1.code });
    expect(checkIn.status).toBe(201);
    expect(checkIn.body.channel).toBe('appointment');
    expect((await call(app.url, 'POST', '/appointments/check-in', kiosk, { code: own.body.code })).status).toBe(201);
    await waitFor('an answer lost after commit', () => sim.stats().faults.droppedAfterCommit >= 1, 60_000);
    sim.setFaults({});

    // 10:30 + 15 minutes: 平台乙 missed the window.
    clock.set(T0 + 46 * 60_000);
    const missed = app.appointments.markNoShows();
    expect(missed.map((m) => m.platformId)).toEqual(['PA-2']);

    // Cancelled on the platform: cancelled here too at the next pull.
    sim.cancelAppointment(HALL, 'PA-3');
    const third = await app.pullPlatformAppointments();
    if ('error' in third) throw new Error(third.error);
    expect(third.merged.cancelled).toBe(1);

    await waitFor('the outbox empty', () => app.sync.outbox.stats().pending === 0, 60_000);
    await waitFor('two appointment records', () => platformRecords().length >= 2, 60_000);
    const got = platformRecords().map((r) => [r.data.appointmentId, r.data.status]);
    expect(got.sort()).toEqual([
      ['PA-1', 'checked_in'],
      ['PA-2', 'no_show'],
    ]);
    expect(sim.stats().duplicate).toBeGreaterThanOrEqual(1);
    // Marking again, or another pull, adds nothing.
    expect(app.appointments.markNoShows()).toEqual([]);
    await app.pullPlatformAppointments();
    await waitFor('the outbox still empty', () => app.sync.outbox.stats().pending === 0, 60_000);
    expect(platformRecords()).toHaveLength(2);
  }, 180_000);
});
