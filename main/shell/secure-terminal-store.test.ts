/**
 * The Electron terminal's store with an in-memory key store (the real one is safeStorage, tested
 * on a fake Electron in electron-token-store.test.ts) and real files: the token is held in memory
 * for the terminal core, written to the key store, and a browser-mode token file is moved into it.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TerminalFiles, TOKEN_FILE } from '../terminal/terminal-files.js';
import type { TokenStore } from './electron-token-store.js';
import { secureTerminalStore } from './secure-terminal-store.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const files = () => {
  const d = mkdtempSync(join(tmpdir(), 'govhall-secure-store-'));
  dirs.push(d);
  return new TerminalFiles(d);
};

function keyStore(initial: string | null = null): TokenStore & { value: string | null } {
  const s = {
    value: initial,
    load: async () => s.value,
    save: async (t: string) => {
      s.value = t;
    },
    clear: async () => {
      s.value = null;
    },
    protection: async () => 'os-keystore' as const,
  };
  return s;
}

describe('the Electron terminal’s token store (in-memory key store, real files)', () => {
  it('saves the token with its terminal id in the key store and never in a file', async () => {
    const f = files();
    const keys = keyStore();
    const store = await secureTerminalStore('kiosk-1', keys, f);
    expect(store.token('kiosk-1')).toBeNull();
    store.saveToken('kiosk-1', 'gtt_secret');
    expect(store.token('kiosk-1')).toBe('gtt_secret');
    expect(store.token('kiosk-2')).toBeNull();
    await Promise.resolve();
    expect(JSON.parse(keys.value!)).toEqual({ terminalId: 'kiosk-1', token: 'gtt_secret' });
    expect(existsSync(join(f.dataDir, TOKEN_FILE))).toBe(false);
    // The next start reads it back.
    expect((await secureTerminalStore('kiosk-1', keys, f)).token('kiosk-1')).toBe('gtt_secret');
    store.forgetToken();
    await Promise.resolve();
    expect(keys.value).toBeNull();
  });

  it('moves a browser-mode token file into the key store and deletes the file', async () => {
    const f = files();
    f.saveToken('kiosk-1', 'gtt_from_file');
    const keys = keyStore();
    const store = await secureTerminalStore('kiosk-1', keys, f);
    expect(store.token('kiosk-1')).toBe('gtt_from_file');
    expect(JSON.parse(keys.value!).token).toBe('gtt_from_file');
    expect(existsSync(join(f.dataDir, TOKEN_FILE))).toBe(false);
  });

  it('keeps the last configuration in the data folder', async () => {
    const f = files();
    const store = await secureTerminalStore('kiosk-1', keyStore('not json'), f);
    expect(store.token('kiosk-1')).toBeNull();
    const view = {
      terminalId: 'kiosk-1',
      version: 'v',
      name: null,
      windows: [],
      entry: { id: 'kiosk-1', devices: [] },
      hall: { code: 'H', name: 'h', timeZone: 'Asia/Shanghai' },
      ticketText: { header: '', footer: '' },
    };
    store.saveConfig(view);
    expect(store.config('kiosk-1')).toEqual(view);
  });
});
