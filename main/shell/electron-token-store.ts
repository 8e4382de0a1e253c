/**
 * Where the terminal keeps its hub token under Electron: encrypted with `safeStorage` (the OS key
 * store: DPAPI on Windows, libsecret/KWallet on Linux) in a file only its user may read. When the
 * OS offers no real key store (Linux without a keyring: safeStorage's `basic_text` backend, whose
 * key is built in), the file's 0600 mode is the only protection, as in browser mode, and
 * `protection` says so for the terminal's health report. The token never goes into a URL, a page
 * or a log.
 */
import { chmodSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { safeStorage } from 'electron';

/** What the terminal process needs of a token store (browser mode has a 0600-file one). */
export interface TokenStore {
  load(): Promise<string | null>;
  save(token: string): Promise<void>;
  clear(): Promise<void>;
  /** `os-keystore`: encrypted with a key the OS keeps; `file-mode`: only the file's 0600 mode. */
  protection(): Promise<'os-keystore' | 'file-mode'>;
}

const ENCRYPTED = 'govhall-token:v1:os:';
const PLAIN = 'govhall-token:v1:file:';

async function osKeystore(): Promise<boolean> {
  if (!(await safeStorage.isAsyncEncryptionAvailable())) return false;
  return process.platform !== 'linux' || safeStorage.getSelectedStorageBackend() !== 'basic_text';
}

export function createSafeStorageTokenStore(path: string): TokenStore {
  const write = (data: Buffer) => {
    // Written aside and renamed: a power cut leaves the old token or the new one, never half.
    const tmp = `${path}.tmp`;
    writeFileSync(tmp, data, { mode: 0o600 });
    chmodSync(tmp, 0o600);
    renameSync(tmp, path);
  };
  return {
    async load() {
      let data: Buffer;
      try {
        data = readFileSync(path);
      } catch {
        return null;
      }
      const head = (p: string) => data.subarray(0, p.length).toString('latin1') === p;
      if (head(PLAIN)) return data.subarray(PLAIN.length).toString('utf8') || null;
      if (!head(ENCRYPTED)) return null;
      try {
        const { result, shouldReEncrypt } = await safeStorage.decryptStringAsync(data.subarray(ENCRYPTED.length));
        if (shouldReEncrypt) await this.save(result);
        return result || null;
      } catch {
        // Another user's or another machine's key: the terminal must pair again.
        return null;
      }
    },
    async save(token) {
      if (await osKeystore()) {
        const encrypted = await safeStorage.encryptStringAsync(token);
        write(Buffer.concat([Buffer.from(ENCRYPTED, 'latin1'), encrypted]));
      } else write(Buffer.concat([Buffer.from(PLAIN, 'latin1'), Buffer.from(token, 'utf8')]));
    },
    async clear() {
      rmSync(path, { force: true });
    },
    async protection() {
      return (await osKeystore()) ? 'os-keystore' : 'file-mode';
    },
  };
}
