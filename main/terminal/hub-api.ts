/**
 * The terminal's calls to its hub: pairing (no token), its configuration and inventory (its own
 * token). Answers are checked with the same schemas the hub answers with, and the configuration's
 * entry once more with the hall config's own schema, so nothing half-formed reaches the device
 * service. The call itself is the one the role pages use (`common/hub-http.ts`): every failure is a
 * `HubError` with the hub's status and code (0 / NETWORK when the hub could not be reached).
 */
import type { z } from 'zod';
import type { cardReadBody, inventoryBody } from '../../common/api/requests.js';
import { fillPath, type RouteSpec } from '../../common/api/route-spec.js';
import { coreRoutes, terminalRoutes } from '../../common/api/routes.js';
import { bearer, HubError, hubHttp } from '../../common/hub-http.js';
import { devicesSchema } from '../../kiosk-config/devices-schema.js';
import type { TerminalConfigView } from './terminal-types.js';

export { HubError };

export type Inventory = z.input<typeof inventoryBody>;
export type CardReadIn = z.input<typeof cardReadBody>;

export interface TerminalHubApi {
  requestPairing(terminalId: string, name?: string): Promise<{ pairingId: string; code: string; expiresAt: string }>;
  pairingStatus(pairingId: string): Promise<{ status: 'pending' | 'approved' | 'expired'; token?: string }>;
  config(token: string): Promise<TerminalConfigView>;
  inventory(token: string, inventory: Inventory): Promise<void>;
  /** A card this terminal's reader read: the id its pages look the holder's cases up with. */
  registerCardRead(token: string, read: CardReadIn): Promise<string>;
  /** The card left the reader: its read ids end. */
  endCardReads(token: string): Promise<void>;
  /** `GET /health`: true when the hub answers. */
  reachable(): Promise<boolean>;
}

export function terminalHubApi(
  hubUrl: string,
  opts: { timeoutMs?: number; fetch?: typeof fetch } = {},
): TerminalHubApi {
  const request = (token?: string) =>
    hubHttp({
      baseUrl: hubUrl,
      authorization: () => bearer(token),
      timeoutMs: opts.timeoutMs ?? 10_000,
      ...(opts.fetch ? { fetch: opts.fetch } : {}),
    });

  async function call<S extends RouteSpec>(
    spec: S,
    args: { params?: Record<string, string>; body?: unknown; token?: string },
  ): Promise<unknown> {
    const data = await request(args.token)(spec.method, fillPath(spec.path, args.params ?? {}), args.body);
    if (!spec.response) return data;
    const parsed = spec.response.safeParse(data);
    if (!parsed.success) throw new HubError(502, 'BAD_ANSWER', '大厅中枢的回答格式不对');
    return parsed.data;
  }

  return {
    requestPairing: async (terminalId, name) =>
      (await call(terminalRoutes.requestPairing, {
        body: { terminalId, ...(name ? { name } : {}) },
      })) as { pairingId: string; code: string; expiresAt: string },
    pairingStatus: async (pairingId) =>
      (await call(terminalRoutes.pairingStatus, { params: { pairingId } })) as {
        status: 'pending' | 'approved' | 'expired';
        token?: string;
      },
    config: async (token) => parseConfig(await call(terminalRoutes.terminalConfig, { token })),
    inventory: async (token, inventory) => {
      await call(terminalRoutes.terminalInventory, { token, body: inventory });
    },
    registerCardRead: async (token, read) =>
      ((await call(terminalRoutes.registerCardRead, { token, body: read })) as { readId: string }).readId,
    endCardReads: async (token) => {
      await call(terminalRoutes.endCardReads, { token });
    },
    reachable: async () => {
      try {
        await request()(coreRoutes.health.method, coreRoutes.health.path);
        return true;
      } catch {
        return false;
      }
    },
  };
}

/** The hub's answer as the terminal uses it: the entry checked with the hall config's schema. */
export function parseConfig(raw: unknown): TerminalConfigView {
  const view = raw as TerminalConfigView;
  const checked = devicesSchema.safeParse({ terminals: [view.entry] });
  if (!checked.success) throw new HubError(502, 'BAD_ANSWER', '大厅中枢发来的终端配置无法识别');
  return { ...view, entry: checked.data.terminals[0]! };
}

/**
 * Whether the hub accepts a manager's staff number and PIN (`POST /admin/sessions`): how a
 * technician unlocks a locked-down terminal. The session it opens is closed again at once. A hub
 * that cannot be reached throws (the unlock then says so); a refused PIN is false.
 */
export async function verifyAdminPin(
  hubUrl: string,
  credentials: { staffNo: string; pin: string },
  opts: { fetch?: typeof fetch } = {},
): Promise<boolean> {
  const send = (token?: string) =>
    hubHttp({ baseUrl: hubUrl, authorization: () => bearer(token), ...(opts.fetch ? { fetch: opts.fetch } : {}) });
  try {
    const { adminSignIn, adminSignOut } = coreRoutes;
    const session = await send()<{ token: string }>(adminSignIn.method, adminSignIn.path, credentials);
    await send(session.token)(adminSignOut.method, adminSignOut.path).catch(() => undefined);
    return true;
  } catch (e) {
    if (e instanceof HubError && e.status >= 400 && e.status < 500 && e.status !== 429) return false;
    throw e;
  }
}
