/** Business-day rollover through the real hub and store, with a clock the test moves. */
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../main/time/clock.js';
import { call, startTestHub, tempDir } from '../support/hub-client.js';

describe('business day rollover at the hub', () => {
  it('expires yesterday’s queue and restarts numbering, also when the hub was off over midnight', async () => {
    const dataDir = tempDir();
    // Monday 2026-11-23 23:58 in Shanghai
    const clock = new ManualClock(Date.UTC(2026, 10, 23, 15, 58));
    let hub = await startTestHub({ dataDir, clock });
    const first = await call(hub.url, 'POST', '/tickets', hub.kiosk, { serviceCode: 'ZHZX', channel: 'kiosk' });
    expect(first.body).toMatchObject({ number: 'F001', businessDay: '2026-11-23' });

    // Midnight passes while the hub runs: the first request after it sees the new day.
    clock.advance(3 * 60_000);
    expect((await call(hub.url, 'GET', '/health')).body.businessDay).toBe('2026-11-24');
    const second = await call(hub.url, 'POST', '/tickets', hub.kiosk, { serviceCode: 'ZHZX', channel: 'kiosk' });
    expect(second.body).toMatchObject({ number: 'F001', businessDay: '2026-11-24' });
    const old = await call(hub.url, 'GET', `/tickets/${first.body.id}`, hub.admin);
    expect(old.body).toMatchObject({ status: 'cancelled', closedReason: 'expired' });
    await call(hub.url, 'POST', '/tickets', hub.kiosk, { serviceCode: 'ZHZX', channel: 'kiosk' });
    await hub.close();

    // Off for two nights, then started again.
    clock.advance(2 * 86400_000);
    hub = await startTestHub({ dataDir, clock });
    try {
      const hall = await call(hub.url, 'GET', '/hall', hub.admin);
      expect(hall.body.businessDay).toBe('2026-11-26');
      expect(hall.body.services.find((s: { code: string }) => s.code === 'ZHZX').waiting).toBe(0);
      const t = await call(hub.url, 'POST', '/tickets', hub.kiosk, { serviceCode: 'ZHZX', channel: 'kiosk' });
      expect(t.body).toMatchObject({ number: 'F001', businessDay: '2026-11-26' });
      // History is kept.
      const stats = await call(hub.url, 'GET', '/stats?day=2026-11-24', hub.admin);
      expect(stats.body.total.issued).toBe(2);
    } finally {
      await hub.close();
    }
  });
});
