/**
 * The reader session and reading loop against the card reader simulator on the far end of a socat
 * pty pair — real kernel tty I/O — with every fault the simulator can inject, and unplug/replug.
 * Only the wire is tested here, with generous reply timeouts; how long a command waits and how
 * often the loop polls are tested with fake timers in card-reading-timing.test.ts.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cleanupAfterEach } from '../testing/cleanups.js';
import { ptyPair, serialPty } from '../testing/pty-pair.js';
import { waitFor } from '../testing/wait-for.js';
import type { ByteLink } from '../transport/byte-link.js';
import { createReconnectingLink } from '../transport/reconnecting-link.js';
import { openSerialLink } from '../transport/serial-link.js';
import { validateCardJson } from './card-json.js';
import { CardReaderSimulator, type SimulatorFault } from './card-reader-simulator.js';
import { type CardEvent, CardReadingLoop, type CardReadingLoopOptions, type HealthEvent } from './card-reading-loop.js';
import { SamGarbageError, SamReader, SamTimeoutError } from './sam-reader.js';

const RESIDENT = validateCardJson(
  JSON.parse(readFileSync(new URL('./sample-cards/resident.json', import.meta.url), 'utf8')),
);
const HKMOTW = validateCardJson(
  JSON.parse(readFileSync(new URL('./sample-cards/hk-mo-tw.json', import.meta.url), 'utf8')),
);

const cleanups = cleanupAfterEach();

/** Far longer than any reply takes on a loaded machine: a timeout here means no reply at all. */
const GENEROUS_MS = 3000;

async function rig(opts: { baudRate?: number; faults?: SimulatorFault[] } = {}) {
  const { pair, device, host } = await serialPty(cleanups);
  const sim = new CardReaderSimulator(device, { ...opts, samId: Uint8Array.from({ length: 16 }, (_, i) => i) });
  return { pair, sim, host };
}

function watch(loop: CardReadingLoop) {
  const cards: CardEvent[] = [];
  const health: HealthEvent[] = [];
  const sam: string[] = [];
  let removed = 0;
  loop.on('card', (c) => cards.push(c));
  loop.on('health', (h) => health.push(h));
  loop.on('sam', (s) => sam.push(s.samId));
  loop.on('removed', () => removed++);
  return { cards, health, sam, removed: () => removed };
}

/** A reading loop polling every 20 ms, with a generous reply timeout unless `opts` says otherwise. */
function startLoop(link: ByteLink, opts: CardReadingLoopOptions = { commandTimeoutMs: GENEROUS_MS }) {
  const loop = new CardReadingLoop(link, { intervalMs: 20, ...opts });
  cleanups.push(() => loop.stop());
  const w = watch(loop);
  loop.start();
  return { loop, ...w };
}

describe('SAM_V reader over a real tty', () => {
  it('reads a card: find, select, read, with the documented frames on the wire', async () => {
    const { sim, host } = await rig();
    const reader = new SamReader(host, { timeoutMs: GENEROUS_MS });
    cleanups.push(async () => reader.close());
    expect(await reader.samId()).toBe('000102030405060708090a0b0c0d0e0f');
    expect(await reader.readCard()).toBeNull();
    sim.presentCard(RESIDENT);
    const read = await reader.readCard();
    expect(read?.text).toMatchObject(RESIDENT);
    expect(read?.idNumberValid).toBe(true);
    expect(read?.photo.length).toBe(1024);
    expect(sim.received).toEqual(['samId', 'findCard', 'findCard', 'selectCard', 'readTextPhoto']);
  });

  it('reads at 115200 baud with real pacing', async () => {
    const { sim, host } = await rig({ baudRate: 115200 });
    const reader = new SamReader(host, { timeoutMs: GENEROUS_MS });
    cleanups.push(async () => reader.close());
    sim.presentCard(HKMOTW);
    expect((await reader.readCard())?.text).toMatchObject(HKMOTW);
  });

  it('reads at 9600 baud with real pacing: 1,295 bytes take 1.35 s, longer than the silence timeout', async () => {
    const { sim, host } = await rig({ baudRate: 9600 });
    // The defaults a hall uses: 1 s of silence allowed, the overall bound from the baud rate.
    const reader = new SamReader(host, { baudRate: 9600 });
    cleanups.push(async () => reader.close());
    sim.presentCard(RESIDENT);
    const read = await reader.readCard();
    expect(read?.text).toMatchObject(RESIDENT);
    expect(read?.photo.length).toBe(1024);
    expect(sim.traffic.out).toBeGreaterThan(1295);
  });

  it('the reading loop reads at 9600 baud too', async () => {
    const { sim, host } = await rig({ baudRate: 9600 });
    // The hall's default reply timeout (1 s of silence), the bound from the baud rate.
    const { cards, health } = startLoop(host, { baudRate: 9600 });
    sim.presentCard(HKMOTW);
    await waitFor('the card at 9600 baud', () => cards.length === 1);
    expect(cards[0]?.text).toMatchObject(HKMOTW);
    expect(health.map((h) => h.state)).toEqual(['online']);
  });

  it('times out on no reply and names garbage, then works again when the fault is gone', async () => {
    const { sim, host } = await rig({ faults: ['no-reply'] });
    const reader = new SamReader(host, { timeoutMs: GENEROUS_MS });
    cleanups.push(async () => reader.close());
    await expect(reader.findCard()).rejects.toBeInstanceOf(SamTimeoutError);
    sim.setFaults(['garbage']);
    await expect(reader.findCard()).rejects.toBeInstanceOf(SamGarbageError);
    sim.setFaults(['bad-checksum']);
    await expect(reader.findCard()).rejects.toMatchObject({ code: 'SAM_10' });
    sim.setFaults([]);
    expect(await reader.findCard()).toBe(false);
  });
});

