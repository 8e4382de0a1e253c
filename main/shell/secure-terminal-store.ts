/**
 * The terminal's store under Electron: the token in the OS key store (`TokenStore`, safeStorage),
 * the last configuration in the data folder like browser mode. The terminal core reads its store
 * synchronously, so the token is loaded once at start and kept in memory; writes go to the key
 * store in the background. A 0600 token file left by browser mode on the same data folder is moved
 * into the key store and deleted, so the token is never in two places.
 */
import type { TerminalStore } from '../terminal/terminal-agent.js';
import type { TerminalFiles } from '../terminal/terminal-files.js';
import type { TokenStore } from './electron-token-store.js';

interface Held {
  terminalId: string;
  token: string;
}

function parseHeld(raw: string | null): Held | null {
  if (!raw) return null;
  try {
    const v = JSON.parse(raw) as { terminalId?: unknown; token?: unknown };
    return typeof v.terminalId === 'string' && typeof v.token === 'string' && v.token
      ? { terminalId: v.terminalId, token: v.token }
      : null;
  } catch {
    return null;
  }
}

export async function secureTerminalStore(
  terminalId: string,
  tokens: TokenStore,
  files: TerminalFiles,
  log?: (level: 'info' | 'warn' | 'error', msg: string, fields?: Record<string, unknown>) => void,
): Promise<TerminalStore> {
  let held = parseHeld(await tokens.load());
  const failed = (what: string) => (e: unknown) =>
    log?.('error', what, { error: e instanceof Error ? e.message : String(e) });
  const save = (h: Held) => tokens.save(JSON.stringify(h)).catch(failed('无法保存终端令牌'));

  const fromFile = files.token(terminalId);
  if (fromFile) {
    if (!held) {
      held = { terminalId, token: fromFile };
      await save(held);
    }
    files.forgetToken();
  }

  return {
    token: (id) => (held?.terminalId === id ? held.token : null),
    saveToken: (id, token) => {
      held = { terminalId: id, token };
      void save(held);
    },
    forgetToken: () => {
      held = null;
      void tokens.clear().catch(failed('无法删除终端令牌'));
    },
    config: (id) => files.config(id),
    saveConfig: (c) => files.saveConfig(c),
  };
}
