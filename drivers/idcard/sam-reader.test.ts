/** The reader session against the device-side simulator over an in-memory link (timeouts: card-reading-timing.test.ts). */
import { describe, expect, it } from 'vitest';
import { createLinkPair } from '../transport/byte-link.js';
import { CardReaderSimulator } from './card-reader-simulator.js';
import { buildCardText } from './card-text.js';
import { SamReader } from './sam-reader.js';

const CARD = buildCardText([
  { offset: 0, length: 30, value: '李秀英' },
  { offset: 30, length: 2, value: '2' },
  { offset: 32, length: 4, value: '01' },
  { offset: 36, length: 16, value: '19550315' },
  { offset: 52, length: 70, value: '浙江省杭州市上城区' },
  { offset: 122, length: 36, value: '330102195503150026' },
  { offset: 158, length: 30, value: '杭州市公安局上城分局' },
  { offset: 188, length: 16, value: '20150101' },
  { offset: 204, length: 16, value: '长期' },
]);

function setup(opts = {}) {
  const [host, device] = createLinkPair();
  const sim = new CardReaderSimulator(device, opts);
  const reader = new SamReader(host, { timeoutMs: 200 });
  return { sim, reader };
}

describe('SAM_V reader session', () => {
  it('reads a presented card once per presentation', async () => {
    const { sim, reader } = setup();
    expect(await reader.readCard()).toBeNull();
    sim.present(CARD);
    const read = await reader.readCard();
    expect(read?.text).toMatchObject({
      name: '李秀英',
      gender: '女',
      nation: '汉',
      idNumber: '330102195503150026',
      validTo: '长期',
    });
    expect(read?.photo.length).toBe(1024);
    // The card still lies there, but a reader only finds it again after it is lifted and presented.
    expect(await reader.readCard()).toBeNull();
    sim.lift();
    sim.present(CARD);
    expect((await reader.readCard())?.text.name).toBe('李秀英');
    expect(sim.received.slice(0, 4)).toEqual(['findCard', 'findCard', 'selectCard', 'readTextPhoto']);
    reader.close();
  });

  it('reports the SAM id', async () => {
    const { reader } = setup({ samId: Uint8Array.from({ length: 16 }, (_, i) => i) });
    expect(await reader.samId()).toBe('000102030405060708090a0b0c0d0e0f');
  });

  it('serialises overlapping commands', async () => {
    const { sim, reader } = setup();
    sim.present(CARD);
    const [a, b] = await Promise.all([reader.findCard(), reader.findCard()]);
    expect([a, b]).toEqual([true, false]);
  });
});
