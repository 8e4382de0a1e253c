/**
 * A relay process killed (SIGKILL) in the middle of sending materials and records, then started
 * again: every material file reaches the platform, each case and rating exactly once, and no case
 * before a file it names.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { waitFor } from '../../drivers/testing/wait-for.js';
import { openDatabase } from '../../main/store/database.js';
import {
  certNo,
  checkExactlyOnceInOrder,
  HALL,
  hallDb,
  platformSimForFile,
  SECRET,
  TASK,
  ticket,
} from './sync-fixtures.js';

const sim = platformSimForFile(HALL, 31);
const CHILD = fileURLToPath(new URL('./material-relay-child.ts', import.meta.url));
/** Only there to end a hang on a loaded 2-core runner. */
const RUN_MS = 240_000;

function startRelay(data: string, materials: string): Promise<{ child: ChildProcess; exited: Promise<unknown> }> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      CHILD,
      '--data',
      data,
      '--url',
      sim.url,
      '--materials',
      materials,
      '--hall',
      HALL,
      '--secret',
      SECRET,
    ],
    { stdio: ['pipe', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr!.on('data', (c) => {
    stderr += c.toString();
  });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', () => resolve({ child, exited }));
    void exited.then((code) => reject(new Error(`relay child exited ${code}: ${stderr}`)));
  });
}

describe('materials through a crash of the relay', () => {
  it(
    'loses and doubles nothing when the relay process is killed while sending',
    async () => {
      const { dir, db, cases } = hallDb();
      const data = join(dir, 'data');
      const files = join(dir, 'materials');
      mkdirSync(files);
      const hashes: string[] = [];
      for (let i = 0; i < 30; i++) {
        const bytes = Buffer.from(`%PDF-1.4\n% 材料 ${i} ${'x'.repeat(2000 + i)}\n%%EOF\n`);
        const sha256 = createHash('sha256').update(bytes).digest('hex');
        writeFileSync(join(files, sha256), bytes);
        hashes.push(sha256);
      }
      const ids = db.db.transaction(() =>
        Array.from({ length: 60 }, (_, i) => {
          const c = cases.recordFinished(
            ticket(4000 + i, { name: `崩${i}`, certType: 'resident', certNo: certNo(4000 + i) }),
            {
              taskCode: TASK,
              result: 'approved',
              materials: [
                { name: '申请书', sha256: hashes[i % 30]! },
                { name: '身份证', sha256: hashes[(i * 7 + 1) % 30]! },
              ],
            },
            Date.now(),
          );
          cases.addEvaluation(
            { caseId: c.id, level: 'satisfied', reasons: [], text: null, channel: 'pad', deviceId: 'pad-1' },
            Date.now(),
          );
          return c.id;
        }),
      )();
      db.close();
      const records = () => sim.records().filter((r) => ids.includes(r.localCaseId));

      sim.setFaults({ latencyMs: 30, dropAfterCommitRate: 0.2 });
      const first = await startRelay(data, files);
      try {
        // Cut the platform off in the same step as the check, so the kill lands mid-way.
        await waitFor(
          'some materials and records delivered',
          () => {
            if (sim.materials().length < 10 || records().length < 10) return false;
            sim.setFaults({ partitioned: true });
            return true;
          },
          RUN_MS,
        );
        first.child.kill('SIGKILL');
        await first.exited;
      } finally {
        if (first.child.exitCode === null && first.child.signalCode === null) first.child.kill('SIGKILL');
      }
      expect(records().length).toBeLessThan(120);
      sim.setFaults({ latencyMs: 5, dropAfterCommitRate: 0.2 });
      const second = await startRelay(data, files);
      try {
        await waitFor(
          'an empty outbox',
          () => {
            const h = openDatabase({ dataDir: data, appVersion: 'test' });
            try {
              return (
                (h.db.prepare("SELECT count(*) n FROM outbox WHERE state != 'delivered'").get() as { n: number }).n ===
                0
              );
            } finally {
              h.close();
            }
          },
          RUN_MS,
        );
      } finally {
        second.child.stdin!.end();
        await second.exited;
      }
      sim.setFaults({});
      const h = openDatabase({ dataDir: data, appVersion: 'test' });
      try {
        checkExactlyOnceInOrder(h, records());
      } finally {
        h.close();
      }
      expect(records()).toHaveLength(120);
      expect(
        sim
          .materials()
          .map((m) => m.sha256)
          .sort(),
      ).toEqual([...hashes].sort());
      expect(sim.stats().rejectedByCode.UNKNOWN_MATERIAL ?? 0).toBe(0);
      expect(sim.stats().rejected).toBe(0);
    },
    RUN_MS * 2,
  );
});
