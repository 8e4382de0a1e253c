/**
 * A relay in its own process for the crash test: opens the hall database in `--data`, sends to the
 * simulator at `--url` as hall `--hall` with `--secret`, reads material files named by their SHA-256 from `--materials`, prints one
 * JSON line when it runs, and runs until killed (SIGKILL is the point) or its stdin closes.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { FieldCipher, loadOrCreateDataKey } from '../../main/store/crypto.js';
import { openDatabase } from '../../main/store/database.js';
import { SyncService } from '../../main/sync/sync-service.js';
import { systemClock } from '../../main/time/clock.js';

const { values } = parseArgs({
  options: {
    data: { type: 'string' },
    url: { type: 'string' },
    materials: { type: 'string' },
    hall: { type: 'string' },
    secret: { type: 'string' },
  },
});
const db = openDatabase({ dataDir: values.data!, appVersion: 'test' });
const sync = new SyncService({
  db,
  cipher: new FieldCipher(loadOrCreateDataKey(values.data!).master),
  platform: {
    url: values.url!,
    hallCode: values.hall!,
    areaCode: '330106',
    secret: values.secret!,
    secretFile: '(test)',
    alg: 'HMAC-SM3',
    batchSize: 10,
    intervalMs: 20,
    requestTimeoutMs: 2000,
    backoff: { baseMs: 20, maxMs: 200 },
    alarm: { pending: 100_000, oldestSeconds: 3600 },
    catalogueRefreshMinutes: 60,
  },
  alarm: { pending: 100_000, oldestSeconds: 3600 },
  timeZone: () => 'Asia/Shanghai',
  clock: systemClock,
  materials: async (sha256) => {
    const bytes = await readFile(join(values.materials!, sha256)).catch(() => null);
    return bytes ? { bytes, contentType: 'application/pdf', name: `扫描件 ${sha256.slice(0, 6)}` } : null;
  },
});
sync.start();
process.stdout.write(`${JSON.stringify({ ready: true, pid: process.pid })}\n`);
process.stdin.on('end', async () => {
  await sync.stop();
  db.close();
  process.exit(0);
});
process.stdin.resume();
