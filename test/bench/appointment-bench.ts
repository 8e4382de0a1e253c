/**
 * Appointment benchmark: booking requests per second for ONE popular slot under 50 concurrent
 * HTTP clients, with the count checked afterwards (never more bookings than places, every refusal
 * SLOT_FULL), next to a baseline measured in the same run on the same hub: the same 50 clients
 * taking tickets (`POST /tickets`, the hub's other one-transaction write).
 *
 * Called from run.ts; also runs alone: node --import tsx test/bench/appointment-bench.ts [--quick]
 */
import { gb11643CheckChar } from '../../common/cert-number.js';
import { addDays } from '../../common/hall-calendar.js';
import { businessDayOf } from '../../common/hall-time.js';
import { startHubApp } from '../../main/hall/hub-app.js';
import { demoConfig, tempDir } from '../support/hub-client.js';
import { type BenchOptions, type BenchRow, fastAgent, fastCall, isMain, runAlone } from './bench-kit.js';

const CLIENTS = 50;
/** Booking costs a little more than a ticket (sealing the ID number, the per-person lookup): goal ≥ half the rate. */
const GOAL_RATIO = 0.5;

/** A valid ID number per integer: a birth date per thousand, a sequence within it. */
function certNo(i: number): string {
  const birth = addDays('1950-01-01', Math.floor(i / 1000)).replaceAll('-', '');
  const first = `330106${birth}${String(i % 1000).padStart(3, '0')}`;
  return first + gb11643CheckChar(first);
}

async function clients(total: number, one: (i: number) => Promise<void>): Promise<number> {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      for (let i = next++; i < total; i = next++) await one(i);
    }),
  );
  return (performance.now() - t0) / 1000;
}

export async function appointmentBenchmarks({ quick, progress }: BenchOptions): Promise<BenchRow[]> {
  const attempts = quick ? 600 : 3000;
  const capacity = Math.floor(attempts * 0.8);
  const config = demoConfig();
  const sbyb = config.services.find((s) => s.code === 'SBYB')!;
  sbyb.appointment = { ...sbyb.appointment!, capacity: Math.min(500, capacity) };
  sbyb.dailyCap = 0;
  sbyb.numberRange = { from: 1, to: 9999 };
  const places = sbyb.appointment.capacity;
  progress(`预约：${CLIENTS} 个并发客户端抢同一时段（${places} 个名额，${attempts} 次请求），基线为同样并发的取号`);
  const app = await startHubApp({
    config,
    dataDir: tempDir('govhall-bench-appt-'),
    port: 0,
    version: 'bench',
    // The per-token limit protects a real hall; here it would measure the limiter.
    rateLimit: { perSecond: 1_000_000, burst: 1_000_000 },
  });
  try {
    const counter = await app.createToken('counter', 1, 'bench-counter');
    const kiosk = await app.createToken('kiosk', undefined, 'bench-kiosk');
    // Warm-up of both paths.
    for (let i = 0; i < 20; i++)
      await fastCall(app.url, 'POST', '/tickets', counter, { serviceCode: 'ZHZX', channel: 'staff' });

    const ticketS = await clients(attempts, async () => {
      const r = await fastCall(app.url, 'POST', '/tickets', counter, { serviceCode: 'SBYB', channel: 'staff' });
      if (r.status !== 201) throw new Error(`取号失败：${r.status} ${JSON.stringify(r.body)}`);
    });
    const ticketRate = attempts / ticketS;

    // Tomorrow 10:00 (hall time): always inside the demo's seven bookable days and its hours.
    const tomorrow = addDays(businessDayOf(Date.now(), config.hall.timeZone), 1);
    const slotStart = `${tomorrow}T10:00:00+08:00`;
    let booked = 0;
    let full = 0;
    const bookS = await clients(attempts, async (i) => {
      const r = await fastCall(app.url, 'POST', '/appointments', kiosk, {
        serviceCode: 'SBYB',
        slotStart,
        applicant: { name: `预约${i}`, certType: 'resident', certNo: certNo(i) },
      });
      if (r.status === 201) booked++;
      else if (r.status === 409 && r.body?.code === 'SLOT_FULL') full++;
      else throw new Error(`预约失败：${r.status} ${JSON.stringify(r.body)}`);
    });
    const bookRate = attempts / bookS;
    const slots = await fastCall(app.url, 'GET', `/appointments/slots?serviceCode=SBYB&day=${tomorrow}`, kiosk);
    const held = (slots.body as { start: string; booked: number }[]).find((s) => s.start.slice(11, 16) === '10:00');
    const exact = booked === places && full === attempts - places && held?.booked === places;
    const ratio = bookRate / ticketRate;
    return [
      {
        id: 'appointment-popular-slot',
        name: `预约：${CLIENTS} 并发抢同一时段（请求/秒，无超约）`,
        value: `${bookRate.toFixed(0)} 次/秒；约到 ${booked}/${places}，约满拒绝 ${full}`,
        baseline: `同并发取号 ${ticketRate.toFixed(0)} 张/秒`,
        ratio: ratio.toFixed(2),
        goal: `无超约，比值 ≥ ${GOAL_RATIO}`,
        pass: exact && ratio >= GOAL_RATIO,
      },
    ];
  } finally {
    await app.close();
  }
}

if (isMain(import.meta.url)) {
  await runAlone(appointmentBenchmarks);
  fastAgent.destroy();
}
