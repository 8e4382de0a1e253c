/**
 * The token store with real files in a temporary folder and a FAKE `electron` safeStorage
 * (vi.mock: no Electron binary here). The fake "encrypts" by reversing bytes, which is enough to
 * show the token is not written as it is.
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const safe = vi.hoisted(() => ({
  available: true,
  backend: 'gnome_libsecret' as string,
  reEncrypt: false,
}));

vi.mock('electron', () => ({
  safeStorage: {
    isAsyncEncryptionAvailable: async () => safe.available,
    getSelectedStorageBackend: () => safe.backend,
    encryptStringAsync: async (s: string) => Buffer.from(Buffer.from(s, 'utf8').reverse()),
    decryptStringAsync: async (b: Buffer) => {
      if (b[0] === 0) throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
      return { result: Buffer.from(b).reverse().toString('utf8'), shouldReEncrypt: safe.reEncrypt };
    },
  },
}));

import { createSafeStorageTokenStore } from './electron-token-store.js';

const TOKEN = 'gh_t_9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c';
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'govhall-token-'));
  Object.assign(safe, { available: true, backend: 'gnome_libsecret', reEncrypt: false });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('token store (Electron safeStorage faked, real files)', () => {
  it('keeps the token encrypted in a file only its user can read, and reads it back', async () => {
    const path = join(dir, 'terminal-token');
    const store = createSafeStorageTokenStore(path);
    expect(await store.load()).toBeNull();
    await store.save(TOKEN);
    expect(readFileSync(path).includes(Buffer.from(TOKEN))).toBe(false);
    expect(readFileSync(path, 'latin1').startsWith('govhall-token:v1:os:')).toBe(true);
    if (process.platform !== 'win32') expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(await store.protection()).toBe('os-keystore');
    expect(await createSafeStorageTokenStore(path).load()).toBe(TOKEN);
    await store.clear();
    expect(await store.load()).toBeNull();
    await store.clear();
  });

  it('without a real key store relies on the file mode alone and says so', async () => {
    safe.available = false;
    const path = join(dir, 't');
    const store = createSafeStorageTokenStore(path);
    await store.save(TOKEN);
    expect(await store.protection()).toBe('file-mode');
    expect(readFileSync(path, 'utf8')).toBe(`govhall-token:v1:file:${TOKEN}`);
    if (process.platform !== 'win32') expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(await store.load()).toBe(TOKEN);
    safe.available = true;
    if (process.platform === 'linux') {
      safe.backend = 'basic_text';
      expect(await store.protection()).toBe('file-mode');
    }
  });

  it('re-encrypts when the OS rotated its key, and treats unreadable or foreign files as no token', async () => {
    const path = join(dir, 't');
    const store = createSafeStorageTokenStore(path);
    await store.save(TOKEN);
    safe.reEncrypt = true;
    expect(await store.load()).toBe(TOKEN);
    writeFileSync(path, Buffer.concat([Buffer.from('govhall-token:v1:os:', 'latin1'), Buffer.from([0, 1, 2])]));
    expect(await store.load()).toBeNull();
    writeFileSync(path, 'something else');
    expect(await store.load()).toBeNull();
  });
});
