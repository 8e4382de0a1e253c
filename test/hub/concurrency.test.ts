/** Many kiosks issuing at once against one hub process: every number once, no gaps. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, type HubChild, spawnHub, tempDir } from '../support/hub-client.js';
import { writeLoadHall } from '../support/load-hall.js';

const CLIENTS = 20;
const PER_CLIENT = 200;
let hub: HubChild;
let codes: string[];

beforeAll(async () => {
  const dir = tempDir();
  const hall = writeLoadHall(dir);
  codes = hall.codes;
  hub = await spawnHub(`${dir}/data`, { tokens: CLIENTS, config: hall.path });
});
afterAll(async () => {
  hub.child.kill('SIGTERM');
  await hub.exited;
});

describe('concurrent issuing', () => {
  it(`${CLIENTS} clients × ${PER_CLIENT} tickets over HTTP give ${CLIENTS * PER_CLIENT} distinct numbers, contiguous per service`, async () => {
    const results = await Promise.all(
      Array.from({ length: CLIENTS }, async (_, c) => {
        const got: { number: string; serviceCode: string; id: string }[] = [];
        for (let i = 0; i < PER_CLIENT; i++) {
          const r = await call(hub.url, 'POST', '/tickets', hub.kioskTokens[c], {
            serviceCode: codes[(c + i) % codes.length],
            channel: 'kiosk',
          });
          expect(r.status).toBe(201);
          got.push(r.body);
        }
        return got;
      }),
    );
    const all = results.flat();
    expect(all).toHaveLength(CLIENTS * PER_CLIENT);
    expect(new Set(all.map((t) => t.id)).size).toBe(all.length);
    for (const code of codes) {
      const nums = all.filter((t) => t.serviceCode === code).map((t) => Number(t.number.slice(1)));
      nums.sort((a, b) => a - b);
      expect(nums).toEqual(nums.map((_, i) => i + 1));
    }
  });
});
