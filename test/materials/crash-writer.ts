/**
 * Child process of the crash test: stores distinct materials in a loop until it is killed, printing
 * each SHA-256 once its upload returned (committed).
 */
import { randomBytes } from 'node:crypto';
import { loadOrCreateDataKey } from '../../main/store/crypto.js';
import { openDatabase } from '../../main/store/database.js';
import { MaterialStore } from '../../main/store/material-store.js';

const dir = process.argv[2]!;
const db = openDatabase({ dataDir: dir, appVersion: 'test' });
const store = new MaterialStore(db, loadOrCreateDataKey(dir).master);
for (let i = 0; ; i++) {
  const bytes = Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(20_000 + (i % 7) * 5000)]);
  const m = store.upload(
    { bytes, contentType: 'application/pdf', name: `材料${i}`, ticketId: `T${i}`, windowNo: 1 },
    { role: 'counter', terminalId: null, staffNo: '1001' },
  );
  process.stdout.write(`${m.sha256}\n`);
}
