/**
 * Child process of the sync benchmark, so each side has its own event loop and its own peak RSS:
 *   --mode sim    a platform simulator; prints {"url"} and runs until killed
 *   --mode drain  drains the hall outbox in --data to --url; prints {records, ms, maxRssMb}
 *   --mode raw    a minimal signed client posting --count well-formed records in batches of 500,
 *                 signed with --alg (HMAC-SHA256 unless HMAC-SM3 is asked for)
 */
import { DEMO_HALL_PATH } from '../../kiosk-config/demo-hall.js';
import { loadHallConfigFile } from '../../kiosk-config/load.js';
import { defaultPlatformConfig } from '../../kiosk-config/platform-schema.js';
import { childArgs } from '../../main/hall/child-args.js';
import { startPlatformSim } from '../../main/platform-sim/platform-sim.js';
import { rawIngest } from '../../main/platform-sim/raw-client.js';
import { sampleCase, sampleEvaluation } from '../../main/platform-sim/sample-records.js';
import { FieldCipher, loadOrCreateDataKey } from '../../main/store/crypto.js';
import { openDatabase } from '../../main/store/database.js';
import type { SignatureAlg } from '../../main/sync/request-signature.js';
import { SyncService } from '../../main/sync/sync-service.js';
import { systemClock } from '../../main/time/clock.js';

export const BENCH_HALL = 'DEMO-HALL-01';
export const BENCH_SECRET = 'bench-secret';

const values = childArgs('mode', 'data', 'url', 'count', 'alg');
const say = (o: unknown) => process.stdout.write(`${JSON.stringify(o)}\n`);
const maxRssMb = () => process.resourceUsage().maxRSS / 1024;

if (values.mode === 'sim') {
  const sim = await startPlatformSim({ halls: [{ hallCode: BENCH_HALL, secret: BENCH_SECRET }] });
  say({ url: sim.url });
  process.on('SIGTERM', () => void sim.close().then(() => process.exit(0)));
} else if (values.mode === 'drain') {
  const dataDir = values.data!;
  const loaded = loadHallConfigFile(DEMO_HALL_PATH);
  if (!loaded.ok) throw new Error('demo hall broken');
  const db = openDatabase({ dataDir, appVersion: 'bench', lock: true });
  const sync = new SyncService({
    db,
    cipher: new FieldCipher(loadOrCreateDataKey(dataDir).master),
    platform: {
      ...defaultPlatformConfig(),
      url: values.url!,
      hallCode: BENCH_HALL,
      areaCode: '330106',
      secret: BENCH_SECRET,
      secretFile: '(bench)',
      alg: 'HMAC-SHA256',
      batchSize: 500,
    },
    alarm: { pending: 1e9, oldestSeconds: 1e9 },
    timeZone: () => 'Asia/Shanghai',
    clock: systemClock,
  });
  const before = sync.status();
  const t0 = performance.now();
  const ok = await sync.relay!.drain();
  const ms = performance.now() - t0;
  const after = sync.status();
  say({ ok, records: after.delivered - before.delivered, pending: after.pending, ms, maxRssMb: maxRssMb() });
  await sync.stop();
  db.close();
} else if (values.mode === 'raw') {
  const count = Number(values.count ?? 10_000);
  const alg = (values.alg ?? 'HMAC-SHA256') as SignatureAlg;
  let sent = 0;
  const t0 = performance.now();
  while (sent < count) {
    const records = [];
    for (let i = 0; i < 250 && sent + records.length < count; i++) {
      const c = sampleCase({ status: 'finished' });
      records.push(c, sampleEvaluation({ localCaseId: c.data.localCaseId as string }));
    }
    const r = await rawIngest(values.url!, BENCH_HALL, BENCH_SECRET, records, { alg });
    if (r.status !== 200) throw new Error(`raw ingest answered ${r.status}`);
    sent += records.length;
  }
  say({ records: sent, ms: performance.now() - t0, maxRssMb: maxRssMb() });
}
