/**
 * `govhall idcard read` and `govhall sim idcard` as a person runs them: child processes talking over
 * a socat pty pair to the card reader simulator. Exit 0 read, 2 no card, 3 garbage / dead port.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { validateCardJson } from '../../drivers/idcard/card-json.js';
import { CardReaderSimulator, type SimulatorFault } from '../../drivers/idcard/card-reader-simulator.js';
import { cleanupAfterEach } from '../../drivers/testing/cleanups.js';
import { devicePty } from '../../drivers/testing/pty-pair.js';
import { govhall, startGovhall } from '../support/govhall-cli.js';

const SAMPLES = fileURLToPath(new URL('../../drivers/idcard/sample-cards/', import.meta.url));
const sample = (name: string) => validateCardJson(JSON.parse(readFileSync(`${SAMPLES}${name}.json`, 'utf8')));

const cleanups = cleanupAfterEach();

async function readerOnPty(faults: SimulatorFault[] = [], baudRate = 115200) {
  const { pair, device } = await devicePty(cleanups);
  const sim = new CardReaderSimulator(device, { faults, baudRate });
  return { pair, sim };
}

describe('govhall idcard read', () => {
  it('reads a card, masked by default, full with --full (JSON fields as documented)', async () => {
    const { pair, sim } = await readerOnPty();
    sim.presentCard(sample('resident'));
    const masked = await govhall(['idcard', 'read', '--port', pair.hostPath, '--json', '--timeout', '5']);
    expect(masked.err).toBe('');
    expect(masked.code).toBe(0);
    expect(JSON.parse(masked.out)).toEqual({
      cardType: 'resident',
      name: '李*英',
      gender: '女',
      nation: '汉',
      birthDate: '1955-**-**',
      address: '浙江省杭州市********',
      idNumber: '3301**********0025',
      authority: '杭州市公安局上城分局',
      validFrom: '2015-01-01',
      validTo: '长期',
    });
    sim.lift();
    const hk = sample('hk-mo-tw');
    sim.presentCard(hk);
    const full = await govhall(['idcard', 'read', '--port', pair.hostPath, '--json', '--full']);
    expect(full.code).toBe(0);
    expect(JSON.parse(full.out)).toEqual({ ...hk, nation: null });
    sim.lift();
    sim.presentCard(sample('foreign-2023'));
    const text = await govhall(['idcard', 'read', '--port', pair.hostPath]);
    expect(text.code).toBe(0);
    expect(text.out).toContain('外国人永久居留身份证（2023版）');
    expect(text.out).toContain('国籍 / nationality: ESP');
    expect(text.out).not.toContain('910000198506120044');
  });

  it('reads a reader at 9600 baud (--baud 9600): the long reply is waited for as its bytes arrive', async () => {
    const { pair, sim } = await readerOnPty([], 9600);
    sim.presentCard(sample('resident'));
    const r = await govhall(['idcard', 'read', '--port', pair.hostPath, '--baud', '9600', '--json', '--timeout', '10']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ cardType: 'resident', name: '李*英' });
  });

  it('exits 2 when no card comes within the timeout', async () => {
    const { pair } = await readerOnPty();
    const r = await govhall(['idcard', 'read', '--port', pair.hostPath, '--timeout', '1']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('没有放卡');
  });

  it('exits 3 on garbage, and on a missing port with its name', async () => {
    const { pair } = await readerOnPty(['garbage']);
    const r = await govhall(['idcard', 'read', '--port', pair.hostPath, '--timeout', '2']);
    expect(r.code).toBe(3);
    expect(r.err).toContain('SAM_GARBAGE');
    expect(r.err).not.toMatch(/\s+at /);
    const missing = await govhall(['idcard', 'read', '--port', '/tmp/govhall-no-reader']);
    expect(missing.code).toBe(3);
    expect(missing.err).toContain('PORT_NOT_FOUND');
    expect(missing.err).toContain('/tmp/govhall-no-reader');
  });
});

describe('govhall sim idcard', () => {
  it('creates a pty, serves the card file, and govhall idcard read reads it', async () => {
    const sim = startGovhall(cleanups, [
      'sim',
      'idcard',
      '--create-pty',
      '--card',
      `${SAMPLES}foreign-2017.json`,
      '--fault',
      'split,pace',
    ]);
    const port = (await sim.said(/device port: (\S+)/))[1];
    const r = await govhall(['idcard', 'read', '--port', port!, '--json', '--full']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ cardType: 'foreign_2017', englishName: 'SMITH, JOHN WILLIAM' });
    // Read again with the card still lying there: find fails (one per presentation), select sees it.
    const again = await govhall(['idcard', 'read', '--port', port!, '--json', '--timeout', '2']);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.out)).toMatchObject({ cardType: 'foreign_2017', name: '史*斯' });
    // Lift via stdin: the next read finds no card.
    sim.child.stdin.write('lift\n');
    await sim.said(/lifted/);
    expect((await govhall(['idcard', 'read', '--port', port!, '--timeout', '1'])).code).toBe(2);
    sim.child.kill('SIGTERM');
    expect(await sim.exited).toBe(0);
  });
});
