/**
 * Who this screen is: the device token, the hub's address, the terminal id and the window number.
 * On a terminal (`govhall terminal`, docs/terminal.md) the page has no token at all: it is served
 * on the terminal's local origin, which adds its own credentials to what it forwards, and the
 * address names only the terminal and the window. A plain browser on the hub may still bring a
 * token once as `?token=` (printed by `govhall start`); it is kept in localStorage per role and
 * removed from the address bar so it does not end up on a photo of the screen or in history.
 *
 * The hub is always the origin that served the page — never an address from the URL: a crafted
 * link (`?hub=http://elsewhere`) would otherwise make a screen send its saved token to another
 * host. The pages' CSP (`connect-src 'self'`) enforces the same rule in the browser.
 */
export type Role = 'kiosk' | 'counter' | 'display' | 'evaluator' | 'admin';

export interface Identity {
  role: Role;
  token: string | null;
  /** Base URL of the hub without `/api/v1`: the origin that served this page. */
  hubUrl: string;
  terminalId: string | null;
  windowNo: number | null;
}

const key = (role: Role, what: string) => `govhall.${role}.${what}`;

function storage(): Storage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

/** Reads the identity from the URL (saving what it finds) or from what an earlier visit saved. */
export function loadIdentity(role: Role, loc: Location = window.location): Identity {
  const q = new URLSearchParams(loc.search);
  const store = storage();
  const pick = (name: string): string | null => {
    const v = q.get(name);
    if (v !== null && v !== '') {
      store?.setItem(key(role, name), v);
      return v;
    }
    return store?.getItem(key(role, name)) ?? null;
  };
  const token = pick('token');
  // Saved by versions that took `?hub=`: forgotten, so it can never redirect this screen again.
  store?.removeItem(key(role, 'hub'));
  const terminalId = pick('terminal');
  const win = pick('window');
  const windowNo = win !== null && /^\d+$/.test(win) ? Number(win) : null;
  const origin = loc.protocol === 'http:' || loc.protocol === 'https:' ? loc.origin : 'http://127.0.0.1:8800';
  if (q.has('token') && typeof history !== 'undefined') {
    q.delete('token');
    const rest = q.toString();
    history.replaceState(null, '', `${loc.pathname}${rest ? `?${rest}` : ''}${loc.hash}`);
  }
  return { role, token, hubUrl: origin.replace(/\/+$/, ''), terminalId, windowNo };
}

/** Forgets a saved value (e.g. a counter's staff session on sign-out). */
export function forget(role: Role, what: string): void {
  storage()?.removeItem(key(role, what));
}

export function remember(role: Role, what: string, value: string): void {
  storage()?.setItem(key(role, what), value);
}

export function recall(role: Role, what: string): string | null {
  return storage()?.getItem(key(role, what)) ?? null;
}
