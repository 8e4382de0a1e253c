/**
 * The busy/idle signal on a terminal's real local origin (loopback HTTP): its own pages report,
 * the board follows, a foreign page cannot.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTIVITY_PATH, ActivityBoard } from '../../common/activity.js';
import { type LocalOrigin, startLocalOrigin } from '../../main/terminal/local-origin.js';

let origin: LocalOrigin;
let now = 1_000_000;
const board = new ActivityBoard({ now: () => now });
const refuse = () => {
  throw new Error('not forwarded in this test');
};

beforeAll(async () => {
  origin = await startLocalOrigin({
    terminalId: 'kiosk-1',
    hubUrl: 'http://127.0.0.1:9',
    state: () => ({ kind: 'starting' }),
    proxy: { http: refuse, upgrade: refuse },
    bridge: { upgrade: refuse },
    activity: board,
  });
});
afterAll(async () => {
  await origin?.close();
});

const put = (body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${origin.url}${ACTIVITY_PATH}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

describe('PUT /terminal/activity on the local origin', () => {
  it('records a page busy and idle again', async () => {
    expect((await put({ page: 'kiosk', busy: true })).status).toBe(204);
    expect(board.busyPages()).toEqual(['kiosk']);
    expect(board.idle(0)).toBe(false);
    expect((await put({ page: 'kiosk', busy: false })).status).toBe(204);
    expect(board.busyPages()).toEqual([]);
    now += 120_000;
    expect(board.idle(120_000)).toBe(true);
  });

  it('refuses a malformed report, another method, and a foreign page', async () => {
    const bad = await put({ page: 'kiosk' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { code: string }).code).toBe('INVALID_ACTIVITY');
    expect((await put('x'.repeat(5000))).status).toBe(413);
    expect((await fetch(`${origin.url}${ACTIVITY_PATH}`)).status).toBe(405);
    const foreign = await put({ page: 'kiosk', busy: true }, { origin: 'http://evil.example' });
    expect(foreign.status).toBe(403);
    expect(board.busyPages()).toEqual([]);
  });
});
