import { describe, expect, it } from 'vitest';
import {
  INITIAL_PAIRING,
  PAIRING_RETRY_MS,
  type PairingEvent,
  type PairingState,
  pairingAction,
  pairingPage,
  pairingStep,
} from './pairing-state.js';

const T0 = Date.UTC(2026, 10, 23, 1, 0);
const started: PairingEvent = {
  type: 'pairing-started',
  pairingId: 'p-4f1c9e2a7b3d5e6f8a9b0c1d2e3f4a5b',
  code: '418203',
  expiresAt: T0 + 10 * 60_000,
};
const reduce = (events: PairingEvent[], from: PairingState = INITIAL_PAIRING) => events.reduce(pairingStep, from);

describe('pairing state', () => {
  it('unpaired → pairing (code shown) → paired', () => {
    expect(pairingAction(INITIAL_PAIRING, T0)).toEqual({ kind: 'request-code' });
    expect(pairingPage(INITIAL_PAIRING)).toEqual({ kind: 'connecting', revoked: false, error: null });
    const pairing = reduce([started]);
    expect(pairing).toEqual({
      status: 'pairing',
      pairingId: started.type === 'pairing-started' ? started.pairingId : '',
      code: '418203',
      expiresAt: T0 + 600_000,
    });
    expect(pairingAction(pairing, T0)).toEqual({ kind: 'poll', pairingId: 'p-4f1c9e2a7b3d5e6f8a9b0c1d2e3f4a5b' });
    expect(pairingPage(pairing)).toEqual({ kind: 'pairing-code', code: '418203', expiresAt: T0 + 600_000 });
    const paired = pairingStep(pairing, { type: 'pairing-approved' });
    expect(paired).toEqual({ status: 'paired' });
    expect(pairingAction(paired, T0)).toEqual({ kind: 'none' });
    expect(pairingPage(paired)).toEqual({ kind: 'role-pages' });
  });

  it('a stored token skips pairing', () => {
    expect(reduce([{ type: 'token-found' }])).toEqual({ status: 'paired' });
  });

  it('an expired code (by the hub’s word or by the clock) starts over with a new code', () => {
    const pairing = reduce([started]);
    expect(pairingStep(pairing, { type: 'pairing-expired' })).toEqual(INITIAL_PAIRING);
    expect(pairingStep(pairing, { type: 'tick', now: T0 + 600_000 - 1 })).toBe(pairing);
    expect(pairingStep(pairing, { type: 'tick', now: T0 + 600_000 })).toEqual(INITIAL_PAIRING);
    // A fresh code while one is shown replaces it.
    const again = pairingStep(pairing, { ...started, code: '771045', pairingId: 'p-2' } as PairingEvent);
    expect(again).toMatchObject({ status: 'pairing', code: '771045' });
  });

  it('revoked → back to pairing: the token is forgotten, then a new code is requested', () => {
    const revoked = reduce([{ type: 'token-found' }, { type: 'token-rejected', now: T0 }]);
    expect(revoked).toEqual({ status: 'revoked', at: T0 });
    expect(pairingAction(revoked, T0)).toEqual({ kind: 'forget-token' });
    expect(pairingPage(revoked)).toEqual({ kind: 'connecting', revoked: true, error: null });
    expect(pairingStep(revoked, started)).toMatchObject({ status: 'pairing', code: '418203' });
  });

  it('waits before asking again after a failed request, and says why', () => {
    const failed = reduce([{ type: 'pairing-failed', code: 'HUB_UNREACHABLE', message: '无法连接大厅中枢', now: T0 }]);
    expect(failed).toEqual({
      status: 'unpaired',
      retryAt: T0 + PAIRING_RETRY_MS,
      error: { code: 'HUB_UNREACHABLE', message: '无法连接大厅中枢' },
    });
    expect(pairingAction(failed, T0 + PAIRING_RETRY_MS - 1)).toEqual({ kind: 'wait', until: T0 + PAIRING_RETRY_MS });
    expect(pairingAction(failed, T0 + PAIRING_RETRY_MS)).toEqual({ kind: 'request-code' });
    expect(pairingPage(failed)).toEqual({ kind: 'connecting', revoked: false, error: '无法连接大厅中枢' });
  });

  it('ignores events that do not belong to the current state', () => {
    const paired: PairingState = { status: 'paired' };
    const pairing = reduce([started]);
    const ignored: [PairingState, PairingEvent][] = [
      [INITIAL_PAIRING, { type: 'pairing-approved' }], // a late answer to an abandoned pairing
      [INITIAL_PAIRING, { type: 'token-rejected', now: T0 }],
      [INITIAL_PAIRING, { type: 'pairing-expired' }],
      [paired, started],
      [paired, { type: 'pairing-expired' }],
      [paired, { type: 'pairing-failed', code: 'X', message: 'x', now: T0 }],
      [paired, { type: 'tick', now: T0 + 10 ** 9 }],
      [pairing, { type: 'token-found' }],
      [pairing, { type: 'token-rejected', now: T0 }],
      [pairing, { type: 'pairing-failed', code: 'X', message: 'x', now: T0 }],
    ];
    for (const [state, event] of ignored)
      expect(pairingStep(state, event), `${state.status} + ${event.type}`).toBe(state);
  });
});
