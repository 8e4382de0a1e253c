/**
 * A terminal's card reads registered with its hub (docs/terminal.md「读卡」): each card its reader
 * reads is sent as number and type with the terminal's own token, and the hub answers the id its
 * kiosk page sends to `POST /cases/lookup { cardRead }` (forwarded with the same token, the only
 * one that can use it). Taking the card away ends the ids at the hub too.
 */
import type { TerminalHubApi } from './hub-api.js';
import type { CardReadRegistry } from './local-bridge.js';

export function hubCardReads(
  api: Pick<TerminalHubApi, 'registerCardRead' | 'endCardReads'>,
  token: () => string | null,
  log?: (level: 'info' | 'warn' | 'error', msg: string, fields?: Record<string, unknown>) => void,
): CardReadRegistry {
  return {
    register: async (e) => {
      const t = token();
      if (!t) return null;
      try {
        return await api.registerCardRead(t, {
          deviceId: e.deviceId,
          certNo: e.card.certNo,
          certType: e.card.certType,
        });
      } catch (err) {
        log?.('warn', '无法向中枢登记读卡，本次只能凭回执上的办件编号查询', {
          deviceId: e.deviceId,
          error: (err as Error).message,
        });
        return null;
      }
    },
    removed: () => {
      const t = token();
      if (t) void api.endCardReads(t).catch(() => undefined);
    },
  };
}
