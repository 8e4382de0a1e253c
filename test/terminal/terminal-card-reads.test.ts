/**
 * 办件查询 by ID card on a standalone terminal, over real HTTP: a hub (with the platform simulator,
 * so case lookup is served) and `govhall terminal` as a child process whose ID card reader is a
 * simulator on a socat pty pair. The terminal registers each read with its own token
 * (`POST /terminals/me/card-reads`), its local bridge hands the kiosk page the read's id, and the
 * page's lookup — forwarded with the same token — finds the holder's case. No other token can use
 * the id, no other terminal can register reads for this reader, and taking the card away ends it.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateCardJson } from '../../drivers/idcard/card-json.js';
import { CardReaderSimulator } from '../../drivers/idcard/card-reader-simulator.js';
import { ptyPair } from '../../drivers/testing/pty-pair.js';
import { waitFor } from '../../drivers/testing/wait-for.js';
import { openSerialLink } from '../../drivers/transport/serial-link.js';
import { type HubApp, startHubApp } from '../../main/hall/hub-app.js';
import { type PlatformSim, startPlatformSim } from '../../main/platform-sim/platform-sim.js';
import { openJsonSocket } from '../devices/ws-client.js';
import { call, signInStaff } from '../support/hub-client.js';
import { hallWithPlatform, removeTempDirs, SECRET, syncTempDir, TASK } from '../sync/sync-fixtures.js';

const ROOT = new URL('../../', import.meta.url).pathname;
const BIN = join(ROOT, 'bin', 'govhall.mjs');
const CARD = validateCardJson(
  JSON.parse(readFileSync(join(ROOT, 'drivers/idcard/sample-cards/resident.json'), 'utf8')),
);

const cleanups: (() => unknown)[] = [];
let sim: PlatformSim;
let hub: HubApp;
let admin: string;
let reader: CardReaderSimulator;
let terminal: ChildProcess;
let local = '';
const out: string[] = [];

beforeAll(async () => {
  sim = await startPlatformSim({ halls: [{ hallCode: 'LOAD-HALL', secret: SECRET }] });
  const pty = await ptyPair(cleanups);
  const link = await openSerialLink({ path: pty.devicePath, baudRate: 115200 });
  cleanups.push(() => link.close());
  reader = new CardReaderSimulator(link);
  const dir = syncTempDir('govhall-card-reads-');
  const devices = [
    'devices:',
    '  terminals:',
    '    - id: kiosk-t',
    '      windows: [{ role: kiosk }]',
    '      devices:',
    `        - { id: t-idcard, kind: idcard, transport: { type: serial, path: ${pty.hostPath}, baud: 115200 }, pollMs: 200 }`,
    '    - id: kiosk-u',
    '      windows: [{ role: kiosk }]',
  ].join('\n');
  hub = await startHubApp({ configPath: hallWithPlatform(dir, sim.url, devices), dataDir: join(dir, 'data'), port: 0 });
  admin = await hub.createToken('admin');

  const termFile = join(dir, 'terminal.yaml');
  writeFileSync(termFile, `terminal: { id: kiosk-t, hub: "${hub.url}" }\n`);
  terminal = spawn(process.execPath, [BIN, 'terminal', '--config', termFile, '--data', join(dir, 'terminal')], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  createInterface({ input: terminal.stdout! }).on('line', (l) => out.push(l));
  terminal.stderr!.resume();
  const line = await waitFor('the terminal to start', () => out.find((l) => l.includes('local origin:')), 120_000);
  local = /(http:\/\/127\.0\.0\.1:\d+)/.exec(line)![1]!;
  const code = await waitFor('a pairing code', () => /pairing code: (\d{6})/.exec(out.join('\n'))?.[1], 60_000);
  expect((await call(hub.url, 'POST', '/admin/pairings/approve', admin, { code })).status).toBe(200);
  await waitFor(
    'the terminal running',
    async () => ((await (await fetch(`${local}/terminal/state`)).json()) as { kind: string }).kind === 'running',
    60_000,
  );
}, 300_000);

afterAll(async () => {
  if (terminal && terminal.exitCode === null) {
    const exited = new Promise((r) => terminal.once('exit', r));
    terminal.kill('SIGTERM');
    await exited;
  }
  await hub?.close();
  await sim?.close();
  for (const c of cleanups.reverse()) await c();
  removeTempDirs();
}, 60_000);

/** A case of the card's holder, taken at window 1 without a ticket. */
async function holdersCase(): Promise<string> {
  const staff = await signInStaff(hub.url, '9001', 1);
  const made = await call(hub.url, 'POST', '/cases', staff, {
    taskCode: TASK,
    taskName: '参保登记',
    finished: false,
    applicant: { name: CARD.name, certNo: CARD.idNumber },
  });
  expect(made.status).toBe(201);
  return made.body.caseId as string;
}