describe('card reading loop over a real tty', () => {
  it('reports the SAM, one card per presentation, and the lift', async () => {
    const { sim, host } = await rig();
    const { loop, cards, health, sam, removed } = startLoop(host);
    await waitFor('the first health event', () => health.length > 0);
    expect(health[0]).toEqual({ state: 'online', detail: null, code: null });
    expect(sam).toEqual(['000102030405060708090a0b0c0d0e0f']);
    sim.presentCard(RESIDENT);
    await waitFor('the card', () => cards.length === 1);
    expect(cards[0]?.text.name).toBe('李秀英');
    // The photo is there, in memory, but never in JSON.
    expect(cards[0]?.photo.length).toBe(1024);
    expect(JSON.stringify(cards[0])).not.toContain('photo');
    // It lies there for a while: still one card event.
    const polls = sim.received.length;
    await waitFor('ten more polls', () => sim.received.length > polls + 10);
    expect(cards).toHaveLength(1);
    expect(loop.cardPresent).toBe(true);
    sim.lift();
    await waitFor('the lift', () => removed() === 1);
    sim.presentCard(HKMOTW);
    await waitFor('the second card', () => cards.length === 2);
    expect(cards[1]?.text.cardType).toBe('hk_mo_tw');
    expect(health.map((h) => h.state)).toEqual(['online']);
  });

  it('reads, once, a card an earlier program already found (find fails, select sees it)', async () => {
    const { sim, host } = await rig();
    sim.presentCard(RESIDENT);
    const earlier = new SamReader(host, { timeoutMs: GENEROUS_MS });
    expect(await earlier.findCard()).toBe(true);
    earlier.close();
    const { cards, removed } = startLoop(host);
    await waitFor('the card', () => cards.length === 1);
    const polls = sim.received.length;
    await waitFor('ten more polls', () => sim.received.length > polls + 10);
    expect(cards).toHaveLength(1);
    sim.lift();
    await waitFor('the lift', () => removed() === 1);
  });

  for (const fault of ['split', 'noise'] as const) {
    it(`still reads with the "${fault}" fault`, async () => {
      const { sim, host } = await rig({ faults: [fault] });
      // A split read reply is ~185 pieces with a timer between each: on a loaded machine that alone
      // can take seconds, so the wait for it is far longer still.
      const { cards, health } = startLoop(host, { commandTimeoutMs: 20_000 });
      sim.presentCard(RESIDENT);
      await waitFor('the card', () => cards.length === 1);
      expect(cards[0]?.text).toMatchObject(RESIDENT);
      expect(health.map((h) => h.state)).toEqual(['online']);
    });
  }

  it('reports no-reply as offline, garbage and bad checksums as errors, and recovers each time', async () => {
    const { sim, host } = await rig({ faults: ['no-reply'] });
    const { cards, health, sam } = startLoop(host);
    await waitFor('the first health event', () => health.length > 0);
    expect(health[0]).toMatchObject({ state: 'offline', code: 'SAM_TIMEOUT' });
    expect(health[0]?.detail).toContain('没有应答');
    sim.setFaults([]);
    await waitFor('online', () => health.at(-1)?.state === 'online');
    expect(sam).toHaveLength(1);
    // A card is found, then the read reply is garbage: error, and the read is retried once clean.
    sim.presentCard(RESIDENT);
    sim.setFaults(['garbage']);
    await waitFor('an error', () => health.at(-1)?.state === 'error');
    expect(health.at(-1)).toMatchObject({ code: 'SAM_GARBAGE' });
    sim.setFaults(['bad-checksum']);
    await waitFor('the checksum error', () => health.at(-1)?.code === 'SAM_10');
    expect(health.at(-1)?.detail).toContain('校验和');
    sim.setFaults([]);
    await waitFor('the card', () => cards.length === 1);
    expect(health.at(-1)?.state).toBe('online');
  });

  it('survives unplug and replug of the port: offline, then online with the SAM checked again', async () => {
    const pair = await ptyPair(cleanups);
    let sim: CardReaderSimulator | null = null;
    let device: ByteLink | null = null;
    const startDevice = async () => {
      device = await openSerialLink({ path: pair.devicePath });
      sim = new CardReaderSimulator(device);
    };
    cleanups.push(async () => device?.close());
    await startDevice();
    const host = createReconnectingLink({
      port: pair.hostPath,
      open: () => openSerialLink({ path: pair.hostPath, watchIntervalMs: 50 }),
      initialDelayMs: 20,
      maxDelayMs: 100,
    });
    cleanups.push(() => host.close());
    await host.whenOnline(GENEROUS_MS);
    const { cards, health, sam, removed } = startLoop(host);
    (sim as CardReaderSimulator | null)?.presentCard(RESIDENT);
    await waitFor('the card', () => cards.length === 1);

    await pair.unplug();
    await waitFor('offline', () => health.at(-1)?.state === 'offline');
    expect(health.at(-1)?.code).toBe('PORT_CLOSED');
    expect(removed()).toBe(1);
    await (device as ByteLink | null)?.close();

    await pair.replug();
    await startDevice();
    await waitFor('online', () => health.at(-1)?.state === 'online');
    expect(sam.length).toBe(2);
    (sim as CardReaderSimulator | null)?.presentCard(HKMOTW);
    await waitFor('the second card', () => cards.length === 2);
  });
});
