/**
 * The terminal's calls to its hub: pairing (no token), its configuration and inventory (its own
 * token). Answers are checked with the same schemas the hub answers with, and the configuration's
 * entry once more with the hall config's own schema, so nothing half-formed reaches the device
 * service. Every failure is a `HubCallError` with the hub's status and code (0 / NETWORK when the
 * hub could not be reached).
 */
import type { z } from 'zod';
import { ROUTE_ADDRESSES } from '../../common/api/addresses.js';
import type { inventoryBody } from '../../common/api/requests.js';
import { fillPath, type RouteSpec } from '../../common/api/route-spec.js';
import { terminalRoutes } from '../../common/api/routes.js';
import { devicesSchema } from '../../kiosk-config/devices-schema.js';
import type { TerminalConfigView } from './terminal-types.js';

export class HubCallError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'HubCallError';
  }

  /** The hub said the token is not (or no longer) valid. */
  get unauthorized(): boolean {
    return this.status === 401;
  }
}

export type Inventory = z.input<typeof inventoryBody>;

export interface TerminalHubApi {
  requestPairing(terminalId: string, name?: string): Promise<{ pairingId: string; code: string; expiresAt: string }>;
  pairingStatus(pairingId: string): Promise<{ status: 'pending' | 'approved' | 'expired'; token?: string }>;
  config(token: string): Promise<TerminalConfigView>;
  inventory(token: string, inventory: Inventory): Promise<void>;
  /** `GET /health`: true when the hub answers. */
  reachable(): Promise<boolean>;
}

export function terminalHubApi(
  hubUrl: string,
  opts: { timeoutMs?: number; fetch?: typeof fetch } = {},
): TerminalHubApi {
  const base = hubUrl.replace(/\/+$/, '');
  const doFetch = opts.fetch ?? ((...a: Parameters<typeof fetch>) => globalThis.fetch(...a));
  const timeoutMs = opts.timeoutMs ?? 10_000;

  async function call<S extends RouteSpec>(
    spec: S,
    args: { params?: Record<string, string>; body?: unknown; token?: string },
  ): Promise<unknown> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (args.token) headers.authorization = `Bearer ${args.token}`;
    if (args.body !== undefined) headers['content-type'] = 'application/json';
    let res: Response;
    try {
      res = await doFetch(`${base}/api/v1${fillPath(spec.path, args.params ?? {})}`, {
        method: spec.method,
        headers,
        ...(args.body !== undefined ? { body: JSON.stringify(args.body) } : {}),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch {
      throw new HubCallError(0, 'NETWORK', '无法连接大厅中枢');
    }
    if (res.status === 204) return undefined;
    let data: unknown = null;
    try {
      data = await res.json();
    } catch {
      data = null;
    }
    if (!res.ok) {
      const d = (data ?? {}) as { code?: unknown; message?: unknown };
      throw new HubCallError(
        res.status,
        typeof d.code === 'string' ? d.code : `HTTP_${res.status}`,
        typeof d.message === 'string' ? d.message : `大厅中枢返回错误（${res.status}）`,
      );
    }
    if (spec.response) {
      const parsed = spec.response.safeParse(data);
      if (!parsed.success) throw new HubCallError(502, 'BAD_ANSWER', '大厅中枢的回答格式不对');
      return parsed.data;
    }
    return data;
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
    reachable: async () => {
      try {
        const res = await doFetch(`${base}/api/v1${ROUTE_ADDRESSES.health.path}`, {
          signal: AbortSignal.timeout(Math.min(timeoutMs, 5000)),
        });
        await res.body?.cancel();
        return res.ok;
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
  if (!checked.success) throw new HubCallError(502, 'BAD_ANSWER', '大厅中枢发来的终端配置无法识别');
  return { ...view, entry: checked.data.terminals[0]! };
}
