/**
 * What a kiosk token may do with tickets, over real HTTP with a clock the test moves: no claimed
 * priority, and an undo only of its own ticket within two minutes (docs/security.md).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gb11643CheckChar } from '../../common/cert-number.js';
import { ManualClock } from '../../main/time/clock.js';
import { call, startTestHub } from '../support/hub-client.js';

const ELDER = `33010619500315002${gb11643CheckChar('33010619500315002')}`;
// Monday 2026-11-23 10:00 in Shanghai
const clock = new ManualClock(Date.UTC(2026, 10, 23, 2, 0));
let hub: Awaited<ReturnType<typeof startTestHub>>;
let counter: string;
let kiosk2: string;

beforeAll(async () => {
  hub = await startTestHub({ clock });
  counter = await hub.app.createToken('counter', 1, 'c1');
  kiosk2 = await hub.app.createToken('kiosk', undefined, 'k2');
});
afterAll(async () => {
  await hub.close();
});

const issue = (token: string, body: Record<string, unknown> = {}) =>
  call(hub.url, 'POST', '/tickets', token, { serviceCode: 'ZHZX', channel: 'kiosk', ...body });

describe('kiosk tokens and tickets', () => {
  it('refuses a claimed priority with 403 and a Chinese message; a counter or admin may give one', async () => {
    const r = await issue(hub.kiosk, { priority: 'military' });
    expect(r.status).toBe(403);
    expect(r.body.code).toBe('PRIORITY_NOT_ALLOWED');
    expect(r.body.message).toMatch(/取号机不能指定优先类别/);
    // The automatic green channel still works from the ID number.
    const elder = await issue(hub.kiosk, { applicant: { name: '王秀兰', certType: 'resident', certNo: ELDER } });
    expect(elder.body.priority).toBe('elderly');
    expect((await issue(counter, { channel: 'staff', priority: 'military' })).body.priority).toBe('military');
    expect((await issue(hub.admin, { channel: 'staff', priority: 'disabled' })).body.priority).toBe('disabled');
  });

  it('lets a kiosk undo only its own ticket, for two minutes', async () => {
    const mine = (await issue(hub.kiosk)).body;
    const theirs = (await issue(kiosk2)).body;
    // Same role, different token: not its ticket.
    const other = await call(hub.url, 'POST', `/tickets/${theirs.id}/cancel`, hub.kiosk);
    expect(other.status).toBe(403);
    expect(other.body.code).toBe('NOT_OWN_TICKET');
    expect((await call(hub.url, 'GET', `/tickets/${theirs.id}`, hub.admin)).body.status).toBe('waiting');
    const undone = await call(hub.url, 'POST', `/tickets/${mine.id}/cancel`, hub.kiosk);
    expect(undone.status).toBe(200);
    expect(undone.body).toMatchObject({ status: 'cancelled', closedReason: 'undone_at_kiosk' });

    clock.advance(2 * 60_000 + 1000);
    const late = await call(hub.url, 'POST', `/tickets/${theirs.id}/cancel`, kiosk2);
    expect(late.status).toBe(403);
    expect(late.body.code).toBe('UNDO_TOO_LATE');
    expect(late.body.message).toMatch(/超过 2 分钟/);
    // The counter cancels any waiting ticket, whenever.
    const byCounter = await call(hub.url, 'POST', `/tickets/${theirs.id}/cancel`, counter);
    expect(byCounter.body).toMatchObject({ status: 'cancelled', closedReason: 'cancelled_by_staff' });
  });
});
