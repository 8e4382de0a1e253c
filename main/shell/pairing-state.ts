/**
 * The terminal's side of pairing (hub-api.md "Terminals and pairing") as a pure reducer:
 *
 *   unpaired ──pairing-started──► pairing (code shown) ──approved──► paired
 *      ▲                            │ expired / failed                │ token rejected (401)
 *      └────────────────────────────┘                                 ▼
 *                                   pairing ◄──pairing-started── revoked
 *
 * The token itself never enters this state (it goes straight to the token store), so the state
 * can be logged and shown. Whoever talks to the hub asks `pairingAction` what to do next and
 * reports what happened as events; the shell shows the page `pairingPage` names.
 */

export type PairingState =
  | { status: 'unpaired'; retryAt: number | null; error: { code: string; message: string } | null }
  | { status: 'pairing'; pairingId: string; code: string; expiresAt: number }
  | { status: 'paired' }
  /** The hub refused the stored token (the admin removed the terminal): pair again. */
  | { status: 'revoked'; at: number };

export type PairingEvent =
  /** A stored token was found at start. */
  | { type: 'token-found' }
  | { type: 'pairing-started'; pairingId: string; code: string; expiresAt: number }
  /** The hub approved and the token is in the store. */
  | { type: 'pairing-approved' }
  /** The hub says the code expired (or the time has passed, see `tick`). */
  | { type: 'pairing-expired' }
  /** The request for a code failed (hub unreachable, rate limited): try again later. */
  | { type: 'pairing-failed'; code: string; message: string; now: number }
  /** The hub answered 401 to the stored token. */
  | { type: 'token-rejected'; now: number }
  | { type: 'tick'; now: number };

export const INITIAL_PAIRING: PairingState = { status: 'unpaired', retryAt: null, error: null };

/** How long to wait before asking for a new code after a failed request. */
export const PAIRING_RETRY_MS = 10_000;

export function pairingStep(state: PairingState, event: PairingEvent): PairingState {
  switch (event.type) {
    case 'token-found':
      return state.status === 'unpaired' ? { status: 'paired' } : state;
    case 'pairing-started':
      return state.status === 'unpaired' || state.status === 'revoked' || state.status === 'pairing'
        ? { status: 'pairing', pairingId: event.pairingId, code: event.code, expiresAt: event.expiresAt }
        : state;
    case 'pairing-approved':
      // A late answer to a pairing that was already replaced or abandoned is ignored.
      return state.status === 'pairing' ? { status: 'paired' } : state;
    case 'pairing-expired':
      return state.status === 'pairing' ? INITIAL_PAIRING : state;
    case 'pairing-failed':
      return state.status === 'unpaired' || state.status === 'revoked'
        ? {
            status: 'unpaired',
            retryAt: event.now + PAIRING_RETRY_MS,
            error: { code: event.code, message: event.message },
          }
        : state;
    case 'token-rejected':
      return state.status === 'paired' ? { status: 'revoked', at: event.now } : state;
    case 'tick':
      return state.status === 'pairing' && event.now >= state.expiresAt ? INITIAL_PAIRING : state;
  }
}

export type PairingAction =
  /** Ask the hub for a new code (`POST /terminals/pairings`). */
  | { kind: 'request-code' }
  /** Ask whether the admin approved (`GET /terminals/pairings/{pairingId}`). */
  | { kind: 'poll'; pairingId: string }
  /** Clear the stored token (it was revoked), then request a code. */
  | { kind: 'forget-token' }
  | { kind: 'wait'; until: number }
  | { kind: 'none' };

export function pairingAction(state: PairingState, now: number): PairingAction {
  switch (state.status) {
    case 'unpaired':
      return state.retryAt !== null && now < state.retryAt
        ? { kind: 'wait', until: state.retryAt }
        : { kind: 'request-code' };
    case 'pairing':
      return { kind: 'poll', pairingId: state.pairingId };
    case 'revoked':
      return { kind: 'forget-token' };
    case 'paired':
      return { kind: 'none' };
  }
}

/** What the windows show: the role pages only once paired. */
export type PairingPage =
  | { kind: 'role-pages' }
  | { kind: 'pairing-code'; code: string; expiresAt: number }
  | { kind: 'connecting'; revoked: boolean; error: string | null };

export function pairingPage(state: PairingState): PairingPage {
  switch (state.status) {
    case 'paired':
      return { kind: 'role-pages' };
    case 'pairing':
      return { kind: 'pairing-code', code: state.code, expiresAt: state.expiresAt };
    case 'revoked':
      return { kind: 'connecting', revoked: true, error: null };
    case 'unpaired':
      return { kind: 'connecting', revoked: false, error: state.error?.message ?? null };
  }
}