const lookUpLocally = (cardRead: string) =>
  fetch(`${local}/api/v1/cases/lookup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ cardRead }),
  });

describe('card reads on a standalone terminal', () => {
  it('gives the kiosk page a read id that finds the holder’s cases through the terminal only', async () => {
    const caseId = await holdersCase();
    const bridge = await openJsonSocket(`${local.replace('http', 'ws')}/api/v1/devices/bridge`);
    cleanups.push(() => bridge.close());
    await bridge.next('device.status', 60_000, (m) => m.deviceId === 't-idcard' && m.state === 'ok');
    reader.presentCard(CARD);
    const card = (await bridge.next('card', 60_000)).card as { certNo: string; readId?: string };
    expect(card.certNo).toBe(CARD.idNumber);
    expect(card.readId).toMatch(/^[\w-]{20,}$/);
    const readId = card.readId!;

    // The page's lookup, forwarded by the terminal with its own token, finds the case.
    const found = await lookUpLocally(readId);
    expect(found.status).toBe(200);
    const body = (await found.json()) as { cases: { id: string }[] };
    expect(body.cases.map((c) => c.id)).toContain(caseId);

    // Nobody else can use the id: another kiosk's token gets the same answer as for a made-up id.
    const otherKiosk = await hub.createToken('kiosk');
    const foreign = await call(hub.url, 'POST', '/cases/lookup', otherKiosk, { cardRead: readId });
    expect(foreign.status).toBe(404);
    expect(foreign.body.code).toBe('UNKNOWN_CARD_READ');

    // The card leaves the reader: the id ends at the hub too.
    reader.lift();
    await bridge.next('card.removed', 60_000);
    await waitFor('the read id to end', async () => (await lookUpLocally(readId)).status === 404, 30_000);
  });

  it('takes reads only from a terminal’s own token, for its own reader', async () => {
    const body = { deviceId: 't-idcard', certNo: CARD.idNumber, certType: 'resident' };
    const kioskToken = await hub.createToken('kiosk');
    for (const t of [admin, kioskToken]) {
      const r = await call(hub.url, 'POST', '/terminals/me/card-reads', t, body);
      expect(r.status).toBe(403);
      expect(r.body.code).toBe('TERMINAL_TOKEN_REQUIRED');
    }
    expect((await call(hub.url, 'POST', '/terminals/me/card-reads', null, body)).status).toBe(401);
    // Another paired terminal cannot register reads for kiosk-t's reader.
    const asked = await call(hub.url, 'POST', '/terminals/pairings', null, { terminalId: 'kiosk-u' });
    await call(hub.url, 'POST', '/admin/pairings/approve', admin, { code: asked.body.code });
    const other = (await call(hub.url, 'GET', `/terminals/pairings/${asked.body.pairingId}`)).body.token as string;
    const refused = await call(hub.url, 'POST', '/terminals/me/card-reads', other, body);
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('NOT_THIS_TERMINALS_READER');
    expect((await call(hub.url, 'DELETE', '/terminals/me/card-reads', other)).status).toBe(204);
  });
});
