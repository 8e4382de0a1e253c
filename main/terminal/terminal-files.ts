/**
 * What a terminal keeps on disk, under its data folder: its token (a 0600 file — never in a URL, a
 * page or a log) and the last configuration the hub sent, so it runs on that while the hub is away.
 * Both are written atomically (temp file, fsync, rename): a power cut leaves the old or the new.
 */
import {
  chmodSync,
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import type { TerminalConfigView } from './terminal-types.js';

export const TOKEN_FILE = 'terminal.token';
export const CONFIG_FILE = 'terminal-config.json';

function writeAtomic(path: string, text: string): void {
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    const fd = openSync(tmp, 'w', 0o600);
    try {
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    // The mode of an existing file is not changed by open(): make sure.
    chmodSync(tmp, 0o600);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

function readText(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

export class TerminalFiles {
  constructor(readonly dataDir: string) {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  }

  /** The terminal's own token, for this terminal id only (a file copied from another PC is not used). */
  token(terminalId: string): string | null {
    const raw = readText(join(this.dataDir, TOKEN_FILE));
    if (!raw) return null;
    try {
      const v = JSON.parse(raw) as { terminalId?: unknown; token?: unknown };
      return v.terminalId === terminalId && typeof v.token === 'string' && v.token ? v.token : null;
    } catch {
      return null;
    }
  }

  saveToken(terminalId: string, token: string): void {
    writeAtomic(join(this.dataDir, TOKEN_FILE), `${JSON.stringify({ terminalId, token })}\n`);
  }

  forgetToken(): void {
    rmSync(join(this.dataDir, TOKEN_FILE), { force: true });
  }

  /** The last configuration received for this terminal id, or null. */
  config(terminalId: string): TerminalConfigView | null {
    const raw = readText(join(this.dataDir, CONFIG_FILE));
    if (!raw) return null;
    try {
      const v = JSON.parse(raw) as TerminalConfigView;
      return v?.terminalId === terminalId && Array.isArray(v.windows) ? v : null;
    } catch {
      return null;
    }
  }

  saveConfig(config: TerminalConfigView): void {
    writeAtomic(join(this.dataDir, CONFIG_FILE), `${JSON.stringify(config, null, 2)}\n`);
  }

  /** A folder of its own for the browser's profile (browser mode). */
  browserProfile(): string {
    const dir = join(this.dataDir, 'browser-profile');
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    return dir;
  }
}
